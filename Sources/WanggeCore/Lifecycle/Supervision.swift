import Foundation

/// A supervision (督办) that a step of a record's life raises, with the key that makes it happen once: the clock
/// job's belongs to the late stage (its state and start, so a new stage can be pushed again however often the job
/// runs), a leader's to its own action (each is its own push). Each lifecycle says which of its steps raise one
/// (`Lifecycle.supervision(raisedBy:)`); the store keeps one per key.
public struct SupervisionRaise: Hashable, Sendable {
    public var reason: SupervisionReason
    public var stageKey: String
    public var at: Date
    /// The user name of who raised it; nil for the clock job.
    public var by: String?
    public var note: String?

    public init(reason: SupervisionReason, stageKey: String, at: Date, by: String?, note: String?) {
        self.reason = reason
        self.stageKey = stageKey
        self.at = at
        self.by = by
        self.note = note
    }

    /// What `step` raises, by its lifecycle's rule.
    public init?<L: Lifecycle>(_ step: LifecycleStep<L>) {
        guard let r = L.supervision(raisedBy: step) else { return nil }
        self = r
    }

    /// The key of a stage: the state it is in and when it began.
    public static func stageKey(state: String, since: Date) -> String {
        "\(state)@\(Int(since.timeIntervalSince1970))"
    }

    /// The key of the stage a case is in.
    public static func stageKey(_ s: CaseSnapshot) -> String {
        stageKey(state: s.state.rawValue, since: s.stageStartedAt ?? s.reportedAt)
    }
}

/// Why a supervision (督办) was raised: a kind's own reasons beside the shared ones. Stored by its raw value, so a
/// new kind of record adds its reasons (a late risk review) without touching this type's cases.
public struct SupervisionReason: RawRepresentable, Hashable, Codable, Sendable {
    public var rawValue: String
    public var nameZH: String { Self.names[rawValue]?.zh ?? rawValue }
    public var nameEN: String { Self.names[rawValue]?.en ?? rawValue }

    public init(rawValue: String) { self.rawValue = rawValue }

    /// Dispatched work not signed for by its sign deadline (未签收件). Raised by the clock job.
    public static let unsignedLate = Self(rawValue: "unsigned_late")
    /// Signed work not resolved by its resolve deadline (超期件). Raised by the clock job.
    public static let resolveLate = Self(rawValue: "resolve_late")
    /// A mediation past its time limit (调解超期). Raised by the clock job.
    public static let mediationLate = Self(rawValue: "mediation_late")
    /// Work past its time limit, for a kind that has no reason of its own. Raised by the clock job.
    public static let late = Self(rawValue: "late")
    /// Raised by a leader.
    public static let leader = Self(rawValue: "leader")
    /// A dispute registered with a risk of escalation (many people, a threat of violence): a notice to the area's
    /// leaders, raised with the registration.
    public static let escalationRisk = Self(rawValue: "escalation_risk")

    public var isAutomatic: Bool { self != .leader }

    static let names: [String: (zh: String, en: String)] = [
        "unsigned_late": ("超时未签收", "Not signed for in time"),
        "resolve_late": ("超期未办结", "Not resolved in time"),
        "mediation_late": ("调解超期", "Mediation past its time limit"),
        "late": ("超期", "Past its time limit"),
        "leader": ("领导督办", "Raised by a leader"),
        "escalation_risk": ("矛盾激化风险", "Risk of escalation"),
        "late_review": ("风险复核超期", "Risk review overdue"),
    ]
}
