import Foundation

/// Green under 80 % of the limit used, yellow from 80 % up to the deadline, red past it (DESIGN §4).
public enum ClockColour: String, CaseIterable, Codable, Sendable {
    case green, yellow, red
}

/// A clock on a stage of a record's life (in working time unless its `basis` says otherwise): it started at `start`, is due at `deadline`, stood still
/// during `suspensions`, and stands still now if `pausedSince` is set. Any lifecycle's stages use it (a case's sign
/// and resolve clocks, a mediation's time limit), so colours and thresholds are computed once, the same way.
public struct RunningClock: Hashable, Sendable {
    /// What the 80 % of yellow is measured in: working time (a case's, a mediation's limits) or calendar time (a
    /// risk's review cadence: a hazard does not rest at weekends, and a review due Saturday noon is not yellow all
    /// Saturday). Red is the deadline's instant either way.
    public enum Basis: Hashable, Sendable { case workingTime, calendarTime }

    public var start: Date
    public var deadline: Date
    public var suspensions: [DateInterval]
    public var pausedSince: Date?
    public var basis: Basis

    public init(start: Date, deadline: Date, suspensions: [DateInterval] = [], pausedSince: Date? = nil, basis: Basis = .workingTime) {
        self.start = start
        self.deadline = deadline
        self.suspensions = suspensions
        self.pausedSince = pausedSince
        self.basis = basis
    }

    /// The clock's seconds (of its basis) from `from` to `to`, less those inside `excluding`.
    private func seconds(from: Date, to: Date, excluding: [DateInterval] = [], calendar: WorkingCalendar) -> Int {
        switch basis {
        case .workingTime:
            return calendar.workingSeconds(from: from, to: to, excluding: excluding)
        case .calendarTime:
            guard to > from else { return 0 }
            // The suspended stretches inside the range, merged so that none is subtracted twice.
            var out = to.timeIntervalSince(from)
            var covered = from
            for i in excluding.sorted(by: { $0.start < $1.start }) {
                let lo = max(i.start, covered), hi = min(i.end, to)
                if hi > lo { out -= hi.timeIntervalSince(lo); covered = hi }
            }
            return Int(out.rounded(.down))
        }
    }

    /// The instant `n` seconds (of its basis) after `instant`.
    private func adding(_ n: Int, to instant: Date, calendar: WorkingCalendar) -> Date {
        switch basis {
        case .workingTime: calendar.adding(workingSeconds: n, to: instant)
        case .calendarTime: instant.addingTimeInterval(TimeInterval(max(n, 0)))
        }
    }

    public struct Status: Hashable, Sendable {
        public var colour: ClockColour
        /// Time used over the stage's time (of the clock's basis), suspension excluded. Can pass 1.
        public var usedFraction: Double
        public var deadline: Date
        public var isPaused: Bool
    }

    /// The colour at `now`. Red means the deadline has passed: `now` (or, while paused, the moment of pausing) is
    /// after it, even in non-working time; a Friday 17:30 deadline is red on Saturday. Otherwise yellow from 80 % of
    /// the stage's working time used, green below.
    public func status(at now: Date, calendar: WorkingCalendar) -> Status {
        let end = pausedSince.map { min($0, now) } ?? now
        let total = seconds(from: start, to: deadline, excluding: suspensions, calendar: calendar)
        let used = seconds(from: start, to: end, excluding: suspensions, calendar: calendar)
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
        let total = seconds(from: start, to: deadline, excluding: suspensions, calendar: calendar)
        // Yellow once used × 5 ≥ total × 4: from the instant `needed` unsuspended working seconds have passed.
        let needed = (total * 4 + 4) / 5
        guard needed > 0 else { return Thresholds(yellowAt: .distantPast, deadline: deadline, pausedColour: nil) }
        // The instant `needed` + (the suspended working time before it) working seconds after the start; the
        // suspended part depends on that instant, so step until it stands still (suspensions are few and finite).
        var at = adding(needed, to: start, calendar: calendar)
        for _ in 0..<64 {
            let suspended = seconds(from: start, to: at, calendar: calendar) - seconds(from: start, to: at, excluding: suspensions, calendar: calendar)
            let next = adding(needed + suspended, to: start, calendar: calendar)
            if next == at { break }
            at = next
        }
        return Thresholds(yellowAt: at, deadline: deadline, pausedColour: nil)
    }
}
