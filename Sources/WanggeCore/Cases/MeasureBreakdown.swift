import Foundation

/// The dashboards' counting: one case's kept outcomes, counted by group (an area, a category, a department) or by
/// week, with the same rules as `Measures.compute`.
public enum MeasureBreakdown {
    /// One case's counts for one period.
    public static func counts(_ outcomes: [MeasureOutcome], period: DateInterval, asOf: Date) -> MeasureCounts {
        var c = MeasureCounts()
        if outcomes.isEmpty { return c }
        Measures.tally(outcomes, asOf: asOf, bucket: { $0 >= period.start && $0 < period.end ? 0 : nil }) { _, kind, ok in c.count(kind, ok) }
        return c
    }

    /// Sums of per-case counts by group (nil: left out): count each case once, then group it as many ways as wanted.
    public static func sum<Item>(_ items: [(Item, MeasureCounts)], group: (Item) -> String?) -> [String: MeasureCounts] {
        var out: [String: MeasureCounts] = [:]
        for (item, c) in items where !c.isEmpty {
            guard let key = group(item) else { continue }
            out[key, default: MeasureCounts()].add(c)
        }
        return out
    }

    /// Counts per consecutive period (weeks, say), in order; `periods` must be sorted and not overlap.
    public static func series<Item>(_ items: [Item], outcomes: (Item) -> [MeasureOutcome], periods: [DateInterval],
                                    asOf: Date) -> [MeasureCounts] {
        var out = [MeasureCounts](repeating: MeasureCounts(), count: periods.count)
        guard let first = periods.first, let last = periods.last else { return out }
        let starts = periods.map(\.start)
        func bucket(_ t: Date) -> Int? {
            guard t >= first.start, t < last.end else { return nil }
            // the last period starting at or before t
            var lo = 0, hi = starts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid] <= t { lo = mid } else { hi = mid - 1 }
            }
            return t < periods[lo].end ? lo : nil
        }
        for item in items {
            Measures.tally(outcomes(item), asOf: asOf, bucket: bucket) { b, kind, ok in out[b].count(kind, ok) }
        }
        return out
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
