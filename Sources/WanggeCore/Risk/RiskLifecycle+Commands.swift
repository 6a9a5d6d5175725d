import Foundation

/// What staff (and the clock job) ask of a risk entry. The commands that set the next review's due date carry the
/// policy it is worked out under.
public enum RiskCommand: Sendable, Hashable {
    /// 审核 (from registered) or 复核 (after): an assessment and a decision about the level.
    case review(assessment: RiskAssessment, decision: RiskDecision, note: String?, policy: RiskPolicy)
    case approve(note: String?)
    /// 移送 to the responsible department, which is told (告知); again while active to move it or change its owners.
    case transfer(owners: RiskOwners, note: String?)
    /// 反馈 from the responsible department, with the plan's measures it reports done (their indexes).
    case feedback(text: String, measuresDone: [Int])
    /// The mitigation plan, whole (it replaces the last one).
    case plan([MitigationMeasure])
    case linkCases([String])
    /// 销号, after a review decided `clear`.
    case clear(note: String?)
    /// 归档: a cleared entry, or one found not to be a risk before approval (a note says why).
    case archive(note: String?)
    /// The clock job moves the next review's due date to the one `policy` gives.
    case reschedule(policy: RiskPolicy)
    case supervise(SupervisionReason, note: String?)

    public var kind: RiskActionKind {
        switch self {
        case .review: .review
        case .approve: .approve
        case .transfer: .transfer
        case .feedback: .feedback
        case .plan: .plan
        case .linkCases: .linkCases
        case .clear: .clear
        case .archive: .archive
        case .reschedule: .reschedule
        case .supervise: .supervise
        }
    }
}

public enum RiskRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The state or the actor does not allow the action; `allowed` is what this actor may do now.
    case notAllowed(action: RiskActionKind, state: RiskState, reason: String, allowed: [RiskActionKind])
    /// The clock job's action has nothing to do (the review is not late, the due date is unchanged).
    case notDue
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
            "\(action.rawValue) is not allowed on a \(state.rawValue) risk: \(reason). Allowed now: "
                + (allowed.isEmpty ? "nothing" : allowed.map(\.rawValue).joined(separator: ", ")) + "."
        case .notDue: "nothing is due"
        case .missingField(let f): "\(f) is required"
        case let .invalidField(f, reason): "\(f) \(reason)"
        case .invalidHistory(let why): "broken risk history: \(why)"
        }
    }
}

extension RiskLifecycle {
    // MARK: Registration

    /// Checks a registration and makes the first record: the level is the one the registrar's assessment proposes,
    /// and the first review falls due on that level's cadence. Every bad field is a `missingField`/`invalidField`.
    public static func register(_ r: RiskRegistration, policy: RiskPolicy, actor: RecordActor, at: Date,
                                calendar: WorkingCalendar) throws(RiskRuleError) -> LifecycleStep<RiskLifecycle> {
        var r = r
        guard RiskLimits.isCode(r.code) else { throw .invalidField(field: "code", reason: "is not a register code") }
        guard policy.catalogue.category(r.categoryCode) != nil else { throw .invalidField(field: "category_code", reason: "is not a risk category of this county") }
        r.title = try text(r.title, "title", max: RiskLimits.titleLength)
        r.description = try text(r.description, "description", max: RiskLimits.textLength, multiline: true)
        guard RiskLimits.isCode(r.areaCode) else { throw .invalidField(field: "area_code", reason: "is not an area code") }
        let path = r.areaPath.split(separator: "/", omittingEmptySubsequences: false)
        guard r.areaPath.hasSuffix("/"), path.dropLast().allSatisfy({ RiskLimits.isCode(String($0)) }), path.dropLast().last.map(String.init) == r.areaCode else {
            throw .invalidField(field: "area_path", reason: "must be the area's path, ending in \(r.areaCode)/")
        }
        if let p = r.point, !(p.lon.isFinite && p.lat.isFinite && (-180...180).contains(p.lon) && (-90...90).contains(p.lat)) {
            throw .invalidField(field: "point", reason: "must be a longitude and latitude")
        }
        if let place = r.placeCode, !RiskLimits.isCode(place) { throw .invalidField(field: "place_code", reason: "is not a place code") }
        let level = try proposedLevel(r.assessment, policy)
        try checkCaseCodes(r.caseCodes, existing: [])
        let due = policy.nextReview(after: at, level: level, areaPath: r.areaPath, calendar: calendar)
        let record = RiskRecord(kind: .register, actor: actor, at: at, fromState: nil, toState: .registered, fromLevel: nil, level: level,
                                detail: .registration(r), nextReviewDue: due)
        return LifecycleStep(snapshot: try start(record), record: record)
    }

    // MARK: Who may act

