import Fluent

/// 督办: a formal push on late or stuck work, with a reply. Unique per case, kind and stage, so the clock job
/// can never raise the same one twice even when two app servers run it at once.
struct M013_CreateSupervisions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("supervisions")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("stage_key", .string, .required)
            .field("raised_at", .datetime, .required)
            .field("raised_by", .string)
            .field("area_path", .string, .required)
            .field("note", .string)
            .field("replied_at", .datetime)
            .field("reply", .string)
            .unique(on: "case_id", "kind", "stage_key")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("supervisions").delete()
    }
}
