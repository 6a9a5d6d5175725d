import Fluent
import SQLKit

/// The risk register (issue 19): the entry's row (its current snapshot and the columns the register's lists filter
/// on: category, level, area, responsible department, when it was cleared) and its append-only actions numbered per
/// entry. Numbers, supervisions and idempotency keys are the shared tables' (kind `risk`).
struct M035_CreateRisks: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("risks")
            .id()
            .field("code", .string, .required)
            .field("state", .string, .required)
            .field("area_code", .string, .required)
            .field("area_path", .string, .required)
            .field("category_code", .string, .required)
            .field("level", .int, .required)
            .field("title", .string, .required)
            .field("department_code", .string)
            .field("cleared_at", .datetime)
            .field("next_deadline_at", .datetime)
            .field("clock_yellow_at", .datetime)
            .field("snapshot", .string, .required)
            .field("version", .int, .required)
            .field("registered_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "code")
            .create()
        try await db.schema("risk_actions")
            .id()
            .field("risk_id", .uuid, .required, .references("risks", "id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("kind", .string, .required)
            .field("actor", .string)
            .field("at", .datetime, .required)
            .field("record", .string, .required)
            .unique(on: "risk_id", "seq")
            .create()
        for (name, column) in [("risks_area_path", "area_path"), ("risks_state", "state"), ("risks_level", "level"),
                               ("risks_category_code", "category_code"), ("risks_next_deadline_at", "next_deadline_at"),
                               ("risks_registered_at", "registered_at")] {
            try await db.sqlIndex(name, on: "risks", column: column)
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("risk_actions").delete()
        try await db.schema("risks").delete()
    }
}
