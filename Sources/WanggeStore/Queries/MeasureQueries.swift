import Fluent
import Foundation
import SQLKit
import WanggeCore

/// What the measure facts of a case need besides its history: the working calendar (deadlines) and which 大类 a
/// category belongs to (the dashboards group by it).
public struct MeasureFactContext: Sendable {
    public var calendar: WorkingCalendar
    public var catalogue: CategoryCatalogue

    public init(calendar: WorkingCalendar, catalogue: CategoryCatalogue) {
        self.calendar = calendar
        self.catalogue = catalogue
    }
}

/// The measures counted from `case_outcomes` (`MeasureFact`) with SQL. Each count is exactly what the replay of the
/// histories up to `asOf` gives (`Measures.compute`), for any `asOf`: the table keeps every version of a case's
/// facts with when it was valid (`MeasureFact.versions`: from `case_updated_at`, until `replaced_at`), so the facts
/// as known at `asOf` are a filter, `ready_at <= asOf AND replaced_at > asOf`. (A version still valid has
/// `replaced_at` = `forever`, not NULL: SQLite, with no statistics of values, takes `IS NULL` for an equality and
/// would lead every count with the index on `replaced_at`; a range it leaves to the index on `at`.)
public enum MeasureQueries {
    static let schema = "case_outcomes"

    struct Row: Encodable {
        var case_id: UUID, ordinal: Int, kind: String, at: Date, success: Bool, known_from: Date?, strict: Bool
        var last_only: Bool, superseded_at: Date?, area_path: String, area_code: String, major_category: String
        var department_code: String?, case_updated_at: Date, ready_at: Date, counts_until: Date
        var month_start: Date, township_path: String, settled: Bool
        /// When this version of the fact stopped being among the case's facts (`forever`: it still is).
        var replaced_at: Date
        /// The start of the day of `at`, in the calendar's zone: the daily rollup's day.
        var day_start: Date
    }

    /// An area path cut to its first two levels (the county and its child: a township): the rollup's area.
    static func townshipPath(_ areaPath: String) -> String {
        areaPath.split(separator: "/", omittingEmptySubsequences: true).prefix(2).map { $0 + "/" }.joined()
    }

    /// `counts_until` of a fact that counts in any period holding it.
    static let forever = Date(timeIntervalSince1970: 253_402_300_799)  // 9999-12-31T23:59:59Z
    /// A strict `known_from` is known only after that instant: one microsecond after, which both databases keep.
    static let strictly: TimeInterval = 0.000_001

    /// The rows of a case's fact versions (`MeasureFact.versions`). Where the case stands (grid, 大类, department)
    /// is the snapshot's, on every version: the counts group a case by where it stands now, at any instant.
    static func rows(caseID: UUID, versions: [MeasureFactVersion], snapshot s: CaseSnapshot, areaPath: String,
                     categoryCode: String, context: MeasureFactContext) -> [Row] {
        let major = context.catalogue.majorCode(of: categoryCode)
        let township = townshipPath(areaPath)
        return versions.enumerated().map { i, v in
            let f = v.fact
            // Counted from when it is both valid and known.
            let ready = max(f.outcome.knownFrom.map { f.outcome.strict ? $0.addingTimeInterval(strictly) : $0 } ?? .distantPast, v.validFrom)
            let until = f.outcome.lastInPeriodOnly ? f.supersededAt ?? forever : forever
            let month = MeasureFact.month(of: f.outcome.at, calendar: context.calendar)
            return Row(case_id: caseID, ordinal: i, kind: f.outcome.kind.rawValue, at: f.outcome.at, success: f.outcome.success,
                known_from: f.outcome.knownFrom, strict: f.outcome.strict, last_only: f.outcome.lastInPeriodOnly,
                superseded_at: f.supersededAt, area_path: areaPath, area_code: s.areaCode, major_category: major,
                department_code: s.departmentCode, case_updated_at: v.validFrom,
                ready_at: ready, counts_until: until, month_start: month.start, township_path: township,
                // Needs no scan for a period holding its whole month, as of that month's end or later: it counts
                // in every such period (never replaced: it is in the rollup), or in none (replaced by then).
                settled: ready <= month.end && until == forever && v.replacedAt == nil || v.replacedAt.map { $0 <= month.end } == true,
                replaced_at: v.replacedAt ?? forever,
                day_start: context.calendar.start(of: context.calendar.civilDate(of: f.outcome.at)))
        }
    }

