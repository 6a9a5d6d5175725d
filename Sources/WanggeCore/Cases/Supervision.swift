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
