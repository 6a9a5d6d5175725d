import Foundation
import Vapor
import WanggeStore

/// The seam every periodic job runs through (the hourly pruning today; the monthly safety index, review cadences and
/// assessments next): a job names its period ("2026-12-07T03" for an hour, "2026-11" for a month), and its body runs
/// once for that period across every app server on the database (`JobRuns`). A body killed halfway is run again by
/// the next server after `lease`; bodies therefore write their period idempotently (keyed by it, or deleting what
/// they replace), so a second run writes the same result once.
public struct PeriodicJob: Sendable {
    public let name: String
    /// How long a run may take before another server may take it over.
    public let lease: TimeInterval

    public init(name: String, lease: TimeInterval = 15 * 60) {
        self.name = name
        self.lease = lease
    }

    /// This process's name in `job_runs.owner`.
    static let owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"

    /// Runs `body` if this server wins `period`; returns whether it ran.
    @discardableResult
    public func run(_ app: Application, period: String, _ body: @Sendable () async throws -> Void) async throws -> Bool {
        let db = app.db, now = app.wangge.clock.now(), owner = Self.owner + "/" + ObjectIdentifier(app).debugDescription
        let claim = try await app.wangge.writes.run(on: db) {
            try await JobRuns.claim(job: name, period: period, owner: owner, now: now, lease: lease, on: db)
        }
        guard case .run = claim else { return false }
        try await body()
        let finished = app.wangge.clock.now()
        try await app.wangge.writes.run(on: db) { try await JobRuns.finish(job: name, period: period, owner: owner, at: finished, on: db) }
        return true
    }

    /// "2026-12-07T03": the UTC hour of `instant`, a period for hourly jobs.
    public static func hour(of instant: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: instant)
        return String(format: "%04d-%02d-%02dT%02d", c.year!, c.month!, c.day!, c.hour!)
    }
}

extension PeriodicJob {
    /// The audit log, expired tokens and old idempotency keys, once an hour.
    static let pruning = PeriodicJob(name: "prune", lease: 10 * 60)
}
