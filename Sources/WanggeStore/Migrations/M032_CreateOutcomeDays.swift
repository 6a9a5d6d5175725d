import Fluent
import SQLKit

/// The monthly rollup's facts again by day (`outcome_days`), so a total over a period that holds part of an ended
/// month reads its whole days from there instead of scanning them (a year to today: the month a year ago). Each
/// fact row carries its day (`day_start`, in the calendar's zone). The facts are written anew by `Setup.migrate`.
struct M032_CreateOutcomeDays: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("case_outcomes").field("day_start", .datetime).update()
        try await db.schema("outcome_days")
            .field("day_start", .datetime, .required)
            .field("township_path", .string, .required)
            .field("kind", .string, .required)
            .field("success", .bool, .required)
            .field("n", .int, .required)
            .unique(on: "day_start", "township_path", "kind", "success")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.delete(from: "store_markers").where("name", .equal, "case_outcomes").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("outcome_days").delete()
        try await db.schema("case_outcomes").deleteField("day_start").update()
    }
}
