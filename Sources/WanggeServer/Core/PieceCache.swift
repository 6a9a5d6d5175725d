import Fluent
import Foundation
import WanggeCore
import WanggeStore

/// The dashboard's counts of pieces of time (`PieceCounts`: a month at most, cut where the periods asked for
/// start and end), kept between requests while the write counters of their months stand, within a budget of held
/// values (least recently used go first). A year's dashboard then counts only what changed since.
actor PieceCache {
    private struct Key: Hashable { var scope: String; var start: Date; var end: Date }
    private var entries: [Key: (counts: PieceCounts, used: Int)] = [:]
    private var tick = 0
    private var weight = 0
    let budget: Int

    init(budget: Int = 400_000) { self.budget = budget }

    /// The pieces of `interval` under `scopePath` as of `asOf`, cut at month boundaries and at `cuts`, in order.
    func pieces(scopePath: String, interval: DateInterval, cuts: [Date], asOf: Date, context: MeasureFactContext,
                on db: any Database) async throws -> [PieceCounts] {
        let spans = Self.spans(of: interval, cuts: cuts, calendar: context.calendar)
        let months = spans.map { MeasureFact.month(of: $0.start, calendar: context.calendar).start }
        let stamps = try await MeasureQueries.stamps(scopePath: scopePath, monthStarts: Array(Set(months)), on: db)
        var out: [PieceCounts] = []
        for (span, month) in zip(spans, months) {
            let key = Key(scope: scopePath, start: span.start, end: span.end)
            guard let stamp = stamps[month] else { continue }
            tick += 1
            if let kept = entries[key], kept.counts.stamp == stamp, kept.counts.knownBy <= asOf {
                entries[key]?.used = tick
                out.append(kept.counts)
                continue
            }
            let fresh = try await MeasureQueries.pieceCounts(scopePath: scopePath, interval: span, knownBy: asOf, stamp: stamp,
                                                             context: context, on: db)
            keep(fresh, key: key)
            out.append(fresh)
        }
        return out
    }

    private func keep(_ counts: PieceCounts, key: Key) {
        if let old = entries.removeValue(forKey: key) { weight -= old.counts.weight }
        guard counts.weight <= budget / 4 else { return }
        while weight + counts.weight > budget, let oldest = entries.min(by: { $0.value.used < $1.value.used }) {
            weight -= oldest.value.counts.weight
            entries.removeValue(forKey: oldest.key)
        }
        tick += 1
        entries[key] = (counts, tick)
        weight += counts.weight
    }

    /// `interval` cut at local month boundaries and at `cuts`.
    static func spans(of interval: DateInterval, cuts: [Date], calendar: WorkingCalendar) -> [DateInterval] {
        var bounds = Set(cuts.filter { $0 > interval.start && $0 < interval.end })
        var m = MeasureFact.month(of: interval.start, calendar: calendar)
        while m.end < interval.end {
            bounds.insert(m.end)
            m = MeasureFact.month(of: m.end, calendar: calendar)
        }
        let edges = [interval.start] + bounds.sorted() + [interval.end]
        return zip(edges, edges.dropFirst()).map { DateInterval(start: $0, end: $1) }
    }
}
