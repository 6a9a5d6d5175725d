import Fluent

struct M008_CreateCalendarYears: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("calendar_years")
            .id()
            .field("year", .int, .required)
            .field("schedule", .string, .required)
            .field("source", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "year")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("calendar_years").delete()
    }
}
