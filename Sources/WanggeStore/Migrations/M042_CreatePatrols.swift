import Fluent
import SQLKit

/// Patrols (issue 20): the grid, who, when it started and ended, and its findings (JSON, each with a point only where
/// one was recorded), changed with a version.
struct M042_CreatePatrols: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("patrols")
            .id()
            .field("grid_code", .string, .required)
            .field("area_path", .string, .required)
            .field("worker", .string, .required)
            .field("started_at", .datetime, .required)
            .field("ended_at", .datetime)
            .field("summary", .string)
            .field("findings", .string, .required)
            .field("version", .int, .required)
            .create()
        try await db.sqlIndex("patrols_area_path", on: "patrols", column: "area_path")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("patrols").delete()
    }
}
