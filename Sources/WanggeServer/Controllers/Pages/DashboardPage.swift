import Vapor
import Fluent
import WanggeCore
import WanggeStore

/// The numbers behind the dashboard, counted with SQL from the stored measure facts (`MeasureQueries`).
struct DashboardData {
    struct Group { var code: String; var name: String; var counts: MeasureCounts; var reported: Int }
    var area: Area
    var trail: [Area]
    var from: String
    var to: String
    var measure: MeasureKind
    var total: MeasureCounts
    /// Cases reported in the period (0 when built with `full: false`).
    var reported: Int
    /// The reported cases by source, Open311's by API key: the measures' source breakdown.
    var sources: [ReportedSource: Int] = [:]
    var children: [Group]
    var categories: [Group]
    var departments: [Group]
    var weeks: [(label: String, measure: Measure)]
    /// The latest 200 late cases, most late first, and how many there are in all.
    var late: [(row: CaseIndexRow, lateBy: TimeInterval)]
    var lateCount: Int
    var supervisions: [OpenSupervision]
    var mapSVG: String
    /// Disputes in mediation: registered and concluded in the period, open now.
    var mediation: MediationQueries.Panel?
    /// The newest risk-of-escalation notices and supervisions of mediations in the area, for its leaders.
    var mediationNotices: [(code: String, id: UUID, kind: String, raisedAt: Date, note: String?)] = []
    /// The safety index's latest month and the open warnings of the area, drawn (`SafetyIndexView.panel`).
    var safetyHTML: String = ""
    /// The league table of the area's children for the last month that ended (`AssessmentView.panel`).
    var assessmentHTML: String = ""
    /// Household visit coverage of the area's children in each grid's current target period (households, met).
    var coverage: [(code: String, name: String, households: Int, visited: Int)] = []
}

/// One area, period and instant to count the measures of.
struct MeasureScope: Sendable {
    var path: String
    var period: DateInterval
    var asOf: Date
    var context: MeasureFactContext

    func counts(_ grouping: MeasureQueries.Grouping, on db: any Database) async throws -> [String: MeasureCounts] {
        try await MeasureQueries.counts(scopePath: path, period: period, asOf: asOf, by: grouping, context: context, on: db)
    }

    /// The dashboard's trend: the period's weeks, or the last twelve weeks for a period shorter than four.
    static func trendWeeks(of period: DateInterval, timeZone: TimeZone) -> [DateInterval] {
        MeasureBreakdown.weeks(from: period.duration < 28 * 86_400 ? period.end.addingTimeInterval(-84 * 86_400) : period.start,
                               to: period.end, timeZone: timeZone)
    }

    /// The period and `weeks` (a trend that may reach outside it) in pieces of a month at most, with the lasting
    /// counts of each as kept by `cache` or counted now.
    func pieces(weeks: [DateInterval], cache: PieceCache, on db: any Database) async throws -> [PieceCounts] {
        let (cover, cuts) = cover(weeks: weeks)
        return try await cache.pieces(scopePath: path, interval: cover, cuts: cuts, asOf: asOf, context: context, on: db)
    }

    /// What the pieces of the period and `weeks` cover, and where they are cut besides months.
    private func cover(weeks: [DateInterval]) -> (DateInterval, [Date]) {
        let weekRange = DateInterval(start: weeks.first?.start ?? period.start, end: weeks.last?.end ?? period.end)
        return (DateInterval(start: min(period.start, weekRange.start), end: max(period.end, weekRange.end)),
                [period.start, period.end, weekRange.start, weekRange.end])
    }

    /// The total: from the pieces of the period as the server keeps them (the dashboard's) and SQL's count of what
    /// they leave out when every piece is kept; else counted from the rollup (cheaper than counting the pieces cold:
    /// a year at `--scale 10` takes ~20 s cold in pieces, 120 ms from the rollup).
    func total(cache: PieceCache, on db: any Database) async throws -> MeasureCounts {
        // (The dashboard's pieces of the period: cut where its trend's weeks start and end too.)
        let (cover, cuts) = cover(weeks: Self.trendWeeks(of: period, timeZone: context.calendar.timeZone))
        if let kept = try await cache.keptPieces(scopePath: path, interval: cover, cuts: cuts, asOf: asOf, calendar: context.calendar, on: db) {
            return try await counts(.total, keeping: kept, on: db)[""] ?? MeasureCounts()
        }
        return try await counts(.total, on: db)[""] ?? MeasureCounts()
    }