    /// Rewrites one case's facts from its whole history, inside the caller's transaction (a case's area is fixed
    /// at intake; its category and department may change).
    static func replace(caseID: UUID, history: CaseHistory, snapshot: CaseSnapshot, areaPath: String, categoryCode: String, context: MeasureFactContext, on sql: any SQLDatabase) async throws {
        // The rollup loses the case's facts it held (settled, never replaced) and gains its new ones.
        let old = try await sql.select().column("month_start").column("township_path").column("kind").column("success").column("settled").column("replaced_at")
            .column("day_start")
            .from(schema).where("case_id", .equal, caseID).all()
            .map { (key: RollupKey(month_start: try $0.decode(column: "month_start", as: Date.self), township_path: try $0.decode(column: "township_path", as: String.self),
                                   kind: try $0.decode(column: "kind", as: String.self), success: try $0.decode(column: "success", as: Bool.self)),
                    rolled: try $0.decode(column: "settled", as: Bool.self) && (try $0.decode(column: "replaced_at", as: Date?.self) ?? forever) >= forever,
                    day: try $0.decode(column: "day_start", as: Date?.self)) }
        try await sql.delete(from: schema).where("case_id", .equal, caseID).run()
        let versions = MeasureFact.versions(of: history, calendar: context.calendar)
        let new = rows(caseID: caseID, versions: versions, snapshot: snapshot, areaPath: areaPath, categoryCode: categoryCode, context: context)
        try await insert(new, on: sql)
        var delta: [RollupKey: Int] = [:]
        var days: [RollupKey: Int] = [:]
        for o in old where o.rolled {
            delta[o.key, default: 0] -= 1
            if let day = o.day { days[RollupKey(month_start: day, township_path: o.key.township_path, kind: o.key.kind, success: o.key.success), default: 0] -= 1 }
        }
        for r in new where r.settled && r.replaced_at >= forever {
            delta[RollupKey(month_start: r.month_start, township_path: r.township_path, kind: r.kind, success: r.success), default: 0] += 1
            days[RollupKey(month_start: r.day_start, township_path: r.township_path, kind: r.kind, success: r.success), default: 0] += 1
        }
        // The same facts by day (the key's "month" is the day's start).
        for (k, n) in days where n != 0 {
            try await sql.raw("""
                INSERT INTO outcome_days (day_start, township_path, kind, success, n) \
                VALUES (\(bind: k.month_start), \(bind: k.township_path), \(bind: k.kind), \(bind: k.success), \(bind: n)) \
                ON CONFLICT (day_start, township_path, kind, success) DO UPDATE SET n = outcome_days.n + excluded.n
                """).run()
        }
        for (k, n) in delta where n != 0 {
            try await sql.raw("""
                INSERT INTO outcome_months (month_start, township_path, kind, success, n) \
                VALUES (\(bind: k.month_start), \(bind: k.township_path), \(bind: k.kind), \(bind: k.success), \(bind: n)) \
                ON CONFLICT (month_start, township_path, kind, success) DO UPDATE SET n = outcome_months.n + excluded.n
                """).run()
        }
        // Every month and township whose facts or reported cases this write touched: caches of them are stale.
        let reportedMonth = MeasureFact.month(of: snapshot.reportedAt, calendar: context.calendar).start
        var touched: Set<MonthKey> = [MonthKey(monthStart: reportedMonth, townshipPath: townshipPath(areaPath))]
        for o in old { touched.insert(MonthKey(monthStart: o.key.month_start, townshipPath: o.key.township_path)) }
        for r in new { touched.insert(MonthKey(monthStart: r.month_start, townshipPath: r.township_path)) }
        for k in touched { try await bump(k, on: sql) }
    }

    struct RollupKey: Hashable { var month_start: Date, township_path: String, kind: String, success: Bool }

