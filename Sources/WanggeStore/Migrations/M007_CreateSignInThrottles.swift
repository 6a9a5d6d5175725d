import Fluent

struct M007_CreateSignInThrottles: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("sign_in_throttles")
            .id()
            .field("username", .string, .required)
            .field("failures", .int, .required)
            .field("last_failure_at", .datetime, .required)
            .unique(on: "username")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("sign_in_throttles").delete()
    }
}
