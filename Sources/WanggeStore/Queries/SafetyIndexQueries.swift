import Fluent
import Foundation
import SQLKit
import WanggeCore

/// The safety index's tables (M036): saved formulas by version, each month's revisions and their scores, and what
/// the month's computation counts (cases by grid and category, red and orange risks open at an instant). The rules
/// are `SafetyIndex` (core); the service (`SafetyIndexService`) gathers, computes and saves a revision.
public enum SafetyIndexQueries {
    // MARK: What a month counts

    public struct CaseCount: Sendable, Hashable {
        public var areaCode: String
        public var categoryCode: String
        public var n: Int
    }

    /// Cases reported in [from, to), by the area they stand in (a grid) and category: counted as events, no more.
    /// A report merged into another (the same event reported twice) and a rejected one (not an event of ours) do not
    /// count.
    public static func caseCounts(from: Date, to: Date, on db: any Database) async throws -> [CaseCount] {
        try await sqlDB(db).raw("""
            SELECT area_code, category_code, COUNT(*) AS n FROM cases WHERE reported_at >= \(bind: from) AND reported_at < \(bind: to) \
            AND state NOT IN ('merged', 'rejected') GROUP BY area_code, category_code
            """).all().map {
            CaseCount(areaCode: try $0.decode(column: "area_code", as: String.self), categoryCode: try $0.decode(column: "category_code", as: String.self),
                      n: try $0.decode(column: "n", as: Int.self))
        }
    }

    /// When the first case was reported, if any.
    public static func firstReported(on db: any Database) async throws -> Date? {
        try await sqlDB(db).raw("SELECT MIN(reported_at) AS t FROM cases").first()?.decode(column: "t", as: Date?.self)
    }

    /// When the last case was reported, if any.
    public static func lastReported(on db: any Database) async throws -> Date? {
        try await sqlDB(db).raw("SELECT MAX(reported_at) AS t FROM cases").first()?.decode(column: "t", as: Date?.self)
    }

