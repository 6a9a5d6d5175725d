import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The one road for every change to a case after its report: the state machine decides, then the action, the new
/// snapshot, the supervision it raises and the case's measure facts are written in one transaction (through the
/// write gate), and the change is published once, after it has committed. The API, the follow page's rating and
/// the clock job all come this way; a test can call it with no request at all.
struct CaseService: Sendable {
    let app: Application
    /// The clock job's settings for cases.
    var policy = ClockPolicy()

    struct Change: Sendable {
        var stored: StoredCase
        var transition: CaseTransition
        /// Whether a supervision was newly recorded.
        var raisedSupervision: Bool
    }

    /// Applies `command` by `actor` at `now`. Throws `CaseRuleError` when the state machine refuses, and
    /// `CaseConflict` when someone else changed the case first.
    func act(_ command: CaseCommand, on c: StoredCase, by actor: RecordActor, at now: Date) async throws -> Change {
        let ref = try await app.wangge.reference.current(on: app.db, now: now)
        let t = try CaseStateMachine.apply(command, to: c.snapshot, actor: actor, at: now, calendar: ref.calendar)
        return try await write(t, to: c, context: ref.measureContext)
    }

    /// What became of a new report.
    enum Reported: Sendable {
        /// Written; with its duplicate candidates when the group-commit writer found them in the same turn.
        case stored(StoredCase, nearby: NearbyCandidates?)
        /// Its idempotency key names a case already.
        case keyTaken(requestHash: String, caseID: UUID)
    }

    /// Writes a new case (its report and first transition, made by `CaseStateMachine.report` in `pending`): through
    /// the SQLite group-commit writer when there is one (`batched`), else in a transaction of its own through the
    /// write gate; then publishes it. Every channel of intake comes this way (the form, the API, the grid worker's
    /// outbox, imports); the demo's year is written in bulk by `Setup.loadDemo`.
    func report(_ pending: CaseQueries.PendingCase, batched: Bool) async throws -> Reported {
        if batched, let batcher = app.wangge.intake {
            switch await batcher.submit(pending) {
            case .stored(let stored, let nearby)?:
                published(stored)
                return .stored(stored, nearby: nearby)
            case .keyTaken(let hash, let caseID)?:
                return .keyTaken(requestHash: hash, caseID: caseID)
            case .rejected(let error)?:
                throw error
            case nil:
                break  // the batch failed as a whole: write this one alone, as below
            }
        }
        let db = app.db
        for _ in 1...8 {
            do {
                // The day's next number is taken inside the transaction that uses it (on PostgreSQL the counter's row
                // lock orders concurrent reports); a constraint failure is a raced idempotency key, or two first
                // reports of a day creating its counter at once: the first is answered below, the second retried.
                let stored = try await app.wangge.writes.run(on: db) { try await CaseQueries.create(pending, on: db) }
                published(stored)
                return .stored(stored, nearby: nil)
            } catch let e as any DatabaseError where e.isConstraintFailure {
                // Either the same key raced us (answer with its case) or another case took the code (try the next).
                if let key = pending.idempotencyKey, let earlier = try await CaseQueries.idempotent(key: key, on: db) {
                    return .keyTaken(requestHash: earlier.requestHash, caseID: earlier.caseID)
                }
                continue
            }
        }
        throw APIError(.serviceUnavailable, "busy", "too many reports at this moment; send it again with the same Idempotency-Key")
    }

    /// Tells live pages about a new case without holding up the reporter's answer.
    private func published(_ c: StoredCase) {
        let app = self.app
        Task { await app.publish(c, kind: "created", action: CaseActionKind.report.rawValue, at: c.reportedAt) }
    }

    /// Writes a transition the state machine made (the clock job makes several in a row), then publishes it.
    func write(_ t: CaseTransition, to c: StoredCase, context: MeasureFactContext) async throws -> Change {
        let db = app.db
        let appended = try await app.wangge.writes.run(on: db) {
            try await CaseQueries.append(t, to: c, context: context, on: db)
        }
        await app.publish(appended.stored, kind: "changed", action: t.record.kind.rawValue, at: t.record.at)
        return Change(stored: appended.stored, transition: t, raisedSupervision: appended.raised)
    }
}

/// A lifecycle's service as the clock job sees it: the records whose clock may be due, what the job does to one,
/// and the one road that writes a step (with its supervision and measure facts) and publishes it. The clock job
/// (`ClockRunner`) runs every such service the same way; a mediation service joins by conforming.
protocol ClockedService: Sendable {
    associatedtype L: Lifecycle
    associatedtype Stored: Sendable
    /// Records whose next deadline is before `now` and whose clock runs.
    func dueForClockJob(before now: Date) async throws -> [Stored]
    /// The steps the clock job takes on one record at `now` (see `Lifecycle.clockSteps`).
    func clockSteps(_ record: Stored, now: Date, reference: ReferenceCache.Data) -> [LifecycleStep<L>]
    /// Writes one step; throws a `RecordConflict` when another writer came first.
    func write(_ step: LifecycleStep<L>, to record: Stored, reference: ReferenceCache.Data) async throws -> (stored: Stored, raisedSupervision: Bool)
}

extension CaseService: ClockedService {
    typealias L = CaseLifecycle

    func dueForClockJob(before now: Date) async throws -> [StoredCase] {
        try await CaseQueries.dueForClockJob(before: now, on: app.db)
    }

    func clockSteps(_ record: StoredCase, now: Date, reference: ReferenceCache.Data) -> [CaseTransition] {
        ClockJob.run(record.snapshot, now: now, calendar: reference.calendar, policy: policy)
    }

    func write(_ step: CaseTransition, to record: StoredCase, reference: ReferenceCache.Data) async throws -> (stored: StoredCase, raisedSupervision: Bool) {
        let change = try await write(step, to: record, context: reference.measureContext)
        return (change.stored, change.raisedSupervision)
    }
}

extension Application {
    var caseService: CaseService { CaseService(app: self) }
}
