import Fluent

/// A retried report with the same Idempotency-Key returns the case the first one created.
struct M012_CreateIdempotencyKeys: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("idempotency_keys")
            .id()
            .field("key", .string, .required)
            .field("request_hash", .string, .required)
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "key")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("idempotency_keys").delete()
    }
}
