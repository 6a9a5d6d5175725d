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
        let j = try await app.wangge.jurisdictions.current(on: app.db, now: now).jurisdiction
        var outcome = Outcome()
        try await pruneAudit(app, now: now)
        for c in try await CaseQueries.dueForClockJob(before: now, on: app.db) {
            var current = c
            for t in ClockJob.run(c.snapshot, now: now, calendar: ref.calendar, policy: policy) {
                do {
                    let before = current, db = app.db
                    current = try await app.wangge.writes.run(on: db) { try await CaseQueries.append(t, to: before, on: db) }
                    await app.publish(current, kind: "changed", action: t.record.kind.rawValue, at: now)
                } catch is CaseConflict {
                    outcome.conflicts += 1  // someone acted on the case meanwhile; the next run looks again
                    break
                }
                if case .supervision(let reason)? = t.record.detail {
                    let raised = try await CaseQueries.raiseSupervision(
                        caseID: c.id, kind: reason.rawValue, stageKey: stageKey(t.snapshot), at: now, by: nil,
                        areaPath: j.path(of: c.snapshot.areaCode), note: nil, on: app.db)
                    if raised { outcome.supervisions += 1 }
                } else if t.record.kind == .autoEscalate {
                    outcome.escalations += 1
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

    /// Which stage a supervision belongs to: the stage's start, so a new dispatch can be pushed again.
    static func stageKey(_ s: CaseSnapshot) -> String {
        "\(s.state.rawValue)@\(Int((s.stageStartedAt ?? s.reportedAt).timeIntervalSince1970))"
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
            // The dashboards' index reads every case once; do it now rather than on the first leader's page.
            let started = Date()
            do {
                let calendar = try await app.wangge.reference.current(on: app.db, now: app.wangge.clock.now()).calendar
                let n = try await app.wangge.measureIndex.all(on: app.db, calendar: calendar).count
                app.logger.notice("measure index ready: \(n) cases in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            } catch {
                app.logger.warning("measure index warm-up failed", metadata: ["error": .string("\(error)")])
            }
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
