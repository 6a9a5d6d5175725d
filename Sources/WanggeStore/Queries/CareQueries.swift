import Fluent
import Foundation
import SQLKit
import WanggeCore

public struct StoredCarePlan: Sendable, Hashable {
    public var id: UUID
    public var householdID: UUID
    public var gridCode: String
    public var areaPath: String
    public var draft: CarePlanDraft
    public var nextDue: CivilDate
    public var createdBy: String
    public var createdAt: Date
}

public struct StoredCareVisit: Sendable, Hashable {
    public var day: CivilDate
    public var note: String?
    public var caseCode: String?
    public var by: String
}

public enum CareQueries {
    static let columns = ["id", "household_id", "grid_code", "area_path", "consent_on", "consent_how", "needs", "every", "next_due", "created_by", "created_at"]

    public static func insert(householdID: UUID, gridCode: String, areaPath: String, draft d: CarePlanDraft, nextDue: CivilDate, by: String, at: Date,
                              key: (key: String, requestHash: String)?, on db: any Database) async throws -> UUID {
        let id = UUID()
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            if let key { try await RecordKeys.remember(kind: "care_plan", key: key.key, requestHash: key.requestHash, recordID: id, at: at, on: sql) }
            try await sql.insert(into: "care_plans").columns(columns)
                .values(SQLBind(id), SQLBind(householdID), SQLBind(gridCode), SQLBind(areaPath), SQLBind(d.consentOn.description), SQLBind(d.consentHow),
                        SQLBind(d.needs), SQLBind(d.every.text), SQLBind(nextDue.description), SQLBind(by), SQLBind(at)).run()
        }
        return id
    }

    public static func find(id: UUID, on db: any Database) async throws -> StoredCarePlan? {
        try await SafetyIndexQueries.sqlDB(db).select().columns(columns).from("care_plans").where("id", .equal, id).first().map(stored)
    }

    public static func of(household: UUID, on db: any Database) async throws -> StoredCarePlan? {
        try await SafetyIndexQueries.sqlDB(db).select().columns(columns).from("care_plans").where("household_id", .equal, household).first().map(stored)
    }

    /// The plans under `scopePath`, the first due first (those due by `dueBy` only, when given), at most `limit`.
    public static func list(scopePath: String, dueBy: CivilDate?, limit: Int, on db: any Database) async throws -> [StoredCarePlan] {
        try await page(scopePath: scopePath, dueBy: dueBy, page: 1, per: limit, counting: false, on: db).items
    }

    /// A page of the plans under `scopePath` (due by `dueBy` when given), the first due first, and how many in all.
    public static func page(scopePath: String, dueBy: CivilDate?, page: Int, per: Int, counting: Bool = true,
                            on db: any Database) async throws -> (items: [StoredCarePlan], total: Int) {
        let sql = try SafetyIndexQueries.sqlDB(db)
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.from("care_plans").where(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
            if let d = dueBy { q = q.where("next_due", .lessThanOrEqual, d.description) }
            return q
        }
        let items = try await filtered(sql.select().columns(columns)).orderBy("next_due").orderBy("id").limit(per).offset((page - 1) * per).all().map(stored)
        let total = counting ? try await filtered(sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))))
            .first()?.decode(column: "n", as: Int.self) ?? 0 : items.count
        return (items, total)
    }

    /// A visit and the plan's next due day, in one transaction.
    public static func visit(_ planID: UUID, day: CivilDate, note: String?, caseCode: String?, nextDue: CivilDate, by: String, at: Date,
                             key: (key: String, requestHash: String)?, on db: any Database) async throws -> UUID {
        let id = UUID()
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            if let key { try await RecordKeys.remember(kind: "care_visit", key: key.key, requestHash: key.requestHash, recordID: id, at: at, on: sql) }
            try await sql.insert(into: "care_visits").columns("id", "plan_id", "day", "note", "case_code", "created_by", "created_at")
                .values(SQLBind(id), SQLBind(planID), SQLBind(day.description), SQLBind(note), SQLBind(caseCode), SQLBind(by), SQLBind(at)).run()
            try await sql.update("care_plans").set("next_due", to: SQLBind(nextDue.description)).where("id", .equal, planID).run()
        }
        return id
    }

    public static func visits(_ planID: UUID, on db: any Database) async throws -> [StoredCareVisit] {
        try await SafetyIndexQueries.sqlDB(db).select().columns("day", "note", "case_code", "created_by").from("care_visits")
            .where("plan_id", .equal, planID).orderBy("day", .descending).all().map { r in
                StoredCareVisit(day: CivilDate(try r.decode(column: "day", as: String.self)) ?? CivilDate(dayNumber: 0),
                                note: try r.decode(column: "note", as: String?.self), caseCode: try r.decode(column: "case_code", as: String?.self),
                                by: try r.decode(column: "created_by", as: String.self))
            }
    }

    /// Consent withdrawn: the plan and its visits are deleted; only that it was withdrawn, and when, is kept.
    public static func withdraw(_ plan: StoredCarePlan, on day: CivilDate, by: String, at: Date, on db: any Database) async throws {
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            try await sql.delete(from: "care_visits").where("plan_id", .equal, plan.id).run()
            try await sql.delete(from: "care_plans").where("id", .equal, plan.id).run()
            try await sql.insert(into: "care_withdrawals").columns("id", "household_id", "withdrawn_on", "recorded_by", "recorded_at")
                .values(SQLBind(UUID()), SQLBind(plan.householdID), SQLBind(day.description), SQLBind(by), SQLBind(at)).run()
        }
    }

    /// How many rows of care data a household has (its plan and its visits): for tests of withdrawal.
    public static func careRows(household: UUID, on db: any Database) async throws -> Int {
        let sql = try SafetyIndexQueries.sqlDB(db)
        let n = try await sql.raw("""
            SELECT (SELECT COUNT(*) FROM care_plans WHERE household_id = \(bind: household)) + \
            (SELECT COUNT(*) FROM care_visits v JOIN care_plans p ON p.id = v.plan_id WHERE p.household_id = \(bind: household)) AS n
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        let orphans = try await sql.raw("SELECT COUNT(*) AS n FROM care_visits v WHERE NOT EXISTS (SELECT 1 FROM care_plans p WHERE p.id = v.plan_id)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return n + orphans
    }

    static func stored(_ r: any SQLRow) throws -> StoredCarePlan {
        let every = try r.decode(column: "every", as: String.self)
        guard let consentOn = CivilDate(try r.decode(column: "consent_on", as: String.self)), let interval = RiskReviewInterval(every),
              let next = CivilDate(try r.decode(column: "next_due", as: String.self)) else { throw StoreError.corrupt("care plan") }
        return StoredCarePlan(id: try r.decode(column: "id", as: UUID.self), householdID: try r.decode(column: "household_id", as: UUID.self),
                              gridCode: try r.decode(column: "grid_code", as: String.self), areaPath: try r.decode(column: "area_path", as: String.self),
                              draft: CarePlanDraft(consentOn: consentOn, consentHow: try r.decode(column: "consent_how", as: String.self),
                                                   needs: try r.decode(column: "needs", as: String.self), every: interval),
                              nextDue: next, createdBy: try r.decode(column: "created_by", as: String.self),
                              createdAt: try r.decode(column: "created_at", as: Date.self))
    }
}
