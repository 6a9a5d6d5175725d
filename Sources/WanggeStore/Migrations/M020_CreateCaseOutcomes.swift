import Fluent
import SQLKit

/// Each case's measure outcomes (`MeasureFact`), rewritten in the transaction of every action, so the measures are
/// counted with SQL. Where the case stands (area, 大类, department) is copied in, so counting reads this table only.
/// Existing cases get theirs from `Setup.migrate` (it needs the working calendar, which a migration does not have).
struct M020_CreateCaseOutcomes: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("case_outcomes")
            .field("case_id", .uuid, .required)
            .field("ordinal", .int, .required)
            .field("kind", .string, .required)
            .field("at", .datetime, .required)
            .field("success", .bool, .required)
            .field("known_from", .datetime)
            .field("strict", .bool, .required)
            .field("last_only", .bool, .required)
            .field("superseded_at", .datetime)
            .field("area_path", .string, .required)
            .field("area_code", .string, .required)
            .field("major_category", .string, .required)
            .field("department_code", .string)
            .field("case_updated_at", .datetime, .required)
            // Derived, so a count compares each row with three bounds and nothing else (measured: the OR-ed
            // known/superseded tests cost half of a year's scan): when the fact counts at the earliest (it is
            // known, and the case has not changed since), and the end of the periods it may count in.
            .field("ready_at", .datetime, .required)
            .field("counts_until", .datetime, .required)
            // For the monthly rollup: the month of `at`, the case's township (its path to that level), and whether
            // the fact counts in every period holding its whole month as of that month's end (see MeasureQueries).
            .field("month_start", .datetime, .required)
            .field("township_path", .string, .required)
            .field("settled", .bool, .required)
            .unique(on: "case_id", "ordinal")
            .create()
        // Covering: a count reads this index only, in order of `at`.
        if let sql = db as? any SQLDatabase {
            // The duplicate lookup's index holds the state and code too, so it never reads the table (M015 had
            // the box and the time only: at a spot with 7,000 open reports each lookup read 7,000 rows).
            try await sql.drop(index: "cases_duplicate_lookup").run()
            try await sql.create(index: "cases_duplicate_lookup").on("cases")
                .column("category_code").column("lat").column("lon").column("reported_at").column("state").column("code").run()
            try await sql.create(index: "case_outcomes_count").on("case_outcomes")
                .column("at").column("ready_at").column("counts_until").column("kind").column("success")
                .column("area_path").column("area_code").column("major_category").column("department_code").run()
        }
        // The counts leave out cases changed after the instant they are for; late work is found by its deadline.
        try await db.sqlIndex("cases_updated_at", on: "cases", column: "updated_at")
        try await db.sqlIndex("cases_next_deadline_at", on: "cases", column: "next_deadline_at")
        // Settled facts added up by month and township, kept in step by every write of facts.
        try await db.schema("outcome_months")
            .field("month_start", .datetime, .required)
            .field("township_path", .string, .required)
            .field("kind", .string, .required)
            .field("success", .bool, .required)
            .field("n", .int, .required)
            .unique(on: "month_start", "township_path", "kind", "success")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "case_outcomes_unsettled").on("case_outcomes").column("settled").column("at").run()
        }
        // Each running clock's thresholds, written with every action (and by `MeasureQueries.rebuild`).
        try await db.schema("cases").field("clock_yellow_at", .datetime).update()
        try await db.schema("cases").field("clock_due_at", .datetime).update()
        try await db.schema("cases").field("clock_paused_colour", .string).update()
        try await db.sqlIndex("cases_clock_due_at", on: "cases", column: "clock_due_at")
        try await db.sqlIndex("cases_clock_yellow_at", on: "cases", column: "clock_yellow_at")
        try await db.sqlIndex("cases_clock_paused_colour", on: "cases", column: "clock_paused_colour")
        // Which cases have their facts: set when every case had them written (see `MeasureQueries.backfill`).
        try await db.schema("store_markers")
            .field("name", .string, .identifier(auto: false))
            .field("at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "cases_updated_at").run()
            try await sql.drop(index: "cases_next_deadline_at").run()
            for index in ["cases_clock_due_at", "cases_clock_yellow_at", "cases_clock_paused_colour"] { try await sql.drop(index: index).run() }
            try await sql.drop(index: "cases_duplicate_lookup").run()
            try await sql.create(index: "cases_duplicate_lookup").on("cases")
                .column("category_code").column("lat").column("lon").column("reported_at").run()
        }
        try await db.schema("store_markers").delete()
        try await db.schema("outcome_months").delete()
        try await db.schema("case_outcomes").delete()
        try await db.schema("cases").deleteField("clock_yellow_at").update()
        try await db.schema("cases").deleteField("clock_due_at").update()
        try await db.schema("cases").deleteField("clock_paused_colour").update()
    }
}
