import Foundation

/// Green under 80 % of the limit used, yellow from 80 % up to the deadline, red past it (DESIGN §4).
public enum ClockColour: String, CaseIterable, Codable, Sendable {
    case green, yellow, red
}

/// A working-time clock on a stage of a record's life: it started at `start`, is due at `deadline`, stood still
/// during `suspensions`, and stands still now if `pausedSince` is set. Any lifecycle's stages use it (a case's sign
/// and resolve clocks, a mediation's time limit), so colours and thresholds are computed once, the same way.
public struct RunningClock: Hashable, Sendable {
    public var start: Date
    public var deadline: Date
    public var suspensions: [DateInterval]
    public var pausedSince: Date?

    public init(start: Date, deadline: Date, suspensions: [DateInterval] = [], pausedSince: Date? = nil) {
        self.start = start
        self.deadline = deadline
        self.suspensions = suspensions
        self.pausedSince = pausedSince
    }

    public struct Status: Hashable, Sendable {
        public var colour: ClockColour
        /// Working time used over the stage's working time, suspension excluded. Can pass 1.
        public var usedFraction: Double
        public var deadline: Date
        public var isPaused: Bool
    }

    /// The colour at `now`. Red means the deadline has passed: `now` (or, while paused, the moment of pausing) is
    /// after it, even in non-working time; a Friday 17:30 deadline is red on Saturday. Otherwise yellow from 80 % of
    /// the stage's working time used, green below.
    public func status(at now: Date, calendar: WorkingCalendar) -> Status {
        let end = pausedSince.map { min($0, now) } ?? now
        let total = calendar.workingSeconds(from: start, to: deadline, excluding: suspensions)
        let used = calendar.workingSeconds(from: start, to: end, excluding: suspensions)
        let late = end > deadline
        let colour: ClockColour = late ? .red : (used * 5 >= total * 4 ? .yellow : .green)
        let fraction = total > 0 ? Double(used) / Double(total) : (late ? 1 : 0)
        return Status(colour: colour, usedFraction: fraction, deadline: deadline, isPaused: pausedSince != nil)
    }

    /// When the clock turns yellow and red, so that a store can tell its colour at any instant with two
    /// comparisons (`colour(at:)` equals `status(at:calendar:)`'s); a paused clock's colour is fixed. Valid until
    /// the record's next action (every action rewrites them).
    public struct Thresholds: Hashable, Sendable {
        /// Yellow from this instant (80 % of the stage's working time used)…
        public var yellowAt: Date
        /// …red after this one.
        public var deadline: Date
        /// While paused: the colour the clock stands at.
        public var pausedColour: ClockColour?

        public func colour(at now: Date) -> ClockColour {
            if let pausedColour { return pausedColour }
            return now > deadline ? .red : (now >= yellowAt ? .yellow : .green)
        }
    }

    public func thresholds(calendar: WorkingCalendar) -> Thresholds {
        if let since = pausedSince {
            return Thresholds(yellowAt: deadline, deadline: deadline, pausedColour: status(at: since, calendar: calendar).colour)
        }
        let total = calendar.workingSeconds(from: start, to: deadline, excluding: suspensions)
        // Yellow once used × 5 ≥ total × 4: from the instant `needed` unsuspended working seconds have passed.
        let needed = (total * 4 + 4) / 5
        guard needed > 0 else { return Thresholds(yellowAt: .distantPast, deadline: deadline, pausedColour: nil) }
        // The instant `needed` + (the suspended working time before it) working seconds after the start; the
        // suspended part depends on that instant, so step until it stands still (suspensions are few and finite).
        var at = calendar.adding(workingSeconds: needed, to: start)
        for _ in 0..<64 {
            let suspended = calendar.workingSeconds(from: start, to: at) - calendar.workingSeconds(from: start, to: at, excluding: suspensions)
            let next = calendar.adding(workingSeconds: needed + suspended, to: start)
            if next == at { break }
            at = next
        }
        return Thresholds(yellowAt: at, deadline: deadline, pausedColour: nil)
    }
}
