import Fluent
import SQLKit

/// Household visits (入户走访, issue 20): the household, its grid and area path at the visit, the day in the county's
/// calendar, the outcome and a note.
struct M040_CreateVisits: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("visits")
            .id()
            .field("household_id", .uuid, .required, .references("registry_entries", "id"))
            .field("grid_code", .string, .required)
            .field("area_path", .string, .required)
            .field("day", .string, .required)
            .field("outcome", .string, .required)
            .field("note", .string)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.sqlIndex("visits_area_path", on: "visits", column: "area_path")
        try await db.sqlIndex("visits_household", on: "visits", column: "household_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("visits").delete()
    }
}
