import Fluent
import SQLKit

/// `case_outcomes` keeps every version of a case's facts (`MeasureFact.versions`), each with when it stopped being
/// among the case's facts (`replaced_at`; `MeasureQueries.forever`: it still is), so the facts as known at any instant
/// are a filter and a past period is counted with SQL alone. The covering count index gains the column; a third
/// index finds the versions replaced after an instant. `settled` now also marks versions replaced by the end of their
/// month (no period counted as of then or later sees them). The facts are written anew by `Setup.migrate` (its marker
/// is removed here).
struct M030_KeepFactVersions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("case_outcomes").field("replaced_at", .datetime).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "case_outcomes_count").run()
        try await sql.create(index: "case_outcomes_count").on("case_outcomes")
            .column("at").column("ready_at").column("counts_until").column("kind").column("success")
            .column("area_path").column("area_code").column("major_category").column("department_code").column("replaced_at").run()
        try await sql.create(index: "case_outcomes_replaced").on("case_outcomes").column("replaced_at").column("at").run()
        try await sql.delete(from: "store_markers").where("name", .equal, "case_outcomes").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "case_outcomes_replaced").run()
        try await sql.drop(index: "case_outcomes_count").run()
        try await sql.delete(from: "case_outcomes").where("replaced_at", .lessThan, MeasureQueries.forever).run()
        try await db.schema("case_outcomes").deleteField("replaced_at").update()
        try await sql.create(index: "case_outcomes_count").on("case_outcomes")
            .column("at").column("ready_at").column("counts_until").column("kind").column("success")
            .column("area_path").column("area_code").column("major_category").column("department_code").run()
        try await sql.delete(from: "store_markers").where("name", .equal, "case_outcomes").run()
    }
}
