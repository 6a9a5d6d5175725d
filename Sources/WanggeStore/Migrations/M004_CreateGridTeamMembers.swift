import Fluent

struct M004_CreateGridTeamMembers: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("grid_team_members")
            .id()
            .field("grid_code", .string, .required)
            .field("position", .string, .required)
            .field("name", .string, .required)
            .field("phone", .string)
            .field("username", .string)
            .create()
        try await db.sqlIndex("grid_team_members_grid_code", on: "grid_team_members", column: "grid_code")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("grid_team_members").delete()
    }
}
