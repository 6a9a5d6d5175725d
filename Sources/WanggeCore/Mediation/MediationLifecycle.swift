import Foundation

/// What staff ask of a mediation case.
public enum MediationCommand: Sendable, Hashable {
    case accept(complexity: MediationComplexity)
    case assign(mediators: [String])
    case scheduleSession(at: Date, place: String)
    case recordSession(notes: String, participants: [String])
    case escalate(reason: String)
    case extend(days: Int, applicantConsents: Bool, respondentConsents: Bool)
    case agree(terms: [AgreementTerm])
    case fail(route: FailureRoute, note: String?)
    case withdraw(note: String?)
    case recordPerformance(TermPerformance)
    case applyConfirmation(appliedOn: CivilDate, court: String)
    case confirm
    case refuseConfirmation(reason: String)
    case followUp(result: FollowUpResult, notes: String)
    case close
    case supervise(SupervisionReason, note: String?)

    public var kind: MediationActionKind {
        switch self {
        case .accept: .accept
        case .assign: .assign
        case .scheduleSession: .scheduleSession
        case .recordSession: .recordSession
        case .escalate: .escalate
        case .extend: .extend
        case .agree: .agree
        case .fail: .fail
        case .withdraw: .withdraw
        case .recordPerformance: .recordPerformance
        case .applyConfirmation: .applyConfirmation
        case .confirm: .confirm
        case .refuseConfirmation: .refuseConfirmation
        case .followUp: .followUp
        case .close: .close
        case .supervise: .supervise
        }
    }
}

public enum MediationRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The state or the actor does not allow the action; `allowed` is what this actor may do now.
    case notAllowed(action: MediationActionKind, state: MediationState, reason: String, allowed: [MediationActionKind])
    case missingField(field: String)
    case invalidField(field: String, reason: String)
    case invalidHistory(String)

    public var field: String? {
        switch self {
        case .missingField(let f), .invalidField(let f, _): f
        default: nil
        }
    }

    public var description: String {
        switch self {
        case let .notAllowed(action, state, reason, allowed):
            "\(action.rawValue) is not allowed on a \(state.rawValue) mediation: \(reason). Allowed now: "
                + (allowed.isEmpty ? "nothing" : allowed.map(\.rawValue).joined(separator: ", ")) + "."
        case .missingField(let f): "\(f) is required"
        case let .invalidField(f, reason): "\(f) \(reason)"
        case .invalidHistory(let why): "broken mediation history: \(why)"
        }
    }
}

/// The mediation case's rules (DESIGN §6, issue 12) as a `Lifecycle`: the second kind of record after the case loop,
/// reusing its replay, clocks, clock job and supervision keys.
public enum MediationLifecycle: Lifecycle {
    public typealias State = MediationState
    public typealias Record = MediationRecord
    public typealias Snapshot = MediationSnapshot
    public typealias Command = MediationCommand
    public typealias Actor = RecordActor
    public typealias RuleError = MediationRuleError

    public static let recordKind = "mediation"
    public static let system = RecordActor.system

    // MARK: Registration

    /// Checks a registration and makes the first record. Every bad field is a `missingField`/`invalidField`.
    public static func register(_ r: MediationRegistration, catalogue: MediationCatalogue, actor: RecordActor,
                                at: Date) throws(MediationRuleError) -> LifecycleStep<MediationLifecycle> {
        guard catalogue.type(r.typeCode) != nil else { throw .invalidField(field: "type_code", reason: "is not a mediation type of this county") }
        if r.description.allSatisfy(\.isWhitespace) { throw .missingField(field: "description") }
        guard !r.areas.isEmpty, r.area(at: r.tier) != nil else { throw .invalidField(field: "area_code", reason: "has no committee at the \(r.tier.rawValue) tier") }
        guard !r.parties.isEmpty else { throw .missingField(field: "parties") }
        guard r.parties.contains(where: { $0.role == .applicant }) else { throw .invalidField(field: "parties", reason: "must name an applicant") }
        for (i, p) in r.parties.enumerated() where p.name.allSatisfy(\.isWhitespace) {
            throw .missingField(field: "parties[\(i)].name")
        }
        guard r.amount >= 0 else { throw .invalidField(field: "amount_yuan", reason: "must not be negative") }
        guard r.amount <= MediationLimits.maximumAmount else {
            throw .invalidField(field: "amount_yuan", reason: "must be at most \(MediationLimits.yuanText(MediationLimits.maximumAmount)) yuan")
        }
        guard r.peopleCount >= 1 else { throw .invalidField(field: "people_count", reason: "must be at least 1") }
        guard r.peopleCount <= MediationLimits.maximumPeople else {
            throw .invalidField(field: "people_count", reason: "must be at most \(MediationLimits.maximumPeople)")
        }
        let record = MediationRecord(kind: .register, actor: actor, at: at, fromState: nil, toState: .registered, detail: .registration(r))
        return LifecycleStep(snapshot: try start(record), record: record)
    }

