import Fluent

struct M003_CreateCategories: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("categories")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("name_en", .string, .required)
            .field("parent_code", .string)
            .field("handler_kind", .string)
            .field("lead_kind", .string)
            .field("priority", .string)
            .field("sign_limit", .string)
            .field("resolve_limit", .string)
            .field("verify_limit", .string)
            .field("photo_required", .bool, .required)
            .field("keywords", .string, .required)
            .field("position", .int, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("categories").delete()
    }
}
