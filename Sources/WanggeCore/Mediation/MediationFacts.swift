import Foundation

/// One countable event of a mediation for its measures, as a store keeps it so that a period's measures are one
/// GROUP BY: what it adds (`counts`) to the measures of a period holding its instant. Registration, conclusion and a
/// decided confirmation count by their instant; a payment counts by the day it was performed on (`byDay`: `at` is
/// that day's start), as `MediationMeasures.counts(_:period:calendar:)` counts them.
public struct MediationFact: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable { case received, concluded, confirmation, paid }

    public var kind: Kind
    public var at: Date
    public var counts: MediationCounts
    public var byDay: Bool { kind == .paid }

    public init(kind: Kind, at: Date, counts: MediationCounts) {
        self.kind = kind
        self.at = at
        self.counts = counts
    }

    /// The facts of a mediation from its snapshot (written again with every action).
    public static func facts(of s: MediationSnapshot, calendar: WorkingCalendar) -> [MediationFact] {
        var out: [MediationFact] = []
        var received = MediationCounts()
        received.received = 1
        received.amountInvolved = s.registration.amount
        received.peopleInvolved = s.registration.peopleCount
        out.append(MediationFact(kind: .received, at: s.registeredAt, counts: received))
        if let concluded = s.concludedAt {
            var c = MediationCounts()
            c.concluded = 1
            if s.agreedOn != nil {
                c.agreements = 1
                c.amountAgreed = s.terms.saturatingSum(of: \.amount)
                if s.escalations.isEmpty { c.settledAtFirstTier = 1 }
            } else if s.failureRoute != nil {
                c.failed = 1
            } else {
                c.withdrawn = 1
            }
            out.append(MediationFact(kind: .concluded, at: concluded, counts: c))
        }
        if let conf = s.confirmation, let decided = conf.decidedAt, let ok = conf.confirmed {
            var c = MediationCounts()
            c.confirmationsDecided = 1
            if ok { c.confirmed = 1 }
            out.append(MediationFact(kind: .confirmation, at: decided, counts: c))
        }
        for p in s.performances {
            var c = MediationCounts()
            c.amountPaid = p.amount
            out.append(MediationFact(kind: .paid, at: calendar.start(of: p.performedOn), counts: c))
        }
        return out
    }

    /// The stretch of `at` a period holds: instants in `[period.start, period.end)`, and days from the period's
    /// first day up to (without) the day its end falls on, by their starts.
    public static func bounds(of period: DateInterval, calendar: WorkingCalendar) -> (instants: DateInterval, days: (from: Date, to: Date)) {
        (period, (calendar.start(of: calendar.civilDate(of: period.start)), calendar.start(of: calendar.civilDate(of: period.end))))
    }

    /// Whether this fact counts in `period`.
    public func counts(in period: DateInterval, calendar: WorkingCalendar) -> Bool {
        let b = Self.bounds(of: period, calendar: calendar)
        return byDay ? at >= b.days.from && at < b.days.to : at >= b.instants.start && at < b.instants.end
    }

    /// The counts of a period from facts: what `MediationMeasures.counts(snapshot, …)` gives for the mediation.
    public static func counts(_ facts: [MediationFact], period: DateInterval, calendar: WorkingCalendar) -> MediationCounts {
        var c = MediationCounts()
        for f in facts where f.counts(in: period, calendar: calendar) { c.add(f.counts) }
        return c
    }
}
