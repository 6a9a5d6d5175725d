import Fluent
import NIOConcurrencyHelpers
import Vapor
import WanggeCore
import WanggeStore

/// What a kind of record gives the server besides its rules and tables (`RecordKind`): who may see a record, where
/// a step moves it, checks a command needs beyond the rules, and what its live event says. The service
/// (`RecordService`), the API's door (`RecordDoor`), the live events and the clock job are written once for every
/// such kind.
protocol ServedKind: RecordKind where L.Actor == RecordActor {
    /// Whether a member of staff may see the record (the API answers 404 when not, exactly as for none).
    static func isVisible(_ r: StoredRecord<Self>, to staff: StaffAccount, in j: Jurisdiction) -> Bool
    /// Where the record lies after a step (a mediation: its tier's committee).
    static func place(after step: LifecycleStep<L>, of r: StoredRecord<Self>, in j: Jurisdiction) -> Place
    /// Checks a command needs beyond the rules, with data the rules do not hold (a mediation's assignees are pool
    /// mediators serving the committee's area).
    static func check(_ command: L.Command, on r: StoredRecord<Self>, app: Application, at now: Date) async throws
    /// Who sees a record's live events.
    static func audience(_ r: StoredRecord<Self>) -> RecordEvent.Audience
    /// The event's state names (Chinese and English).
    static func stateNames(_ s: L.Snapshot) -> (zh: String, en: String)
    /// What a committed step tells beyond its live event (a risk raised to orange or red tells the area's leaders).
    static func afterCommit(_ step: LifecycleStep<L>, stored: StoredRecord<Self>, app: Application) async

    /// What the clock job reads once per run besides each record (a risk: the county's policy with its heightened
    /// periods); nothing for most kinds.
    associatedtype ClockContext: Sendable = Void
    static func clockContext(app: Application, now: Date) async throws -> ClockContext
    /// The steps the clock job takes on a record at `now` in the run's context.
    static func clockSteps(_ r: StoredRecord<Self>, now: Date, calendar: WorkingCalendar, context: ClockContext) -> [LifecycleStep<L>]
    /// Records the clock job looks at besides those past their deadline (a risk: every open entry, once after the
    /// policy changed, to reschedule its review).
    static func alsoForClockJob(_ context: ClockContext, app: Application) async throws -> [StoredRecord<Self>]
    /// Told when a run in `context` has gone through every record.
    static func clockRunFinished(_ context: ClockContext, app: Application)
}

extension ServedKind {
    static func place(after step: LifecycleStep<L>, of r: StoredRecord<Self>, in j: Jurisdiction) -> Place { r.place }
    static func check(_ command: L.Command, on r: StoredRecord<Self>, app: Application, at now: Date) async throws {}
    static func afterCommit(_ step: LifecycleStep<L>, stored: StoredRecord<Self>, app: Application) async {}
    static func alsoForClockJob(_ context: ClockContext, app: Application) async throws -> [StoredRecord<Self>] { [] }
    static func clockRunFinished(_ context: ClockContext, app: Application) {}
}

extension ServedKind where ClockContext == Void {
    static func clockContext(app: Application, now: Date) async throws {}
    static func clockSteps(_ r: StoredRecord<Self>, now: Date, calendar: WorkingCalendar, context: Void) -> [LifecycleStep<L>] {
        L.clockSteps(r.snapshot, now: now, calendar: calendar)
    }
}

/// Numbers of records: `PREFIX-YYYYMMDD-NNNNNN`, the day in the county's calendar.
enum RecordCodes {
    static func dayPrefix(_ letters: String, at now: Date, calendar: WorkingCalendar) -> String {
        let day = calendar.civilDate(of: now)
        return letters + "-" + String(format: "%04d%02d%02d", day.year, day.month, day.day)
    }

    static func code(_ prefix: String, _ number: Int) -> String { prefix + "-" + String(format: "%06d", number) }
}

/// The one road for every change to a record of a kind, like `CaseService` for the case loop: the rules decide,
/// then the step and all it writes go in one transaction through the write gate, and the change is published once,
/// after it has committed. The API, pages and the clock job come this way; a test can call it with no request.
struct RecordService<K: ServedKind>: Sendable {
    let app: Application

    /// What a creation came to.
    enum Created: Sendable {
        case stored(StoredRecord<K>)
        /// The idempotency key had made a record already (perhaps by a request racing this one).
        case keyTaken(StoredRecord<K>, requestHash: String)
        /// An earlier record answers this request (a case opened as a mediation twice finds the first).
        case found(StoredRecord<K>)
    }

    /// Writes a new record numbered under `prefix`: `make` builds its first step from its code (it is called once
    /// before a number is taken, so bad input writes nothing at all). A key that another request raced to use
    /// answers with the record that request made.
    func create(prefix: String, areaPath: String, place: K.Place, key: (key: String, requestHash: String)?,
                make: @escaping @Sendable (_ code: String) throws -> LifecycleStep<K.L>) async throws -> Created {
        let opening = K.action(try make(RecordCodes.code(prefix, 0)).record).kind
        let ref = try await app.wangge.reference.current(on: app.db, now: app.wangge.clock.now())
        let db = app.db
        do {
            let stored = try await app.wangge.writes.run(on: db) {
                try await RecordStore<K>.create(prefix: prefix, make: { n in try make(RecordCodes.code(prefix, n)) }, areaPath: areaPath,
                                                place: place, key: key, calendar: ref.calendar, on: db)
            }
            await publish(stored, action: opening, created: true)
            if let step = try? make(stored.code) { await K.afterCommit(step, stored: stored, app: app) }
            return .stored(stored)
        } catch {
            // A key raced by another request: answer with the record it made.
            guard (error as? any DatabaseError)?.isConstraintFailure == true, let key,
                  let (earlier, hash) = try await RecordStore<K>.find(key: key.key, on: db) else { throw error }
            return .keyTaken(earlier, requestHash: hash)
        }
    }

