import Fluent
import SQLKit

/// Care plans and their visits (issue 20), kept only with the resident's consent: withdrawing it deletes both (the
/// visits cascade); `care_withdrawals` keeps that a household's consent was withdrawn and when, nothing more.
struct M043_CreateCarePlans: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("care_plans")
            .id()
            .field("household_id", .uuid, .required, .references("registry_entries", "id"))
            .field("grid_code", .string, .required)
            .field("area_path", .string, .required)
            .field("consent_on", .string, .required)
            .field("consent_how", .string, .required)
            .field("needs", .string, .required)
            .field("every", .string, .required)
            .field("next_due", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "household_id")
            .create()
        try await db.sqlIndex("care_plans_area_path", on: "care_plans", column: "area_path")
        try await db.schema("care_visits")
            .id()
            .field("plan_id", .uuid, .required, .references("care_plans", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("note", .string)
            .field("case_code", .string)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("care_withdrawals")
            .id()
            .field("household_id", .uuid, .required)
            .field("withdrawn_on", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        for t in ["care_withdrawals", "care_visits", "care_plans"] { try await db.schema(t).delete() }
    }
}
