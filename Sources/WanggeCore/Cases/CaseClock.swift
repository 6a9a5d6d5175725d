import Foundation

/// The clock a case is on now.
public enum CaseClockStage: String, CaseIterable, Codable, Sendable {
    /// Dispatched, waiting to be signed for.
    case sign
    /// Signed, being handled.
    case resolve
    /// Resolved, waiting for verification.
    case verify
    /// Accepted and waiting for dispatch, or verified and waiting to be closed: only the closure clock runs.
    case closure
}

public struct CaseClockStatus: Hashable, Sendable {
    public var stage: CaseClockStage
    public var colour: ClockColour
    /// Working time used over the stage's working time (limit plus approved extensions), suspension excluded.
    /// Can pass 1.
    public var usedFraction: Double
    public var deadline: Date
    /// Suspended: the clock stands still at the moment of suspension (and its deadline moves on resume).
    public var isPaused: Bool
}

public enum CaseClock {
    /// The stage whose clock runs on a case, and that clock (`RunningClock`); nil when none runs (reported,
    /// rejected, merged, closed).
    public static func running(_ s: CaseSnapshot) -> (stage: CaseClockStage, clock: RunningClock)? {
        let stage: CaseClockStage
        let start: Date?
        let deadline: Date?
        switch s.state {
        case .dispatched: (stage, start, deadline) = (.sign, s.stageStartedAt, s.deadlines.sign)
        case .signed: (stage, start, deadline) = (.resolve, s.stageStartedAt, s.deadlines.resolve)
        case .resolved: (stage, start, deadline) = (.verify, s.stageStartedAt, s.deadlines.verify)
        case .accepted, .verified: (stage, start, deadline) = (.closure, s.closureClockStartedAt, s.deadlines.closure)
        case .reported, .rejected, .merged, .closed: return nil
        }
        guard let start, let deadline else { return nil }
        return (stage, RunningClock(start: start, deadline: deadline, suspensions: s.suspensions, pausedSince: s.suspendedSince))
    }

    /// The running clock of a case at `now`, or nil when none runs. See `RunningClock.status`.
    public static func status(of s: CaseSnapshot, at now: Date, calendar: WorkingCalendar) -> CaseClockStatus? {
        guard let (stage, clock) = running(s) else { return nil }
        let status = clock.status(at: now, calendar: calendar)
        return CaseClockStatus(stage: stage, colour: status.colour, usedFraction: status.usedFraction, deadline: status.deadline,
                               isPaused: status.isPaused)
    }

    public typealias Thresholds = RunningClock.Thresholds

    /// When a case's running clock turns yellow and red (`RunningClock.thresholds`); nil when no clock runs.
    public static func thresholds(of s: CaseSnapshot, calendar: WorkingCalendar) -> Thresholds? {
        running(s)?.clock.thresholds(calendar: calendar)
    }
}
