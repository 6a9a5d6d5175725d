import Fluent

struct M001_CreateAreas: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("areas")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("level", .string, .required)
            .field("parent_code", .string)
            .field("path", .string, .required)
            .field("boundary", .string)
            .field("population", .int, .required)
            .field("households", .int, .required)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("areas").delete()
    }
}
