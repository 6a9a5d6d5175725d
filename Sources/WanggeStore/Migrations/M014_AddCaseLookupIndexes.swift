import Fluent
import SQLKit

/// The duplicate lookup asks for one category near a point: without this index SQLite walks every recent case of
/// every category (measured: most of intake's time under load).
struct M014_AddCaseLookupIndexes: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "cases_category_lat").on("cases").column("category_code").column("lat").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "cases_category_lat").run()
    }
}
