import Fluent

struct M002_CreateDepartments: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("departments")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("area_code", .string, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("departments").delete()
    }
}
