import Fluent
import NIOConcurrencyHelpers
import Vapor
import WanggeCore
import WanggeStore

/// The clock job: looks at open work whose next deadline has passed, raises supervisions and escalates unsigned
/// work through each lifecycle's rules (`ClockedService`: the case loop's, and every kind in `ClockedKinds`). Safe to run any number of times and on several app servers at once: the
/// snapshot remembers what was raised, the action numbers are unique per case and supervisions are unique per
/// case, kind and stage.
public enum ClockRunner {
    public struct Outcome: Sendable { public var supervisions = 0; public var escalations = 0; public var conflicts = 0 }

    @discardableResult
    public static func runOnce(_ app: Application, policy: ClockPolicy = ClockPolicy()) async throws -> Outcome {
        let now = app.wangge.clock.now()
        let ref = try await app.wangge.reference.current(on: app.db, now: now)
        var outcome = Outcome()
        try await prune(app, now: now)
        await monthlyAndWeekly(app, now: now, calendar: ref.calendar)
        var cases = app.caseService
        cases.policy = policy
        try await run(cases, now: now, reference: ref, into: &outcome)
        // Every other kind the same way (`ClockedKinds`: mediation, and any kind added).
        for (_, run) in app.wangge.clockedKinds.all {
            let o = try await run(app, now, ref)
            outcome.supervisions += o.supervisions
            outcome.escalations += o.escalations
            outcome.conflicts += o.conflicts
        }
        return outcome
    }

    /// The job over one lifecycle's due records: each record's steps in order, through its service; a record
    /// someone else changed meanwhile is left for the next run.
    static func run<S: ClockedService>(_ service: S, now: Date, reference: ReferenceCache.Data, into outcome: inout Outcome) async throws {
        for record in try await service.dueForClockJob(before: now) {
            var current = record
            for step in service.clockSteps(record, now: now, reference: reference) {
                do {
                    let written = try await service.write(step, to: current, reference: reference)
                    current = written.stored
                    if written.raisedSupervision { outcome.supervisions += 1 }
                    if SupervisionRaise(step) == nil { outcome.escalations += 1 }
                } catch is RecordConflict {
                    outcome.conflicts += 1  // someone acted on the record meanwhile; the next run looks again
                    break
                }
            }
        }
    }

    /// The safety index of the month that ended and early warning's scan of the week that ended, each once per
    /// period across every app server (`PeriodicJob`). A failure is logged and tried again on the next run.
    static func monthlyAndWeekly(_ app: Application, now: Date, calendar: WorkingCalendar) async {
        do {
            try await SafetyIndexService.runJob(app, now: now, calendar: calendar)
        } catch {
            app.wangge.lastSafetyIndexMonth.withLockedValue { $0 = nil }
            app.logger.error("safety index job: \(String(describing: error))")
        }
        do {
            try await WarningService.runJob(app, now: now, calendar: calendar)
        } catch {
            app.wangge.lastEarlyWarningWeek.withLockedValue { $0 = nil }
            app.logger.error("early warning job: \(String(describing: error))")
        }
    }

    /// Deletes what is kept only for a while, at most once an hour: audit-log lines older than
    /// `AUDIT_RETENTION_DAYS`, tokens and sessions that have expired, idempotency keys older than
    /// `IDEMPOTENCY_KEY_DAYS` (a retry after that is a new report), and uploads no case used within
    /// `UNATTACHED_PHOTO_HOURS`.
    static func prune(_ app: Application, now: Date) async throws {
        let due = app.wangge.lastPrune.withLockedValue { last -> Bool in
            guard last.map({ now.timeIntervalSince($0) >= 3_600 || now < $0 }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        // Once an hour across every app server on the database (the periodic-job seam).
        try await PeriodicJob.pruning.run(app, period: PeriodicJob.hour(of: now)) { try await pruneNow(app, now: now) }
    }

    static func pruneNow(_ app: Application, now: Date) async throws {
        let config = app.wangge.config, db = app.db
        let before = now.addingTimeInterval(-Double(config.auditRetentionDays) * 86_400)
        let pruned = try await app.wangge.writes.run(on: db) { try await AuditQueries.prune(before: before, on: db) }
        if pruned > 0 { app.logger.info("audit log: \(pruned) views older than \(config.auditRetentionDays) days removed") }
        let tokens = try await app.wangge.writes.run(on: db) { try await AccountQueries.pruneExpiredTokens(before: now, on: db) }
        if tokens > 0 { app.logger.info("\(tokens) expired tokens and sessions removed") }
        let keysBefore = now.addingTimeInterval(-Double(config.idempotencyKeyDays) * 86_400)
        let keys = try await app.wangge.writes.run(on: db) { try await RetentionQueries.pruneIdempotencyKeys(before: keysBefore, on: db) }
        if keys > 0 { app.logger.info("\(keys) idempotency keys older than \(config.idempotencyKeyDays) days removed") }
        try await prunePhotos(app, now: now)
    }

    /// Runs the job every `interval` seconds while the app runs.
    public static func schedule(_ app: Application, every interval: TimeInterval = 60) {
        app.lifecycle.use(ClockLifecycle(interval: interval))
    }
}

struct ClockLifecycle: LifecycleHandler {
    let interval: TimeInterval
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(interval: TimeInterval) { self.interval = interval }

    func didBootAsync(_ app: Application) async throws {
        let interval = self.interval
        let t = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                if Task.isCancelled { break }
                do { try await ClockRunner.runOnce(app) } catch {
                    app.logger.warning("clock job failed", metadata: ["error": .string("\(error)")])
                }
            }
        }
        task.withLockedValue { $0 = t }
    }

    func shutdownAsync(_ app: Application) async {
        task.withLockedValue { $0?.cancel() }
    }
}
