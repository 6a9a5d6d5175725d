import Foundation

public enum MediationActionKind: String, CaseIterable, Codable, Sendable {
    case register, accept, assign
    case scheduleSession = "schedule_session"
    case recordSession = "record_session"
    case escalate, extend, agree, fail, withdraw
    case recordPerformance = "record_performance"
    case applyConfirmation = "apply_confirmation"
    case confirm
    case refuseConfirmation = "refuse_confirmation"
    case followUp = "follow_up"
    case close, supervise

    public var nameZH: String {
        switch self {
        case .register: "登记"
        case .accept: "受理"
        case .assign: "指派调解员"
        case .scheduleSession: "安排调解"
        case .recordSession: "记录调解"
        case .escalate: "提交上一级调解"
        case .extend: "延长期限"
        case .agree: "达成协议"
        case .fail: "调解不成"
        case .withdraw: "撤回"
        case .recordPerformance: "记录履行"
        case .applyConfirmation: "申请司法确认"
        case .confirm: "司法确认"
        case .refuseConfirmation: "确认被驳回"
        case .followUp: "回访"
        case .close: "结案"
        case .supervise: "督办"
        }
    }
}

/// What a dispute is when it is registered: all of it is checked before the first action is recorded.
public struct MediationRegistration: Hashable, Sendable, Codable {
    /// `TJ-YYYYMMDD-NNNNNN`, given by the store's counter.
    public var code: String
    public var typeCode: String
    public var description: String
    /// The dispute's place: its area and every area above it, smallest first (the case loop's chain).
    public var areas: [AreaRef]
    /// The tier it starts at (the lowest committee of its chain unless the caller chose a higher one).
    public var tier: MediationTier
    public var channel: MediationChannel
    public var source: MediationSource
    /// The case it came from (source `case`).
    public var caseID: UUID?
    public var parties: [MediationParty]
    public var amount: Fen
    public var peopleCount: Int
    /// A threat of violence was reported: with many people involved, the risk of escalation (the township's leader
    /// is told).
    public var threatOfViolence: Bool

    public init(code: String, typeCode: String, description: String, areas: [AreaRef], tier: MediationTier,
                channel: MediationChannel, source: MediationSource, caseID: UUID?, parties: [MediationParty],
                amount: Fen, peopleCount: Int, threatOfViolence: Bool) {
        self.code = code
        self.typeCode = typeCode
        self.description = description
        self.areas = areas
        self.tier = tier
        self.channel = channel
        self.source = source
        self.caseID = caseID
        self.parties = parties
        self.amount = amount
        self.peopleCount = peopleCount
        self.threatOfViolence = threatOfViolence
    }

    /// The committee's area at `tier`: the chain's area of that level, else the next one up.
    public func area(at tier: MediationTier) -> AreaRef? {
        areas.filter { $0.level <= tier.level }.max { $0.level < $1.level }
    }
}

/// What an action decided, beyond its state: the record carries it, so a replay needs no calendar or catalogue.
public enum MediationDetail: Hashable, Sendable, Codable {
    case registration(MediationRegistration)
    case acceptance(MediationComplexity)
    case assignment([String])
    case session(MediationSession)
    case sessionRecord(notes: String, participants: [String])
    case escalation(from: MediationTier, to: MediationTier, areaCode: String, reason: String)
    case extensionGranted(days: Int)
    case agreement(terms: [AgreementTerm], effectiveOn: CivilDate)
    case failure(FailureRoute)
    case performance(TermPerformance)
    case confirmationApplied(appliedOn: CivilDate, court: String)
    case confirmationDecided(confirmed: Bool, reason: String?)
    case followUp(result: FollowUpResult, notes: String)
    case supervision(SupervisionReason)
}

/// One action of a mediation case, as stored (append-only, numbered per case).
public struct MediationRecord: Hashable, Sendable, Codable {
    public var kind: MediationActionKind
    public var actor: RecordActor
    public var at: Date
    public var fromState: MediationState?
    public var toState: MediationState
    public var note: String?
    public var detail: MediationDetail?
    /// The running clock's new deadline when this action set or moved it.
    public var deadline: Date?

    public init(kind: MediationActionKind, actor: RecordActor, at: Date, fromState: MediationState?, toState: MediationState,
                note: String? = nil, detail: MediationDetail? = nil, deadline: Date? = nil) {
        self.kind = kind
        self.actor = actor
        self.at = at
        self.fromState = fromState
        self.toState = toState
        self.note = note
        self.detail = detail
        self.deadline = deadline
    }
}

public struct MediationEscalation: Hashable, Sendable, Codable {
    public var from: MediationTier
    public var to: MediationTier
    public var reason: String
    public var at: Date
}

public struct MediationFollowUp: Hashable, Sendable, Codable {
    public var result: FollowUpResult
    public var notes: String
    public var at: Date
}

/// A mediation case as it stands: the fold of its records (`MediationLifecycle.replay`).
public struct MediationSnapshot: Hashable, Sendable, Codable {
    public var registration: MediationRegistration
    public var state: MediationState
    public var tier: MediationTier
    /// The committee's area at the current tier.
    public var committeeArea: AreaRef
    public var complexity: MediationComplexity?
    public var mediators: [String] = []
    public var sessions: [MediationSession] = []
    public var terms: [AgreementTerm] = []
    public var agreedOn: CivilDate?
    public var performances: [TermPerformance] = []
    public var confirmation: JudicialConfirmation?
    public var followUps: [MediationFollowUp] = []
    public var failureRoute: FailureRoute?
    public var escalations: [MediationEscalation] = []
    public var extensionDays = 0
    public var registeredAt: Date
    /// When the current tier took it on (the clock's start), and its deadline.
    public var stageStartedAt: Date?
    public var deadline: Date?
    public var supervisedStages: Set<String> = []
    public var concludedAt: Date?
    public var closedAt: Date?
    public var lastActionAt: Date
    public var actionCount = 1

    /// Many people involved, or a threat of violence.
    public var riskOfEscalation: Bool { registration.peopleCount >= Self.manyPeople || registration.threatOfViolence }
    public static let manyPeople = 5

    public var amountPaid: Fen { performances.saturatingSum(of: \.amount) }
    /// What has been paid against term `term` (its index).
    public func paid(onTerm term: Int) -> Fen { performances.lazy.filter { $0.term == term }.saturatingSum(of: \.amount) }
    /// What remains unpaid of term `term`: its amount less what has been paid against it (0 or less when paid in full).
    public func unpaid(onTerm term: Int) -> Fen {
        guard terms.indices.contains(term) else { return 0 }
        // Both are ≥ 0 (amounts are never negative), so the difference cannot overflow.
        return terms[term].amount - paid(onTerm: term)
    }
    /// Agreed at the tier it was registered at.
    public var settledAtFirstTier: Bool { agreedOn != nil && escalations.isEmpty }
    /// A session scheduled and not yet recorded.
    public var openSession: Int? { sessions.lastIndex { $0.notes == nil } }
}
