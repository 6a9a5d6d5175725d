import Foundation

/// A case's place in the jurisdiction: the area codes from the smallest area containing it up to the county,
/// kept on the case (from its report) so the rules need no jurisdiction to check scope or to escalate.
public struct AreaRef: Hashable, Sendable, Codable {
    public var code: String
    public var level: AreaLevel

    public init(code: String, level: AreaLevel) {
        self.code = code
        self.level = level
    }

    public init(_ area: Area) { self.init(code: area.code, level: area.level) }
}

/// The command centre (受理/派遣) that owns a case: the operators of a county, township or village.
public typealias CaseCentre = AreaRef

/// Who must act on a case now: a centre's operators, or a department.
public enum CaseAssignee: Hashable, Sendable, Codable, CustomStringConvertible {
    case centre(CaseCentre)
    case department(String)

    /// "centre:township:C01" or "department:C01-market_regulation", for a database column.
    public var rawValue: String {
        switch self {
        case .centre(let c): "centre:\(c.level.rawValue):\(c.code)"
        case .department(let code): "department:\(code)"
        }
    }

    public init?(rawValue: String) {
        let parts = rawValue.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "department" where parts.count >= 2:
            self = .department(parts.dropFirst().joined(separator: ":"))
        case "centre" where parts.count == 3:
            guard let level = AreaLevel(rawValue: parts[1]) else { return nil }
            self = .centre(CaseCentre(code: parts[2], level: level))
        default:
            return nil
        }
    }

    public var description: String { rawValue }

    /// Encoded as its `rawValue`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = CaseAssignee(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not an assignee")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var departmentCode: String? {
        if case .department(let code) = self { return code }
        return nil
    }
}

/// The deadlines of a case's clocks, as instants. A stage deadline is set when its stage starts and moved by
/// suspensions and approved extensions; `closure` runs from acceptance to closing.
public struct CaseDeadlines: Hashable, Sendable, Codable {
    public var sign: Date?
    public var resolve: Date?
    public var verify: Date?
    public var closure: Date?

    public init(sign: Date? = nil, resolve: Date? = nil, verify: Date? = nil, closure: Date? = nil) {
        self.sign = sign
        self.resolve = resolve
        self.verify = verify
        self.closure = closure
    }
}

/// An extension asked for by the handler and not yet decided.
public struct PendingExtension: Hashable, Sendable, Codable {
    public var duration: WorkingDuration
    public var requestedAt: Date

    public init(duration: WorkingDuration, requestedAt: Date) {
        self.duration = duration
        self.requestedAt = requestedAt
    }
}

/// The current state of one case: what the case row holds. It is always the replay of the case's actions
/// (`CaseSnapshot.replay`); the state machine never changes it any other way.
public struct CaseSnapshot: Hashable, Sendable, Codable {
    /// The facts fixed at report time (code, category and its limits, place, source, routing).
    public var intake: CaseIntake
    public var reportedAt: Date
    public var state: CaseState
    /// The centre that owns the case; escalation moves it up.
    public var centre: CaseCentre
    /// Who must act now. Stays on the department after it resolves, so that rework goes back to it.
    public var assignee: CaseAssignee
    /// Set when the case was merged into another case.
    public var mergedInto: String?

    public var suspendedSince: Date?
    /// Finished suspensions; their working time counts on no clock.
    public var suspensions: [DateInterval]
    public var pendingExtension: PendingExtension?
    public var approvedExtensions: [WorkingDuration]

    public var deadlines: CaseDeadlines
    /// When the running stage clock (sign, resolve or verify) started.
    public var stageStartedAt: Date?
    /// When the closure clock started: acceptance, or the report for a case resolved on the spot unaccepted.
    public var closureClockStartedAt: Date?

    /// The automatic supervisions already raised in the current stage; cleared when a new stage starts.
    public var raisedSupervisions: Set<SupervisionReason>
    /// Centres this case was auto-escalated from (once per level).
    public var autoEscalatedFrom: Set<String>
    /// Whether the one reopening by an unsatisfied rating has been used.
    public var reopened: Bool
    /// Since the last closing.
    public var feedbackGiven: Bool
    public var ratedSinceClose: Bool
    public var lastRating: Satisfaction?
    public var closedAt: Date?
    public var lastActionAt: Date

    // Counters for display and queues. Measures never read them: they are computed from the actions.
    public var reworkCount: Int
    public var returnCount: Int
    public var transferCount: Int
    public var escalationCount: Int
    public var supervisionCount: Int
    public var actionCount: Int

    public var isSuspended: Bool { suspendedSince != nil }
    public var departmentCode: String? { assignee.departmentCode }
    public var hasReporter: Bool { intake.hasReporter }
    public var areaCode: String { intake.areas.first?.code ?? centre.code }

    /// The deadline of the stage clock that is running now (sign when dispatched, resolve when signed, verify when
    /// resolved), for queues sorted by urgency.
    public var nextDeadline: Date? {
        switch state {
        case .dispatched: deadlines.sign
        case .signed: deadlines.resolve
        case .resolved: deadlines.verify
        default: nil
        }
    }

    /// The snapshot right after the report.
    init(reportedAt: Date, intake: CaseIntake) {
        self.intake = intake
        self.reportedAt = reportedAt
        state = .reported
        centre = intake.centre
        assignee = .centre(intake.centre)
        suspensions = []
        approvedExtensions = []
        deadlines = CaseDeadlines()
        raisedSupervisions = []
        autoEscalatedFrom = []
        reopened = false
        feedbackGiven = false
        ratedSinceClose = false
        lastActionAt = reportedAt
        reworkCount = 0
        returnCount = 0
        transferCount = 0
        escalationCount = 0
        supervisionCount = 0
        actionCount = 1
    }
}
