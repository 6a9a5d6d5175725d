import Fluent
import SQLKit

/// The duplicate lookup's index also holds the longitude and the report time, so that of the cases in the
/// category's latitude band only those inside the box and recent enough are read from the table. With the band
/// alone, every case of the category in a strip across the county was read (measured: most of SQLite's time in
/// intake under load, growing with the number of cases).
struct M015_CoverDuplicateLookup: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "cases_duplicate_lookup").on("cases")
            .column("category_code").column("lat").column("lon").column("reported_at").run()
        try await sql.drop(index: "cases_category_lat").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "cases_category_lat").on("cases").column("category_code").column("lat").run()
        try await sql.drop(index: "cases_duplicate_lookup").run()
    }
}
