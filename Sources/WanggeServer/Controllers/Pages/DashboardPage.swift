import Vapor
import WanggeCore
import WanggeStore

/// The numbers behind the dashboard, counted from the measure index.
struct DashboardData {
    struct Group { var code: String; var name: String; var counts: MeasureCounts; var reported: Int }
    var area: Area
    var trail: [Area]
    var from: String
    var to: String
    var measure: MeasureKind
    var total: MeasureCounts
    var reported: Int
    var children: [Group]
    var categories: [Group]
    var departments: [Group]
    var weeks: [(label: String, measure: Measure)]
    var late: [(row: CaseIndexRow, lateBy: TimeInterval)]
    var supervisions: [OpenSupervision]
    var mapSVG: String
    /// Every case in the area, as the index holds it.
    var entries: [MeasureIndex.Entry]
}

enum DashboardPage {
    /// `GET /dashboard?area=&from=&to=&m=&export=`: DESIGN §5 measures for an area in scope and a period.
    static func show(_ req: Request) async throws -> Response {
        if let redirect = try SessionPages.requireStaff(req) { return redirect }
        let staff = try req.requireStaff()
        let lang = Lang.of(req)
        let data = try await build(req, staff: staff, lang: lang)
        if let export = req.query[String.self, at: "export"] { return try csv(data, table: export, lang: lang, catalogue: try await req.reference().catalogue) }
        return SessionPages.html(DashboardView.render(data, SessionPages.context(req), query: req.url.query ?? ""))
    }