    /// Who may act: operators and administrators work the register (the HTTP layer answers 404 outside their
    /// scope); leaders approve, clear and supervise; handlers of the responsible department review, report back and
    /// plan once it is transferred to them; the clock job reschedules and supervises late reviews.
    static func denial(of kind: RiskActionKind, on s: RiskSnapshot, by actor: RecordActor) -> String? {
        let byState: Set<RiskActionKind>
        let always: Set<RiskActionKind> = [.review, .plan, .linkCases, .reschedule, .supervise]
        switch s.state {
        case .registered: byState = always.union([.archive])
        case .reviewed: byState = always.union([.approve, .archive])
        case .approved: byState = always.union([.transfer])
        case .active: byState = always.union(s.clearProposed ? [.transfer, .feedback, .clear] : [.transfer, .feedback])
        case .cleared: byState = [.archive]
        case .archived: byState = []
        }
        guard byState.contains(kind) else { return kind == .clear && s.state == .active ? "no review has found the hazard gone" : "not in this state" }
        switch actor {
        case .system:
            return kind == .reschedule || kind == .supervise ? nil : "the clock job only reschedules and supervises"
        case .reporter:
            return "residents report hazards as cases"
        case .staff(let staff):
            if kind == .reschedule { return "the clock job reschedules reviews" }
            switch staff.role {
            case .operator, .admin:
                return [.approve, .clear, .supervise].contains(kind) ? "approval, clearing and supervision are for leaders" : nil
            case .leader:
                return [.approve, .clear, .supervise].contains(kind) ? nil : "leaders approve, clear and supervise"
            case .handler:
                guard s.state == .active, let owners = s.owners, owners.departmentCode == staff.departmentCode else {
                    return "the risk is not transferred to your department"
                }
                return [.review, .feedback, .plan, .linkCases].contains(kind) ? nil : "the responsible department reviews, reports back and plans"
            default:
                return "\(staff.role.rawValue) accounts register risks; the risk office works them"
            }
        }
    }

    /// The actions `actor` may take now.
    public static func allowedActions(for s: RiskSnapshot, actor: RecordActor) -> [RiskActionKind] {
        RiskActionKind.allCases.filter { $0 != .register && denial(of: $0, on: s, by: actor) == nil }
    }

    // MARK: Commands

