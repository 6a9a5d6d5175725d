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

    /// Every version of a case's facts: after each instant at which the case has actions, its facts from the
    /// actions up to that instant (`facts(of:)` of that part of the history), as rows valid from the instant
    /// (`validFrom`) until the next instant at which they are no longer among the case's facts (`replacedAt`; nil:
    /// still among them). A fact that stays the same across actions is one row. So the facts of the case as known
    /// at any instant T are the rows with `validFrom <= T` and `replacedAt` nil or after T, and counted as known at T
    /// they give the replay's counts as of T (`Measures.outcomes(of:upTo: T)`), T before the last action too.
    public static func versions(of history: CaseHistory, calendar: WorkingCalendar) -> [MeasureFactVersion] {
        let instants = Array(Set(history.actions.map(\.at))).sorted()
        var out: [MeasureFactVersion] = []
        // The rows still valid, by what they say (the same fact may be there twice).
        var open: [MeasureFactVersion.Identity: [Int]] = [:]
        for (k, t) in instants.enumerated() {
            let prefix = k == instants.count - 1 ? history : CaseHistory(actions: history.actions.filter { $0.at <= t })
            let list = facts(of: prefix, calendar: calendar)
            var wanted: [MeasureFactVersion.Identity: Int] = [:]
            for f in list { wanted[MeasureFactVersion.Identity(f), default: 0] += 1 }
            // Rows no longer among the facts end here; as many of each as are still there stay.
            for (id, rows) in open {
                let kept = min(rows.count, wanted[id] ?? 0)
                for i in rows[kept...] { out[i].replacedAt = t }
                open[id] = kept == 0 ? nil : Array(rows[..<kept])
            }
            // The rest begin here, in the list's order.
            var seen: [MeasureFactVersion.Identity: Int] = [:]
            let stayed = open.mapValues(\.count)
            for f in list {
                let id = MeasureFactVersion.Identity(f)
                seen[id, default: 0] += 1
                guard seen[id]! > stayed[id] ?? 0 else { continue }
                open[id, default: []].append(out.count)
                out.append(MeasureFactVersion(fact: f, validFrom: t, replacedAt: nil))
            }
        }
        return out
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

/// One version of one fact of a case (`MeasureFact.versions(of:calendar:)`): among the case's facts from
/// `validFrom` until `replacedAt` (nil: still).
public struct MeasureFactVersion: Hashable, Sendable {
    public var fact: MeasureFact
    public var validFrom: Date
    public var replacedAt: Date?

    public init(fact: MeasureFact, validFrom: Date, replacedAt: Date?) {
        self.fact = fact
        self.validFrom = validFrom
        self.replacedAt = replacedAt
    }

    /// What a fact says, without its place in the list.
    struct Identity: Hashable {
        var outcome: MeasureOutcome
        var supersededAt: Date?
        init(_ f: MeasureFact) { outcome = f.outcome; supersededAt = f.supersededAt }
    }

    /// Whether this version counts in `period` as of `asOf`: it is valid then, and its fact counts.
    @inlinable
    public func counts(in period: DateInterval, asOf: Date) -> Bool {
        validFrom <= asOf && replacedAt.map { $0 > asOf } ?? true && fact.counts(in: period, asOf: asOf)
    }

    /// Counts for one period as of any instant, as the replay of the history up to that instant counts.
    public static func counts(_ versions: [MeasureFactVersion], period: DateInterval, asOf: Date) -> MeasureCounts {
        var c = MeasureCounts()
        for v in versions where v.counts(in: period, asOf: asOf) { c.count(v.fact.outcome.kind, v.fact.outcome.success) }
        return c
    }
}
