import Foundation

/// The risk register's rules (DESIGN §6, issue 19) as a `Lifecycle`: the third kind of record after the case loop
/// and mediation, reusing their replay, clocks, clock job and supervision keys.
///
/// Its clock is the review cadence: the next review is due one interval of the entry's level (tightened in a
/// heightened period) after the last review, or after the registration before the first, in every open state — a
/// red hazard awaiting approval is still reviewed daily. The interval counts calendar time (`RiskReviewInterval`).
/// A review past due turns the clock red and the clock job raises one supervision (`.lateReview`) per review stage.
public enum RiskLifecycle: Lifecycle {
    public typealias State = RiskState
    public typealias Record = RiskRecord
    public typealias Snapshot = RiskSnapshot
    public typealias Command = RiskCommand
    public typealias Actor = RecordActor
    public typealias RuleError = RiskRuleError

    public static let recordKind = "risk"
    public static let system = RecordActor.system

    public static func start(_ first: RiskRecord) throws(RiskRuleError) -> RiskSnapshot {
        guard first.kind == .register, first.fromState == nil, first.toState == .registered, RiskLevel.numbers.contains(first.level),
              case .registration(let r)? = first.detail else {
            throw .invalidHistory("the first action must be the registration")
        }
        return RiskSnapshot(registration: r, state: .registered, level: first.level, assessment: r.assessment, caseCodes: r.caseCodes,
                            registeredAt: first.at, nextReviewDue: first.nextReviewDue, lastActionAt: first.at)
    }

    public static func applying(_ r: RiskRecord, to s: RiskSnapshot) throws(RiskRuleError) -> RiskSnapshot {
        guard r.kind != .register else { throw .invalidHistory("a second registration") }
        guard r.fromState == s.state, r.fromLevel == s.level else {
            throw .invalidHistory("\(r.kind.rawValue) from \(r.fromState?.rawValue ?? "nothing") at level \(r.fromLevel.map(String.init) ?? "none") on a \(s.state.rawValue) level \(s.level) risk")
        }
        guard r.at >= s.lastActionAt else { throw .invalidHistory("\(r.kind.rawValue) at \(r.at) runs backwards") }
        guard RiskLevel.numbers.contains(r.level), r.level == s.level || r.kind == .review else {
            throw .invalidHistory("\(r.kind.rawValue) changes the level to \(r.level)")
        }
        var n = s
        n.state = r.toState
        n.level = r.level
        n.lastActionAt = r.at
        n.actionCount += 1
        if let due = r.nextReviewDue { n.nextReviewDue = due }
        switch r.detail {
        case let .review(assessment, proposed, decision)?:
            n.assessment = assessment
            n.reviews.append(RiskReview(assessment: assessment, proposedLevel: proposed, decision: decision, fromLevel: s.level,
                                        level: r.level, at: r.at, by: r.actor.staff?.username, note: r.note))
            n.lastReviewAt = r.at
        case .transfer(let owners)?:
            n.owners = owners
            n.transfers.append(RiskTransfer(owners: owners, at: r.at, note: r.note))
        case let .feedback(text, done, on)?:
            n.feedbacks.append(RiskFeedback(text: text, measuresDone: done, at: r.at, by: r.actor.staff?.username))
            for i in done where n.plan.indices.contains(i) { n.plan[i].doneOn = on }
        case .plan(let measures)?:
            n.plan = measures
        case .caseLinks(let codes)?:
            n.caseCodes += codes
        case .supervision?:
            n.supervisedStages.insert(stageKey(s))
        case .registration?, nil:
            break
        }
        if r.toState == .cleared && s.state != .cleared { n.clearedAt = r.at }
        if r.toState == .archived { n.archivedAt = r.at }
        if !r.toState.isOpen { n.nextReviewDue = nil }
        return n
    }

    // MARK: Clock, clock job, supervision

    /// The review clock: from the last review (or the registration) to the next review's due date, while open, in
    /// calendar time like the cadence (yellow from 80 % of the interval; red past due).
    public static func clock(of s: RiskSnapshot) -> RunningClock? {
        guard s.state.isOpen, let due = s.nextReviewDue else { return nil }
        return RunningClock(start: s.reviewBase, deadline: due, basis: .calendarTime)
    }

    /// The late-review supervision of the stored due date. The clock job should call
    /// `due(_:now:calendar:policy:)`, which also moves the due date when the policy (a heightened period starting,
    /// a changed cadence) asks for another.
    public static func due(_ s: RiskSnapshot, now: Date, calendar: WorkingCalendar) -> [RiskCommand] {
        guard let c = clock(of: s), now > c.deadline, !s.supervisedStages.contains(stageKey(s)) else { return [] }
        return [.supervise(.lateReview, note: nil)]
    }

    /// What the clock job does at `now` under `policy`, in order: reschedule the next review when the policy gives
    /// another due date, then supervise the review if that date has passed. The snapshot records both (the new due
    /// date, the supervised stage), so running the job again does nothing more.
    public static func due(_ s: RiskSnapshot, now: Date, calendar: WorkingCalendar, policy: RiskPolicy) -> [RiskCommand] {
        guard s.state.isOpen else { return [] }
        let next = policy.nextReview(of: s, calendar: calendar)
        var out: [RiskCommand] = []
        if next != s.nextReviewDue { out.append(.reschedule(policy: policy)) }
        if now > next, !s.supervisedStages.contains(stageKey(s)) { out.append(.supervise(.lateReview, note: nil)) }
        return out
    }

    /// The clock job on one entry under `policy`: the steps to store, none when nothing is due.
    public static func clockSteps(_ s: RiskSnapshot, now: Date, calendar: WorkingCalendar, policy: RiskPolicy) -> [LifecycleStep<RiskLifecycle>] {
        clockSteps(s, now: now, calendar: calendar, due: due(s, now: now, calendar: calendar, policy: policy))
    }

    public static func supervision(raisedBy step: LifecycleStep<RiskLifecycle>) -> SupervisionRaise? {
        guard step.record.kind == .supervise, case .supervision(let reason)? = step.record.detail else { return nil }
        let key = reason.isAutomatic ? stageKey(step.snapshot) : "\(step.snapshot.actionCount)"
        return SupervisionRaise(reason: reason, stageKey: key, at: step.record.at, by: step.record.actor.staff?.username, note: step.record.note)
    }

    /// The review stage an entry is in: since its last review (or registration). A reschedule stays in the stage,
    /// so a review is supervised as late once however its due date moves; the next review opens a new stage.
    public static func stageKey(_ s: RiskSnapshot) -> String {
        SupervisionRaise.stageKey(state: "review", since: s.reviewBase)
    }
}

extension SupervisionReason {
    /// A risk's review past its due date (风险复核超期). Raised by the clock job.
    public static let lateReview = Self(rawValue: "late_review")
}

extension LifecycleStep where L == RiskLifecycle {
    /// The step brought the entry to orange or red (`RiskRecord.notifiesLeaders`): the server tells the leaders of
    /// its area, in the app and through the live events.
    public var notifiesLeaders: Bool { record.notifiesLeaders }
}

extension RiskRuleError: RefusalError {
    public var refusal: Refusal {
        switch self {
        case let .notAllowed(_, _, _, allowed): .notAllowed(allowed: allowed.map(\.rawValue))
        case .notDue: .notDue
        case .missingField(let field): .missingField(field)
        case .invalidField(let field, _): .invalidField(field)
        case .invalidHistory: .brokenHistory
        }
    }
}
