import Fluent
import SQLKit

/// Open311's API keys (issue 21): a partner system's key, scoped to an area, with its own rate limit. Only the key's
/// SHA-256 is kept; the key itself is shown once when it is made. A case reported through a key names it in
/// `cases.channel_key`, for the case page and the measures' source breakdown.
struct M045_CreateAPIKeys: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("api_keys")
            .id()
            .field("name", .string, .required)
            .field("key_hash", .string, .required)
            .field("area_code", .string, .required)
            .field("area_path", .string, .required)
            .field("rate_per_minute", .int, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .field("revoked_at", .datetime)
            .unique(on: "name")
            .unique(on: "key_hash")
            .create()
        try await db.schema("cases").field("channel_key", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("cases").deleteField("channel_key").update()
        try await db.schema("api_keys").delete()
    }
}
