import Fluent
import SQLKit

/// The registry by grid (issue 20): a grid worker's today list, a village's or township's coverage and the demo's
/// 111,000 households. `area_path LIKE 'prefix%' ESCAPE …` cannot use an index in SQLite (LIKE is case-insensitive
/// there), so a narrow scope names its grids instead, through this index.
struct M044_IndexRegistryByGrid: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "registry_entries_grid_kind").on("registry_entries").column("grid_code").column("kind").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "registry_entries_grid_kind").run()
    }
}