    public static func start(_ first: MediationRecord) throws(MediationRuleError) -> MediationSnapshot {
        guard first.kind == .register, first.fromState == nil, case .registration(let r)? = first.detail, let committee = r.area(at: r.tier) else {
            throw .invalidHistory("the first action must be the registration")
        }
        return MediationSnapshot(registration: r, state: .registered, tier: r.tier, committeeArea: committee,
                                 registeredAt: first.at, lastActionAt: first.at)
    }

    // MARK: Replay

    public static func applying(_ r: MediationRecord, to s: MediationSnapshot) throws(MediationRuleError) -> MediationSnapshot {
        guard r.kind != .register else { throw .invalidHistory("a second registration") }
        guard r.fromState == s.state else { throw .invalidHistory("\(r.kind.rawValue) from \(r.fromState?.rawValue ?? "nothing") on a \(s.state.rawValue) mediation") }
        guard r.at >= s.lastActionAt else { throw .invalidHistory("\(r.kind.rawValue) at \(r.at) runs backwards") }
        var n = s
        n.state = r.toState
        n.lastActionAt = r.at
        n.actionCount += 1
        if let d = r.deadline { n.deadline = d }
        switch r.detail {
        case .acceptance(let c)?:
            n.complexity = c
            n.stageStartedAt = r.at
        case .assignment(let ids)?:
            n.mediators = ids
        case .session(let session)?:
            n.sessions.append(session)
        case .sessionRecord(let notes, let participants)?:
            if let i = s.openSession { n.sessions[i].notes = notes; n.sessions[i].participants = participants }
        case .escalation(let from, let to, let areaCode, let reason)?:
            n.escalations.append(MediationEscalation(from: from, to: to, reason: reason, at: r.at))
            n.tier = to
            n.committeeArea = s.registration.areas.first { $0.code == areaCode } ?? s.committeeArea
            n.mediators = []
            n.stageStartedAt = r.at
        case .extensionGranted(let days)?:
            n.extensionDays += days
        case .agreement(let terms, let effectiveOn)?:
            n.terms = terms
            n.agreedOn = effectiveOn
        case .failure(let route)?:
            n.failureRoute = route
        case .performance(let p)?:
            n.performances.append(p)
        case .confirmationApplied(let on, let court)?:
            n.confirmation = JudicialConfirmation(appliedOn: on, court: court)
        case .confirmationDecided(let confirmed, let reason)?:
            n.confirmation?.confirmed = confirmed
            n.confirmation?.refusalReason = reason
            n.confirmation?.decidedAt = r.at
        case .followUp(let result, let notes)?:
            n.followUps.append(MediationFollowUp(result: result, notes: notes, at: r.at))
        case .supervision?:
            if let key = stageKey(s) { n.supervisedStages.insert(key) }
        case .registration?, nil:
            break
        }
        if r.toState.isConcluded && !s.state.isConcluded { n.concludedAt = r.at }
        if r.toState == .closed { n.closedAt = r.at }
        if !r.toState.isOpen { n.deadline = nil }
        return n
    }

    // MARK: Commands

    /// Who may act: operators and administrators on any mediation in their scope (the HTTP layer answers 404
    /// outside it), mediators on those assigned to them and — to take on and assign — on those of their tier's area,
    /// leaders only to supervise; the clock job supervises late work.
    static func denial(of kind: MediationActionKind, on s: MediationSnapshot, by actor: RecordActor) -> String? {
        let byState: Set<MediationActionKind>
        switch s.state {
        case .registered: byState = [.accept, .escalate, .withdraw, .supervise]
        case .accepted: byState = [.assign, .escalate, .extend, .withdraw, .supervise]
        case .mediating:
            var k: Set<MediationActionKind> = [.assign, .scheduleSession, .escalate, .extend, .agree, .fail, .withdraw, .supervise]
            if s.openSession != nil { k.insert(.recordSession) }
            byState = k
        case .agreed:
            var k: Set<MediationActionKind> = [.recordPerformance, .followUp, .close]
            if s.confirmation == nil { k.insert(.applyConfirmation) }
            if let c = s.confirmation, c.confirmed == nil { k.formUnion([.confirm, .refuseConfirmation]) }
            byState = k
        case .failed: byState = [.followUp, .close]
        case .withdrawn: byState = [.close]
        case .closed: byState = []
        }
        guard byState.contains(kind) else { return "not in this state" }
        if kind == .escalate && s.tier.next == nil { return "the county is the highest tier" }
        switch actor {
        case .system:
            return kind == .supervise ? nil : "the clock job only supervises"
        case .reporter:
            return "residents act through staff"
        case .staff(let staff):
            switch staff.role {
            case .operator, .admin: return kind == .supervise ? "supervision is for leaders" : nil
            case .leader: return kind == .supervise ? nil : "leaders supervise; mediators and operators work the case"
            case .mediator:
                if kind == .supervise { return "supervision is for leaders" }
                if s.mediators.contains(staff.username) { return nil }
                let tierAreas = s.registration.areas.filter { $0.level <= s.committeeArea.level }.map(\.code)
                if (kind == .accept || kind == .assign || kind == .escalate) && tierAreas.contains(staff.areaCode) { return nil }
                return "the mediation is not assigned to you"
            default:
                return "\(staff.role.rawValue) accounts do not work mediations"
            }
        }
    }

