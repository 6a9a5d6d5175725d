import Fluent
import Foundation
import SQLKit
import WanggeCore

/// Counts of one piece of time (no longer than a calendar month) under one scope that a server may keep between
/// requests: the lasting facts (those that never stop counting) known by `knownBy`, by grid, 大类, department and
/// day (only versions never replaced so far), and — once the piece is over — the cases reported in it and their points. The dashboard adds these up over
/// the pieces of its period and asks `MeasureQueries.counts(… counted:)` for the rest only (facts that may stop
/// counting, facts known since). A piece's counts hold while the write counters of its month stand
/// (`MeasureQueries.stamp`), for any instant from `knownBy` on.
public struct PieceCounts: KeptCounts {
    public var interval: DateInterval
    public var knownBy: Date
    public var stamp: MeasureQueries.Stamp
    public var grids: [String: MeasureCounts] = [:]
    public var majors: [String: MeasureCounts] = [:]
    public var departments: [String: MeasureCounts] = [:]
    /// By the start of each day of the piece.
    public var days: [Date: MeasureCounts] = [:]
    /// The piece's reported cases, added up, and their points in the order reported; nil while the piece is not over.
    public var reported: ReportedTotals?
    public var points: [GeoPoint]?

    /// What the piece stands for in `MeasureQueries.counts(… counted:)`.
    public var counted: CountedPiece { CountedPiece(interval: interval, knownBy: knownBy) }

    /// Roughly how many values it holds (the cache's budget is counted in these): a point (16 bytes) weighs an
    /// eighth of a grid's counts. (Counted as one, a year's points at `--scale 10` — 290,000 — outweighed the
    /// budget, and the year's pieces pushed each other out.)
    public var weight: Int { 8 + grids.count + majors.count + departments.count + days.count + (reported?.weight ?? 0) + (points?.count ?? 0) / 8 }
}

/// The counts of one piece of time under one scope that a server keeps between requests while the write counters
/// of the piece's month (`stamp`) stand: the case loop's `PieceCounts`, the mediation measures'
/// `MediationPieceCounts`. `PieceCache` keeps any of them.
public protocol KeptCounts: Sendable {
    var interval: DateInterval { get }
    /// The instant the counts hold as of (`distantPast` for counts that do not depend on the instant asked for).
    var knownBy: Date { get }
    var stamp: MeasureQueries.Stamp { get }
    /// Roughly how many values it holds (a cache's budget is counted in these).
    var weight: Int { get }
}

/// Cases reported, by grid, 大类 and department (cases with none are in the other two only).
public struct ReportedTotals: Sendable {
    public var total = 0
    public var grids: [String: Int] = [:]
    public var majors: [String: Int] = [:]
    public var departments: [String: Int] = [:]
    /// By source, and Open311's by API key (the measures' source breakdown).
    public var sources: [ReportedSource: Int] = [:]

    public init() {}

    public init(_ rows: [ReportedCount], catalogue: CategoryCatalogue) {
        for r in rows { add(r, catalogue: catalogue) }
    }

    public mutating func add(_ r: ReportedCount, catalogue: CategoryCatalogue) {
        total += r.count
        grids[r.areaCode, default: 0] += r.count
        majors[catalogue.majorCode(of: r.categoryCode), default: 0] += r.count
        if let d = r.departmentCode { departments[d, default: 0] += r.count }
        sources[ReportedSource(source: r.source, channelKey: r.channelKey), default: 0] += r.count
    }

    public mutating func add(_ o: ReportedTotals) {
        total += o.total
        for (k, n) in o.grids { grids[k, default: 0] += n }
        for (k, n) in o.majors { majors[k, default: 0] += n }
        for (k, n) in o.departments { departments[k, default: 0] += n }
        for (k, n) in o.sources { sources[k, default: 0] += n }
    }

    var weight: Int { grids.count + majors.count + departments.count + sources.count }
}

/// A channel reports came through: a `CaseSource`'s raw value and, for Open311, the API key's name.
public struct ReportedSource: Sendable, Hashable, Comparable {
    public var source: String
    public var channelKey: String?

    public static func < (a: ReportedSource, b: ReportedSource) -> Bool { (a.source, a.channelKey ?? "") < (b.source, b.channelKey ?? "") }
}

/// A piece of time whose lasting facts known by `knownBy` a caller has counted.
public struct CountedPiece: Sendable, Hashable {
    public var interval: DateInterval
    public var knownBy: Date

