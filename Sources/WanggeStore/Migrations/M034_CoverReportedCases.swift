import Fluent
import SQLKit

/// A covering index for the dashboard's reported cases of a period (`MeasureQueries.reported`: by grid, category and
/// department; `CaseIndexQueries.points`): both read only the index, not the case rows, whose snapshot makes each
/// row span pages (this month's ~6,300 cases at `--scale 10`: 6 ms a query before, 1 ms after, on SQLite).
struct M034_CoverReportedCases: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "cases_reported_cover").on("cases")
            .column("reported_at").column("area_path").column("area_code").column("category_code").column("department_code")
            .column("lat").column("lon").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "cases_reported_cover").run()
    }
}
