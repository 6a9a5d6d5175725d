import Fluent
import Foundation
import WanggeCore
import WanggeStore

/// Counts of pieces of time (a month at most, cut where the periods asked for start and end: the dashboard's
/// `PieceCounts`, the mediation measures' `MediationPieceCounts`), kept between requests while the write counters of their months stand, within a budget of held
/// values (least recently used go first), up to two countings of a piece as of different instants (a past period
/// is counted as of its end, today's as of now). A year's dashboard then counts only what changed since.
actor PieceCache {
    private struct Key: Hashable { var kind: String; var scope: String; var start: Date; var end: Date }
    /// Up to two countings of each piece, as of different instants: a past period's (as of its end) and today's.
    private var entries: [Key: [(counts: any KeptCounts, used: Int)]] = [:]
    /// How many countings are kept (tests, the start's warm-up).
    var kept: Int { entries.values.reduce(0) { $0 + $1.count } }
    private var tick = 0
    private var weight = 0
    let budget: Int
    /// A piece counted as of an instant at most this much before the one asked for is used as it is (what changed
    /// since is counted from the index on `ready_at`); an older one is counted again as of the instant asked for.
    static let freshFor: TimeInterval = 3_600

    init(budget: Int = 400_000) { self.budget = budget }

    /// The case loop's pieces of `interval` under `scopePath` as of `asOf`, cut at month boundaries and at `cuts`,
    /// in order.
    func pieces(scopePath: String, interval: DateInterval, cuts: [Date], asOf: Date, context: MeasureFactContext,
                on db: any Database) async throws -> [PieceCounts] {
        try await pieces(kind: "case", scopePath: scopePath, interval: interval, cuts: cuts, asOf: asOf, freshFor: Self.freshFor,
                         calendar: context.calendar, on: db) { span, stamp in
            try await MeasureQueries.pieceCounts(scopePath: scopePath, interval: span, knownBy: asOf, stamp: stamp, context: context, on: db)
        }
    }

    /// The case loop's pieces of `interval` (cut at month boundaries and `cuts`) as of `asOf` if every one is kept now, else
    /// nil: for a count that has a cheaper road than counting the pieces cold (the measures API's total).
    func keptPieces(scopePath: String, interval: DateInterval, cuts: [Date], asOf: Date, calendar: WorkingCalendar,
                    on db: any Database) async throws -> [PieceCounts]? {
        try await lookup(kind: "case", scopePath: scopePath, interval: interval, cuts: cuts, asOf: asOf, freshFor: Self.freshFor,
                         calendar: calendar, on: db, count: Optional<@Sendable (DateInterval, MeasureQueries.Stamp) async throws -> PieceCounts>.none)
    }

    /// A kind's pieces of `interval` under `scopePath`, cut at month boundaries and at `cuts`, in order: each as
    /// kept, while its month's write counters (of `kind`) stand and it was counted as of `asOf` or at most
    /// `freshFor` before, or else counted now by `count` (given the piece and its month's stamp) and kept.
    func pieces<P: KeptCounts>(kind: String, scopePath: String, interval: DateInterval, cuts: [Date], asOf: Date, freshFor: TimeInterval,
                               calendar: WorkingCalendar, on db: any Database,
                               count: @escaping @Sendable (DateInterval, MeasureQueries.Stamp) async throws -> P) async throws -> [P] {
        try await lookup(kind: kind, scopePath: scopePath, interval: interval, cuts: cuts, asOf: asOf, freshFor: freshFor,
                         calendar: calendar, on: db, count: count) ?? []
    }

    /// The same, or nil when a piece is not kept and there is no `count`.
    private func lookup<P: KeptCounts>(kind: String, scopePath: String, interval: DateInterval, cuts: [Date], asOf: Date, freshFor: TimeInterval,
                                       calendar: WorkingCalendar, on db: any Database,
                                       count: (@Sendable (DateInterval, MeasureQueries.Stamp) async throws -> P)?) async throws -> [P]? {
        let spans = Self.spans(of: interval, cuts: cuts, calendar: calendar)
        let months = spans.map { MeasureFact.month(of: $0.start, calendar: calendar).start }
        let stamps = try await MeasureQueries.stamps(kind: kind, scopePath: scopePath, monthStarts: Array(Set(months)), on: db)
        var out: [P] = []
        for (span, month) in zip(spans, months) {
            let key = Key(kind: kind, scope: scopePath, start: span.start, end: span.end)
            guard let stamp = stamps[month] else { continue }
            tick += 1
            // The latest counting as of `asOf` or before that no write has made stale.
            let list = entries[key] ?? []
            let kept = list.indices.filter { list[$0].counts.stamp == stamp && list[$0].counts.knownBy <= asOf }
                .max { list[$0].counts.knownBy < list[$1].counts.knownBy }
            if let i = kept, asOf.timeIntervalSince(list[i].counts.knownBy) <= freshFor, let counts = list[i].counts as? P {
                entries[key]![i].used = tick
                out.append(counts)
                continue
            }
            guard let count else { return nil }
            let fresh = try await count(span, stamp)
            keep(fresh, key: key, stamp: stamp)
            out.append(fresh)
        }
        return out
    }

    private func keep(_ counts: any KeptCounts, key: Key, stamp: MeasureQueries.Stamp) {
        // Stale countings go; of the good ones the least recently used makes room for the new one.
        var list = entries.removeValue(forKey: key) ?? []
        for e in list where e.counts.stamp != stamp { weight -= e.counts.weight }
        list.removeAll { $0.counts.stamp != stamp }
        if list.count >= 2, let oldest = list.indices.min(by: { list[$0].used < list[$1].used }) {
            weight -= list[oldest].counts.weight
            list.remove(at: oldest)
        }
        if !list.isEmpty { entries[key] = list }
        guard counts.weight <= budget / 4 else { return }
        while weight + counts.weight > budget, let oldest = entries.min(by: { $0.value.map(\.used).min()! < $1.value.map(\.used).min()! }) {
            let i = oldest.value.indices.min { oldest.value[$0].used < oldest.value[$1].used }!
            weight -= oldest.value[i].counts.weight
            if oldest.value.count == 1 { entries.removeValue(forKey: oldest.key) } else { entries[oldest.key]!.remove(at: i) }
        }
        tick += 1
        entries[key, default: []].append((counts, tick))
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
