import Fluent

/// One row per periodic job and period (issue 18): the app server that inserts it runs the job for that period; a
/// run that was not finished within its lease (its server died halfway) may be taken over.
struct M028_CreateJobRuns: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("job_runs")
            .field("job", .string, .required)
            .field("period", .string, .required)
            .field("owner", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("attempts", .int, .required)
            .unique(on: "job", "period")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("job_runs").delete()
    }
}
