import Fluent
import Foundation
import SQLKit
import WanggeCore

/// A warning as stored (M036): what raised it, where, its evidence (JSON), its state and, for a rectification, its
/// reviews in order.
public struct StoredWarning: Sendable, Hashable {
    public var id: UUID
    public var key: String
    public var kind: WarningKind
    /// "red", "yellow" (early warning) or the band of the month (the ladder's notices: "red").
    public var level: String
    public var status: WarningStatus
    public var areaCode: String
    public var areaPath: String
    public var categoryCode: String?
    /// The week ("2026-W47" style key, as its Monday "2026-11-16") or the month ("2026-11") it is about.
    public var period: String
    public var evidence: String
    public var raisedAt: Date
    public var dueOn: String?
    public var actedAt: Date?
    public var actedBy: String?
    public var note: String?
    public var version: Int
    public var reviews: [Review]

    public struct Review: Sendable, Hashable {
        public var level: RectificationReviewLevel
        public var onDay: String
        public var by: String
        public var note: String
        public var at: Date

        public init(level: RectificationReviewLevel, onDay: String, by: String, note: String, at: Date) {
            self.level = level
            self.onDay = onDay
            self.by = by
            self.note = note
            self.at = at
        }
    }
}

/// A warning to raise, once per key.
public struct NewWarning: Sendable {
    public var key: String
    public var kind: WarningKind
    public var level: String
    public var areaCode: String
    public var areaPath: String
    public var categoryCode: String?
    public var period: String
    public var evidence: String
    public var dueOn: String?

    public init(key: String, kind: WarningKind, level: String, areaCode: String, areaPath: String, categoryCode: String? = nil,
                period: String, evidence: String, dueOn: String? = nil) {
        self.key = key
        self.kind = kind
        self.level = level
        self.areaCode = areaCode
        self.areaPath = areaPath
        self.categoryCode = categoryCode
        self.period = period
        self.evidence = evidence
        self.dueOn = dueOn
    }
}

public struct WarningFilter: Sendable {
    public var scopePath: String
    public var statuses: [WarningStatus]?
    public var kinds: [WarningKind]?
    /// An area above the scope whose own warnings are listed too (a grid worker's village: its rectification is
    /// reviewed by the village's grid workers).
    public var alsoAreaCode: String?
    /// Only warnings of this level ("red", "orange", "yellow").
    public var level: String?

    public init(scopePath: String, statuses: [WarningStatus]? = nil, kinds: [WarningKind]? = nil, alsoAreaCode: String? = nil) {
        self.scopePath = scopePath
        self.alsoAreaCode = alsoAreaCode
        self.statuses = statuses
        self.kinds = kinds
    }
}

/// A warning changed by someone else since it was read (its version moved).
public struct WarningConflict: Error {}

public enum WarningQueries {
    static let columns = ["id", "key", "kind", "level", "status", "area_code", "area_path", "category_code", "period", "evidence", "raised_at",
                          "due_on", "acted_at", "acted_by", "note", "version"]

    /// Raises `w` unless a warning with its key exists; returns whether it was raised. Safe to call again for the
    /// same key from any server: the unique key decides.
    @discardableResult
    public static func raise(_ w: NewWarning, at: Date, on db: any Database) async throws -> UUID? {
        let sql = try SafetyIndexQueries.sqlDB(db)
        let id = UUID()
        let row = try await sql.raw("""
            INSERT INTO warnings (id, key, kind, level, status, area_code, area_path, category_code, period, evidence, raised_at, due_on, version) \
            VALUES (\(bind: id), \(bind: w.key), \(bind: w.kind.rawValue), \(bind: w.level), 'open', \(bind: w.areaCode), \(bind: w.areaPath), \
            \(bind: w.categoryCode), \(bind: w.period), \(bind: w.evidence), \(bind: at), \(bind: w.dueOn), 1) \
            ON CONFLICT (key) DO NOTHING RETURNING id
            """).first()
        return row == nil ? nil : id
    }

    /// A page of the warnings that pass the filter, open first, the latest raised first; and how many pass.
    public static func list(_ f: WarningFilter, page: Int, per: Int, on db: any Database) async throws -> (items: [StoredWarning], total: Int) {
        let sql = try SafetyIndexQueries.sqlDB(db)
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.from("warnings")
            if let also = f.alsoAreaCode {
                q = q.where { $0.where(LikePattern.startsWith(SQLColumn("area_path"), f.scopePath)).orWhere("area_code", .equal, also) }
            } else {
                q = q.where(LikePattern.startsWith(SQLColumn("area_path"), f.scopePath))
            }
            if let s = f.statuses { q = q.where("status", .in, s.map(\.rawValue)) }
            if let k = f.kinds { q = q.where("kind", .in, k.map(\.rawValue)) }
            if let l = f.level { q = q.where("level", .equal, l) }
            return q
        }
        let total = try await filtered(sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        var q = sql.select()
        for c in columns { q = q.column(c) }
        let rows = try await filtered(q).orderBy(SQLRaw("CASE WHEN status = 'open' THEN 0 ELSE 1 END")).orderBy("raised_at", .descending)
            .orderBy("key").limit(per).offset((page - 1) * per).all()
        var items = try rows.map(warning)
        try await attachReviews(&items, on: sql)
        return (items, total)
    }