    /// Counts the rollup afresh from the settled facts; every cache of months' counts is then stale.
    static func rebuildRollup(on sql: any SQLDatabase) async throws {
        try await bump(MonthKey(monthStart: Date(timeIntervalSince1970: 0), townshipPath: MonthKey.everything), on: sql)
        try await sql.delete(from: "outcome_months").run()
        try await sql.raw("""
            INSERT INTO outcome_months (month_start, township_path, kind, success, n) \
            SELECT month_start, township_path, kind, success, COUNT(*) FROM case_outcomes WHERE settled = \(bind: true) AND replaced_at >= \(bind: forever) \
            GROUP BY month_start, township_path, kind, success
            """).run()
        try await sql.delete(from: "outcome_days").run()
        try await sql.raw("""
            INSERT INTO outcome_days (day_start, township_path, kind, success, n) \
            SELECT day_start, township_path, kind, success, COUNT(*) FROM case_outcomes WHERE settled = \(bind: true) AND replaced_at >= \(bind: forever) \
            GROUP BY day_start, township_path, kind, success
            """).run()
    }

    static func insert(_ rows: [Row], on sql: any SQLDatabase) async throws {
        for chunk in rows.chunked(by: 500) where !chunk.isEmpty {
            try await sql.insert(into: schema).models(Array(chunk), nilEncodingStrategy: .asNil).run()
        }
    }

    static let marker = "case_outcomes"

    /// Writes the facts of every case once, for a database made before they were kept; `progress` hears how many
    /// cases are done. Does nothing when they are there already.
    public static func backfill(context: MeasureFactContext, on db: any Database,
                                progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        if try await sql.select().column("name").from("store_markers").where("name", .equal, marker).first() != nil { return 0 }
        return try await rebuild(context: context, on: db, progress: progress)
    }

