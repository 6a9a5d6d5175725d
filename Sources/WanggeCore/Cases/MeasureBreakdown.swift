import Foundation

/// The dashboards' counting: one case's kept outcomes, counted by group (an area, a category, a department) or by
/// week, with the same rules as `Measures.compute`.
public enum MeasureBreakdown {
    /// One case's counts for one period.
    @inlinable
    public static func counts(_ outcomes: [MeasureOutcome], period: DateInterval, asOf: Date) -> MeasureCounts {
        var c = MeasureCounts()
        if outcomes.isEmpty { return c }
        Measures.tally(outcomes, asOf: asOf, bucket: { $0 >= period.start && $0 < period.end ? 0 : nil }) { _, kind, ok in c.count(kind, ok) }
        return c
    }

    /// Counts per consecutive period (weeks, say), in order; `periods` must be sorted and not overlap.
    public static func series<Item>(_ items: [Item], outcomes: (Item) -> [MeasureOutcome], periods: [DateInterval],
                                    asOf: Date) -> [MeasureCounts] {
        var series = MeasureSeries(periods: periods, asOf: asOf)
        for item in items { series.add(outcomes(item)) }
        return series.counts
    }

    /// The weeks (Monday to Monday, in the calendar's time zone) that overlap [from, to), at most `limit` of the
    /// latest ones.
    public static func weeks(from: Date, to: Date, timeZone: TimeZone, limit: Int = 26) -> [DateInterval] {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        cal.firstWeekday = 2
        guard let firstWeek = cal.dateInterval(of: .weekOfYear, for: from) else { return [] }
        var weeks: [DateInterval] = []
        var start = firstWeek.start
        while start < to {
            guard let next = cal.date(byAdding: .day, value: 7, to: start) else { break }
            weeks.append(DateInterval(start: start, end: next))
            start = next
        }
        return Array(weeks.suffix(limit))
    }
}

/// Per-case counts added up by group (an area, a category, a department), with how many of the cases were reported
/// in the period: count each case once, then add it to as many groupings as wanted. A case with nothing to count
/// and not reported in the period adds nothing, so it makes no empty group.
public struct MeasureGroups: Sendable {
    public struct Totals: Sendable, Equatable {
        public var counts = MeasureCounts()
        public var reported = 0
        public init() {}
    }

    @usableFromInline var storage: [String: Totals] = [:]
    /// The sums so far, by group.
    public var totals: [String: Totals] { storage }

    public init() {}

    @inlinable
    public mutating func add(_ key: String?, _ counts: MeasureCounts, reported: Bool, times: Int = 1) {
        guard let key, reported || !counts.isEmpty else { return }
        storage[key, default: Totals()].add(counts, reported: reported, times: times)  // one lookup
    }
}

extension MeasureGroups.Totals {
    @inlinable
    mutating func add(_ c: MeasureCounts, reported isReported: Bool, times: Int = 1) {
        counts.add(c)
        if isReported { reported += times }
    }
}

/// Counts per consecutive period (weeks, say), one case at a time; `periods` must be sorted and not overlap.
public struct MeasureSeries: Sendable {
    @usableFromInline let periods: [DateInterval]
    @usableFromInline let asOf: Date
    @usableFromInline var storage: [MeasureCounts]
    /// The counts so far, one per period.
    public var counts: [MeasureCounts] { storage }

    public init(periods: [DateInterval], asOf: Date) {
        self.periods = periods
        self.asOf = asOf
        storage = [MeasureCounts](repeating: MeasureCounts(), count: periods.count)
    }

    /// The period `t` falls in, if any: the last one starting at or before it, when it has not ended by then.
    @inlinable
    static func period(of t: Date, in periods: [DateInterval]) -> Int? {
        guard let first = periods.first, t >= first.start, t < periods[periods.count - 1].end else { return nil }
        var lo = 0, hi = periods.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if periods[mid].start <= t { lo = mid } else { hi = mid - 1 }
        }
        return t < periods[lo].end ? lo : nil
    }

    @inlinable
    public mutating func add(_ outcomes: [MeasureOutcome]) {
        let periods = self.periods
        Measures.tally(outcomes, asOf: asOf, bucket: { Self.period(of: $0, in: periods) }) { b, kind, ok in storage[b].count(kind, ok) }
    }
}