    /// The counts from the pieces inside the period (or the weeks), and SQL's for what those leave out.
    func counts(_ grouping: MeasureQueries.Grouping, keeping pieces: [PieceCounts], on db: any Database) async throws -> [String: MeasureCounts] {
        var range = period
        if case .periods(let weeks) = grouping, let first = weeks.first, let last = weeks.last { range = DateInterval(start: first.start, end: last.end) }
        let used = pieces.filter { range.start <= $0.interval.start && $0.interval.end <= range.end }
        var out = try await MeasureQueries.counts(scopePath: path, period: period, asOf: asOf, by: grouping,
                                                  counted: used.map(\.counted), context: context, on: db)
        func add(_ kept: [String: MeasureCounts]) { for (k, c) in kept { out[k, default: MeasureCounts()].add(c) } }
        for p in used {
            switch grouping {
            case .total: for c in p.grids.values { out["", default: MeasureCounts()].add(c) }
            case .area: add(p.grids)
            case .majorCategory: add(p.majors)
            case .department: add(p.departments)
            case .periods(let weeks):
                for (day, c) in p.days {
                    if let i = weeks.firstIndex(where: { $0.start <= day && day < $0.end }) { out["\(i)", default: MeasureCounts()].add(c) }
                }
            }
        }
        return out
    }
}

enum DashboardPage {
    /// `GET /dashboard?area=&from=&to=&m=&export=`: DESIGN §5 measures for an area in scope and a period.
    static func show(_ page: StaffPage) async throws -> Response {
        let data = try await build(page)
        if let export = try page.req.textQuery("export", maxLength: 32) {
            return try csv(data, table: export, lang: page.lang, catalogue: page.reference.catalogue)
        }
        return page.html(DashboardView.render(data, page.context))
    }

