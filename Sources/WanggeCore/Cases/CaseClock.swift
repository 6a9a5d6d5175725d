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

/// Green under 80 % of the limit used, yellow from 80 % up to the deadline, red past it (DESIGN §4).
public enum ClockColour: String, CaseIterable, Codable, Sendable {
    case green, yellow, red
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
    /// The running clock of a case at `now`, or nil when none runs (reported, rejected, merged, closed).
    ///
    /// Red means the deadline has passed: `now` (or, while suspended, the moment of suspension) is after it, even
    /// in non-working time; a Friday 17:30 deadline is red on Saturday. Otherwise yellow from 80 % of the stage's
    /// working time used, green below.
    public static func status(of s: CaseSnapshot, at now: Date, calendar: WorkingCalendar) -> CaseClockStatus? {
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
        let end = s.suspendedSince.map { min($0, now) } ?? now
        let total = calendar.workingSeconds(from: start, to: deadline, excluding: s.suspensions)
        let used = calendar.workingSeconds(from: start, to: end, excluding: s.suspensions)
        let late = end > deadline
        let colour: ClockColour = late ? .red : (used * 5 >= total * 4 ? .yellow : .green)
        let fraction = total > 0 ? Double(used) / Double(total) : (late ? 1 : 0)
        return CaseClockStatus(stage: stage, colour: colour, usedFraction: fraction, deadline: deadline,
                               isPaused: s.isSuspended)
    }

    /// When a case's running clock turns yellow and red, so that a store can tell its colour at any instant with two
    /// comparisons (`colour(at:)` equals `status(of:at:calendar:)`'s, as a test checks); a paused clock's colour is
    /// fixed. Nil when no clock runs. Valid until the case's next action (every action rewrites them).
    public struct Thresholds: Hashable, Sendable {
        /// Yellow from this instant (80 % of the stage's working time used)…
        public var yellowAt: Date
        /// …red after this one.
        public var deadline: Date
        /// While suspended: the colour the clock stands at.
        public var pausedColour: ClockColour?

        public func colour(at now: Date) -> ClockColour {
            if let pausedColour { return pausedColour }
            return now > deadline ? .red : (now >= yellowAt ? .yellow : .green)
        }
    }

    public static func thresholds(of s: CaseSnapshot, calendar: WorkingCalendar) -> Thresholds? {
        let start: Date?, deadline: Date?
        switch s.state {
        case .dispatched: (start, deadline) = (s.stageStartedAt, s.deadlines.sign)
        case .signed: (start, deadline) = (s.stageStartedAt, s.deadlines.resolve)
        case .resolved: (start, deadline) = (s.stageStartedAt, s.deadlines.verify)
        case .accepted, .verified: (start, deadline) = (s.closureClockStartedAt, s.deadlines.closure)
        case .reported, .rejected, .merged, .closed: return nil
        }
        guard let start, let deadline else { return nil }
        if let since = s.suspendedSince {
            guard let colour = status(of: s, at: since, calendar: calendar)?.colour else { return nil }
            return Thresholds(yellowAt: deadline, deadline: deadline, pausedColour: colour)
        }
        let total = calendar.workingSeconds(from: start, to: deadline, excluding: s.suspensions)
        // Yellow once used × 5 ≥ total × 4: from the instant `needed` unsuspended working seconds have passed.
        let needed = (total * 4 + 4) / 5
        guard needed > 0 else { return Thresholds(yellowAt: .distantPast, deadline: deadline, pausedColour: nil) }
        // The instant `needed` + (the suspended working time before it) working seconds after the start; the
        // suspended part depends on that instant, so step until it stands still (suspensions are few and finite).
        var at = calendar.adding(workingSeconds: needed, to: start)
        for _ in 0..<64 {
            let suspended = calendar.workingSeconds(from: start, to: at) - calendar.workingSeconds(from: start, to: at, excluding: s.suspensions)
            let next = calendar.adding(workingSeconds: needed + suspended, to: start)
            if next == at { break }
            at = next
        }
        return Thresholds(yellowAt: at, deadline: deadline, pausedColour: nil)
    }
}
