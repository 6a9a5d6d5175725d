import Foundation

/// What an action decided, beyond its state and level: the record carries it, so a replay needs no catalogue,
/// policy or calendar.
public enum RiskDetail: Hashable, Sendable, Codable {
    case registration(RiskRegistration)
    case review(assessment: RiskAssessment, proposedLevel: Int, decision: RiskDecision)
    case transfer(RiskOwners)
    case feedback(text: String, measuresDone: [Int], doneOn: CivilDate)
    case plan([MitigationMeasure])
    case caseLinks([String])
    case supervision(SupervisionReason)
}

/// One action of a risk entry, as stored (append-only, numbered per entry).
public struct RiskRecord: Hashable, Sendable, Codable {
    public var kind: RiskActionKind
    public var actor: RecordActor
    public var at: Date
    public var fromState: RiskState?
    public var toState: RiskState
    /// The level before the action; nil on the registration.
    public var fromLevel: Int?
    /// The level after it (only the registration and reviews set it).
    public var level: Int
    public var note: String?
    public var detail: RiskDetail?
    /// The next review's due date when this action set or moved it (registration, review, reschedule).
    public var nextReviewDue: Date?

    public init(kind: RiskActionKind, actor: RecordActor, at: Date, fromState: RiskState?, toState: RiskState, fromLevel: Int?,
                level: Int, note: String? = nil, detail: RiskDetail? = nil, nextReviewDue: Date? = nil) {
        self.kind = kind
        self.actor = actor
        self.at = at
        self.fromState = fromState
        self.toState = toState
        self.fromLevel = fromLevel
        self.level = level
        self.note = note
        self.detail = detail
        self.nextReviewDue = nextReviewDue
    }

    /// The entry reached orange or red with this action (registered at it, or raised to it): the leaders of its
    /// area are told (DESIGN §6). A lowering, or keeping a red risk red, tells nobody again.
    public var notifiesLeaders: Bool {
        level <= RiskLevel.leadersNotifiedUpTo && fromLevel.map { level < $0 } ?? true
    }
}

/// A risk entry as it stands: the fold of its records (`RiskLifecycle.replay`).
public struct RiskSnapshot: Hashable, Sendable, Codable {
    public var registration: RiskRegistration
    public var state: RiskState
    /// 1 (most severe) to 4.
    public var level: Int
    /// The latest assessment (the registration's until the first review).
    public var assessment: RiskAssessment
    public var reviews: [RiskReview] = []
    public var owners: RiskOwners?
    public var transfers: [RiskTransfer] = []
    public var feedbacks: [RiskFeedback] = []
    public var plan: [MitigationMeasure] = []
    /// Cases that revealed the risk or that it spawned.
    public var caseCodes: [String]
    public var registeredAt: Date
    public var lastReviewAt: Date?
    /// When the next review is due; nil once the entry is cleared or archived.
    public var nextReviewDue: Date?
    /// The review stages (`RiskLifecycle.stageKey`) already supervised as late.
    public var supervisedStages: Set<String> = []
    public var clearedAt: Date?
    public var archivedAt: Date?
    public var lastActionAt: Date
    public var actionCount = 1

    /// Where the review cadence counts from: the last review, or the registration before the first.
    public var reviewBase: Date { lastReviewAt ?? registeredAt }
    /// The last review found the hazard gone: a leader may clear the entry.
    public var clearProposed: Bool { reviews.last?.decision == .clear }

    /// Measures past their due date and not reported done on `day`.
    public func overdueMeasures(on day: CivilDate) -> [Int] {
        plan.indices.filter { plan[$0].doneOn == nil && plan[$0].dueOn < day }
    }
}
