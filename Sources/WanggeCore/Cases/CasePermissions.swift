/// Who may do what to a case, in which state (DESIGN §1, §4). One table for the state machine, the 409 messages
/// and the buttons a page shows.
///
/// - Operators and administrators, for cases whose centre lies in their scope: accept, reject, merge, dispatch,
///   transfer, escalate, approve and refuse extensions, suspend, resume, close, feedback.
/// - Handlers, for cases assigned to their own department right now: sign, return, resolve, request_extension.
/// - Grid workers and grid leaders, for cases in their grid: self_resolve, verify_pass, verify_fail.
/// - Leaders, for cases in their scope: supervise. The clock job (the system): supervise late work and
///   auto_escalate unsigned work. The reporter: rate.
/// - Any member of staff in scope: comment.
public enum CasePermissions {
    static let operatorActions: Set<CaseActionKind> = [
        .accept, .reject, .merge, .dispatch, .transfer, .escalate, .approveExtension, .refuseExtension, .suspend,
        .resume, .close, .feedback,
    ]
    static let handlerActions: Set<CaseActionKind> = [.sign, .return, .resolve, .requestExtension]
    static let gridActions: Set<CaseActionKind> = [.selfResolve, .verifyPass, .verifyFail]

    /// The states each action may start from (before the checks of role, scope and flags).
    static let fromStates: [CaseActionKind: Set<CaseState>] = [
        .accept: [.reported],
        .reject: [.reported, .accepted],
        .merge: [.reported, .accepted],
        .dispatch: [.accepted],
        .sign: [.dispatched],
        .return: [.dispatched, .signed],
        .transfer: [.dispatched, .signed],
        .escalate: [.accepted, .dispatched],
        .requestExtension: [.signed],
        .approveExtension: [.signed],
        .refuseExtension: [.signed],
        .suspend: [.accepted, .dispatched, .signed, .resolved, .verified],
        .resume: Set(CaseState.allCases),
        .resolve: [.signed],
        .verifyPass: [.resolved],
        .verifyFail: [.resolved],
        .close: [.verified],
        .feedback: [.closed],
        .comment: Set(CaseState.allCases),
        .selfResolve: [.reported],
        .rate: [.closed],
        .supervise: [.reported, .accepted, .dispatched, .signed, .resolved, .verified],
        .autoEscalate: [.dispatched],
    ]

    /// What `actor` may do to the case now, in the order of `CaseActionKind.allCases`.
    public static func allowedActions(for snapshot: CaseSnapshot, actor: RecordActor) -> [CaseActionKind] {
        CaseActionKind.allCases.filter { denial(of: $0, on: snapshot, by: actor) == nil }
    }

    /// Whether a member of staff may see the case at all (else the HTTP layer answers 404): the case lies in the
    /// subtree of their area, or it is assigned to their department.
    public static func isInScope(_ snapshot: CaseSnapshot, of staff: ActingStaff) -> Bool {
        isInScope(areaCodes: snapshot.intake.areas.map(\.code), departmentCode: snapshot.departmentCode,
                  staffArea: staff.areaCode, staffDepartment: staff.departmentCode)
    }

    /// The same rule on a case's area chain and department alone (a live event carries only these).
    public static func isInScope(areaCodes: [String], departmentCode: String?, staffArea: String, staffDepartment: String?) -> Bool {
        areaCodes.contains(staffArea) || (staffDepartment != nil && departmentCode == staffDepartment)
    }

    /// Nil when `actor` may do `kind` to the case now; otherwise why not, in plain words.
    public static func denial(of kind: CaseActionKind, on s: CaseSnapshot, by actor: RecordActor) -> String? {
        if kind == .report { return "a case is reported once, when it is created" }
        if s.isSuspended && kind != .resume && kind != .comment {
            return "the case is suspended; only resume and comment are possible until it is resumed"
        }
        if let reason = roleDenial(of: kind, on: s, by: actor) { return reason }
        if !(fromStates[kind] ?? []).contains(s.state) {
            return "\(kind.rawValue) is possible only from \(states(of: kind))"
        }
        return flagDenial(of: kind, on: s, by: actor)
    }