    /// Creates several records (an imported list) in one transaction, all or none, and publishes each.
    func createAll(prefix: String, _ items: [(areaPath: String, place: K.Place, make: @Sendable (_ code: String) throws -> LifecycleStep<K.L>)]) async throws -> [StoredRecord<K>] {
        guard let first = items.first else { return [] }
        let opening = K.action(try first.make(RecordCodes.code(prefix, 0)).record).kind
        let ref = try await app.wangge.reference.current(on: app.db, now: app.wangge.clock.now())
        let db = app.db
        let stored = try await app.wangge.writes.run(on: db) {
            try await RecordStore<K>.createAll(prefix: prefix, items.map { item in
                (make: { @Sendable n in try item.make(RecordCodes.code(prefix, n)) }, areaPath: item.areaPath, place: item.place)
            }, calendar: ref.calendar, on: db)
        }
        for (r, item) in zip(stored, items) {
            await publish(r, action: opening, created: true)
            if let step = try? item.make(r.code) { await K.afterCommit(step, stored: r, app: app) }
        }
        return stored
    }

    /// Applies `command` by `actor`: throws the kind's rule error when the rules refuse, `RecordConflict` when
    /// someone else changed it first.
    func act(_ command: K.L.Command, on r: StoredRecord<K>, by actor: RecordActor, at now: Date) async throws -> StoredRecord<K> {
        let ref = try await app.wangge.reference.current(on: app.db, now: now)
        try await K.check(command, on: r, app: app, at: now)
        let step = try K.L.apply(command, to: r.snapshot, actor: actor, at: now, calendar: ref.calendar)
        return try await write(step, to: r, reference: ref).stored
    }

    func write(_ step: LifecycleStep<K.L>, to r: StoredRecord<K>, reference: ReferenceCache.Data) async throws -> (stored: StoredRecord<K>, raisedSupervision: Bool) {
        let j = try await app.wangge.jurisdictions.current(on: app.db, now: K.action(step.record).at).jurisdiction
        let place = K.place(after: step, of: r, in: j)
        let db = app.db
        let (stored, raised) = try await app.wangge.writes.run(on: db) {
            try await RecordStore<K>.append(step, to: r, place: place, calendar: reference.calendar, on: db)
        }
        await publish(stored, action: K.action(step.record).kind, created: false)
        await K.afterCommit(step, stored: stored, app: app)
        return (stored, raised)
    }

    private func publish(_ r: StoredRecord<K>, action: String, created: Bool) async {
        let names = K.stateNames(r.snapshot)
        await LiveRelay.publish(RecordEvent(record: K.kindName, kind: created ? "created" : "changed", id: r.id, code: r.code,
                                            state: K.state(of: r.snapshot), stateName: names.zh, stateNameEn: names.en, action: action,
                                            at: K.lastActionAt(r.snapshot), audience: K.audience(r)), app: app)
    }
}

/// One run of the clock job over a kind's records, in the context the kind read for the run.
struct KindClockRun<K: ServedKind>: ClockedService {
    typealias L = K.L
    let service: RecordService<K>
    let context: K.ClockContext

    func dueForClockJob(before now: Date) async throws -> [StoredRecord<K>] {
        let due = try await RecordStore<K>.dueForClockJob(before: now, on: service.app.db)
        let also = try await K.alsoForClockJob(context, app: service.app)
        guard !also.isEmpty else { return due }
        let seen = Set(due.map(\.id))
        return due + also.filter { !seen.contains($0.id) }
    }

    func clockSteps(_ record: StoredRecord<K>, now: Date, reference: ReferenceCache.Data) -> [LifecycleStep<K.L>] {
        K.clockSteps(record, now: now, calendar: reference.calendar, context: context)
    }

    func write(_ step: LifecycleStep<K.L>, to record: StoredRecord<K>, reference: ReferenceCache.Data) async throws -> (stored: StoredRecord<K>, raisedSupervision: Bool) {
        try await service.write(step, to: record, reference: reference)
    }
}

/// The kinds whose records the clock job looks at besides the case loop's (mediation at configuration; a new kind
/// joins with `add`).
final class ClockedKinds: Sendable {
    private let runners = NIOLockedValueBox<[String: @Sendable (Application, Date, ReferenceCache.Data) async throws -> ClockRunner.Outcome]>([:])

    func add<K: ServedKind>(_ kind: K.Type) {
        runners.withLockedValue { r in
            r[K.kindName] = { app, now, reference in
                var outcome = ClockRunner.Outcome()
                let context = try await K.clockContext(app: app, now: now)
                try await ClockRunner.run(KindClockRun<K>(service: RecordService<K>(app: app), context: context), now: now, reference: reference, into: &outcome)
                K.clockRunFinished(context, app: app)
                return outcome
            }
        }
    }

    var all: [(String, @Sendable (Application, Date, ReferenceCache.Data) async throws -> ClockRunner.Outcome)] {
        runners.withLockedValue { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }
}
