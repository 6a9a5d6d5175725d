import Foundation

/// The case loop as a `Lifecycle`: its rules are the state machine (`CaseStateMachine`), the snapshot's replay
/// (`CaseSnapshot.applying`), the clocks of its stages (`CaseClock`), the clock job's rule (`ClockJob`) and its
/// supervision keys. The generic pieces (replay, clock colours and thresholds, the clock job's loop, supervision
/// raising) come from `Lifecycle`.
public enum CaseLifecycle: Lifecycle {
    public typealias State = CaseState
    public typealias Record = CaseActionRecord
    public typealias Snapshot = CaseSnapshot
    public typealias Command = CaseCommand
    public typealias Actor = RecordActor
    public typealias RuleError = CaseRuleError

    public static let recordKind = "case"
    public static let system = RecordActor.system

    public static func start(_ first: CaseActionRecord) throws(CaseRuleError) -> CaseSnapshot {
        guard first.kind == .report, case .intake(let intake)? = first.detail else {
            throw .invalidHistory("the first action must be the report, carrying the intake")
        }
        return CaseSnapshot(reportedAt: first.at, intake: intake)
    }

    public static func applying(_ record: CaseActionRecord, to snapshot: CaseSnapshot) throws(CaseRuleError) -> CaseSnapshot {
        try snapshot.applying(record)
    }

    public static func apply(_ command: CaseCommand, to snapshot: CaseSnapshot, actor: RecordActor, at: Date,
                             calendar: WorkingCalendar) throws(CaseRuleError) -> CaseTransition {
        try CaseStateMachine.apply(command, to: snapshot, actor: actor, at: at, calendar: calendar)
    }

    public static func clock(of snapshot: CaseSnapshot) -> RunningClock? { CaseClock.running(snapshot)?.clock }

    public static func due(_ snapshot: CaseSnapshot, now: Date, calendar: WorkingCalendar) -> [CaseCommand] {
        ClockJob.evaluate(snapshot, now: now, calendar: calendar).map(\.command)
    }

    public static func supervision(raisedBy t: CaseTransition) -> SupervisionRaise? {
        guard t.record.kind == .supervise, case .supervision(let reason)? = t.record.detail else { return nil }
        return SupervisionRaise(reason: reason, stageKey: reason.isAutomatic ? SupervisionRaise.stageKey(t.snapshot) : "\(t.snapshot.actionCount)",
                                at: t.record.at, by: t.record.actor.staff?.username, note: t.record.note)
    }
}