    public init(interval: DateInterval, knownBy: Date) {
        self.interval = interval
        self.knownBy = knownBy
    }
}

extension MeasureQueries {
    /// A kind of record, a month (its start in the calendar's zone) and an area path cut to its township: what a
    /// write counter counts.
    struct MonthKey: Hashable {
        var kind = "case"
        var monthStart: Date
        var townshipPath: String
        /// The township of the counter raised by every bulk rewrite.
        static let everything = "*"
    }

    /// The write counters of one scope's month: the bulk-rewrite counter, and the sum of its townships' counters.
    /// Counters only grow, so a write under the scope changes the sum.
    public struct Stamp: Sendable, Hashable {
        var bulk: Int
        var month: Int
    }

    static func bump(_ k: MonthKey, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO record_month_versions (kind, month_start, township_path, version) \
            VALUES (\(bind: k.kind), \(bind: k.monthStart), \(bind: k.townshipPath), 1) \
            ON CONFLICT (kind, month_start, township_path) DO UPDATE SET version = record_month_versions.version + 1
            """).run()
    }

    /// The stamps of a kind's months starting in `[from, to)` under `scopePath`, by month start (months never
    /// written to have the bulk counter and 0).
    public static func stamps(kind: String = "case", scopePath: String, monthStarts: [Date], on db: any Database) async throws -> [Date: Stamp] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        guard let from = monthStarts.min(), let to = monthStarts.max() else { return [:] }
        var q = SQLQueryString("SELECT month_start, township_path, version FROM record_month_versions WHERE kind = ")
        q.appendInterpolation(bind: kind)
        q.appendLiteral(" AND (township_path = ")
        q.appendInterpolation(bind: MonthKey.everything)
        q.appendLiteral(" OR (month_start >= "); q.appendInterpolation(bind: from)
        q.appendLiteral(" AND month_start <= "); q.appendInterpolation(bind: to)
        // A scope below a township is written to through its township's counters.
        if scopePath.split(separator: "/").count > 2 {
            q.appendLiteral(" AND township_path = "); q.appendInterpolation(bind: townshipPath(scopePath))
        } else {
            q.appendLiteral(" AND "); q.appendInterpolation(LikePattern.startsWith(SQLColumn("township_path"), scopePath))
        }
        q.appendLiteral("))")
        var bulk = 0
        var sums: [Date: Int] = [:]
        for row in try await sql.raw(q).all() {
            let version = try row.decode(column: "version", as: Int.self)
            if try row.decode(column: "township_path", as: String.self) == MonthKey.everything { bulk = version; continue }
            sums[try row.decode(column: "month_start", as: Date.self), default: 0] += version
        }
        return Dictionary(uniqueKeysWithValues: monthStarts.map { ($0, Stamp(bulk: bulk, month: sums[$0] ?? 0)) })
    }

    /// Counts one piece (see `PieceCounts`) as of `knownBy`; `stamp` is its month's, read before.
    public static func pieceCounts(scopePath: String, interval: DateInterval, knownBy: Date, stamp: Stamp,
                                   context: MeasureFactContext, on db: any Database) async throws -> PieceCounts {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        var p = PieceCounts(interval: interval, knownBy: knownBy, stamp: stamp)
        let scan = Scan(from: interval.start, to: interval.end, facts: .lasting(knownBy: knownBy))
        let period = [interval]
        try await count(scan, scopePath: scopePath, periods: period, asOf: knownBy, grouping: .area, into: &p.grids, on: sql)
        try await count(scan, scopePath: scopePath, periods: period, asOf: knownBy, grouping: .majorCategory, into: &p.majors, on: sql)
        try await count(scan, scopePath: scopePath, periods: period, asOf: knownBy, grouping: .department, into: &p.departments, on: sql)
        let days = context.calendar.days(in: interval)
        var byDay: [String: MeasureCounts] = [:]
        try await count(scan, scopePath: scopePath, periods: days, asOf: knownBy, grouping: .periods(days), into: &byDay, on: sql)
        for (i, d) in days.enumerated() { if let c = byDay["\(i)"] { p.days[d.start] = c } }
        if interval.end <= knownBy {
            p.reported = ReportedTotals(try await reported(scopePath: scopePath, period: interval, on: db), catalogue: context.catalogue)
            p.points = try await CaseIndexQueries.points(scopePath: scopePath, period: interval, on: db)
        }
        return p
    }
}
