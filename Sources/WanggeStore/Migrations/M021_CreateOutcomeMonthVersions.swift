import Fluent
import SQLKit

/// A counter per month and township, raised in the transaction of every write of the facts of a case in that
/// month and township (or of a case reported then): a server's cache of a month's counts (the dashboard's) is good
/// while the counters it was made at stand. The row with township "*" is raised by every bulk rewrite.
/// Two indexes find the facts such a cache leaves out: those that may stop counting and those known only later.
struct M021_CreateOutcomeMonthVersions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("outcome_month_versions")
            .field("month_start", .datetime, .required)
            .field("township_path", .string, .required)
            .field("version", .int, .required)
            .unique(on: "month_start", "township_path")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "case_outcomes_until").on("case_outcomes").column("counts_until").column("at").run()
            try await sql.create(index: "case_outcomes_ready").on("case_outcomes").column("ready_at").column("at").run()
        }
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "case_outcomes_until").run()
            try await sql.drop(index: "case_outcomes_ready").run()
        }
        try await db.schema("outcome_month_versions").delete()
    }
}
