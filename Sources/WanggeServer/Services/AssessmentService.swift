import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The monthly assessment (考核, issue 20) counted from stored facts: the case measures of the month by grid or by
/// department (`MeasureQueries.counts`, the same facts as the dashboards); household visit coverage of the quarter up
/// to the month's end by grid (`VisitQueries.coverage`) against the quarter's target pro rata
/// (`VisitCoverage.assessed`); hazards rectified on time, the on-time closure of the cases inspections raised
/// (`MeasureQueries.counts(ofCases:)`); recurrence, the month's closed cases whose problem was reported again nearby
/// within 30 days (`Recurrence.byGrid`). Summed up the tree for villages and townships (and over a worker's grids)
/// and computed by the core (`Assessment.compute`) with the formula in force. Computed when asked, never stored (an
/// ended month's table is kept five minutes), so a changed formula shows at once.
struct AssessmentService: Sendable {
    let app: Application

    static let formulas = VersionedFormula<AssessmentFormula>(table: .assessment, standard: .standard) { $0.version = $1 }

    static func areaLevel(_ l: AssessmentLevel) -> AreaLevel? {
        switch l {
        case .grid: .grid
        case .village: .village
        case .township: .township
        case .department, .worker: nil
        }
    }

    struct Subject: Sendable {
        var code: String
        var name: String
    }

    /// Every subject of `level` in the area (the area's own subtree), scored or, with too little behind it, left out
    /// and named.
    /// An ended month's table is kept for five minutes (a league table on the dashboard is opened many times a day;
    /// a fact that still changes in an ended month shows within five minutes; a new formula version at once).
    func compute(level: AssessmentLevel, area: String, month: SafetyIndexMonth, formula: AssessmentFormula, version: Int, j: Jurisdiction,
                 reference: ReferenceCache.Data, asOf: Date, ended: Bool) async throws -> (scored: [(Subject, AssessmentResult)], unscored: [Subject]) {
        let key = "\(level.rawValue)|\(area)|\(month)|\(version)"
        if ended, let kept = await app.wangge.assessmentTables.get(key, at: asOf) { return kept }
        let out = try await compute(level: level, area: area, month: month, formula: formula, j: j, reference: reference, asOf: asOf)
        if ended { await app.wangge.assessmentTables.put(key, out, at: asOf) }
        return out
    }

    typealias Computed = (scored: [(Subject, AssessmentResult)], unscored: [Subject])