    /// Rewrites the facts of every case and the clock thresholds on its row (after the working calendar changed,
    /// say), in one transaction.
    @discardableResult
    public static func rebuild(context: MeasureFactContext, on db: any Database,
                               progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            try await sql.delete(from: schema).run()
            let ids = try await sql.select().column("id").from(CaseModel.schema).all().map { try $0.decode(column: "id", as: UUID.self) }
            var done = 0
            for chunk in ids.chunked(by: 500) {
                let histories = try await CaseIndexQueries.histories(ids: Array(chunk), on: db)
                let cases = try await CaseModel.query(on: db).filter(\.$id ~~ Array(chunk)).all()
                var rows: [Row] = []
                for m in cases {
                    let id = try m.requireID()
                    guard let h = histories[id] else { continue }
                    let s = try CaseQueries.stored(m).snapshot
                    // The clock thresholds on the row move with the calendar too.
                    let (yellow, due, paused) = (m.clockYellowAt, m.clockDueAt, m.clockPausedColour)
                    try CaseQueries.fill(m, from: s, calendar: context.calendar)
                    if m.clockYellowAt != yellow || m.clockDueAt != due || m.clockPausedColour != paused { try await m.update(on: db) }
                    rows += Self.rows(caseID: id, versions: MeasureFact.versions(of: h, calendar: context.calendar), snapshot: s,
                                      areaPath: m.areaPath, categoryCode: m.categoryCode, context: context)
                }
                try await insert(rows, on: sql)
                done += chunk.count
                progress(done, ids.count)
            }
            try await rebuildRollup(on: sql)
            try await sql.delete(from: "store_markers").where("name", .equal, marker).run()
            try await sql.insert(into: "store_markers").columns("name", "at").values(SQLBind(marker), SQLBind(Date())).run()
            return ids.count
        }
    }

    /// How the counts are grouped.
    public enum Grouping: Sendable {
        /// One total, under the key "".
        case total
        /// By the case's grid (its area code).
        case area
        /// By the case's 大类.
        case majorCategory
        /// By the case's department (cases without one are left out).
        case department
        /// By consecutive periods (weeks), keyed "0", "1", …; the period passed to `counts` is ignored.
        case periods([DateInterval])
    }

    /// The measure counts of the cases under `scopePath` for a period as of `asOf`, grouped. `counted` names
    /// consecutive pieces of the period whose lasting facts the caller has counted already (`PieceCounts`, each
    /// as of its `knownBy`, no later than `asOf`): those are left out here, and only the rest is counted.
    public static func counts(scopePath: String, period: DateInterval, asOf: Date, by grouping: Grouping,
                              counted: [CountedPiece] = [], context: MeasureFactContext, on db: any Database) async throws -> [String: MeasureCounts] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        let periods: [DateInterval]
        if case .periods(let p) = grouping { periods = p } else { periods = [period] }
        guard let first = periods.first, let last = periods.last else { return [:] }
        var out: [String: MeasureCounts] = [:]
        var scans: [Scan] = [Scan(from: first.start, to: last.end, facts: .all)]
        if let c1 = counted.first, let ck = counted.last {
            scans = [Scan(from: first.start, to: c1.interval.start, facts: .all), Scan(from: ck.interval.end, to: last.end, facts: .all)]
                .filter { $0.from < $0.to } + [Scan(from: c1.interval.start, to: ck.interval.end, facts: .notCounted(counted))]
        } else if case .total = grouping, scopePath.split(separator: "/").count <= 2 {
            // For a total over a county or its children, in the months that ended by `asOf`: the settled facts of
            // whole months come from the monthly rollup, those of whole days of a month the period holds in part
            // from the daily one (the same facts, by day); only their unsettled facts and partial days are scanned,
            // and the months not ended are scanned whole.
            let cal = context.calendar
            func dayStart(onOrAfter t: Date) -> Date {
                let d = cal.start(of: cal.civilDate(of: t))
                return d < t ? cal.start(of: cal.civilDate(of: t).adding(days: 1)) : d
            }
            var parts: [Scan] = []
            var months: [DateInterval] = [], days: [DateInterval] = []
            var t = period.start
            while t < period.end {
                let m = MeasureFact.month(of: t, calendar: cal)
                let end = min(m.end, period.end)
                if m.end > asOf {
                    parts.append(Scan(from: t, to: end, facts: .all))
                } else if t == m.start && end == m.end {
                    months.append(m)
                    parts.append(Scan(from: t, to: end, facts: .unsettled))
                } else {
                    let d0 = dayStart(onOrAfter: t)
                    let dk = cal.start(of: cal.civilDate(of: end)) < end ? cal.start(of: cal.civilDate(of: end)) : end
                    if d0 < dk {
                        days.append(DateInterval(start: d0, end: dk))
                        parts += [Scan(from: t, to: d0, facts: .all), Scan(from: d0, to: dk, facts: .unsettled), Scan(from: dk, to: end, facts: .all)]
                    } else {
                        parts.append(Scan(from: t, to: end, facts: .all))
                    }
                }
                t = end
            }
            // Neighbouring scans of the same facts are one statement.
            scans = []
            for p in parts where p.from < p.to {
                if let l = scans.last, l.to == p.from, l.facts.isSame(as: p.facts) { scans[scans.count - 1].to = p.to } else { scans.append(p) }
            }
            var rolled: [(table: String, column: String, from: Date, to: Date)] = []
            if let m1 = months.first, let mk = months.last { rolled.append(("outcome_months", "month_start", m1.start, mk.end)) }
            for d in days { rolled.append(("outcome_days", "day_start", d.start, d.end)) }
            for r in rolled {
                var q = SQLQueryString("SELECT kind, success, CAST(SUM(n) AS BIGINT) AS n FROM \(unsafeRaw: r.table) WHERE ")
                q.appendInterpolation(LikePattern.startsWith(SQLColumn("township_path"), scopePath))
                q.appendLiteral(" AND \(r.column) >= "); q.appendInterpolation(bind: r.from)
                q.appendLiteral(" AND \(r.column) < "); q.appendInterpolation(bind: r.to)
                q.appendLiteral(" GROUP BY kind, success")
                for row in try await sql.raw(q).all() {
                    guard let kind = MeasureKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
                    out["", default: MeasureCounts()].count(kind, try row.decode(column: "success", as: Bool.self),
                                                            times: try row.decode(column: "n", as: Int.self))
                }
            }
        }
        for scan in scans {
            try await count(scan, scopePath: scopePath, periods: periods, asOf: asOf, grouping: grouping, into: &out, on: sql)
        }
        return out
    }

    /// A stretch of time whose facts one SQL statement counts, and which of them.
    struct Scan {
        enum Facts {
            /// Every fact.
            case all
            /// Only those the monthly rollup leaves out and that may count as of their month's end or later.
            case unsettled
            /// Only those the caller's counted pieces leave out: facts that may stop counting, facts known after
            /// their piece was counted, and versions replaced since.
            case notCounted([CountedPiece])
            /// Only the lasting facts of one piece known by an instant and never replaced (what `PieceCounts` holds).
            case lasting(knownBy: Date)

            /// Whether two neighbouring scans of these facts can be one.
            func isSame(as other: Facts) -> Bool {
                switch (self, other) {
                case (.all, .all), (.unsettled, .unsettled): true
                default: false
                }
            }
        }
        var from: Date
        var to: Date
        var facts: Facts
    }

    /// Adds the counts of one scan's facts that count in `periods` as of `asOf`, grouped, to `out`.
    /// The counts of the named cases only (the hazard cases inspections raised, for the assessment), by the same
    /// rules as `counts`: every fact scanned, many cases to a statement.
    public static func counts(ofCases ids: [UUID], scopePath: String, period: DateInterval, asOf: Date, by grouping: Grouping,
                              on db: any Database) async throws -> [String: MeasureCounts] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        var out: [String: MeasureCounts] = [:]
        for chunk in Array(Set(ids)).sorted(by: { $0.uuidString < $1.uuidString }).chunked(by: 400) {
            try await count(Scan(from: period.start, to: period.end, facts: .all), scopePath: scopePath, periods: [period], asOf: asOf,
                            grouping: grouping, cases: Array(chunk), into: &out, on: sql)
        }
        return out
    }

    static func count(_ scan: Scan, scopePath: String, periods: [DateInterval], asOf: Date, grouping: Grouping, cases: [UUID]? = nil,
                      into out: inout [String: MeasureCounts], on sql: any SQLDatabase) async throws {
        guard let first = periods.first else { return }
        var q = SQLQueryString("SELECT ")
        switch grouping {
        case .total: q.appendLiteral("'' AS g")
        case .area: q.appendLiteral("area_code AS g")
        case .majorCategory: q.appendLiteral("major_category AS g")
        case .department: q.appendLiteral("department_code AS g")
        case .periods(let p):
            q.appendLiteral("CASE")
            for (i, w) in p.enumerated() { q.appendLiteral(" WHEN at < "); q.appendInterpolation(bind: w.end); q.appendLiteral(" THEN '\(i)'") }
            q.appendLiteral(" END AS g")
        }
        q.appendLiteral(", kind, success, COUNT(*) AS n FROM case_outcomes WHERE ")
        q.appendInterpolation(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
        switch scan.facts {
        case .all, .unsettled, .lasting:
            if case .unsettled = scan.facts { q.appendLiteral(" AND settled = "); q.appendInterpolation(bind: false) }
            if case .lasting(let knownBy) = scan.facts {
                // Never replaced so far: while the piece's write counters stand, none of them is replaced either.
                q.appendLiteral(" AND counts_until = "); q.appendInterpolation(bind: forever)
                q.appendLiteral(" AND ready_at <= "); q.appendInterpolation(bind: knownBy)
                q.appendLiteral(" AND replaced_at >= "); q.appendInterpolation(bind: forever)
            }
            q.appendLiteral(" AND at >= "); q.appendInterpolation(bind: scan.from)
            q.appendLiteral(" AND at < "); q.appendInterpolation(bind: scan.to)
        case .notCounted(let pieces):
            // Three arms, each led by its own index (until; ready; replaced), so none reads the stretch's counted facts.
            let earliest = pieces.map(\.knownBy).min() ?? asOf
            // (The stretch's bounds in the first arm are a CASE so that no planner takes `at` to lead it, and its
            // `counts_until` has both bounds so that SQLite, which has no statistics of values, takes it to be narrow.)
            q.appendLiteral(" AND ((counts_until >= "); q.appendInterpolation(bind: first.end)
            q.appendLiteral(" AND counts_until < "); q.appendInterpolation(bind: forever)
            q.appendLiteral(" AND CASE WHEN at < "); q.appendInterpolation(bind: scan.from)
            q.appendLiteral(" THEN 0 WHEN at < "); q.appendInterpolation(bind: scan.to)
            // (The second arm's range is bounded by `asOf` too: facts known only later — every open case's coming
            // deadlines — would otherwise be read, and dropped, by every count: 31,000 rows at --scale 10.)
            q.appendLiteral(" THEN 1 ELSE 0 END = 1) OR (ready_at > "); q.appendInterpolation(bind: earliest)
            q.appendLiteral(" AND ready_at <= "); q.appendInterpolation(bind: asOf)
            q.appendLiteral(" AND ready_at > CASE WHEN at < "); q.appendInterpolation(bind: scan.from)
            q.appendLiteral(" THEN "); q.appendInterpolation(bind: forever)
            for p in pieces {
                q.appendLiteral(" WHEN at < "); q.appendInterpolation(bind: p.interval.end)
                q.appendLiteral(" THEN "); q.appendInterpolation(bind: p.knownBy)
            }
            q.appendLiteral(" ELSE "); q.appendInterpolation(bind: forever); q.appendLiteral(" END)")
            // Third arm: versions replaced since (the pieces hold only those never replaced), still valid at `asOf`.
            q.appendLiteral(" OR (replaced_at > "); q.appendInterpolation(bind: asOf)
            q.appendLiteral(" AND replaced_at < "); q.appendInterpolation(bind: forever)
            q.appendLiteral(" AND CASE WHEN at < "); q.appendInterpolation(bind: scan.from)
            q.appendLiteral(" THEN 0 WHEN at < "); q.appendInterpolation(bind: scan.to)
            q.appendLiteral(" THEN 1 ELSE 0 END = 1))")
        }
        // Valid and known at `asOf`.
        q.appendLiteral(" AND ready_at <= "); q.appendInterpolation(bind: asOf)
        q.appendLiteral(" AND replaced_at > "); q.appendInterpolation(bind: asOf)
        // Once per case and period: not when the next of its kind falls before the end of this one's period.
        q.appendLiteral(" AND counts_until >= ")
        if periods.count == 1 {
            q.appendInterpolation(bind: first.end)
        } else {
            q.appendLiteral("CASE")
            for w in periods { q.appendLiteral(" WHEN at < "); q.appendInterpolation(bind: w.end); q.appendLiteral(" THEN "); q.appendInterpolation(bind: w.end) }
            q.appendLiteral(" END")
        }
        if case .department = grouping { q.appendLiteral(" AND department_code IS NOT NULL") }
        if let cases {
            q.appendLiteral(" AND case_id IN (")
            for (i, id) in cases.enumerated() {
                if i > 0 { q.appendLiteral(", ") }
                q.appendInterpolation(bind: id)
            }
            q.appendLiteral(")")
        }
        q.appendLiteral(" GROUP BY g, kind, success")
        for row in try await sql.raw(q).all() {
            guard let kind = MeasureKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            let key = try row.decode(column: "g", as: String?.self) ?? ""
            out[key, default: MeasureCounts()].count(kind, try row.decode(column: "success", as: Bool.self),
                                                     times: try row.decode(column: "n", as: Int.self))
        }
    }

    /// How many cases under `scopePath` were reported in the period, by grid and by category (minor codes).
    public static func reported(scopePath: String, period: DateInterval, on db: any Database) async throws -> [ReportedCount] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.select().column("area_code").column("category_code").column("department_code").column("source").column("channel_key")
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from(CaseModel.schema)
            .where(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
            .where("reported_at", .greaterThanOrEqual, period.start).where("reported_at", .lessThan, period.end)
            .groupBy("area_code").groupBy("category_code").groupBy("department_code").groupBy("source").groupBy("channel_key")
            .all().map {
                ReportedCount(areaCode: try $0.decode(column: "area_code", as: String.self), categoryCode: try $0.decode(column: "category_code", as: String.self),
                              departmentCode: try $0.decode(column: "department_code", as: String?.self), source: try $0.decode(column: "source", as: String.self),
                              channelKey: try $0.decode(column: "channel_key", as: String?.self), count: try $0.decode(column: "n", as: Int.self))
            }
    }
}

/// How many cases of one grid, category and department were reported (`MeasureQueries.reported`).
public struct ReportedCount: Sendable, Hashable {
    public var areaCode: String
    public var categoryCode: String
    public var departmentCode: String?
    /// Where the reports came from (`CaseSource`) and, for Open311, through which API key.
    public var source: String = "resident"
    public var channelKey: String? = nil
    public var count: Int
}
