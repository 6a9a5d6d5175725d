import Foundation

/// One measure outcome of a case as the store keeps it (`case_outcomes`), so that the dashboards count with SQL
/// instead of replaying histories.
///
/// A case's facts are its outcomes from all of its actions (`Measures.outcomes(upTo: .distantFuture)`), rewritten in
/// the transaction of every action that changes the case. For any instant at or after the case's last action they
/// give the replay's counts: an outcome counts once it is known (`knownFrom`, `strict`), and the ones that count once
/// per case and period (feedback, satisfaction) carry when the next one of their kind comes (`supersededAt`), so a
/// period can tell in SQL whether an outcome is the last of its kind in it: it is unless the next one falls in the
/// same period. (The next one is the earliest later one, and periods are consecutive intervals.)
public struct MeasureFact: Hashable, Sendable {
    /// The outcome's place in the case's list, which orders outcomes at the same instant.
    public var ordinal: Int
    public var outcome: MeasureOutcome
    /// For an outcome that counts once per period: the instant of the next outcome of its kind, if any.
    public var supersededAt: Date?

    public init(ordinal: Int, outcome: MeasureOutcome, supersededAt: Date?) {
        self.ordinal = ordinal
        self.outcome = outcome
        self.supersededAt = supersededAt
    }

    /// A case's facts from its history.
    public static func facts(of history: CaseHistory, calendar: WorkingCalendar) -> [MeasureFact] {
        facts(Measures.outcomes(of: history, upTo: .distantFuture, calendar: calendar))
    }

    public static func facts(_ outcomes: [MeasureOutcome]) -> [MeasureFact] {
        outcomes.indices.map { i in
            let o = outcomes[i]
            var next: Date? = nil
            if o.lastInPeriodOnly {
                for j in outcomes.indices where j != i {
                    let p = outcomes[j]
                    guard p.lastInPeriodOnly, p.kind == o.kind, p.at > o.at || (p.at == o.at && j > i) else { continue }
                    if next.map({ p.at < $0 }) ?? true { next = p.at }
                }
            }
            return MeasureFact(ordinal: i, outcome: o, supersededAt: next)
        }
    }

    /// Whether this fact counts in the period `[start, end)` as of `asOf`: the rule the store's SQL follows.
    @inlinable
    public func counts(in period: DateInterval, asOf: Date) -> Bool {
        outcome.at >= period.start && outcome.at < period.end && outcome.isKnown(asOf: asOf)
            && !(outcome.lastInPeriodOnly && supersededAt.map { $0 < period.end } == true)
    }

    /// Counts for one period, as `Measures.tally` counts the outcomes the facts came from.
    public static func counts(_ facts: [MeasureFact], period: DateInterval, asOf: Date) -> MeasureCounts {
        var c = MeasureCounts()
        for f in facts where f.counts(in: period, asOf: asOf) { c.count(f.outcome.kind, f.outcome.success) }
        return c
    }

    /// The calendar month holding `instant`, in the calendar's zone: monthly rollups count a fact in it.
    public static func month(of instant: Date, calendar: WorkingCalendar) -> DateInterval {
        let d = calendar.civilDate(of: instant)
        let first = CivilDate(year: d.year, month: d.month, day: 1)!
        let next = d.month == 12 ? CivilDate(year: d.year + 1, month: 1, day: 1)! : CivilDate(year: d.year, month: d.month + 1, day: 1)!
        return DateInterval(start: calendar.start(of: first), end: calendar.start(of: next))
    }
}
