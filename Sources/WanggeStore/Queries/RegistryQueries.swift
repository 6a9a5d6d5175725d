import Fluent
import Foundation
import SQLKit
import WanggeCore

/// An entry of the registry as stored (M038).
public struct StoredRegistryEntry: Sendable, Hashable {
    public var id: UUID
    public var entry: RegistryEntry
    public var gridCode: String
    public var areaPath: String
    public var version: Int
    public var createdAt: Date
    public var createdBy: String
    public var updatedAt: Date
}

/// One change of an entry: its version after the change, when, who, and the fields it changed (version 1 is the
/// creation, listing every field given).
public struct StoredRegistryChange: Sendable, Hashable {
    public var version: Int
    public var at: Date
    public var by: String
    public var changes: [RegistryChange]
}

public struct RegistryFilter: Sendable {
    public var kind: RegistryKind
    public var scopePath: String
    public var typeCode: String?
    /// Part of the label (name or address).
    public var text: String?
    /// The grids of a narrow scope, read through their index (M044) rather than every entry's path.
    public var grids: [String]?

    public init(kind: RegistryKind, scopePath: String, typeCode: String? = nil, text: String? = nil, grids: [String]? = nil) {
        self.kind = kind
        self.scopePath = scopePath
        self.typeCode = typeCode
        self.text = text
        self.grids = grids
    }
}

/// An entry changed by someone else since it was read (its version moved).
public struct RegistryConflict: Error {}

