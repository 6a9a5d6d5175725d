import Foundation

/// Exact Poisson probabilities for early warning, where weekly counts are mostly 0–3 and a normal approximation (a
/// z-score) alarms on any single case.
public enum PoissonTail {
    /// P(X ≥ x) for X ~ Poisson(mean), summed exactly from the term at x in log space, so nothing overflows for
    /// any x: above the mean, pmf(x)·(1 + λ/(x+1) + λ²/((x+1)(x+2)) + …); at or below it, one minus the lower tail
    /// summed the same way downward from x − 1 (it is then at least about ½, so the subtraction loses nothing).
    /// 1 for x ≤ 0; a mean that is negative or not a number is taken as 0, an infinite one gives 1. Relative error
    /// about 10⁻¹³ in the tests (against scipy up to λ = 10⁶); the series needs a few √λ terms and stops at 10⁷.
    public static func upperTail(_ x: Int, mean: Double) -> Double {
        if x <= 0 { return 1 }
        let lambda = mean.isNaN || mean < 0 ? 0 : mean
        if lambda == 0 { return 0 }
        if lambda.isInfinite { return 1 }
        let k = Double(x)
        if k > lambda {
            let sum = series(from: k, lambda: lambda) { j in lambda / (k + j) }
            return min(1, exp(logPMF(k, lambda) + log(sum)))
        }
        // P(X ≤ x − 1) = pmf(x − 1)·(1 + (x−1)/λ + (x−1)(x−2)/λ² + …), stopping at the term for 0.
        let below = series(from: k - 1, lambda: lambda) { j in max(k - j, 0) / lambda }
        return min(max(1 - exp(logPMF(k - 1, lambda) + log(below)), 0), 1)
    }

    /// log P(X = k), by Loader's saddle-point form (as R's dpois): −stirlerr(k) − bd0(k, λ) − ½·log(2πk), in
    /// which no two large numbers cancel, so it keeps full precision where −λ + k·log λ − log k! would lose
    /// log₁₀(λ) digits.
    public static func logPMF(_ k: Double, _ lambda: Double) -> Double {
        k == 0 ? -lambda : -stirlingError(k) - deviance(k, lambda) - 0.5 * log(2 * Double.pi * k)
    }

    /// log(k!) − log(√(2πk)·(k/e)^k).
    static func stirlingError(_ k: Double) -> Double {
        if k <= 15 { return lgamma(k + 1) - (k + 0.5) * log(k) + k - 0.5 * log(2 * Double.pi) }
        let kk = k * k
        return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - 1.0 / (1188 * kk)) / kk) / kk) / kk) / k
    }

    /// k·log(k/λ) + λ − k, by its series when k is near λ (where the direct form cancels).
    static func deviance(_ k: Double, _ lambda: Double) -> Double {
        guard abs(k - lambda) < 0.1 * (k + lambda) else { return k * log(k / lambda) + lambda - k }
        let v = (k - lambda) / (k + lambda)
        var sum = (k - lambda) * v
        var term = 2 * k * v
        var j = 1.0
        while j < 1_000 {
            term *= v * v
            let next = sum + term / (2 * j + 1)
            if next == sum { break }
            sum = next
            j += 1
        }
        return sum
    }

    /// 1 + r₁ + r₁r₂ + … with each ratio from `ratio(j)`, j = 1, 2, …, until a term no longer changes the sum.
    private static func series(from k: Double, lambda: Double, ratio: (Double) -> Double) -> Double {
        var sum = 1.0
        var term = 1.0
        var j = 1.0
        while j < 10_000_000 {
            term *= ratio(j)
            if term <= sum * 1e-17 { break }
            sum += term
            j += 1
        }
        return sum
    }
}
