import Foundation

/// The result of one accepted command: the case's new snapshot and the action to append.
/// One step of a case's life: its action as recorded and the case after it.
public typealias CaseTransition = LifecycleStep<CaseLifecycle>

/// The case loop's one state machine (DESIGN §4). Every step of every case goes through `report` or `apply`; both
/// are pure: time and the working calendar are passed in.
public enum CaseStateMachine {
    /// Creates a case. Any actor may report (staff, a resident through the public form, the import as system).
    public static func report(_ intake: CaseIntake, actor: RecordActor, at: Date, note: String? = nil,
                              attachmentIDs: [String] = []) throws(CaseRuleError) -> CaseTransition {
        guard !intake.code.isEmpty else { throw .missingField(action: .report, field: "code") }
        guard !intake.areas.isEmpty else { throw .outsideJurisdiction }
        guard intake.areas.contains(intake.centre) else {
            throw .invalidField(action: .report, field: "centre", reason: "must be one of the areas containing the case")
        }
        let record = CaseActionRecord(
            kind: .report, actor: actor, at: at, fromState: nil, toState: .reported, fromAssignee: nil,
            toAssignee: .centre(intake.centre), note: note, attachmentIDs: attachmentIDs, detail: .intake(intake))
        return CaseTransition(snapshot: CaseSnapshot(reportedAt: at, intake: intake), record: record)
    }

    /// What `actor` may do now (for 409 messages and buttons). Time-dependent conditions (a clock-job supervision
    /// before its deadline) are checked only by `apply`.
    public static func allowedActions(for snapshot: CaseSnapshot, actor: RecordActor) -> [CaseActionKind] {
        CasePermissions.allowedActions(for: snapshot, actor: actor)
    }

    /// Checks `command` against the case's state, flags and the actor's role and scope, and returns the new
    /// snapshot with the action to append. A time earlier than the case's last action is taken as that action's
    /// time, so that app servers with slightly different clocks never write a history that runs backwards.
    public static func apply(_ command: CaseCommand, to s: CaseSnapshot, actor: RecordActor, at requested: Date,
                             calendar: WorkingCalendar) throws(CaseRuleError) -> CaseTransition {
        let kind = command.kind
        if let reason = CasePermissions.denial(of: kind, on: s, by: actor) {
            throw .notAllowed(action: kind, state: s.state, suspended: s.isSuspended, reason: reason,
                              allowed: CasePermissions.allowedActions(for: s, actor: actor))
        }
        try checkFields(command, s, actor)
        let at = max(requested, s.lastActionAt)
        let record = try record(for: command, on: s, by: actor, at: at, calendar: calendar)
        return CaseTransition(snapshot: try s.applying(record), record: record)
    }

    private static func checkFields(_ c: CaseCommand, _ s: CaseSnapshot, _ actor: RecordActor) throws(CaseRuleError) {
        let kind = c.kind
        if CaseCommand.noteRequired.contains(kind), (c.note ?? "").allSatisfy(\.isWhitespace) {
            throw .missingField(action: kind, field: "note")
        }
        switch kind {
        case .dispatch, .transfer:
            guard let department = c.department else { throw .missingField(action: kind, field: "department") }
            guard s.intake.areas.contains(where: { $0.code == department.areaCode }) else {
                throw .invalidField(action: kind, field: "department",
                                    reason: "\(department.code) does not serve the case's area \(s.areaCode)")
            }
            if kind == .transfer, department.code == s.departmentCode {
                throw .invalidField(action: kind, field: "department", reason: "is the department that has the case")
            }
        case .merge:
            guard let target = c.mergeTarget else { throw .missingField(action: kind, field: "target") }
            guard target.code != s.intake.code else {
                throw .invalidField(action: kind, field: "target", reason: "is this case itself")
            }
            guard target.state.isOpen else {
                throw .invalidField(action: kind, field: "target", reason: "\(target.code) is \(target.state.rawValue), not open")
            }
        case .requestExtension:
            guard let duration = c.extensionDuration else { throw .missingField(action: kind, field: "duration") }
            guard duration.workingSeconds(given: .default) > 0 else {
                throw .invalidField(action: kind, field: "duration", reason: "must be more than zero")
            }
        case .rate:
            guard c.rating != nil else { throw .missingField(action: kind, field: "rating") }
        case .supervise:
            let expected = actor == .system ? CasePermissions.automaticSupervision(for: s.state) : .leader
            if let given = c.supervisionReason, given != expected {
                throw .invalidField(action: kind, field: "reason", reason: "must be \(expected?.rawValue ?? "none") here")
            }
        default:
            break
        }
    }

