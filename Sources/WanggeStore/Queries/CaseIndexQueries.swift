import Fluent
import Foundation
import SQLKit
import WanggeCore

/// What the dashboards show of a case: where, what, who and how far along.
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

/// Reads for the dashboards and the big screen: plain SQL rows, no models.
public enum CaseIndexQueries {
    static let columns = ["id", "code", "version", "area_code", "area_path", "category_code", "department_code", "state",
                          "lat", "lon", "reported_at", "updated_at", "next_deadline_at", "suspended"]

    /// Open work past its deadline (not suspended) under `scopePath`: the most late first, at most `limit`, and how
    /// many there are in all.
    public static func late(scopePath: String, now: Date, limit: Int, on db: any Database) async throws -> (rows: [CaseIndexRow], total: Int) {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        func late(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            q.from(CaseModel.schema).where(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
                .where(CaseQueries.stateIs(oneOf: CaseState.allCases.filter(\.isOpen)))
                .where("suspended", .equal, false).where("next_deadline_at", .lessThan, now)
        }
        let total = try await late(sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await late(sql.select().columns(columns.map { SQLIdentifier($0) }))
            .orderBy("next_deadline_at").orderBy("code").limit(limit).all(decoding: CaseIndexRow.self)
        return (rows, total)
    }

    /// The points of the cases reported in the period under `scopePath`, newest last.
    public static func points(scopePath: String, period: DateInterval, on db: any Database) async throws -> [GeoPoint] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.select().column("lat").column("lon").from(CaseModel.schema)
            .where(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
            .where("reported_at", .greaterThanOrEqual, period.start).where("reported_at", .lessThan, period.end)
            .where("lat", .isNot, SQLLiteral.null).where("lon", .isNot, SQLLiteral.null)
            .orderBy("reported_at").all().map { GeoPoint(lon: try $0.decode(column: "lon", as: Double.self), lat: try $0.decode(column: "lat", as: Double.self)) }
    }

    /// The command centre's counters under `scopePath`: reported since `since`, closed since `since`, open now.
    public static func counters(scopePath: String, since: Date, on db: any Database) async throws -> (reported: Int, closed: Int, open: Int) {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        func count(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            q.column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
                .from(CaseModel.schema).where(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
        }
        let reported = try await count(sql.select()).where("reported_at", .greaterThanOrEqual, since).first()?.decode(column: "n", as: Int.self) ?? 0
        // Led by `updated_at` (today's changes), not by the state: SQLite, without statistics of values, took the
        // equality on `state` to be narrow and read every closed case of the year (35 ms of the big screen's 45).
        var closedToday = SQLQueryString("CASE WHEN state = ")
        closedToday.appendInterpolation(bind: CaseState.closed.rawValue)
        closedToday.appendLiteral(" THEN 1 ELSE 0 END = 1")
        let closed = try await count(sql.select()).where("updated_at", .greaterThanOrEqual, since).where(closedToday)
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let open = try await count(sql.select()).where("state", .in, CaseState.allCases.filter(\.isOpen).map(\.rawValue))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return (reported, closed, open)
    }

    /// The newest cases under `scopePath`.
    public static func newest(scopePath: String, limit: Int, on db: any Database) async throws -> [CaseIndexRow] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.select().columns(columns.map { SQLIdentifier($0) }).from(CaseModel.schema)
            .where(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
            .orderBy("reported_at", .descending).orderBy("code", .descending).limit(limit).all(decoding: CaseIndexRow.self)
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
            .from(SQLAlias(SQLIdentifier("record_supervisions"), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier(CaseModel.schema), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("record_id", table: "s"), .equal, SQLColumn("id", table: "c"))
            .where(SQLColumn("record_kind", table: "s"), .equal, SQLBind(CaseQueries.kind))
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