    /// The actions `actor` may take now.
    public static func allowedActions(for s: MediationSnapshot, actor: RecordActor) -> [MediationActionKind] {
        MediationActionKind.allCases.filter { $0 != .register && denial(of: $0, on: s, by: actor) == nil }
    }

    public static func apply(_ command: MediationCommand, to s: MediationSnapshot, actor: RecordActor, at requested: Date,
                             calendar: WorkingCalendar) throws(MediationRuleError) -> LifecycleStep<MediationLifecycle> {
        let kind = command.kind
        if let reason = denial(of: kind, on: s, by: actor) {
            throw .notAllowed(action: kind, state: s.state, reason: reason, allowed: allowedActions(for: s, actor: actor))
        }
        let at = max(requested, s.lastActionAt)
        let today = calendar.civilDate(of: at)
        var to = s.state
        var note: String?
        var detail: MediationDetail?
        var deadline: Date?
        func text(_ value: String, _ field: String) throws(MediationRuleError) -> String {
            let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty { throw .missingField(field: field) }
            return t
        }
        switch command {
        case .accept(let complexity):
            to = .accepted
            detail = .acceptance(complexity)
            deadline = calendar.adding(complexity.limit, to: at)
        case .assign(let ids):
            let ids = ids.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !ids.isEmpty else { throw .missingField(field: "mediator_ids") }
            guard Set(ids).count == ids.count else { throw .invalidField(field: "mediator_ids", reason: "names a mediator twice") }
            to = .mediating
            detail = .assignment(ids)
        case .scheduleSession(let when, let place):
            guard when >= at.addingTimeInterval(-86_400) else { throw .invalidField(field: "at", reason: "is in the past") }
            detail = .session(MediationSession(at: when, place: try text(place, "place")))
        case .recordSession(let notes, let participants):
            detail = .sessionRecord(notes: try text(notes, "notes"), participants: participants.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case .escalate(let reason):
            guard let next = s.tier.next, let area = s.registration.area(at: next) else {
                throw .invalidField(field: "action", reason: "cannot go above the county")
            }
            to = .accepted
            note = try text(reason, "reason")
            detail = .escalation(from: s.tier, to: next, areaCode: area.code, reason: note!)
            deadline = calendar.adding((s.complexity ?? .general).limit, to: at)
        case .extend(let days, let applicant, let respondent):
            guard applicant && respondent else { throw .invalidField(field: "consent", reason: "needs both parties' consent") }
            guard (1...30).contains(days) else { throw .invalidField(field: "days", reason: "must be between 1 and 30") }
            detail = .extensionGranted(days: days)
            deadline = (s.deadline ?? at).addingTimeInterval(Double(days) * 86_400)
        case .agree(let terms):
            guard !terms.isEmpty else { throw .missingField(field: "terms") }
            guard terms.count <= MediationLimits.maximumTerms else {
                throw .invalidField(field: "terms", reason: "must be at most \(MediationLimits.maximumTerms) terms")
            }
            for (i, t) in terms.enumerated() {
                if t.obligor.allSatisfy(\.isWhitespace) { throw .missingField(field: "terms[\(i)].obligor") }
                if t.description.allSatisfy(\.isWhitespace) { throw .missingField(field: "terms[\(i)].description") }
                if t.amount < 0 { throw .invalidField(field: "terms[\(i)].amount_yuan", reason: "must not be negative") }
                if t.amount > MediationLimits.maximumAmount {
                    throw .invalidField(field: "terms[\(i)].amount_yuan", reason: "must be at most \(MediationLimits.yuanText(MediationLimits.maximumAmount)) yuan")
                }
                if t.dueDate < today { throw .invalidField(field: "terms[\(i)].due_date", reason: "is before the agreement (\(today))") }
            }
            to = .agreed
            detail = .agreement(terms: terms, effectiveOn: today)
        case .fail(let route, let n):
            to = .failed
            detail = .failure(route)
            note = n
        case .withdraw(let n):
            to = .withdrawn
            note = n
        case .recordPerformance(let p):
            guard s.terms.indices.contains(p.term) else { throw .invalidField(field: "term", reason: "is not a term of the agreement") }
            guard p.amount > 0 else { throw .invalidField(field: "amount_yuan", reason: "must be more than zero") }
            guard p.amount <= MediationLimits.maximumAmount else {
                throw .invalidField(field: "amount_yuan", reason: "must be at most \(MediationLimits.yuanText(MediationLimits.maximumAmount)) yuan")
            }
            // Earlier payments on the term plus this one may not pass the term's amount (a term of 0 takes no payment).
            let unpaid = s.unpaid(onTerm: p.term)
            guard p.amount <= unpaid else {
                throw .invalidField(field: "amount_yuan", reason: "is more than what remains unpaid of term \(p.term + 1) (\(MediationLimits.yuanText(max(0, unpaid))) yuan)")
            }
            guard let agreed = s.agreedOn, p.performedOn >= agreed, p.performedOn <= today else {
                throw .invalidField(field: "performed_on", reason: "must lie between the agreement and today")
            }
            detail = .performance(p)
        case .applyConfirmation(let on, let court):
            guard let agreed = s.agreedOn else { throw .invalidField(field: "applied_on", reason: "has no agreement to confirm") }
            guard on >= agreed, on <= today else { throw .invalidField(field: "applied_on", reason: "must lie between the agreement and today") }
            guard on <= agreed.adding(days: JudicialConfirmation.windowDays) else {
                throw .invalidField(field: "applied_on", reason: "is more than \(JudicialConfirmation.windowDays) days after the agreement took effect (\(agreed))")
            }
            detail = .confirmationApplied(appliedOn: on, court: try text(court, "court"))
        case .confirm:
            detail = .confirmationDecided(confirmed: true, reason: nil)
        case .refuseConfirmation(let reason):
            detail = .confirmationDecided(confirmed: false, reason: try text(reason, "reason"))
        case .followUp(let result, let notes):
            detail = .followUp(result: result, notes: notes.trimmingCharacters(in: .whitespacesAndNewlines))
        case .close:
            to = .closed
        case .supervise(let reason, let n):
            if reason.isAutomatic {
                guard let c = clock(of: s), c.status(at: at, calendar: calendar).colour == .red else {
                    throw .notAllowed(action: kind, state: s.state, reason: "the time limit has not passed", allowed: allowedActions(for: s, actor: actor))
                }
                if let key = stageKey(s), s.supervisedStages.contains(key) {
                    throw .notAllowed(action: kind, state: s.state, reason: "this stage was supervised already", allowed: allowedActions(for: s, actor: actor))
                }
            }
            detail = .supervision(reason)
            note = n
        }
        let record = MediationRecord(kind: kind, actor: actor, at: at, fromState: s.state, toState: to, note: note, detail: detail, deadline: deadline)
        return LifecycleStep(snapshot: try applying(record, to: s), record: record)
    }

    // MARK: Clock, clock job, supervision

    /// The time limit runs from acceptance (or escalation) while the dispute is open.
    public static func clock(of s: MediationSnapshot) -> RunningClock? {
        guard s.state == .accepted || s.state == .mediating, let start = s.stageStartedAt, let deadline = s.deadline else { return nil }
        return RunningClock(start: start, deadline: deadline)
    }

    public static func due(_ s: MediationSnapshot, now: Date, calendar: WorkingCalendar) -> [MediationCommand] {
        guard let c = clock(of: s), c.status(at: now, calendar: calendar).colour == .red,
              let key = stageKey(s), !s.supervisedStages.contains(key) else { return [] }
        return [.supervise(.mediationLate, note: nil)]
    }

    public static func supervision(raisedBy step: LifecycleStep<MediationLifecycle>) -> SupervisionRaise? {
        if step.record.kind == .register {
            // Many people or a threat of violence: a notice to the leaders of the dispute's area, with the registration.
            guard step.snapshot.riskOfEscalation else { return nil }
            let r = step.snapshot.registration
            return SupervisionRaise(reason: .escalationRisk, stageKey: "registered", at: step.record.at, by: step.record.actor.staff?.username,
                                    note: "\(r.peopleCount) 人\(r.threatOfViolence ? "，有暴力倾向" : "")")
        }
        guard step.record.kind == .supervise, case .supervision(let reason)? = step.record.detail else { return nil }
        let key = reason.isAutomatic ? (stageKey(step.snapshot) ?? "") : "\(step.snapshot.actionCount)"
        return SupervisionRaise(reason: reason, stageKey: key, at: step.record.at, by: step.record.actor.staff?.username, note: step.record.note)
    }

    /// The stage a mediation is in: its tier and when that tier took it on.
    static func stageKey(_ s: MediationSnapshot) -> String? {
        s.stageStartedAt.map { SupervisionRaise.stageKey(state: s.tier.rawValue, since: $0) }
    }
}