    /// The centre one level up (village → township → county), if there is one.
    public static func centreAbove(_ s: CaseSnapshot) -> CaseCentre? {
        let areas = s.intake.areas
        guard let index = areas.firstIndex(where: { $0.code == s.centre.code }) else { return nil }
        return areas[(index + 1)...].first { $0.level <= .village && $0.level < s.centre.level }
    }

    private static func roleDenial(of kind: CaseActionKind, on s: CaseSnapshot, by actor: RecordActor) -> String? {
        switch actor {
        case .reporter:
            return kind == .rate ? nil : "the reporter may only rate the outcome"
        case .system:
            return kind == .supervise || kind == .autoEscalate ? nil : "the clock job only supervises and escalates"
        case .staff(let staff):
            return staffDenial(of: kind, on: s, by: staff)
        }
    }

    private static func staffDenial(of kind: CaseActionKind, on s: CaseSnapshot, by staff: ActingStaff) -> String? {
        let inCaseArea = s.intake.areas.contains { $0.code == staff.areaCode }
        switch kind {
        case .comment:
            return isInScope(s, of: staff) ? nil : "the case is outside your scope"
        case _ where operatorActions.contains(kind):
            guard staff.role == .operator || staff.role == .admin else { return "\(kind.rawValue) is for operators" }
            return coversCentre(s, staff) ? nil : "the case belongs to the centre of \(s.centre.code), outside your scope"
        case _ where handlerActions.contains(kind):
            guard staff.role == .handler else { return "\(kind.rawValue) is for the handlers of the assigned department" }
            guard let mine = staff.departmentCode, s.assignee == .department(mine) else {
                return "the case is not assigned to your department"
            }
            return nil
        case _ where gridActions.contains(kind):
            guard staff.role == .gridWorker || staff.role == .gridLeader else {
                return "\(kind.rawValue) is for grid workers and grid leaders"
            }
            return inCaseArea ? nil : "the case is not in your grid"
        case .supervise:
            guard staff.role == .leader else { return "supervision is raised by leaders or by the clock job" }
            return inCaseArea ? nil : "the case is outside your scope"
        default:
            return "\(kind.rawValue) is not done by staff"
        }
    }

    private static func coversCentre(_ s: CaseSnapshot, _ staff: ActingStaff) -> Bool {
        let areas = s.intake.areas
        guard let index = areas.firstIndex(where: { $0.code == s.centre.code }) else {
            return s.centre.code == staff.areaCode
        }
        return areas[index...].contains { $0.code == staff.areaCode }
    }

    private static func flagDenial(of kind: CaseActionKind, on s: CaseSnapshot, by actor: RecordActor) -> String? {
        switch kind {
        case .resume:
            return s.isSuspended ? nil : "the case is not suspended"
        case .escalate:
            return centreAbove(s) == nil ? "there is no centre above \(s.centre.code)" : nil
        case .requestExtension:
            return s.pendingExtension == nil ? nil : "an extension request is already waiting for a decision"
        case .approveExtension, .refuseExtension:
            return s.pendingExtension == nil ? "no extension request is waiting" : nil
        case .feedback:
            return s.feedbackGiven ? "feedback has already been given for this closing" : nil
        case .rate:
            if !s.hasReporter { return "the case has no reporter to rate it" }
            return s.ratedSinceClose ? "the outcome has already been rated" : nil
        case .supervise:
            guard actor == .system else { return nil }
            guard let reason = automaticSupervision(for: s.state) else {
                return "the clock job supervises only unsigned and unresolved work"
            }
            return s.raisedSupervisions.contains(reason) ? "this stage has already been supervised" : nil
        case .autoEscalate:
            if s.autoEscalatedFrom.contains(s.centre.code) { return "already escalated from \(s.centre.code)" }
            return centreAbove(s) == nil ? "there is no centre above \(s.centre.code)" : nil
        default:
            return nil
        }
    }

    /// The supervision the clock job raises in a state: unsigned-late while dispatched, resolve-late while signed.
    static func automaticSupervision(for state: CaseState) -> SupervisionReason? {
        switch state {
        case .dispatched: .unsignedLate
        case .signed: .resolveLate
        default: nil
        }
    }

    private static func states(of kind: CaseActionKind) -> String {
        let set = fromStates[kind] ?? []
        return CaseState.allCases.filter(set.contains).map(\.rawValue).joined(separator: ", ")
    }
}
