import Foundation
import Testing

@testable import WanggeCore

/// The exact Poisson tail against known values, and early warning on simulated series: quiet on stable ones (the
/// false-alarm rate is printed), finding injected spikes and, with the CUSUM, slow rises.
@Suite("Early warning")
struct EarlyWarningTests {
    // MARK: - The Poisson tail

    /// Reference values from scipy.stats.poisson.sf(x − 1, λ).
    @Test(arguments: [
        (3, 0.5, 0.014387677966970684),
        (1, 0.05, 0.04877057549928599),
        (10, 2.5, 0.0002773520946208362),
        (30, 10.0, 2.509951201527959e-07),
        (151, 100.0, 1.23309441916003e-06),
        (1_000, 1_000.0, 0.5042052441802155),
        (5, 7.0, 0.8270083921179285),
        (1_000_050, 1e6, 0.4801941731578638),
        (50, 0.1, 2.980904350473814e-115),
    ])
    func theTailMatchesKnownValues(_ x: Int, _ mean: Double, _ expected: Double) {
        let p = PoissonTail.upperTail(x, mean: mean)
        #expect(abs(p - expected) <= 1e-12 * expected, "P(X ≥ \(x) | \(mean)) = \(p), expected \(expected)")
    }

    @Test func theTailMatchesDirectSummationOnAGrid() {
        // The slow, obviously right way: the pmf by its recurrence, summed from x upward.
        for mean in [0.01, 0.2, 0.9, 1.0, 3.7, 12.0, 40.0] {
            var pmf = [exp(-mean)]
            for k in 1..<300 { pmf.append(pmf[k - 1] * mean / Double(k)) }
            for x in 0..<120 {
                let direct = pmf[x...].reduce(0, +)
                let p = PoissonTail.upperTail(x, mean: mean)
                guard direct > 1e-290 else { continue }
                #expect(abs(p - direct) <= 1e-12 * direct, "x=\(x) λ=\(mean): \(p) against \(direct)")
            }
        }
    }

    @Test func theTailStaysFiniteAndInRangeAtTheEnds() {
        #expect(PoissonTail.upperTail(0, mean: 3) == 1 && PoissonTail.upperTail(-5, mean: 3) == 1)
        #expect(PoissonTail.upperTail(1, mean: 0) == 0)
        #expect(PoissonTail.upperTail(1_000_000_000, mean: 1) == 0)
        #expect(PoissonTail.upperTail(Int.max, mean: 2) == 0)
        #expect(PoissonTail.upperTail(5, mean: 1e9) == 1)
        #expect(PoissonTail.upperTail(3, mean: .infinity) == 1 && PoissonTail.upperTail(3, mean: .nan) == 0 && PoissonTail.upperTail(3, mean: -1) == 0)
        let near = PoissonTail.upperTail(1_000_000_001, mean: 1e9)
        #expect(near > 0.49 && near < 0.5)
        // Decreasing in x.
        let tails = (0..<40).map { PoissonTail.upperTail($0, mean: 6.5) }
        #expect(zip(tails, tails.dropFirst()).allSatisfy { $0 > $1 })
    }

    // MARK: - Simulated series

    static func poisson(_ mean: Double, _ rng: inout SafetyIndexRandom) -> Int {
        let limit = exp(-mean)
        var k = 0
        var p = rng.unit()
        while p > limit {
            k += 1
            p *= rng.unit()
        }
        return k
    }

    static let means = [0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 4.0]

    /// Four years of weekly counts with a seasonal mean (±30 % over the year), the mean of series i cycling through
    /// `means`.
    static func stableSeries(_ i: Int, weeks: Int = 208) -> (weeks: [Int], mean: Double) {
        var rng = SafetyIndexRandom(seed: UInt64(1_000 + i))
        let mean = means[i % means.count]
        return ((0..<weeks).map { w in poisson(mean * (1 + 0.3 * sin(2 * Double.pi * Double(w) / 52)), &rng) }, mean)
    }

    static func series(_ weeks: [Int]) -> EarlyWarningSeries { EarlyWarningSeries(area: "V", category: "0603", weeks: weeks) }