    /// `full: false` counts only the totals and the late list (the big screen shows no tables, trend or heat map).
    static func build(_ req: Request, staff: StaffAccount, lang: Lang, full: Bool = true) async throws -> DashboardData {
        let j = try await req.jurisdiction()
        let ref = try await req.reference()
        let code = req.query[String.self, at: "area"].flatMap { $0.isEmpty ? nil : $0 } ?? staff.scope.areaCode
        guard let area = j[code], staff.scope.covers(code, in: j) else { throw Abort(.notFound, reason: "no area \(code) in your scope") }
        let now = req.now
        let today = ref.calendar.civilDate(of: now)
        let monthStart = CivilDate(year: today.year, month: today.month, day: 1)!
        let from = try civil(req, "from") ?? monthStart
        let to = try civil(req, "to") ?? today
        guard from <= to else { throw Abort(.badRequest, reason: lang == .zh ? "开始日期不能晚于结束日期" : "from must not be after to") }
        let period = DateInterval(start: ref.calendar.start(of: from), end: ref.calendar.start(of: to.adding(days: 1)))
        let asOf = min(now, period.end)
        let measure = req.query[String.self, at: "m"].flatMap(MeasureKind.init(rawValue:)) ?? .onTimeClosure

        let all = try await req.wangge.measureIndex.all(on: req.db, calendar: ref.calendar)
        let path = j.path(of: area.code)
        let entries = all.filter { $0.row.area_path.hasPrefix(path) }
        let fresh = try await MeasureIndex.outcomes(entries, asOf: asOf, on: req.db, calendar: ref.calendar)
        func outcomes(_ e: MeasureIndex.Entry) -> [MeasureOutcome] { fresh[e.row.id] ?? e.outcomes }
        let reportedInPeriod = entries.filter { $0.row.reported_at >= period.start && $0.row.reported_at < period.end }

        // Which child of the area each area below it belongs to: one walk of the tree, then a lookup per case.
        var childOf: [String: String] = [:]
        for c in j.children(of: area.code) { for a in j.subtree(of: c.code) { childOf[a.code] = c.code } }
        func child(_ e: MeasureIndex.Entry) -> String? { childOf[e.row.area_code] }
        // Each case is counted once for the period; the groupings below only add those counts up.
        let counted = entries.map { ($0, MeasureBreakdown.counts(outcomes($0), period: period, asOf: asOf)) }
        func groups(_ key: (MeasureIndex.Entry) -> String?, name: (String) -> String) -> [DashboardData.Group] {
            let counts = MeasureBreakdown.sum(counted, group: key)
            var reported: [String: Int] = [:]
            for e in reportedInPeriod { if let k = key(e) { reported[k, default: 0] += 1 } }
            return Set(counts.keys).union(reported.keys).map { k in
                DashboardData.Group(code: k, name: name(k), counts: counts[k] ?? MeasureCounts(), reported: reported[k] ?? 0)
            }
        }
        let total = MeasureBreakdown.sum(counted, group: { _ in "" })[""] ?? MeasureCounts()
        let children = !full ? [] : groups(child) { j[$0]?.name ?? $0 }.sorted { $0.code < $1.code }
        let categories = !full ? [] : groups({ String($0.row.category_code.prefix(2)) }) { c in
            ref.catalogue.majors.first { $0.code == c }.map { lang == .zh ? $0.name : $0.nameEN } ?? c
        }.sorted { $0.reported > $1.reported }
        let departments = !full ? [] : groups({ $0.row.department_code }) { ref.departmentsByCode[$0]?.name ?? $0 }
            .sorted { ($0.counts[.onTimeClosure].rate ?? 2, -$0.counts[.onTimeClosure].denominator) < ($1.counts[.onTimeClosure].rate ?? 2, -$1.counts[.onTimeClosure].denominator) }
        let weekPeriods = MeasureBreakdown.weeks(from: period.duration < 28 * 86_400 ? period.end.addingTimeInterval(-84 * 86_400) : period.start,
                                                 to: period.end, timeZone: ref.calendar.timeZone)
        let series = !full ? [] : MeasureBreakdown.series(entries, outcomes: outcomes, periods: weekPeriods, asOf: asOf)
        let weeks = zip(weekPeriods, series).map { (Format.day($0.start).dropFirst(5).description, $1[measure]) }
        let late = entries.filter { $0.row.caseState.isOpen && !$0.row.suspended && ($0.row.next_deadline_at.map { $0 < now } ?? false) }
            .map { ($0.row, now.timeIntervalSince($0.row.next_deadline_at!)) }.sorted { $0.1 > $1.1 }
        let supervisions = !full ? [] : try await CaseIndexQueries.openSupervisions(scopePath: path, limit: 50, on: req.db)
        let gridCounts = !full ? [:] : MeasureBreakdown.sum(counted, group: { $0.row.area_code })
        let points = !full ? [] : reportedInPeriod.compactMap(\.row.point)
        let map = !full ? "" : heatMap(j, area: area, gridCounts: gridCounts, measure: measure, points: points, lang: lang)
        return DashboardData(area: area, trail: j.chain(from: area.code).reversed().filter { staff.scope.covers($0.code, in: j) },
                             from: from.description, to: to.description, measure: measure, total: total,
                             reported: reportedInPeriod.count, children: children, categories: categories,
                             departments: departments, weeks: weeks, late: Array(late.prefix(200)), supervisions: supervisions, mapSVG: map,
                             entries: entries)
    }

    static func civil(_ req: Request, _ name: String) throws -> CivilDate? {
        guard let text = req.query[String.self, at: name], !text.isEmpty else { return nil }
        guard let d = CivilDate(text) else { throw Abort(.badRequest, reason: "\(name) must be a date like 2026-11-01") }
        return d
    }

