import Fluent
import Foundation
import SQLKit
import WanggeCore

/// What the dashboards keep of every case besides its measure outcomes: where, what, who and how far along.
public struct CaseIndexRow: Sendable, Decodable {
    public var id: UUID
    public var code: String
    public var version: Int
    public var area_code: String
    public var area_path: String
    public var category_code: String
    public var department_code: String?
    public var state: String
    public var lat: Double?
    public var lon: Double?
    public var reported_at: Date
    public var updated_at: Date
    public var next_deadline_at: Date?
    public var suspended: Bool

    public var caseState: CaseState { CaseState(rawValue: state) ?? .reported }
    public var point: GeoPoint? { lat.flatMap { la in lon.map { GeoPoint(lon: $0, lat: la) } } }
}

/// Reads for the dashboards' case index: plain SQL rows, no models, since they run over every case.
public enum CaseIndexQueries {
    static let columns = ["id", "code", "version", "area_code", "area_path", "category_code", "department_code", "state",
                          "lat", "lon", "reported_at", "updated_at", "next_deadline_at", "suspended"]

    /// A cheap fingerprint of every case's version: it changes with every report and every action.
    public static func fingerprint(on db: any Database) async throws -> (count: Int, versions: Int) {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        let row = try await sql.raw("SELECT COUNT(*) AS n, CAST(COALESCE(SUM(version), 0) AS BIGINT) AS v FROM cases").first()
        return (try row?.decode(column: "n", as: Int.self) ?? 0, try row?.decode(column: "v", as: Int.self) ?? 0)
    }

    /// The rows changed at or after `since` (every row when nil).
    public static func rows(updatedSince since: Date?, on db: any Database) async throws -> [CaseIndexRow] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        var q = sql.select().columns(columns.map { SQLIdentifier($0) }).from(CaseModel.schema)
        if let since { q = q.where("updated_at", .greaterThanOrEqual, since) }
        return try await q.all(decoding: CaseIndexRow.self)
    }

    /// Every case's id and version, to find what an incremental read missed.
    public static func versions(on db: any Database) async throws -> [UUID: Int] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        var out: [UUID: Int] = [:]
        for r in try await sql.select().columns("id", "version").from(CaseModel.schema).all() {
            out[try r.decode(column: "id", as: UUID.self)] = try r.decode(column: "version", as: Int.self)
        }
        return out
    }

    public static func rows(ids: [UUID], on db: any Database) async throws -> [CaseIndexRow] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        var out: [CaseIndexRow] = []
        for chunk in ids.chunked(by: 500) {
            out += try await sql.select().columns(columns.map { SQLIdentifier($0) }).from(CaseModel.schema)
                .where("id", .in, Array(chunk)).all(decoding: CaseIndexRow.self)
        }
        return out
    }

    /// The histories of these cases, by case.
    public static func histories(ids: [UUID], on db: any Database) async throws -> [UUID: CaseHistory] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        var byCase: [UUID: [(Int, CaseActionRecord)]] = [:]
        for chunk in ids.chunked(by: 500) {
            for r in try await sql.select().columns("case_id", "seq", "record").from(CaseActionModel.schema)
                .where("case_id", .in, Array(chunk)).all() {
                let record = try CaseQueries.decoder.decode(CaseActionRecord.self, from: Data(try r.decode(column: "record", as: String.self).utf8))
                byCase[try r.decode(column: "case_id", as: UUID.self), default: []].append((try r.decode(column: "seq", as: Int.self), record))
            }
        }
        return byCase.mapValues { CaseHistory(actions: $0.sorted { $0.0 < $1.0 }.map(\.1)) }
    }

    /// Open supervisions (督办) of cases in a subtree that are still open, newest first.
    public static func openSupervisions(scopePath: String, limit: Int, on db: any Database) async throws -> [OpenSupervision] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        let rows = try await sql.select()
            .column(SQLColumn("kind", table: "s")).column(SQLColumn("raised_at", table: "s")).column(SQLColumn("raised_by", table: "s"))
            .column(SQLColumn("id", table: "c"), as: "case_id").column(SQLColumn("code", table: "c"))
            .column(SQLColumn("state", table: "c")).column(SQLColumn("area_code", table: "c"))
            .column(SQLColumn("department_code", table: "c")).column(SQLColumn("category_code", table: "c"))
            .from(SQLAlias(SQLIdentifier(SupervisionModel.schema), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier(CaseModel.schema), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("case_id", table: "s"), .equal, SQLColumn("id", table: "c"))
            .where(LikePattern.startsWith(SQLColumn("area_path", table: "s"), scopePath))
            .where(SQLColumn("state", table: "c"), .notIn, SQLBind.group(CaseState.finished.map(\.rawValue)))
            .orderBy(SQLOrderBy(expression: SQLColumn("raised_at", table: "s"), direction: SQLDirection.descending)).limit(limit)
            .all(decoding: OpenSupervision.self)
        return rows
    }
}

public struct OpenSupervision: Sendable, Decodable {
    public var kind: String
    public var raised_at: Date
    public var raised_by: String?
    public var case_id: UUID
    public var code: String
    public var state: String
    public var area_code: String
    public var department_code: String?
    public var category_code: String
}