    @Test func quietOnStableSeries() {
        // setup: 1,000 stable series, each tested in every week of its fourth year (52,000 tests).
        var red = 0, yellow = 0, cusum = 0, any = 0, tests = 0, seriesWithAny = 0
        for i in 0..<1_000 {
            let s = Self.stableSeries(i)
            var alarmed = false
            for t in 156..<208 {
                // MUT
                guard let a = EarlyWarning.assess(Self.series(Array(s.weeks[...t]))) else { continue }
                tests += 1
                if a.triggers.contains(.poissonRed) { red += 1 }
                if a.triggers.contains(.poissonYellow) { yellow += 1 }
                if a.triggers.contains(.cusum) { cusum += 1 }
                if a.level != nil { any += 1; alarmed = true }
            }
            if alarmed { seriesWithAny += 1 }
        }
        let rate = { (n: Int) in Double(n) / Double(tests) }
        print("early warning, stable series: \(tests) tests; red \(red) (\(rate(red))), yellow by Poisson \(yellow) (\(rate(yellow))), "
              + "CUSUM \(cusum) (\(rate(cusum))), any \(any) (\(rate(any))); series with any alarm in a year: \(seriesWithAny) of 1000")
        // validate: red under one in a thousand tests (measured 0.04 %); any warning, yellow included, about the
        // yellow test's nominal 1 % (measured 0.85 %: 0.55 % by the weekly test, 0.30 % by the CUSUM).
        #expect(tests == 52_000)
        #expect(rate(red) < 0.001)
        #expect(rate(any) < 0.012)
    }

    @Test func findsInjectedSpikes() {
        // setup: the same series, the last week raised by 4 cases plus twice its usual count, and each of the three
        // weeks before it by one.
        var found = 0, red = 0
        var foundByMean: [Double: Int] = [:]
        for i in 0..<1_000 {
            var s = Self.stableSeries(i)
            s.weeks[207] += 4 + Int((2 * s.mean).rounded())
            for w in 204..<207 { s.weeks[w] += 1 }
            // MUT
            guard let a = EarlyWarning.assess(Self.series(s.weeks)) else { continue }
            if a.level != nil { found += 1; foundByMean[s.mean, default: 0] += 1 }
            if a.level == .red { red += 1 }
        }
        print("early warning, injected spikes: found \(found) of 1000 (red \(red)); by weekly mean: "
              + Self.means.map { "\($0): \(foundByMean[$0, default: 0])/125" }.joined(separator: ", "))
        // validate (measured: 999, red 950)
        #expect(found >= 950)
        #expect(red >= 900)
    }

    @Test func theCUSUMFindsASlowRiseThatTheWeeklyTestMisses() {
        // setup: series with 1 to 4 cases a week whose last 13 weeks run at double the usual mean.
        var byCUSUM = 0, byPoisson = 0, total = 0, earlyCUSUM = 0, earlyPoisson = 0
        for i in 0..<1_000 {
            var rng = SafetyIndexRandom(seed: UInt64(50_000 + i))
            let mean = [1.0, 2.0, 4.0][i % 3]
            let weeks = (0..<208).map { w in Self.poisson(mean * (w >= 195 ? 2 : 1), &rng) }
            // MUT: each week of the rise tested as the weekly job would (a CUSUM that signalled starts again, so the
            // rise is told in the week it is found, not in every week after).
            let tests = (195..<208).compactMap { t in EarlyWarning.assess(Self.series(Array(weeks[...t]))) }
            guard !tests.isEmpty else { continue }
            total += 1
            if tests.contains(where: { $0.triggers.contains(.cusum) }) { byCUSUM += 1 }
            if tests.contains(where: { $0.triggers.contains(.poissonRed) || $0.triggers.contains(.poissonYellow) }) { byPoisson += 1 }
            // Within the rise's first eight weeks.
            if tests.prefix(8).contains(where: { $0.triggers.contains(.cusum) }) { earlyCUSUM += 1 }
            if tests.prefix(8).contains(where: { $0.triggers.contains(.poissonRed) || $0.triggers.contains(.poissonYellow) }) { earlyPoisson += 1 }
        }
        print("early warning, doubling over 13 weeks: found by the CUSUM in \(byCUSUM) of \(total) (\(earlyCUSUM) within 8 weeks), "
              + "by the weekly Poisson test in \(byPoisson) (\(earlyPoisson))")
        // validate: most rises are found, and the CUSUM finds them sooner than the weekly test
        #expect(byCUSUM >= 750)
        #expect(earlyCUSUM > earlyPoisson)
    }