    /// `full: false` counts only the totals and the late list (the big screen shows no tables, trend, reported
    /// counts or heat map).
    static func build(_ page: StaffPage, full: Bool = true) async throws -> DashboardData {
        let (req, staff, tree, ref, lang) = (page.req, page.staff, page.tree, page.reference, page.lang)
        let j = tree.jurisdiction
        let code = try req.textQuery("area", maxLength: 64) ?? staff.scope.areaCode
        guard let area = j[code], staff.scope.covers(code, in: j) else { throw Abort(.notFound, reason: "no area \(code) in your scope") }
        let now = req.now
        let today = ref.calendar.civilDate(of: now)
        let monthStart = CivilDate(year: today.year, month: today.month, day: 1)!
        let from = try req.civilQuery("from") ?? monthStart
        let to = try req.civilQuery("to") ?? today
        guard from <= to else { throw APIError(.badRequest, "invalid_period", "from must not be after to", field: "from") }
        let period = DateInterval(start: ref.calendar.start(of: from), end: ref.calendar.start(of: to.adding(days: 1)))
        let asOf = min(now, period.end)
        var measure = MeasureKind.onTimeClosure
        if let m = try req.textQuery("m", maxLength: 32) {
            guard let kind = MeasureKind(rawValue: m) else {
                throw APIError.badRequest("m must be one of \(MeasureKind.allCases.map(\.rawValue).joined(separator: ", "))", field: "m")
            }
            measure = kind
        }

        let path = j.path(of: area.code)
        let db = req.db
        let scope = MeasureScope(path: path, period: period, asOf: asOf, context: ref.measureContext)
        // Which child of the area each area below it belongs to: one walk of the tree, then a lookup per grid.
        var childOf: [String: String] = [:]
        for c in j.children(of: area.code) { for a in j.subtree(of: c.code) { childOf[a.code] = c.code } }
        let weekPeriods = MeasureScope.trendWeeks(of: period, timeZone: ref.calendar.timeZone)
        var total = MeasureCounts()
        let lateWork = try await CaseIndexQueries.late(scopePath: path, now: now, limit: 200, on: db)
        var reported = 0
        var sources: [ReportedSource: Int] = [:]
        var byChild = MeasureGroups(), byCategory = MeasureGroups(), byDepartment = MeasureGroups(), byGrid = MeasureGroups()
        var weekly: [MeasureCounts] = []
        var points: [GeoPoint] = []
        if full {
            let pieces = try await scope.pieces(weeks: weekPeriods, cache: req.wangge.pieces, on: db)
            // The total adds up the grids: one count fewer.
            for (grid, c) in try await scope.counts(.area, keeping: pieces, on: db) {
                byGrid.add(grid, c, reported: false)
                byChild.add(childOf[grid], c, reported: false)
                total.add(c)
            }
            for (major, c) in try await scope.counts(.majorCategory, keeping: pieces, on: db) { byCategory.add(major, c, reported: false) }
            for (department, c) in try await scope.counts(.department, keeping: pieces, on: db) { byDepartment.add(department, c, reported: false) }
            let series = try await scope.counts(.periods(weekPeriods), keeping: pieces, on: db)
            weekly = weekPeriods.indices.map { series["\($0)"] ?? MeasureCounts() }
            // Reported cases and their points: kept for pieces that are over, read for the others.
            var counted = ReportedTotals()
            for p in pieces where scope.period.start <= p.interval.start && p.interval.end <= scope.period.end {
                if let kept = p.reported, let keptPoints = p.points {
                    counted.add(kept)
                    points += keptPoints
                } else {
                    counted.add(ReportedTotals(try await MeasureQueries.reported(scopePath: path, period: p.interval, on: db), catalogue: ref.catalogue))
                    points += try await CaseIndexQueries.points(scopePath: path, period: p.interval, on: db)
                }
            }
            reported = counted.total
            sources = counted.sources
            for (grid, n) in counted.grids {
                byGrid.add(grid, MeasureCounts(), reported: true, times: n)
                byChild.add(childOf[grid], MeasureCounts(), reported: true, times: n)
            }
            for (major, n) in counted.majors { byCategory.add(major, MeasureCounts(), reported: true, times: n) }
            for (department, n) in counted.departments { byDepartment.add(department, MeasureCounts(), reported: true, times: n) }
        } else {
            // The big screen shows neither the reported counts nor the tables.
            total = try await scope.total(cache: req.wangge.pieces, on: db)
        }
        func groups(_ g: MeasureGroups, name: (String) -> String) -> [DashboardData.Group] {
            g.totals.map { DashboardData.Group(code: $0.key, name: name($0.key), counts: $0.value.counts, reported: $0.value.reported) }
        }
        let children = groups(byChild) { j[$0]?.name ?? $0 }.sorted { $0.code < $1.code }
        let categories = groups(byCategory) { c in
            ref.catalogue.majors.first { $0.code == c }.map { lang.pick($0.name, $0.nameEN) } ?? c
        }.sorted { $0.reported > $1.reported }
        let departments = groups(byDepartment) { ref.departmentsByCode[$0]?.name ?? $0 }
            .sorted { ($0.counts[.onTimeClosure].rate ?? 2, -$0.counts[.onTimeClosure].denominator) < ($1.counts[.onTimeClosure].rate ?? 2, -$1.counts[.onTimeClosure].denominator) }
        let weeks = zip(weekPeriods, weekly).map { (Format.day($0.start).dropFirst(5).description, $1[measure]) }
        let supervisions = !full ? [] : try await CaseIndexQueries.openSupervisions(scopePath: path, limit: 50, on: req.db)
        var map = ""
        if full, let drawing = await req.wangge.maps.cached("heat|\(tree.version)|\(area.code)", { heatDrawing(j, area: area) }) {
            map = heatMap(drawing, gridCounts: byGrid.totals.mapValues(\.counts), measure: measure, points: points, lang: lang)
        }
        let mediation = !full ? nil : try await MediationQueries.panel(
            scopePath: path, measures: try await MediationsAPI.counts(scopePath: path, period: period, calendar: ref.calendar,
                                                                      cache: req.wangge.pieces, on: db).total, on: db)
        let mediationNotices = full ? try await MediationQueries.notices(scopePath: path, limit: 10, on: db) : []
        let safety = full ? try await SafetyPanel.load(area: area.code, j: j, on: db) : nil
        let safetyHTML = safety.map { SafetyIndexView.panel($0, area: area.code, j: j, catalogue: ref.catalogue, lang).description } ?? ""
        // The league table of the area's children for the last month that ended (kept a few minutes once counted).
        var assessmentHTML = ""
        if full {
            let t = try await AssessmentsAPI.table(req, level: AssessmentPages.defaultLevel(of: area.code, j), area: area.code,
                                                   month: SafetyIndexService.lastEndedMonth(at: now, calendar: ref.calendar), j: j)
            assessmentHTML = AssessmentView.panel(t, lang).description
        }
        // Visit coverage by the area's children (or the grid itself), each grid in its own target's period; kept a few
        // minutes (the county's 978 grids are counted in ~0.3 s).
        var coverage: [(code: String, name: String, households: Int, visited: Int)] = []
        if full {
            let key = "\(tree.version)|\(area.code)|\(today)"
            var grids = await req.wangge.coveragePanels.get(key, at: now)
            if grids == nil {
                let counted = try await FieldAPI.coverageByTarget(under: area.code, day: today, j: j, targets: req.wangge.fieldCatalogue.visitTargets,
                                                                  until: { _, next in next }, on: db).map(\.grid)
                await req.wangge.coveragePanels.put(key, counted, at: now)
                grids = counted
            }
            let children = area.level == .grid ? [area] : j.children(of: area.code)
            var sums: [String: (Int, Int)] = [:]
            for g in grids ?? [] {
                guard let child = j.chain(from: g.gridCode).first(where: { c in children.contains { $0.code == c.code } }) else { continue }
                let was = sums[child.code] ?? (0, 0)
                sums[child.code] = (was.0 + g.households, was.1 + g.visited)
            }
            coverage = children.compactMap { c in sums[c.code].map { (c.code, c.name, $0.0, $0.1) } }
        }
        return DashboardData(area: area, trail: j.chain(from: area.code).reversed().filter { staff.scope.covers($0.code, in: j) },
                             from: from.description, to: to.description, measure: measure, total: total,
                             reported: reported, sources: sources, children: children, categories: categories,
                             departments: departments, weeks: weeks,
                             late: lateWork.rows.map { ($0, now.timeIntervalSince($0.next_deadline_at ?? now)) }, lateCount: lateWork.total,
                             supervisions: supervisions, mapSVG: map, mediation: mediation,
                             mediationNotices: mediationNotices, safetyHTML: safetyHTML, assessmentHTML: assessmentHTML, coverage: coverage)
    }

