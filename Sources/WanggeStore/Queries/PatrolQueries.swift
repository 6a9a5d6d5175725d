import Fluent
import Foundation
import SQLKit
import WanggeCore

public struct StoredPatrol: Sendable, Hashable {
    public var id: UUID
    public var gridCode: String
    public var areaPath: String
    public var worker: String
    public var startedAt: Date
    public var endedAt: Date?
    public var summary: String?
    public var findings: [PatrolFinding]
    public var version: Int
}

/// A patrol changed by someone else since it was read.
public struct PatrolConflict: Error {}

public enum PatrolQueries {
    static let columns = ["id", "grid_code", "area_path", "worker", "started_at", "ended_at", "summary", "findings", "version"]
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    public static func start(gridCode: String, areaPath: String, worker: String, at: Date, key: (key: String, requestHash: String)?,
                             on db: any Database) async throws -> UUID {
        let id = UUID()
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            if let key { try await RecordKeys.remember(kind: "patrol", key: key.key, requestHash: key.requestHash, recordID: id, at: at, on: sql) }
            try await sql.insert(into: "patrols").columns(columns)
                .values(SQLBind(id), SQLBind(gridCode), SQLBind(areaPath), SQLBind(worker), SQLBind(at), SQLLiteral.null, SQLLiteral.null,
                        SQLBind("[]"), SQLBind(1)).run()
        }
        return id
    }

    public static func find(id: UUID, on db: any Database) async throws -> StoredPatrol? {
        try await SafetyIndexQueries.sqlDB(db).select().columns(columns).from("patrols").where("id", .equal, id).first().map(stored)
    }

    /// Writes the patrol's findings, end and summary if it is still at `version` (else `PatrolConflict`), with the
    /// request's key (kind "patrol_finding") in the same transaction when given.
    public static func update(_ p: StoredPatrol, key: (key: String, requestHash: String)? = nil, at: Date = Date(), on db: any Database) async throws {
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            if let key { try await RecordKeys.remember(kind: "patrol_finding", key: key.key, requestHash: key.requestHash, recordID: p.id, at: at, on: sql) }
            try await write(p, on: sql)
        }
    }

    static func write(_ p: StoredPatrol, on sql: any SQLDatabase) async throws {
        let done = try await sql.raw("""
            UPDATE patrols SET findings = \(bind: String(decoding: try encoder.encode(p.findings), as: UTF8.self)), ended_at = \(bind: p.endedAt), \
            summary = \(bind: p.summary), version = version + 1 WHERE id = \(bind: p.id) AND version = \(bind: p.version) RETURNING version
            """).first()
        guard done != nil else { throw PatrolConflict() }
    }

    static func stored(_ r: any SQLRow) throws -> StoredPatrol {
        StoredPatrol(id: try r.decode(column: "id", as: UUID.self), gridCode: try r.decode(column: "grid_code", as: String.self),
                     areaPath: try r.decode(column: "area_path", as: String.self), worker: try r.decode(column: "worker", as: String.self),
                     startedAt: try r.decode(column: "started_at", as: Date.self), endedAt: try r.decode(column: "ended_at", as: Date?.self),
                     summary: try r.decode(column: "summary", as: String?.self),
                     findings: try decoder.decode([PatrolFinding].self, from: Data(try r.decode(column: "findings", as: String.self).utf8)),
                     version: try r.decode(column: "version", as: Int.self))
    }
}