public enum RegistryQueries {
    static let columns = ["id", "kind", "grid_code", "area_path", "document", "version", "created_at", "created_by", "updated_at"]
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// Writes a new entry and its first change in one transaction; with a key, remembers it there too (a second
    /// request with the key meets the unique index and writes nothing).
    public static func insert(_ e: RegistryEntry, gridCode: String, areaPath: String, by: String, at: Date,
                              key: (key: String, requestHash: String)?, on db: any Database) async throws -> UUID {
        let id = UUID()
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            if let key { try await RecordKeys.remember(kind: "registry", key: key.key, requestHash: key.requestHash, recordID: id, at: at, on: sql) }
            try await sql.insert(into: "registry_entries")
                .columns("id", "kind", "grid_code", "area_path", "type_code", "label", "document", "version", "created_at", "created_by", "updated_at")
                .values(SQLBind(id), SQLBind(e.kind.rawValue), SQLBind(gridCode), SQLBind(areaPath), SQLBind(e.typeCode), SQLBind(e.label),
                        SQLBind(try document(e)), SQLBind(1), SQLBind(at), SQLBind(by), SQLBind(at)).run()
            let empty = RegistryEntry(kind: e.kind, address: "", point: e.point)
            var first = RegistryRules.changes(from: empty, to: e)
            first.removeAll { $0.field == "point" }
            first.insert(RegistryChange(field: "point", from: nil, to: String(format: "%.6f,%.6f", e.point.lat, e.point.lon)), at: 0)
            try await change(id, version: 1, at: at, by: by, changes: first, on: sql)
        }
        return id
    }

    /// Writes many new entries and their first changes in one transaction, many to a statement (an imported list:
    /// all or nothing). `progress(done, total)` is told after each chunk.
    public static func insertAll(_ rows: [(id: UUID, entry: RegistryEntry, gridCode: String, areaPath: String)], by: String, at: Date, on db: any Database,
                                 progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            var done = 0
            for chunk in stride(from: 0, to: rows.count, by: 300).map({ Array(rows[$0..<min($0 + 300, rows.count)]) }) {
                var entries = sql.insert(into: "registry_entries")
                    .columns("id", "kind", "grid_code", "area_path", "type_code", "label", "document", "version", "created_at", "created_by", "updated_at")
                var changes = sql.insert(into: "registry_changes").columns("id", "entry_id", "version", "at", "by", "changes")
                for r in chunk {
                    let id = r.id, e = r.entry
                    entries = entries.values(SQLBind(id), SQLBind(e.kind.rawValue), SQLBind(r.gridCode), SQLBind(r.areaPath), SQLBind(e.typeCode), SQLBind(e.label),
                                             SQLBind(try document(e)), SQLBind(1), SQLBind(at), SQLBind(by), SQLBind(at))
                    let first = [RegistryChange(field: "import", from: nil, to: e.label)]
                    changes = changes.values(SQLBind(UUID()), SQLBind(id), SQLBind(1), SQLBind(at), SQLBind(by),
                                             SQLBind(String(decoding: try encoder.encode(first), as: UTF8.self)))
                }
                try await entries.run()
                try await changes.run()
                done += chunk.count
                progress(done, rows.count)
            }
            return done
        }
    }

    /// The labels (addresses) of the households under `scopePath`, by grid: what an import checks a household against.
    public static func householdLabels(scopePath: String, on db: any Database) async throws -> [String: [String]] {
        let sql = try SafetyIndexQueries.sqlDB(db)
        var out: [String: [String]] = [:]
        for r in try await sql.select().columns("grid_code", "label").from("registry_entries").where("kind", .equal, RegistryKind.household.rawValue)
            .where(LikePattern.startsWith(SQLColumn("area_path"), scopePath)).all() {
            out[try r.decode(column: "grid_code", as: String.self), default: []].append(try r.decode(column: "label", as: String.self))
        }
        return out
    }

    /// Replaces an entry at `version` with `e` (its grid found anew) and records the changed fields; throws
    /// `RegistryConflict` when the entry moved on meanwhile.
    public static func update(id: UUID, version: Int, to e: RegistryEntry, changes: [RegistryChange], gridCode: String, areaPath: String,
                              by: String, at: Date, on db: any Database) async throws {
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            let done = try await sql.raw("""
                UPDATE registry_entries SET grid_code = \(bind: gridCode), area_path = \(bind: areaPath), type_code = \(bind: e.typeCode), \
                label = \(bind: e.label), document = \(bind: try document(e)), version = version + 1, updated_at = \(bind: at) \
                WHERE id = \(bind: id) AND version = \(bind: version) RETURNING version
                """).first()
            guard done != nil else { throw RegistryConflict() }
            try await change(id, version: version + 1, at: at, by: by, changes: changes, on: sql)
        }
    }

    public static func find(id: UUID, on db: any Database) async throws -> StoredRegistryEntry? {
        let sql = try SafetyIndexQueries.sqlDB(db)
        return try await sql.select().columns(columns).from("registry_entries").where("id", .equal, id).first().map(stored)
    }

    /// A page of the entries that pass the filter, by label, and how many pass.
    public static func list(_ f: RegistryFilter, page: Int, per: Int, on db: any Database) async throws -> (items: [StoredRegistryEntry], total: Int) {
        let sql = try SafetyIndexQueries.sqlDB(db)
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.from("registry_entries").where("kind", .equal, f.kind.rawValue).where(LikePattern.startsWith(SQLColumn("area_path"), f.scopePath))
            if let t = f.typeCode { q = q.where("type_code", .equal, t) }
            if let text = f.text { q = q.where(LikePattern.contains(SQLColumn("label"), text)) }
            if let grids = f.grids { q = q.where("grid_code", .in, grids.isEmpty ? [""] : grids) }
            return q
        }
        let total = try await filtered(sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await filtered(sql.select().columns(columns)).orderBy("label").orderBy("id").limit(per).offset((page - 1) * per).all()
        return (try rows.map(stored), total)
    }

    public static func history(id: UUID, on db: any Database) async throws -> [StoredRegistryChange] {
        let sql = try SafetyIndexQueries.sqlDB(db)
        return try await sql.select().columns("version", "at", "by", "changes").from("registry_changes").where("entry_id", .equal, id)
            .orderBy("version").all().map { r in
                StoredRegistryChange(version: try r.decode(column: "version", as: Int.self), at: try r.decode(column: "at", as: Date.self),
                                     by: try r.decode(column: "by", as: String.self),
                                     changes: try JSONDecoder().decode([RegistryChange].self, from: Data(try r.decode(column: "changes", as: String.self).utf8)))
            }
    }

    static func change(_ id: UUID, version: Int, at: Date, by: String, changes: [RegistryChange], on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "registry_changes").columns("id", "entry_id", "version", "at", "by", "changes")
            .values(SQLBind(UUID()), SQLBind(id), SQLBind(version), SQLBind(at), SQLBind(by),
                    SQLBind(String(decoding: try encoder.encode(changes), as: UTF8.self))).run()
    }

    static func document(_ e: RegistryEntry) throws -> String { String(decoding: try encoder.encode(e), as: UTF8.self) }

    static func stored(_ r: any SQLRow) throws -> StoredRegistryEntry {
        StoredRegistryEntry(
            id: try r.decode(column: "id", as: UUID.self),
            entry: try JSONDecoder().decode(RegistryEntry.self, from: Data(try r.decode(column: "document", as: String.self).utf8)),
            gridCode: try r.decode(column: "grid_code", as: String.self), areaPath: try r.decode(column: "area_path", as: String.self),
            version: try r.decode(column: "version", as: Int.self), createdAt: try r.decode(column: "created_at", as: Date.self),
            createdBy: try r.decode(column: "created_by", as: String.self), updatedAt: try r.decode(column: "updated_at", as: Date.self))
    }
}