    func compute(level: AssessmentLevel, area: String, month: SafetyIndexMonth, formula: AssessmentFormula, j: Jurisdiction,
                 reference: ReferenceCache.Data, asOf: Date) async throws -> (scored: [(Subject, AssessmentResult)], unscored: [Subject]) {
        let db = app.db, calendar = reference.calendar
        let scope = j.path(of: area)
        let period = DateInterval(start: calendar.start(of: month.firstDay), end: min(calendar.start(of: month.dayAfter), max(asOf, calendar.start(of: month.firstDay))))
        var values: [String: [AssessmentMeasure: Measure]] = [:]
        var subjects: [Subject] = []
        func add(_ code: String, _ kind: AssessmentMeasure, _ m: Measure) {
            let was = values[code]?[kind] ?? Measure(numerator: 0, denominator: 0)
            values[code, default: [:]][kind] = Measure(numerator: Fen.saturatingAdd(was.numerator, m.numerator),
                                                       denominator: Fen.saturatingAdd(was.denominator, m.denominator))
        }
        let caseKinds: [(AssessmentMeasure, MeasureKind)] = [(.onTimeClosure, .onTimeClosure), (.effectiveCompletion, .effectiveCompletion),
                                                              (.satisfaction, .satisfaction), (.rework, .rework)]
        // A grid worker is scored by the outcomes of the grids in their charge (their area's grids): the grids are
        // counted first, then summed for each worker.
        if let areaLevel = Self.areaLevel(level) ?? (level == .worker ? .grid : nil) {
            subjects = j.areas.filter { $0.level == areaLevel && j.path(of: $0.code).hasPrefix(scope) }.sorted { $0.code < $1.code }
                .map { Subject(code: $0.code, name: $0.name) }
            let wanted = Set(subjects.map(\.code))
            func holders(_ grid: String) -> [String] { j.chain(from: grid).map(\.code).filter { wanted.contains($0) } }
            let counts = try await MeasureQueries.counts(scopePath: scope, period: period, asOf: asOf, by: .area, context: reference.measureContext, on: db)
            for (grid, c) in counts {
                for s in holders(grid) { for (a, k) in caseKinds { add(s, a, c[k]) } }
            }
            // Hazards rectified on time: the on-time closure of the cases inspections raised (in the half year
            // before the month's end: a hazard found earlier is long due), due in the month.
            let raised = try await InspectionQueries.raisedCases(scopePath: scope, from: period.start.addingTimeInterval(-183 * 86_400), to: period.end, on: db)
            if !raised.isEmpty {
                let rectified = try await MeasureQueries.counts(ofCases: raised, scopePath: scope, period: period, asOf: asOf, by: .area, on: db)
                for (grid, c) in rectified { for s in holders(grid) { add(s, .inspectionsRectified, c[.onTimeClosure]) } }
            }
            // The same problem coming back: the month's closed cases, and the reports up to 30 days after the month.
            let closed = try await CaseQueries.closed(scopePath: scope, from: period.start, to: period.end, on: db)
            if !closed.isEmpty {
                let later = try await CaseQueries.reports(scopePath: scope, after: period.start, upTo: min(asOf, period.end.addingTimeInterval(Recurrence.window)),
                                                          categories: Set(closed.map(\.categoryCode)), on: db)
                for (grid, m) in Recurrence.byGrid(closed: closed, later: later, asOf: asOf) { for s in holders(grid) { add(s, .recurrence, m) } }
            }
            // Visit coverage of each grid's target period up to the month's end, against the target pro rata.
            let now = max(calendar.civilDate(of: asOf).adding(days: 1), month.firstDay)
            for c in try await FieldAPI.coverageByTarget(under: area, day: month.firstDay, j: j, targets: app.wangge.fieldCatalogue.visitTargets,
                                                         until: { _, next in min(month.dayAfter, next, now) }, on: db) {
                let m = VisitCoverage.assessed(households: c.grid.households, visited: c.grid.visited, elapsed: c.until.dayNumber - c.first.dayNumber,
                                               length: c.next.dayNumber - c.first.dayNumber)
                for s in holders(c.grid.gridCode) { add(s, .visitCoverage, m) }
            }
            if level == .worker {
                let grids = values
                values = [:]
                let workers = try await AccountQueries.withRole(.gridWorker, on: db)
                    .filter { j[$0.scope.areaCode] != nil && j.path(of: $0.scope.areaCode).hasPrefix(scope) }
                    .sorted { $0.username < $1.username }
                let byArea = Dictionary(grouping: workers, by: \.scope.areaCode)
                for (grid, measures) in grids {
                    for area in j.chain(from: grid) {
                        for w in byArea[area.code] ?? [] { for (kind, m) in measures { add(w.username, kind, m) } }
                    }
                }
                subjects = workers.map { Subject(code: $0.username, name: $0.displayName) }
            }
        } else if level == .department {
            let departments = reference.departments.filter { j[$0.areaCode] != nil && j.path(of: $0.areaCode).hasPrefix(scope) }.sorted { $0.code < $1.code }
            subjects = departments.map { Subject(code: $0.code, name: $0.name) }
            let counts = try await MeasureQueries.counts(scopePath: j.root.map { j.path(of: $0.code) } ?? scope, period: period, asOf: asOf,
                                                         by: .department, context: reference.measureContext, on: db)
            for d in subjects { if let c = counts[d.code] { for (a, k) in caseKinds { add(d.code, a, c[k]) } } }
        }
        var scored: [(Subject, AssessmentResult)] = [], unscored: [Subject] = []
        for s in subjects {
            do {
                scored.append((s, try Assessment.compute(subject: s.code, month: month.description, values: values[s.code] ?? [:], formula: formula)))
            } catch .nothingToScore {
                unscored.append(s)
            } catch {
                throw APIError.badRequest("\(error)", field: "formula")
            }
        }
        scored.sort { ($0.1.scoreHundredths, $1.0.code) > ($1.1.scoreHundredths, $0.0.code) }
        return (scored, unscored)
    }
}
