import Fluent

/// Append-only: one row per step of a case's life, numbered per case so two racing writers cannot both append
/// step N.
struct M010_CreateCaseActions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("case_actions")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("kind", .string, .required)
            .field("actor", .string)
            .field("actor_role", .string)
            .field("at", .datetime, .required)
            .field("from_state", .string)
            .field("to_state", .string, .required)
            .field("from_assignee", .string)
            .field("to_assignee", .string)
            .field("note", .string)
            .field("attachments", .string, .required)
            .field("record", .string, .required)
            .unique(on: "case_id", "seq")
            .create()
        try await db.sqlIndex("case_actions_at", on: "case_actions", column: "at")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("case_actions").delete()
    }
}
