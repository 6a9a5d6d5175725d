import Fluent
import NIOConcurrencyHelpers
import Vapor
import WanggeCore
import WanggeStore

/// The clock job: looks at open work whose next deadline has passed, raises supervisions and escalates unsigned
/// work through the state machine. Safe to run any number of times and on several app servers at once: the
/// snapshot remembers what was raised, the action numbers are unique per case and supervisions are unique per
/// case, kind and stage.
public enum ClockRunner {
    public struct Outcome: Sendable { public var supervisions = 0; public var escalations = 0; public var conflicts = 0 }

    @discardableResult
    public static func runOnce(_ app: Application, policy: ClockPolicy = ClockPolicy()) async throws -> Outcome {
        let now = app.wangge.clock.now()
        let ref = try await app.wangge.reference.current(on: app.db, now: now)
        var outcome = Outcome()
        try await pruneAudit(app, now: now)
        let service = app.caseService
        let context = ref.measureContext
        for c in try await CaseQueries.dueForClockJob(before: now, on: app.db) {
            var current = c
            for t in ClockJob.run(c.snapshot, now: now, calendar: ref.calendar, policy: policy) {
                do {
                    let change = try await service.write(t, to: current, context: context)
                    current = change.stored
                    if change.raisedSupervision { outcome.supervisions += 1 }
                    if t.record.kind == .autoEscalate { outcome.escalations += 1 }
                } catch is CaseConflict {
                    outcome.conflicts += 1  // someone acted on the case meanwhile; the next run looks again
                    break
                }
            }
        }
        return outcome
    }

    /// Deletes audit-log lines older than the configured retention, at most once an hour.
    static func pruneAudit(_ app: Application, now: Date) async throws {
        let due = app.wangge.lastAuditPrune.withLockedValue { last -> Bool in
            guard last.map({ now.timeIntervalSince($0) >= 3_600 || now < $0 }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        let before = now.addingTimeInterval(-Double(app.wangge.config.auditRetentionDays) * 86_400), db = app.db
        let pruned = try await app.wangge.writes.run(on: db) { try await AuditQueries.prune(before: before, on: db) }
        if pruned > 0 { app.logger.info("audit log: \(pruned) views older than \(app.wangge.config.auditRetentionDays) days removed") }
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
