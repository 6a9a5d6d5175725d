/// Shares shown in whole units that add up to their rounded total (the safety index's contributions, assessment's).
public enum Apportion {
    /// A weighted mean of parts scored 0–100 (nil: not scored, its weight shared out among the scored parts), in
    /// hundredths: each scored part's share of the scored weight, the total rounded and clamped to 0…10,000, and
    /// each part's contribution rounded by largest remainder so that they add up to the total. Nil when no scored
    /// part weighs anything.
    public static func weightedScore(points: [Double?], weights: [Double]) -> (shares: [Double], totalHundredths: Int, contributions: [Int])? {
        let scored = points.indices.filter { points[$0] != nil }
        let total = scored.reduce(0.0) { $0 + weights[$1] }
        guard total > 0 else { return nil }
        var shares = Array(repeating: 0.0, count: points.count), raw = Array(repeating: 0.0, count: points.count)
        for i in scored {
            shares[i] = weights[i] / total
            raw[i] = (points[i] ?? 0) * shares[i] * 100
        }
        let sum = min(max(Int(raw.reduce(0, +).rounded()), 0), 10_000)
        return (shares, sum, largestRemainder(raw, total: sum))
    }

    /// `raw` (in hundredths) rounded to integers that add up to `total`: floors, then one more to the largest
    /// fractions (the earlier on a tie). `total` is the rounded sum of `raw`, so the leftover is 0…count.
    public static func largestRemainder(_ raw: [Double], total: Int) -> [Int] {
        var shown = raw.map { Int($0.rounded(.down)) }
        var left = total - shown.reduce(0, +)
        let order = raw.indices.sorted { (raw[$0] - raw[$0].rounded(.down), $1) > (raw[$1] - raw[$1].rounded(.down), $0) }
        var k = 0
        while left > 0, !order.isEmpty {
            shown[order[k % order.count]] += 1
            left -= 1
            k += 1
        }
        while left < 0, let i = order.reversed().first(where: { shown[$0] > 0 }) {
            shown[i] -= 1
            left += 1
        }
        return shown
    }
}