    static let heatMapWidth = 800.0

    /// The area's grids (or the area itself, when it has none) projected for the heat map; nil when none has a boundary.
    static func heatDrawing(_ j: Jurisdiction, area: Area) -> AreaMap.Drawing? {
        var grids = j.subtree(of: area.code).filter { $0.level == .grid }
        if grids.isEmpty { grids = [area] }
        let boxes = grids.compactMap { $0.boundary?.bbox }
        guard let first = boxes.first else { return nil }
        return AreaMap.drawing(grids, frame: boxes.reduce(first) { $0.union($1) }, width: heatMapWidth)
    }

    /// The area's grids coloured by the measure, a hexagon heat layer of the period's reports and its latest points.
    static func heatMap(_ drawing: AreaMap.Drawing, gridCounts: [String: MeasureCounts], measure: MeasureKind,
                        points: [GeoPoint], lang: Lang) -> String {
        let options = AreaMap.Options(width: heatMapWidth, cssClass: "map heat", title: lang.pick(measure.nameZH, measure.nameEN),
                                      fill: { g in Charts.colour(gridCounts[g.code]?[measure].rate, lo: measure == .rework ? 0 : 0.85) },
                                      tooltip: { g in
                                          let m = gridCounts[g.code]?[measure] ?? Measure(numerator: 0, denominator: 0)
                                          return "\(g.name): \(Format.rate(m)) (\(m.numerator)/\(m.denominator))"
                                      }, links: { g in SitePath.dashboard.link(query: ["area": g.code]) })
        return AreaMap.svg(drawing, options) { proj in
            var bins = HexBins(radius: max(proj.width / 40, 6))
            for p in points { bins.add(x: proj.x(p), y: proj.y(p)) }
            let top = Double(max(bins.maximum, 1))
            var out = "<g class=\"hex\">"
            for b in bins.bins {
                let corners = HexBins.corners(x: b.centreX, y: b.centreY, radius: bins.radius)
                let pts = corners.map { Format.decimal($0.x, places: 1) + "," + Format.decimal($0.y, places: 1) }.joined(separator: " ")
                out += "<polygon points=\"\(pts)\" fill-opacity=\"\(Format.decimal(0.15 + 0.6 * Double(b.count) / top, places: 2))\"><title>\(b.count)</title></polygon>"
            }
            out += "</g><g class=\"pts\">"
            for p in points.suffix(400) { out += "<circle cx=\"\(Int(proj.x(p)))\" cy=\"\(Int(proj.y(p)))\" r=\"2\"/>" }
            return out + "</g><g class=\"live-pts\"></g>"
        }
    }

