import Foundation

/// A supervision (督办) that a transition raises, with the key that makes it happen once: the clock job's belongs to
/// the late stage (its start, so a new dispatch can be pushed again however often the job runs), a leader's to its
/// own action (each is its own push).
public struct SupervisionRaise: Hashable, Sendable {
    public var reason: SupervisionReason
    public var stageKey: String
    public var at: Date
    /// The user name of who raised it; nil for the clock job.
    public var by: String?
    public var note: String?

    /// What `t` raises, if it is a supervise action.
    public init?(_ t: CaseTransition) {
        guard t.record.kind == .supervise, case .supervision(let reason)? = t.record.detail else { return nil }
        self.reason = reason
        stageKey = reason.isAutomatic ? Self.stageKey(t.snapshot) : "\(t.snapshot.actionCount)"
        at = t.record.at
        by = t.record.actor.staff?.username
        note = t.record.note
    }

    /// The stage a case is in: its state and when that stage began.
    public static func stageKey(_ s: CaseSnapshot) -> String {
        "\(s.state.rawValue)@\(Int((s.stageStartedAt ?? s.reportedAt).timeIntervalSince1970))"
    }
}