    public static func find(id: UUID, on db: any Database) async throws -> StoredWarning? {
        let sql = try SafetyIndexQueries.sqlDB(db)
        var q = sql.select()
        for c in columns { q = q.column(c) }
        guard let row = try await q.from("warnings").where("id", .equal, id).first() else { return nil }
        var items = [try warning(row)]
        try await attachReviews(&items, on: sql)
        return items.first
    }

    /// Every warning of these kinds under `scopePath` (the ladder's replay reads an area's rectifications).
    public static func all(kinds: [WarningKind], areaCode: String, on db: any Database) async throws -> [StoredWarning] {
        let sql = try SafetyIndexQueries.sqlDB(db)
        var q = sql.select()
        for c in columns { q = q.column(c) }
        var items = try await q.from("warnings").where("area_code", .equal, areaCode).where("kind", .in, kinds.map(\.rawValue))
            .orderBy("raised_at").all().map(warning)
        try await attachReviews(&items, on: sql)
        return items
    }

    /// Records an action: the new status, who and when, the note, and for a review its row; in one transaction,
    /// and only if the warning is still at `version` (else `WarningConflict`).
    public static func act(id: UUID, version: Int, status: WarningStatus, at: Date, by: String, note: String?,
                           review: StoredWarning.Review?, on db: any Database) async throws {
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            let changed = try await sql.raw("""
                UPDATE warnings SET status = \(bind: status.rawValue), acted_at = \(bind: at), acted_by = \(bind: by), note = \(bind: note), \
                version = version + 1 WHERE id = \(bind: id) AND version = \(bind: version) RETURNING version
                """).first()
            guard changed != nil else { throw WarningConflict() }
            if let r = review {
                try await sql.insert(into: "warning_reviews").columns("id", "warning_id", "level", "on_day", "by", "note", "at")
                    .values(SQLBind(UUID()), SQLBind(id), SQLBind(r.level.rawValue), SQLBind(r.onDay), SQLBind(r.by), SQLBind(r.note), SQLBind(r.at)).run()
            }
        }
    }

    static func warning(_ r: any SQLRow) throws -> StoredWarning {
        let kind = try r.decode(column: "kind", as: String.self), status = try r.decode(column: "status", as: String.self)
        guard let k = WarningKind(rawValue: kind), let s = WarningStatus(rawValue: status) else {
            throw StoreError.corrupt("warning of kind \(kind), status \(status)")
        }
        return StoredWarning(
            id: try r.decode(column: "id", as: UUID.self), key: try r.decode(column: "key", as: String.self), kind: k,
            level: try r.decode(column: "level", as: String.self), status: s, areaCode: try r.decode(column: "area_code", as: String.self),
            areaPath: try r.decode(column: "area_path", as: String.self), categoryCode: try r.decode(column: "category_code", as: String?.self),
            period: try r.decode(column: "period", as: String.self), evidence: try r.decode(column: "evidence", as: String.self),
            raisedAt: try r.decode(column: "raised_at", as: Date.self), dueOn: try r.decode(column: "due_on", as: String?.self),
            actedAt: try r.decode(column: "acted_at", as: Date?.self), actedBy: try r.decode(column: "acted_by", as: String?.self),
            note: try r.decode(column: "note", as: String?.self), version: try r.decode(column: "version", as: Int.self), reviews: [])
    }

    static func attachReviews(_ items: inout [StoredWarning], on sql: any SQLDatabase) async throws {
        let ids = items.filter { $0.kind == .rectification }.map(\.id)
        guard !ids.isEmpty else { return }
        var byID: [UUID: [StoredWarning.Review]] = [:]
        for r in try await sql.select().columns("warning_id", "level", "on_day", "by", "note", "at").from("warning_reviews")
            .where("warning_id", .in, ids).orderBy("at").all() {
            guard let level = RectificationReviewLevel(rawValue: try r.decode(column: "level", as: String.self)) else { continue }
            byID[try r.decode(column: "warning_id", as: UUID.self), default: []].append(StoredWarning.Review(
                level: level, onDay: try r.decode(column: "on_day", as: String.self), by: try r.decode(column: "by", as: String.self),
                note: try r.decode(column: "note", as: String.self), at: try r.decode(column: "at", as: Date.self)))
        }
        // In the order the levels review (one review per level; several may share an instant).
        let rank = Dictionary(uniqueKeysWithValues: RectificationReviewLevel.allCases.enumerated().map { ($1, $0) })
        for i in items.indices { items[i].reviews = (byID[items[i].id] ?? []).sorted { rank[$0.level]! < rank[$1.level]! } }
    }
}