    // MARK: - The rules on small cases

    @Test func oneCaseAgainstALowBaselineIsNotAWarning() throws {
        // setup: three years of a case every ten weeks, then one case; one of the 15 comparable weeks had a case.
        let weeks = (0..<160).map { $0 % 10 == 0 ? 1 : 0 } + [1]
        // MUT
        let a = try #require(EarlyWarning.assess(Self.series(weeks)))
        // validate: λ = 1/15, p = 1 − e^(−1/15) ≈ 0.065, nothing raised; the evidence says what it was compared with.
        #expect(a.level == nil && a.triggers.isEmpty)
        #expect(a.evidence.p > 0.05)
        #expect(a.evidence.method == .seasonal(years: 3) && a.evidence.baselineWeeks == 15)
    }

    @Test func aClusterIsRedWithItsEvidence() throws {
        // setup: a quiet village (one case in three years' comparable weeks), then 2, 1, 2 and 4 cases.
        var weeks = [Int](repeating: 0, count: 160)
        weeks[163 - 52] = 1
        weeks += [2, 1, 2, 4]
        // MUT
        let a = try #require(EarlyWarning.assess(Self.series(weeks)))
        // validate: λ = 1 / 15; P(X ≥ 4 | 1/15) ≈ 7.8e-7.
        #expect(a.level == .red && a.triggers.first == .poissonRed)
        #expect(a.evidence.count == 4 && a.evidence.lastFourWeeks == 9 && a.evidence.baselineEvents == 1)
        #expect(abs(a.evidence.baseline - 1.0 / 15) < 1e-12)
        #expect(abs(a.evidence.p - PoissonTail.upperTail(4, mean: 1.0 / 15)) < 1e-18 && a.evidence.p < 1e-6)
        #expect(a.evidence.recent == Array(weeks.suffix(13)))
        // The same count without the weeks before it is only yellow: fewer than 5 in the last four weeks.
        var lone = weeks
        lone[lone.count - 4] = 0; lone[lone.count - 3] = 0; lone[lone.count - 2] = 0
        #expect(EarlyWarning.assess(Self.series(lone))?.level == .yellow)
    }

    @Test func aShortHistoryUsesTheRecentWeeksBeforeTheGuardBand() throws {
        // setup: 30 weeks; the two weeks before the last are busy and must not raise the baseline.
        let weeks = [Int](repeating: 0, count: 27) + [5, 5, 3]
        // MUT
        let a = try #require(EarlyWarning.assess(Self.series(weeks)))
        // validate: the baseline is weeks 1–26 (26 weeks before the guard of 2), all 0, floored at half an event.
        #expect(a.evidence.method == .recent && a.evidence.baselineWeeks == 26 && a.evidence.baselineEvents == 0)
        #expect(abs(a.evidence.baseline - 0.5 / 26) < 1e-12)
        #expect(a.level == .red)
        #expect(EarlyWarning.assess(Self.series([1, 0, 3])) == nil)
    }

    @Test func signalsAreListedRedFirstAndAbsurdCountsDoNotTrap() {
        // setup
        let quiet = Self.series([Int](repeating: 0, count: 60))
        var redWeeks = [Int](repeating: 0, count: 60); redWeeks[57] = 3; redWeeks[59] = 6
        var yellowWeeks = [Int](repeating: 1, count: 60); yellowWeeks[59] = 5
        let huge = EarlyWarningSeries(area: "V", category: "x", weeks: [Int](repeating: .max, count: 300) + [-7])
        // MUT
        let list = EarlyWarning.signals([quiet, Self.series(yellowWeeks), Self.series(redWeeks), huge])
        // validate
        #expect(list.map(\.level) == [.red, .yellow])
        #expect(EarlyWarningConfiguration.standard.validate().isEmpty)
        var c = EarlyWarningConfiguration.standard
        c.redP = 0.5
        c.guardWeeks = -1
        #expect(Set(c.validate().map(\.field)) == ["redP", "guardWeeks"])
        #expect(EarlyWarning.assess(Self.series([Int](repeating: 1, count: 40)), configuration: c) != nil)
    }
}
