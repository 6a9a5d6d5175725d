import Foundation

/// A kind of record whose life is an append-only, numbered list of actions replayed into a snapshot: a case, a
/// mediation case, a risk entry. Each kind gives its rules here — how the first action starts the snapshot, how a
/// recorded action moves it on, what a command may do and records, which clock runs, what the clock job does as time
/// passes, what supervision a step raises — and reuses the mechanics written once: replay (`Lifecycle.replay`),
/// working-time clocks and their colours (`RunningClock`), the clock job (`Lifecycle.clockSteps`) and supervision
/// keys (`SupervisionRaise`). The case loop (`CaseLifecycle`) is the first kind.
public protocol Lifecycle {
    associatedtype State: Hashable & Sendable
    /// One action as stored: who, when, from which state to which.
    associatedtype Record: Hashable & Sendable & Codable
    associatedtype Snapshot: Hashable & Sendable
    associatedtype Command: Sendable
    associatedtype Actor: Hashable & Sendable
    associatedtype RuleError: RefusalError

    /// The name of the kind in shared tables and logs ("case", "mediation").
    static var recordKind: String { get }
    /// Who the clock job acts as.
    static var system: Actor { get }

    /// The snapshot the first action starts (it must be the kind's opening action).
    static func start(_ first: Record) throws(RuleError) -> Snapshot
    /// The snapshot after one more recorded action; refuses a record that does not follow (a broken history).
    static func applying(_ record: Record, to snapshot: Snapshot) throws(RuleError) -> Snapshot
    /// Checks a command against the snapshot and the actor, and makes its record (and the snapshot after it).
    static func apply(_ command: Command, to snapshot: Snapshot, actor: Actor, at: Date,
                      calendar: WorkingCalendar) throws(RuleError) -> LifecycleStep<Self>
    /// The clock that runs on the snapshot, if any.
    static func clock(of snapshot: Snapshot) -> RunningClock?
    /// What the clock job does at `now`, in order, as `system`. The snapshot must record what was done, so that
    /// running the job again does nothing more.
    static func due(_ snapshot: Snapshot, now: Date, calendar: WorkingCalendar) -> [Command]
    /// The supervision (督办) a step raises, if any.
    static func supervision(raisedBy step: LifecycleStep<Self>) -> SupervisionRaise?
}

/// One step of a record's life: the action as recorded, and the snapshot after it.
public struct LifecycleStep<L: Lifecycle>: Hashable, Sendable {
    public var snapshot: L.Snapshot
    public var record: L.Record

    public init(snapshot: L.Snapshot, record: L.Record) {
        self.snapshot = snapshot
        self.record = record
    }
}

extension Lifecycle {
    /// Rebuilds a record from its actions alone, the first opening it. Every snapshot is made this way (a command
    /// makes a record, the record moves the snapshot), so a stored row and its history always agree.
    public static func replay(_ records: some Sequence<Record>) throws(RuleError) -> Snapshot? {
        var iterator = records.makeIterator()
        guard let first = iterator.next() else { return nil }
        var snapshot = try start(first)
        while let r = iterator.next() { snapshot = try applying(r, to: snapshot) }
        return snapshot
    }

    /// The clock job on one record: what is due at `now`, applied in order as `system`; the steps to store (none
    /// when nothing is due). A step the rules refuse is skipped.
    public static func clockSteps(_ snapshot: Snapshot, now: Date, calendar: WorkingCalendar) -> [LifecycleStep<Self>] {
        clockSteps(snapshot, now: now, calendar: calendar, due: due(snapshot, now: now, calendar: calendar))
    }

    /// The same with the commands given (a kind whose job has settings works out `due` with them).
    public static func clockSteps(_ snapshot: Snapshot, now: Date, calendar: WorkingCalendar, due: [Command]) -> [LifecycleStep<Self>] {
        var s = snapshot
        var steps: [LifecycleStep<Self>] = []
        for command in due {
            guard let step = try? apply(command, to: s, actor: system, at: now, calendar: calendar) else { continue }
            s = step.snapshot
            steps.append(step)
        }
        return steps
    }

    /// The running clock's colour and use at `now`, if a clock runs.
    public static func clockStatus(of snapshot: Snapshot, at now: Date, calendar: WorkingCalendar) -> RunningClock.Status? {
        clock(of: snapshot)?.status(at: now, calendar: calendar)
    }
}
