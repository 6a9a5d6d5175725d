import Foundation

/// One step of a case's life (流转记录), appended and never changed. Replaying a case's records in order
/// rebuilds its snapshot (`CaseSnapshot.replay`).
public struct CaseActionRecord: Hashable, Sendable, Codable {
    public var kind: CaseActionKind
    public var actor: RecordActor
    public var at: Date
    /// Nil for the report, which creates the case.
    public var fromState: CaseState?
    public var toState: CaseState
    public var fromAssignee: CaseAssignee?
    public var toAssignee: CaseAssignee
    public var note: String?
    public var attachmentIDs: [String]
    /// What this kind of step carries beyond the common fields.
    public var detail: CaseActionDetail?
    /// All the case's deadlines after this step, when the step set or moved any of them; nil when unchanged.
    public var deadlines: CaseDeadlines?

    public init(kind: CaseActionKind, actor: RecordActor, at: Date, fromState: CaseState?, toState: CaseState,
                fromAssignee: CaseAssignee?, toAssignee: CaseAssignee, note: String? = nil,
                attachmentIDs: [String] = [], detail: CaseActionDetail? = nil, deadlines: CaseDeadlines? = nil) {
        self.kind = kind
        self.actor = actor
        self.at = at
        self.fromState = fromState
        self.toState = toState
        self.fromAssignee = fromAssignee
        self.toAssignee = toAssignee
        self.note = note
        self.attachmentIDs = attachmentIDs
        self.detail = detail
        self.deadlines = deadlines
    }
}

/// The extra facts of a step.
public enum CaseActionDetail: Hashable, Sendable, Codable {
    /// On `report`: the case's fixed facts.
    case intake(CaseIntake)
    /// On `merge`: the code of the case it was merged into.
    case mergedInto(String)
    /// On `request_extension`, `approve_extension` and `refuse_extension`: the working time asked for.
    case extensionRequest(WorkingDuration)
    /// On `rate`: the rating, and whether it reopened the case.
    case rating(Satisfaction, reopened: Bool)
    /// On `supervise`.
    case supervision(SupervisionReason)
}