    public static func apply(_ command: RiskCommand, to s: RiskSnapshot, actor: RecordActor, at requested: Date,
                             calendar: WorkingCalendar) throws(RiskRuleError) -> LifecycleStep<RiskLifecycle> {
        let kind = command.kind
        if let reason = denial(of: kind, on: s, by: actor) {
            throw .notAllowed(action: kind, state: s.state, reason: reason, allowed: allowedActions(for: s, actor: actor))
        }
        let at = max(requested, s.lastActionAt)
        let today = calendar.civilDate(of: at)
        var to = s.state
        var level = s.level
        var note: String?
        var detail: RiskDetail?
        var due: Date?
        switch command {
        case let .review(assessment, decision, n, policy):
            let proposed = try proposedLevel(assessment, policy)
            note = try optionalText(n, "note")
            switch decision {
            case .keep:
                // Keeping a level the assessment does not propose is the reviewer's judgement: it needs a reason.
                if proposed != s.level && note == nil { throw .missingField(field: "note") }
            case .raise:
                guard proposed < s.level else { throw .invalidField(field: "decision", reason: "raise needs an assessment proposing a level above \(s.level); it proposes \(proposed)") }
                level = proposed
            case .lower:
                guard proposed > s.level else { throw .invalidField(field: "decision", reason: "lower needs an assessment proposing a level below \(s.level); it proposes \(proposed)") }
                level = proposed
            case .clear:
                guard s.state == .active else { throw .invalidField(field: "decision", reason: "clears only an active risk (archive an entry that is not a risk)") }
            }
            if s.state == .registered { to = .reviewed }
            detail = .review(assessment: assessment, proposedLevel: proposed, decision: decision)
            due = policy.nextReview(after: at, level: level, areaPath: s.registration.areaPath, calendar: calendar)
        case let .approve(n):
            to = .approved
            note = try optionalText(n, "note")
        case let .transfer(owners, n):
            guard RiskLimits.isCode(owners.departmentCode) else { throw .invalidField(field: "owners.department_code", reason: "is not a department code") }
            for (who, field) in [(owners.leader, "owners.leader"), (owners.personInCharge, "owners.person_in_charge")] {
                guard RiskLimits.isUsername(who.username) else { throw .invalidField(field: "\(field).username", reason: "is not a staff account") }
                _ = try text(who.name, "\(field).name", max: RiskLimits.nameLength)
            }
            guard owners != s.owners else { throw .invalidField(field: "owners", reason: "are the risk's owners already") }
            to = .active
            note = try optionalText(n, "note")
            detail = .transfer(owners)
        case let .feedback(t, done):
            guard Set(done).count == done.count, done.allSatisfy({ s.plan.indices.contains($0) && s.plan[$0].doneOn == nil }) else {
                throw .invalidField(field: "measures_done", reason: "must name measures of the plan not yet done, once each")
            }
            detail = .feedback(text: try text(t, "text", max: RiskLimits.textLength, multiline: true), measuresDone: done, doneOn: today)
        case let .plan(measures):
            guard !measures.isEmpty else { throw .missingField(field: "measures") }
            guard measures.count <= RiskLimits.maximumMeasures else { throw .invalidField(field: "measures", reason: "must be at most \(RiskLimits.maximumMeasures)") }
            let registered = calendar.civilDate(of: s.registeredAt)
            var checked: [MitigationMeasure] = []
            for (i, m) in measures.enumerated() {
                let d = try text(m.description, "measures[\(i)].description", max: RiskLimits.textLength, multiline: true)
                guard m.dueOn >= registered, m.dueOn <= today.adding(days: RiskLimits.planHorizonDays) else {
                    throw .invalidField(field: "measures[\(i)].due_on", reason: "must lie between the registration (\(registered)) and ten years from today")
                }
                if let done = m.doneOn, !(registered...today).contains(done) {
                    throw .invalidField(field: "measures[\(i)].done_on", reason: "must lie between the registration (\(registered)) and today")
                }
                checked.append(MitigationMeasure(description: d, dueOn: m.dueOn, doneOn: m.doneOn))
            }
            detail = .plan(checked)
        case let .linkCases(codes):
            guard !codes.isEmpty else { throw .missingField(field: "case_codes") }
            try checkCaseCodes(codes, existing: s.caseCodes)
            detail = .caseLinks(codes)
        case let .clear(n):
            to = .cleared
            note = try optionalText(n, "note")
        case let .archive(n):
            to = .archived
            note = try optionalText(n, "note")
            if s.state != .cleared && note == nil { throw .missingField(field: "note") }
        case let .reschedule(policy):
            let next = policy.nextReview(of: s, calendar: calendar)
            guard next != s.nextReviewDue else { throw .notDue }
            due = next
            // The periods that moved it (none when one was called off or the cadence changed).
            let periods = policy.heightenedPeriods.filter { $0.covers(areaPath: s.registration.areaPath) && $0.start < next && $0.end > s.reviewBase }
            note = periods.isEmpty ? nil : periods.map(\.name).joined(separator: "、")
        case let .supervise(reason, n):
            if reason.isAutomatic {
                guard let c = clock(of: s), at > c.deadline else { throw .notDue }
                guard !s.supervisedStages.contains(stageKey(s)) else {
                    throw .notAllowed(action: kind, state: s.state, reason: "this review was supervised already", allowed: allowedActions(for: s, actor: actor))
                }
            }
            detail = .supervision(reason)
            note = try optionalText(n, "note")
        }
        let record = RiskRecord(kind: kind, actor: actor, at: at, fromState: s.state, toState: to, fromLevel: s.level, level: level,
                                note: note, detail: detail, nextReviewDue: due)
        return LifecycleStep(snapshot: try applying(record, to: s), record: record)
    }

    // MARK: Field checks

    static func proposedLevel(_ assessment: RiskAssessment, _ policy: RiskPolicy) throws(RiskRuleError) -> Int {
        if let p = assessment.problem { throw .invalidField(field: p.field, reason: p.reason) }
        guard let level = policy.catalogue.proposedLevel(for: assessment) else {
            throw .invalidField(field: "assessment", reason: "scores \(RiskBand.text(assessment.score)), which no band of the catalogue takes")
        }
        return level
    }

    static func checkCaseCodes(_ codes: [String], existing: [String]) throws(RiskRuleError) {
        guard codes.count + existing.count <= RiskLimits.maximumCaseLinks else {
            throw .invalidField(field: "case_codes", reason: "must be at most \(RiskLimits.maximumCaseLinks) in all")
        }
        for (i, c) in codes.enumerated() {
            guard RiskLimits.isCode(c) else { throw .invalidField(field: "case_codes[\(i)]", reason: "is not a case code") }
            guard !existing.contains(c), !codes[..<i].contains(c) else { throw .invalidField(field: "case_codes[\(i)]", reason: "is linked already") }
        }
    }

    /// `value` trimmed: required, at most `max` characters, plain text (`TextInput.isClean`).
    static func text(_ value: String, _ field: String, max: Int, multiline: Bool = false) throws(RiskRuleError) -> String {
        let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { throw .missingField(field: field) }
        guard t.count <= max else { throw .invalidField(field: field, reason: "must be at most \(max) characters") }
        guard TextInput.isClean(t, multiline: multiline) else { throw .invalidField(field: field, reason: "contains control or invisible characters") }
        return t
    }

    /// An optional note: nil when absent or blank, else checked like `text`.
    static func optionalText(_ value: String?, _ field: String) throws(RiskRuleError) -> String? {
        guard let value, !value.allSatisfy(\.isWhitespace) else { return nil }
        return try text(value, field, max: RiskLimits.textLength, multiline: true)
    }
}
