import Fluent
import Foundation
import SQLKit
import WanggeCore

/// Who recorded an entry of a small register (heightened periods, grave events) and whether it was withdrawn.
public struct RegisterEntryMeta: Sendable, Hashable {
    public var id: UUID
    public var createdBy: String
    public var createdAt: Date
    public var withdrawnAt: Date?
    public var withdrawnBy: String?
    public var note: String?

    static let columns = ["id", "created_by", "created_at", "withdrawn_at", "withdrawn_by", "note"]

    init(_ r: any SQLRow) throws {
        id = try r.decode(column: "id", as: UUID.self)
        createdBy = try r.decode(column: "created_by", as: String.self)
        createdAt = try r.decode(column: "created_at", as: Date.self)
        withdrawnAt = try r.decode(column: "withdrawn_at", as: Date?.self)
        withdrawnBy = try r.decode(column: "withdrawn_by", as: String?.self)
        note = try r.decode(column: "note", as: String?.self)
    }
}

public struct StoredHeightenedPeriod: Sendable, Hashable {
    public var period: HeightenedPeriod
    public var meta: RegisterEntryMeta
}

public struct StoredGraveEvent: Sendable, Hashable {
    public var event: GraveEvent
    public var areaPath: String
    public var meta: RegisterEntryMeta
}

/// The small registers of M037: written once, withdrawn (called off) with a note, never deleted or edited.
public enum SafetyRegisterQueries {
    /// Withdraws an entry of `table` that is not withdrawn yet; false when there is none such.
    public static func withdraw(_ table: SafetyRegisterTable, id: UUID, at: Date, by: String, note: String?, on db: any Database) async throws -> Bool {
        let sql = try SafetyIndexQueries.sqlDB(db)
        return try await sql.raw("""
            UPDATE \(ident: table.rawValue) SET withdrawn_at = \(bind: at), withdrawn_by = \(bind: by), note = \(bind: note) \
            WHERE id = \(bind: id) AND withdrawn_at IS NULL RETURNING id
            """).first() != nil
    }

    // MARK: Heightened periods

    public static func insert(_ p: HeightenedPeriod, by: String, at: Date, on db: any Database) async throws -> UUID {
        let sql = try SafetyIndexQueries.sqlDB(db), id = UUID()
        let codes = String(decoding: try JSONEncoder().encode(p.areaCodes), as: UTF8.self)
        try await sql.insert(into: "heightened_periods").columns("id", "name", "start_at", "end_at", "area_codes", "created_by", "created_at")
            .values(SQLBind(id), SQLBind(p.name), SQLBind(p.start), SQLBind(p.end), SQLBind(codes), SQLBind(by), SQLBind(at)).run()
        return id
    }

    /// Periods ending after `endAfter`, the latest start first (withdrawn ones too when asked), at most `limit`.
    public static func periods(endAfter: Date, includeWithdrawn: Bool, limit: Int, on db: any Database) async throws -> [StoredHeightenedPeriod] {
        var q = try periodSelect(db).where("end_at", .greaterThan, endAfter)
        if !includeWithdrawn { q = q.where("withdrawn_at", .is, SQLLiteral.null) }
        return try await q.orderBy("start_at", .descending).orderBy("id").limit(limit).all().map(period)
    }

    public static func period(id: UUID, on db: any Database) async throws -> StoredHeightenedPeriod? {
        try await periodSelect(db).where("id", .equal, id).first().map(period)
    }

    static func periodSelect(_ db: any Database) throws -> SQLSelectBuilder {
        try SafetyIndexQueries.sqlDB(db).select().columns(["name", "start_at", "end_at", "area_codes"] + RegisterEntryMeta.columns).from("heightened_periods")
    }

    static func period(_ r: any SQLRow) throws -> StoredHeightenedPeriod {
        let codes = try JSONDecoder().decode([String].self, from: Data(try r.decode(column: "area_codes", as: String.self).utf8))
        return StoredHeightenedPeriod(period: HeightenedPeriod(name: try r.decode(column: "name", as: String.self),
                                                               start: try r.decode(column: "start_at", as: Date.self),
                                                               end: try r.decode(column: "end_at", as: Date.self), areaCodes: codes),
                                      meta: try RegisterEntryMeta(r))
    }

    // MARK: Grave events

    public static func insert(_ e: GraveEvent, areaPath: String, by: String, at: Date, on db: any Database) async throws -> UUID {
        let sql = try SafetyIndexQueries.sqlDB(db), id = UUID()
        try await sql.insert(into: "grave_events").columns("id", "area_code", "area_path", "occurred_on", "month", "code", "summary", "created_by", "created_at")
            .values(SQLBind(id), SQLBind(e.areaCode), SQLBind(areaPath), SQLBind(e.occurredOn.description), SQLBind(e.month), SQLBind(e.code),
                    SQLBind(e.summary), SQLBind(by), SQLBind(at)).run()
        return id
    }

    /// The grave events under `scopePath` (of `month` when given), the latest first, at most `limit`.
    public static func graveEvents(scopePath: String, month: String?, includeWithdrawn: Bool, limit: Int, on db: any Database) async throws -> [StoredGraveEvent] {
        let sql = try SafetyIndexQueries.sqlDB(db)
        var q = sql.select().columns(["area_code", "area_path", "occurred_on", "code", "summary"] + RegisterEntryMeta.columns).from("grave_events")
            .where(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
        if let m = month { q = q.where("month", .equal, m) }
        if !includeWithdrawn { q = q.where("withdrawn_at", .is, SQLLiteral.null) }
        return try await q.orderBy("occurred_on", .descending).orderBy("created_at", .descending).limit(limit).all().map(graveEvent)
    }

    public static func graveEvent(id: UUID, on db: any Database) async throws -> StoredGraveEvent? {
        let sql = try SafetyIndexQueries.sqlDB(db)
        return try await sql.select().columns(["area_code", "area_path", "occurred_on", "code", "summary"] + RegisterEntryMeta.columns)
            .from("grave_events").where("id", .equal, id).first().map(graveEvent)
    }

    /// The month's grave events not withdrawn, counted by area path and code.
    public static func graveEventCounts(month: String, on db: any Database) async throws -> [(areaPath: String, code: String, n: Int)] {
        let sql = try SafetyIndexQueries.sqlDB(db)
        return try await sql.select().column("area_path").column("code")
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))).from("grave_events")
            .where("month", .equal, month).where("withdrawn_at", .is, SQLLiteral.null).groupBy("area_path").groupBy("code").all()
            .map { (try $0.decode(column: "area_path", as: String.self), try $0.decode(column: "code", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }

    static func graveEvent(_ r: any SQLRow) throws -> StoredGraveEvent {
        let day = try r.decode(column: "occurred_on", as: String.self)
        guard let on = CivilDate(day) else { throw StoreError.corrupt("grave event on \(day)") }
        return StoredGraveEvent(event: GraveEvent(areaCode: try r.decode(column: "area_code", as: String.self), occurredOn: on,
                                                  code: try r.decode(column: "code", as: String.self), summary: try r.decode(column: "summary", as: String.self)),
                                areaPath: try r.decode(column: "area_path", as: String.self), meta: try RegisterEntryMeta(r))
    }
}

/// The tables `SafetyRegisterQueries.withdraw` works on.
public enum SafetyRegisterTable: String, Sendable {
    case heightenedPeriods = "heightened_periods"
    case graveEvents = "grave_events"
}