    private static func record(for c: CaseCommand, on s: CaseSnapshot, by actor: RecordActor, at: Date,
                               calendar: WorkingCalendar) throws(CaseRuleError) -> CaseActionRecord {
        let limits = s.intake.limits
        func after(_ duration: WorkingDuration, _ start: Date) -> Date { calendar.adding(duration, to: start) }
        var to = s.state
        var assignee = s.assignee
        var detail: CaseActionDetail?
        var d = s.deadlines
        func rework() {
            if assignee.departmentCode != nil {
                to = .signed
                d.resolve = after(limits.resolve, at)
            } else {  // resolved on the spot: nobody signed for it, so it goes back to the centre for dispatch
                to = .accepted
                d.resolve = nil
            }
            d.verify = nil
        }
        switch c.kind {
        case .report:
            throw .invalidHistory("a case is reported once")
        case .accept:
            to = .accepted
            d.closure = calendar.adding(workingSeconds: CaseDeadlineRules.closureSeconds(limits, calendar), to: at)
        case .reject:
            to = .rejected
        case .merge:
            to = .merged
            detail = .mergedInto(c.mergeTarget!.code)
        case .dispatch, .transfer:
            to = .dispatched
            assignee = .department(c.department!.code)
            d.sign = after(limits.sign, at)
            d.resolve = nil
            d.verify = nil
        case .sign:
            to = .signed
            d.resolve = after(limits.resolve, at)
        case .return:
            to = .accepted
            assignee = .centre(s.centre)
            d.sign = nil
            d.resolve = nil
        case .escalate, .autoEscalate:
            guard let up = CasePermissions.centreAbove(s) else { throw .invalidHistory("no centre above") }
            if c.kind == .autoEscalate, !(s.deadlines.sign.map { at > $0 } ?? false) {
                throw .notDue(action: .autoEscalate, reason: "the sign deadline has not passed")
            }
            to = .accepted
            assignee = .centre(up)
            d.sign = nil
            d.resolve = nil
        case .requestExtension:
            detail = .extensionRequest(c.extensionDuration!)
        case .approveExtension:
            let duration = s.pendingExtension!.duration
            detail = .extensionRequest(duration)
            d.resolve = after(duration, d.resolve ?? at)
            d.closure = d.closure.map { after(duration, $0) }
        case .refuseExtension:
            detail = .extensionRequest(s.pendingExtension!.duration)
        case .resume:
            d = CaseDeadlineRules.shifted(d, state: s.state,
                                          bySeconds: calendar.workingSeconds(from: s.suspendedSince!, to: at),
                                          calendar: calendar)
        case .resolve:
            to = .resolved
            d.verify = after(limits.verify, at)
        case .selfResolve:
            to = .resolved
            d.verify = after(limits.verify, at)
            d.closure = calendar.adding(workingSeconds: CaseDeadlineRules.closureSeconds(limits, calendar), to: s.reportedAt)
        case .verifyPass:
            to = .verified
        case .verifyFail:
            rework()
        case .close:
            to = .closed
        case .rate:
            let rating = c.rating!
            let reopens = rating == .unsatisfied && !s.reopened
            detail = .rating(rating, reopened: reopens)
            if reopens { rework() }
        case .supervise:
            let reason = actor == .system ? CasePermissions.automaticSupervision(for: s.state)! : .leader
            if actor == .system {
                let deadline = reason == .unsignedLate ? s.deadlines.sign : s.deadlines.resolve
                guard let deadline, at > deadline else {
                    throw .notDue(action: .supervise, reason: "the \(reason == .unsignedLate ? "sign" : "resolve") deadline has not passed")
                }
            }
            detail = .supervision(reason)
        case .suspend, .feedback, .comment:
            break
        }
        return CaseActionRecord(
            kind: c.kind, actor: actor, at: at, fromState: s.state, toState: to, fromAssignee: s.assignee,
            toAssignee: assignee, note: c.note, attachmentIDs: c.attachmentIDs, detail: detail,
            deadlines: d == s.deadlines ? nil : d)
    }
}
