import Fluent
import Foundation
import SQLKit

/// Periodic jobs that run once per period however many app servers share the database (issue 18): a job's run for
/// a period is a row of `job_runs`; whoever inserts it (or takes over a run whose lease ran out unfinished) runs it.
/// The insert is the lock, so it holds on SQLite and PostgreSQL alike and needs no session-bound advisory lock.
public enum JobRuns {
    public enum Claim: Sendable, Equatable {
        /// This caller runs the period (its `attempts`-th try).
        case run(attempt: Int)
        /// Finished already, or another server holds a live lease.
        case skip
    }

    /// Claims `job` for `period` for `owner` at `now`; a run started more than `lease` ago and not finished is taken over.
    public static func claim(job: String, period: String, owner: String, now: Date, lease: TimeInterval, on db: any Database) async throws -> Claim {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        let inserted = try await sql.raw("""
            INSERT INTO job_runs (job, period, owner, started_at, attempts) VALUES (\(bind: job), \(bind: period), \(bind: owner), \(bind: now), 1) \
            ON CONFLICT (job, period) DO NOTHING RETURNING attempts
            """).first()
        if inserted != nil { return .run(attempt: 1) }
        let taken = try await sql.raw("""
            UPDATE job_runs SET owner = \(bind: owner), started_at = \(bind: now), attempts = attempts + 1 \
            WHERE job = \(bind: job) AND period = \(bind: period) AND finished_at IS NULL AND started_at < \(bind: now.addingTimeInterval(-lease)) \
            RETURNING attempts
            """).first()
        guard let taken else { return .skip }
        return .run(attempt: try taken.decode(column: "attempts", as: Int.self))
    }

    public static func finish(job: String, period: String, owner: String, at: Date, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        try await sql.raw("UPDATE job_runs SET finished_at = \(bind: at) WHERE job = \(bind: job) AND period = \(bind: period) AND owner = \(bind: owner)").run()
    }

    /// How many times `job` ran (was claimed) for `period`, and whether it finished (tests, the status of a job).
    public static func state(job: String, period: String, on db: any Database) async throws -> (attempts: Int, finished: Bool)? {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        guard let r = try await sql.raw("SELECT attempts, finished_at FROM job_runs WHERE job = \(bind: job) AND period = \(bind: period)").first() else { return nil }
        return (try r.decode(column: "attempts", as: Int.self), try r.decode(column: "finished_at", as: Date?.self) != nil)
    }
}
