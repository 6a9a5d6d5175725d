import Fluent
import SQLKit

/// The one registry (issue 20): `registry_entries` holds buildings, households and places in one table (`kind`),
/// each with its grid and area path (found from its point), the entry as JSON, a label to search and a version;
/// `registry_changes` keeps every change's changed fields, numbered per entry.
struct M038_CreateRegistry: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("registry_entries")
            .id()
            .field("kind", .string, .required)
            .field("grid_code", .string, .required)
            .field("area_path", .string, .required)
            .field("type_code", .string)
            .field("label", .string, .required)
            .field("document", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        for (name, column) in [("registry_entries_area_path", "area_path"), ("registry_entries_kind", "kind")] {
            try await db.sqlIndex(name, on: "registry_entries", column: column)
        }
        try await db.schema("registry_changes")
            .id()
            .field("entry_id", .uuid, .required, .references("registry_entries", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("at", .datetime, .required)
            .field("by", .string, .required)
            .field("changes", .string, .required)
            .unique(on: "entry_id", "version")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("registry_changes").delete()
        try await db.schema("registry_entries").delete()
    }
}