    /// Entries of the register at `level` or more severe (1 is the most severe) open at `instant`: registered
    /// before it, not cleared by it, and not archived as no risk. The level is the entry's level now.
    public static func openRisks(at instant: Date, severeUpTo level: Int, on db: any Database) async throws -> [(areaPath: String, n: Int)] {
        try await sqlDB(db).raw("""
            SELECT area_path, COUNT(*) AS n FROM risks WHERE level <= \(bind: level) AND registered_at < \(bind: instant) \
            AND (cleared_at IS NULL OR cleared_at >= \(bind: instant)) AND NOT (state = 'archived' AND cleared_at IS NULL) GROUP BY area_path
            """).all().map { (try $0.decode(column: "area_path", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }

    /// Entries of the register under `scopePath` registered in [from, to), and cleared in it.
    public static func riskChanges(scopePath: String, from: Date, to: Date, on db: any Database) async throws -> (opened: Int, cleared: Int) {
        let sql = try sqlDB(db)
        var q = SQLQueryString("SELECT CAST(SUM(CASE WHEN registered_at >= ")
        q.appendInterpolation(bind: from); q.appendLiteral(" AND registered_at < "); q.appendInterpolation(bind: to)
        q.appendLiteral(" THEN 1 ELSE 0 END) AS BIGINT) AS opened, CAST(SUM(CASE WHEN cleared_at >= "); q.appendInterpolation(bind: from)
        q.appendLiteral(" AND cleared_at < "); q.appendInterpolation(bind: to); q.appendLiteral(" THEN 1 ELSE 0 END) AS BIGINT) AS cleared FROM risks WHERE ")
        q.appendInterpolation(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
        guard let r = try await sql.raw(q).first() else { return (0, 0) }
        return (try r.decode(column: "opened", as: Int?.self) ?? 0, try r.decode(column: "cleared", as: Int?.self) ?? 0)
    }

    // MARK: Revisions

    public struct NewScore: Sendable {
        public var areaCode: String
        public var areaPath: String
        public var scoreHundredths: Int
        public var band: String
        public var explanation: String

        public init(areaCode: String, areaPath: String, scoreHundredths: Int, band: String, explanation: String) {
            self.areaCode = areaCode
            self.areaPath = areaPath
            self.scoreHundredths = scoreHundredths
            self.band = band
            self.explanation = explanation
        }
    }

    public struct Revision: Sendable, Hashable {
        public var month: String
        public var revision: Int
        public var formulaVersion: Int
        public var computedAt: Date
        public var computedBy: String?
        public var areas: Int
    }

    public struct Score: Sendable, Hashable {
        public var month: String
        public var revision: Int
        public var areaCode: String
        public var areaPath: String
        public var scoreHundredths: Int
        public var band: String
        /// The explanation as stored (JSON of `SafetyIndexResult`); nil when the read left it out.
        public var explanation: String?
    }

    /// Saves a month's computation as its next revision with every area's score, in one transaction; returns the
    /// revision. What was published before stays as it was.
    public static func saveRevision(month: String, formulaVersion: Int, by: String?, at: Date, scores: [NewScore],
                                    on db: any Database) async throws -> Int {
        try await db.transaction { db in
            let sql = try sqlDB(db)
            let last = try await sql.raw("SELECT MAX(revision) AS r FROM safety_index_revisions WHERE month = \(bind: month)").first()?
                .decode(column: "r", as: Int?.self) ?? 0
            let revision = last + 1
            try await sql.insert(into: "safety_index_revisions").columns("month", "revision", "formula_version", "computed_at", "computed_by", "areas")
                .values(SQLBind(month), SQLBind(revision), SQLBind(formulaVersion), SQLBind(at),
                        by.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null, SQLBind(scores.count)).run()
            for chunk in scores.chunked(by: 200) {
                var q = sql.insert(into: "safety_index_scores").columns("month", "revision", "area_code", "area_path", "score", "band", "explanation")
                for s in chunk {
                    q = q.values(SQLBind(month), SQLBind(revision), SQLBind(s.areaCode), SQLBind(s.areaPath), SQLBind(s.scoreHundredths),
                                 SQLBind(s.band), SQLBind(s.explanation))
                }
                try await q.run()
            }
            return revision
        }
    }

    /// Every revision of `month`, the first first.
    public static func revisions(month: String, on db: any Database) async throws -> [Revision] {
        try await sqlDB(db).raw("""
            SELECT month, revision, formula_version, computed_at, computed_by, areas FROM safety_index_revisions \
            WHERE month = \(bind: month) ORDER BY revision
            """).all().map(revision)
    }

    /// The current (highest) revision of every month published, the latest month first.
    public static func currentRevisions(on db: any Database) async throws -> [Revision] {
        try await sqlDB(db).raw("""
            SELECT r.month, r.revision, r.formula_version, r.computed_at, r.computed_by, r.areas FROM safety_index_revisions r \
            JOIN (SELECT month, MAX(revision) AS top FROM safety_index_revisions GROUP BY month) m ON r.month = m.month AND r.revision = m.top \
            ORDER BY r.month DESC
            """).all().map(revision)
    }

    /// The scores of one revision, for the areas named (all when nil), with or without their explanations.
    public static func scores(month: String, revision: Int, areaCodes: [String]? = nil, explanations: Bool,
                              on db: any Database) async throws -> [Score] {
        if let codes = areaCodes, codes.isEmpty { return [] }  // "IN ()" is no SQL PostgreSQL reads
        let sql = try sqlDB(db)
        var q = sql.select().column("month").column("revision").column("area_code").column("area_path").column("score").column("band")
        if explanations { q = q.column("explanation") }
        q = q.from("safety_index_scores").where("month", .equal, month).where("revision", .equal, revision)
        if let codes = areaCodes { q = q.where("area_code", .in, codes) }
        return try await q.orderBy("area_path").all().map { try score($0, explanations: explanations) }
    }

    /// One area's current score of each month published, the latest month first, at most `limit` months.
    public static func history(areaCode: String, limit: Int, on db: any Database) async throws -> [Score] {
        try await sqlDB(db).raw("""
            SELECT s.month, s.revision, s.area_code, s.area_path, s.score, s.band FROM safety_index_scores s \
            JOIN (SELECT month, MAX(revision) AS top FROM safety_index_revisions GROUP BY month) m ON s.month = m.month AND s.revision = m.top \
            WHERE s.area_code = \(bind: areaCode) ORDER BY s.month DESC LIMIT \(bind: limit)
            """).all().map { try score($0, explanations: false) }
    }

    static func revision(_ r: any SQLRow) throws -> Revision {
        Revision(month: try r.decode(column: "month", as: String.self), revision: try r.decode(column: "revision", as: Int.self),
                 formulaVersion: try r.decode(column: "formula_version", as: Int.self), computedAt: try r.decode(column: "computed_at", as: Date.self),
                 computedBy: try r.decode(column: "computed_by", as: String?.self), areas: try r.decode(column: "areas", as: Int.self))
    }

    static func score(_ r: any SQLRow, explanations: Bool) throws -> Score {
        Score(month: try r.decode(column: "month", as: String.self), revision: try r.decode(column: "revision", as: Int.self),
              areaCode: try r.decode(column: "area_code", as: String.self), areaPath: try r.decode(column: "area_path", as: String.self),
              scoreHundredths: try r.decode(column: "score", as: Int.self), band: try r.decode(column: "band", as: String.self),
              explanation: explanations ? try r.decode(column: "explanation", as: String.self) : nil)
    }

    static func sqlDB(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return sql
    }
}