    /// Any table as CSV (`TableDownload`).
    static func csv(_ d: DashboardData, table: String, lang: Lang, catalogue: CategoryCatalogue) throws -> Response {
        let kinds = MeasureKind.allCases
        var lines: [[String]] = []
        let t = lang.t
        let measureHeads = kinds.flatMap { k in [lang.pick(k.nameZH, k.nameEN), t(.csvNumerator), t(.csvDenominator)] }
        func groupLines(_ groups: [DashboardData.Group]) {
            lines.append([t(.csvAreaCode), t(.csvName), t(.csvReported)] + measureHeads)
            for g in groups {
                lines.append([g.code, g.name, String(g.reported)] + kinds.flatMap { k in
                    let m = g.counts[k]
                    return [m.rate.map { String(format: "%.4f", $0) } ?? "", String(m.numerator), String(m.denominator)]
                })
            }
        }
        switch table {
        case "areas": groupLines(d.children)
        case "categories": groupLines(d.categories)
        case "departments": groupLines(d.departments)
        case "late":
            lines.append([t(.csvCaseCode), t(.csvState), t(.csvArea), t(.csvCategory), t(.csvDue), t(.csvHoursLate)])
            for l in d.late {
                lines.append([l.row.code, l.row.state, l.row.area_code, Format.category(l.row.category_code, catalogue, lang),
                              l.row.next_deadline_at.map(Format.minute) ?? "", String(Int(l.lateBy / 3600))])
            }
        case "supervisions":
            lines.append([t(.csvCaseCode), t(.csvSupervisionKind), t(.csvRaised), t(.csvState)])
            for s in d.supervisions { lines.append([s.code, s.kind, Format.minute(s.raised_at), s.state]) }
        case "coverage":
            lines.append([t(.csvAreaCode), t(.csvName), lang.pick("住户数", "households"), lang.pick("已走访", "met"), lang.pick("覆盖率", "rate")])
            for c in d.coverage {
                lines.append([c.code, c.name, String(c.households), String(c.visited),
                              Measure(numerator: c.visited, denominator: c.households).rate.map { String(format: "%.4f", $0) } ?? ""])
            }
        case "weeks":
            lines.append([t(.csvWeek), lang.pick(d.measure.nameZH, d.measure.nameEN), t(.csvNumerator), t(.csvDenominator)])
            for w in d.weeks { lines.append([w.label, w.measure.rate.map { String(format: "%.4f", $0) } ?? "", String(w.measure.numerator), String(w.measure.denominator)]) }
        default:
            throw Abort(.badRequest, reason: "export is one of areas, categories, departments, late, supervisions, weeks, coverage")
        }
        return try TableDownload.response(lines, filename: "wangge-\(table)-\(d.area.code)-\(d.from)-\(d.to)")
    }
}

/// After a start, counts the county's dashboard pieces for this month and the last twelve months once, in the
/// background, so that the first leader to open a year does not wait for a cold count of it (2.1 s on the demo
/// county's SQLite before). A request meanwhile counts what it needs itself; nothing waits for this.
public struct DashboardWarmUp: LifecycleHandler {
    public init() {}

    public func didBootAsync(_ app: Application) async throws {
        Task.detached(priority: .background) {
            do { try await Self.run(app) } catch { app.logger.debug("dashboard warm-up stopped", metadata: ["error": .string("\(error)")]) }
        }
    }

    static func run(_ app: Application) async throws {
        let now = app.wangge.clock.now()
        let ref = try await app.wangge.reference.current(on: app.db, now: now)
        let j = try await app.wangge.jurisdictions.current(on: app.db, now: now).jurisdiction
        guard let county = j.root else { return }
        let today = ref.calendar.civilDate(of: now)
        let end = ref.calendar.start(of: today.adding(days: 1))
        for from in [CivilDate(year: today.year, month: today.month, day: 1)!, today.adding(days: -365)] {
            let period = DateInterval(start: ref.calendar.start(of: from), end: end)
            let scope = MeasureScope(path: j.path(of: county.code), period: period, asOf: min(now, period.end), context: ref.measureContext)
            _ = try await scope.pieces(weeks: MeasureScope.trendWeeks(of: period, timeZone: ref.calendar.timeZone), cache: app.wangge.pieces, on: app.db)
        }
    }
}
