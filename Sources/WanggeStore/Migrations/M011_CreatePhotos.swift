import Fluent

/// Photos are stored on disk under the data folder by content hash; this row knows their type and size.
struct M011_CreatePhotos: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("photos")
            .id()
            .field("sha256", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("width", .int)
            .field("height", .int)
            .field("created_at", .datetime, .required)
            .unique(on: "sha256")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("photos").delete()
    }
}