    /// The area's grids coloured by the measure, a hexagon heat layer of the period's reports and its latest points.
    static func heatMap(_ j: Jurisdiction, area: Area, gridCounts: [String: MeasureCounts], measure: MeasureKind,
                        points: [GeoPoint], lang: Lang) -> String {
        var grids = j.subtree(of: area.code).filter { $0.level == .grid }
        if grids.isEmpty { grids = [area] }
        let boxes = grids.compactMap { $0.boundary?.bbox }
        guard let first = boxes.first else { return "" }
        let frame = boxes.reduce(first) { $0.union($1) }
        let options = AreaMap.Options(width: 800, cssClass: "map heat", title: lang == .zh ? measure.nameZH : measure.nameEN,
                                      fill: { g in Charts.colour(gridCounts[g.code]?[measure].rate, lo: measure == .rework ? 0 : 0.85) },
                                      tooltip: { g in
                                          let m = gridCounts[g.code]?[measure] ?? Measure(numerator: 0, denominator: 0)
                                          return "\(g.name): \(Format.rate(m)) (\(m.numerator)/\(m.denominator))"
                                      }, links: { g in "/dashboard?area=\(g.code)" })
        return AreaMap.svg(grids, frame: frame, options) { proj in
            var bins = HexBins(radius: max(proj.width / 40, 6))
            for p in points { bins.add(x: proj.x(p), y: proj.y(p)) }
            let top = Double(max(bins.maximum, 1))
            var out = "<g class=\"hex\">"
            for b in bins.bins {
                let corners = HexBins.corners(x: b.centreX, y: b.centreY, radius: bins.radius)
                let pts = corners.map { String(format: "%.1f,%.1f", $0.x, $0.y) }.joined(separator: " ")
                out += "<polygon points=\"\(pts)\" fill-opacity=\"\(String(format: "%.2f", 0.15 + 0.6 * Double(b.count) / top))\"><title>\(b.count)</title></polygon>"
            }
            out += "</g><g class=\"pts\">"
            for p in points.suffix(400) { out += "<circle cx=\"\(Int(proj.x(p)))\" cy=\"\(Int(proj.y(p)))\" r=\"2\"/>" }
            return out + "</g><g class=\"live-pts\"></g>"
        }
    }

    /// Any table as CSV, UTF-8 with a byte-order mark so Excel reads the Chinese.
    static func csv(_ d: DashboardData, table: String, lang: Lang, catalogue: CategoryCatalogue) throws -> Response {
        let kinds = MeasureKind.allCases
        func esc(_ s: String) -> String { s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var lines: [[String]] = []
        let measureHeads = kinds.flatMap { k in [lang == .zh ? k.nameZH : k.nameEN, (lang == .zh ? "分子" : "numerator"), (lang == .zh ? "分母" : "denominator")] }
        func groupLines(_ groups: [DashboardData.Group]) {
            lines.append([lang == .zh ? "编码" : "code", lang == .zh ? "名称" : "name", lang == .zh ? "上报件数" : "reported"] + measureHeads)
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
            lines.append([lang == .zh ? "编号" : "code", lang == .zh ? "状态" : "state", lang == .zh ? "区域" : "area",
                          lang == .zh ? "类别" : "category", lang == .zh ? "期限" : "due", lang == .zh ? "超期小时" : "hours late"])
            for l in d.late {
                lines.append([l.row.code, l.row.state, l.row.area_code, Format.category(l.row.category_code, catalogue, lang),
                              l.row.next_deadline_at.map(Format.minute) ?? "", String(Int(l.lateBy / 3600))])
            }
        case "supervisions":
            lines.append([lang == .zh ? "编号" : "code", lang == .zh ? "督办类型" : "kind", lang == .zh ? "督办时间" : "raised", lang == .zh ? "状态" : "state"])
            for s in d.supervisions { lines.append([s.code, s.kind, Format.minute(s.raised_at), s.state]) }
        case "weeks":
            lines.append([lang == .zh ? "周" : "week", lang == .zh ? d.measure.nameZH : d.measure.nameEN, lang == .zh ? "分子" : "numerator", lang == .zh ? "分母" : "denominator"])
            for w in d.weeks { lines.append([w.label, w.measure.rate.map { String(format: "%.4f", $0) } ?? "", String(w.measure.numerator), String(w.measure.denominator)]) }
        default:
            throw Abort(.badRequest, reason: "export is one of areas, categories, departments, late, supervisions, weeks")
        }
        let body = "\u{FEFF}" + lines.map { $0.map(esc).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        let r = Response(status: .ok, body: .init(string: body))
        r.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        r.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"wangge-\(table)-\(d.area.code)-\(d.from)-\(d.to).csv\"")
        return r
    }
}
