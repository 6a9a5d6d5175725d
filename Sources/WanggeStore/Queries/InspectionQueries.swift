import Fluent
import Foundation
import SQLKit
import WanggeCore

public struct StoredInspection: Sendable, Hashable {
    public var id: UUID
    public var placeID: UUID
    public var areaPath: String
    public var checklistCode: String
    public var results: [InspectionItemResult]
    public var failed: Int
    public var caseCodes: [String]
    public var createdBy: String
    public var createdAt: Date
}

public enum InspectionQueries {
    static let columns = ["id", "place_id", "area_path", "checklist_code", "results", "failed", "case_codes", "created_by", "created_at"]

    /// Writes an inspection (its cases are raised after, each under its own key); with a key, remembers it in the
    /// same transaction.
    public static func insert(placeID: UUID, areaPath: String, checklistCode: String, outcome: InspectionOutcome, by: String, at: Date,
                              key: (key: String, requestHash: String)?, on db: any Database) async throws -> UUID {
        let id = UUID()
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            if let key { try await RecordKeys.remember(kind: "inspection", key: key.key, requestHash: key.requestHash, recordID: id, at: at, on: sql) }
            try await sql.insert(into: "inspections").columns(columns)
                .values(SQLBind(id), SQLBind(placeID), SQLBind(areaPath), SQLBind(checklistCode),
                        SQLBind(String(decoding: try JSONEncoder().encode(outcome.results), as: UTF8.self)), SQLBind(outcome.hazards.count),
                        SQLBind("[]"), SQLBind(by), SQLBind(at)).run()
        }
        return id
    }

    public static func setCases(_ id: UUID, codes: [String], on db: any Database) async throws {
        let sql = try SafetyIndexQueries.sqlDB(db)
        try await sql.update("inspections").set("case_codes", to: SQLBind(String(decoding: try JSONEncoder().encode(codes), as: UTF8.self)))
            .where("id", .equal, id).run()
    }

    public static func find(id: UUID, on db: any Database) async throws -> StoredInspection? {
        let sql = try SafetyIndexQueries.sqlDB(db)
        return try await sql.select().columns(columns).from("inspections").where("id", .equal, id).first().map(stored)
    }

    /// A place's inspections, the latest first.
    public static func of(placeID: UUID, limit: Int, on db: any Database) async throws -> [StoredInspection] {
        let sql = try SafetyIndexQueries.sqlDB(db)
        return try await sql.select().columns(columns).from("inspections").where("place_id", .equal, placeID)
            .orderBy("created_at", .descending).limit(limit).all().map(stored)
    }

    /// The cases raised by the inspections under `scopePath` made in [from, to), by id (the codes the inspections
    /// keep, looked up).
    public static func raisedCases(scopePath: String, from: Date, to: Date, on db: any Database) async throws -> [UUID] {
        let sql = try SafetyIndexQueries.sqlDB(db)
        let rows = try await sql.raw("""
            SELECT case_codes FROM inspections WHERE \(LikePattern.startsWith(SQLColumn("area_path"), scopePath)) AND failed > 0 \
            AND case_codes <> '[]' AND created_at >= \(bind: from) AND created_at < \(bind: to)
            """).all()
        var codes: [String] = []
        for r in rows { codes += try JSONDecoder().decode([String].self, from: Data(try r.decode(column: "case_codes", as: String.self).utf8)) }
        guard !codes.isEmpty else { return [] }
        var ids: [UUID] = []
        for chunk in Array(Set(codes)).chunked(by: 500) {
            for row in try await sql.select().column("id").from("cases").where("code", .in, Array(chunk)).all() {
                ids.append(try row.decode(column: "id", as: UUID.self))
            }
        }
        return ids
    }

    /// The latest inspection of each place under `scopePath` when it found something (failed items that raised
    /// cases) and the place has not been inspected since: newest first, at most `limit`.
    public static func awaitingReinspection(scopePath: String, limit: Int, on db: any Database) async throws -> [StoredInspection] {
        let sql = try SafetyIndexQueries.sqlDB(db)
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: columns.map { "i." + $0 }.joined(separator: ", ")) FROM inspections i \
            WHERE \(LikePattern.startsWith(SQLColumn("area_path", table: "i"), scopePath)) AND i.failed > 0 AND i.case_codes <> '[]' \
            AND NOT EXISTS (SELECT 1 FROM inspections j WHERE j.place_id = i.place_id AND j.created_at > i.created_at) \
            ORDER BY i.created_at DESC LIMIT \(bind: limit)
            """).all()
        return try rows.map(stored)
    }

    static func stored(_ r: any SQLRow) throws -> StoredInspection {
        StoredInspection(
            id: try r.decode(column: "id", as: UUID.self), placeID: try r.decode(column: "place_id", as: UUID.self),
            areaPath: try r.decode(column: "area_path", as: String.self), checklistCode: try r.decode(column: "checklist_code", as: String.self),
            results: try JSONDecoder().decode([InspectionItemResult].self, from: Data(try r.decode(column: "results", as: String.self).utf8)),
            failed: try r.decode(column: "failed", as: Int.self),
            caseCodes: try JSONDecoder().decode([String].self, from: Data(try r.decode(column: "case_codes", as: String.self).utf8)),
            createdBy: try r.decode(column: "created_by", as: String.self), createdAt: try r.decode(column: "created_at", as: Date.self))
    }
}
