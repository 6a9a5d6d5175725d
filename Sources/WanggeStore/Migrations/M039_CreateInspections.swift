import Fluent
import SQLKit

/// Key-place inspections (issue 20): the place, the checklist, every item's result (JSON) and the cases its failed
/// items raised (their codes, JSON, filled once raised).
struct M039_CreateInspections: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("inspections")
            .id()
            .field("place_id", .uuid, .required, .references("registry_entries", "id"))
            .field("area_path", .string, .required)
            .field("checklist_code", .string, .required)
            .field("results", .string, .required)
            .field("failed", .int, .required)
            .field("case_codes", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.sqlIndex("inspections_place", on: "inspections", column: "place_id")
        try await db.sqlIndex("inspections_area_path", on: "inspections", column: "area_path")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("inspections").delete()
    }
}
