import Foundation
import Testing

@testable import WanggeCore

/// The index of a hand-built county equals the hand computation written beside it; the shown parts always add up
/// to the shown score; a weight edited in the formula moves the next computation.
@Suite("Safety index computation")
struct SafetyIndexComputeTests {
    static let month = SafetyIndexMonth("2026-11")!

    /// Two indicators: public-order cases per 10,000 residents (weight 60, against the area's own previous 12
    /// months) and satisfaction (weight 40, against the county's); one death costs 10 points. Standard bands,
    /// normalisation (90 at the baseline, 0 at three times as bad) and shrinkage (5,000 residents, 20 cases).
    static let formula = SafetyIndexFormula(
        version: 3,
        groups: [
            SafetyIndicatorGroup(code: "order", name: "社会治安", nameEN: "Public order", indicators: [
                SafetyIndicator(code: "order", name: "治安类事件发案率", nameEN: "Public-order cases", kind: .incidence,
                                categoryCodes: ["0602", "1407"], direction: .lowerIsBetter, baseline: .ownPrevious12Months, weight: 60),
            ]),
            SafetyIndicatorGroup(code: "gov", name: "治理成效", nameEN: "Governance", indicators: [
                SafetyIndicator(code: "satisfaction", name: "群众满意率", nameEN: "Satisfaction", kind: .satisfaction,
                                direction: .higherIsBetter, baseline: .countyAverage, weight: 40),
            ]),
        ],
        deductions: [GraveEventDeduction(code: "death", name: "亡人事件", nameEN: "Death", pointsPerEvent: 10, maximumPoints: 30)],
        normalisation: SafetyIndexNormalisation(atBaseline: 90, zeroAtRatio: 3, perResidentsFloor: 0.5, rateFloor: 0.01),
        smallAreas: SmallAreaShrinkage(priorEvents: 4, priorCases: 20))

    /// The county (50,000 residents), its township T (20,000) and T's village V (1,000).
    static let county = SafetyIndexObservations(residents: 50_000, counts: ["order": 10], rates: ["satisfaction": Measure(numerator: 380, denominator: 400)])
    static let countyBaselines = ["order": Measure(numerator: 300, denominator: 600_000), "satisfaction": Measure(numerator: 1_900, denominator: 2_000)]
    static let township = SafetyIndexObservations(residents: 20_000, counts: ["order": 4], rates: ["satisfaction": Measure(numerator: 190, denominator: 200)])
    static let townshipBaselines = ["order": Measure(numerator: 96, denominator: 240_000), "satisfaction": Measure(numerator: 1_900, denominator: 2_000)]
    static func village(deaths: Int = 1) -> SafetyIndexInput {
        SafetyIndexInput(area: "V", month: month,
                         observed: SafetyIndexObservations(residents: 1_000, counts: ["order": 1], rates: ["satisfaction": Measure(numerator: 18, denominator: 20)],
                                                           graveEvents: ["death": deaths]),
                         baselines: ["order": Measure(numerator: 6, denominator: 12_000), "satisfaction": Measure(numerator: 1_900, denominator: 2_000)],
                         parent: SafetyIndexParent(area: "T", observed: township, baselines: townshipBaselines))
    }

    @Test func theVillageScoresAsComputedByHand() throws {
        // Hand computation for village V (1,000 residents, parent township T). Prior: 4 events at T's usual rate
        // (its baseline's), for the month and for the baseline alike.
        //   public order, T's baseline: 96 / 240,000 = 0.0004 per resident-month → prior exposure 4 / 0.0004 = 10,000.
        //   this month: 1 case. shrunk = (1 + 0.0004 × 10,000) / (1,000 + 10,000) = 5 / 11,000 → 4.54545 per 10,000;
        //     own weight 1/11.
        //   baseline: 6 cases / 12,000 resident-months, with the prior twelve months' worth (12 × 10,000 = 120,000):
        //     shrunk = (6 + 0.0004 × 120,000) / (12,000 + 120,000) = 54 / 132,000 → 4.09091 per 10,000.
        //   ratio = (5/11,000) / (54/132,000) = 10/9 → normalised = 90 × (3 − 10/9) / (3 − 1) = 85.
        //   satisfaction: 18 / 20; T's baseline 1,900 / 2,000 = 0.95; prior 20 cases.
        //     shrunk = (18 + 0.95 × 20) / (20 + 20) = 37 / 40 = 0.925; own weight 0.5.
        //   baseline (county): 1,900 / 2,000 = 0.95.
        //   ratio = (1 − 0.925) / (1 − 0.95) = 0.075 / 0.05 = 1.5 (> 1)
        //     normalised = 90 × (3 − 1.5) / (3 − 1) = 67.5
        //   weights 60 and 40 → shares 0.6 and 0.4
        //   contributions 85 × 0.6 = 51.00 and 67.5 × 0.4 = 27.00; subtotal 78.00.
        //   one death: −10.00 → score 68.00, red (< 70).
        // MUT
        let r = try SafetyIndex.compute(Self.village(), formula: Self.formula)
        // validate
        let order = r.indicators[0], sat = r.indicators[1]
        #expect(abs(order.value! - 10_000.0 * 5 / 11_000) < 1e-9)
        #expect(abs(order.baseline! - 10_000.0 * 54 / 132_000) < 1e-9)
        #expect(abs(order.ownWeight - 1.0 / 11) < 1e-12 && abs(order.ownValue! - 10) < 1e-9 && abs(order.parentValue! - 4) < 1e-9)
        #expect(abs(order.ratio! - 10.0 / 9) < 1e-12)
        #expect(abs(order.normalised! - 85) < 1e-9)
        #expect(abs(sat.value! - 0.925) < 1e-12 && abs(sat.baseline! - 0.95) < 1e-12 && sat.ownWeight == 0.5)
        #expect(abs(sat.normalised! - 67.5) < 1e-9)
        #expect(order.weightShare == 0.6 && sat.weightShare == 0.4)
        #expect(order.contributionHundredths == 5_100 && sat.contributionHundredths == 2_700)
        #expect(r.subtotalHundredths == 7_800)
        #expect(r.deductions.map(\.appliedHundredths) == [1_000])
        #expect(r.scoreHundredths == 6_800 && r.score == 68)
        #expect(r.band == .red)
        #expect(r.formulaVersion == 3)
        #expect(r.smallAreaNote.contains("T") && r.smallAreaNoteEN.contains("4 events"))
        // Without the death the same village is orange.
        let calm = try SafetyIndex.compute(Self.village(deaths: 0), formula: Self.formula)
        #expect(calm.scoreHundredths == 7_800 && calm.band == .orange)
    }

    @Test func theCountyHasNoParentAndIsNotShrunk() throws {
        // Hand computation for the county (no parent, so no shrinkage):
        //   public order 10 / 50,000 = 2 per 10,000; baseline 300 / 600,000 = 5 per 10,000; ratio 0.4
        //     normalised = 100 − 10 × 0.4 = 96
        //   satisfaction 380 / 400 = 0.95 against 0.95: ratio 1, normalised 90
        //   96 × 0.6 + 90 × 0.4 = 57.60 + 36.00 = 93.60, green.
        // MUT
        let r = try SafetyIndex.compute(SafetyIndexInput(area: "C", month: Self.month, observed: Self.county, baselines: Self.countyBaselines, parent: nil),
                                        formula: Self.formula)
        // validate
        #expect(r.indicators.map(\.contributionHundredths) == [5_760, 3_600])
        #expect(r.indicators.map(\.ownWeight) == [1, 1])
        #expect(r.scoreHundredths == 9_360 && r.band == .green)
    }

    @Test func changingAWeightChangesTheScoreAndTheExplanationShowsIt() throws {
        // setup: public order 60 → 20, so the shares are 1/3 and 2/3:
        //   85 / 3 + 67.5 × 2 / 3 = 28.333333 + 45 = 73.333333 → 73.33 (28.33 + 45.00); minus the death:
        //   63.33, red.
        var edited = Self.formula
        edited.version = 4
        edited.groups[0].indicators[0].weight = 20
        // MUT
        let before = try SafetyIndex.compute(Self.village(), formula: Self.formula)
        let after = try SafetyIndex.compute(Self.village(), formula: edited)
        // validate
        #expect(before.scoreHundredths == 6_800)
        #expect(after.subtotalHundredths == 7_333 && after.scoreHundredths == 6_333 && after.band == .red)
        #expect(after.indicators[0].weight == 20 && after.indicators[0].contributionHundredths == 2_833)
        #expect(after.formulaVersion == 4)
    }

    @Test func equalThirdsAreRoundedSoThatTheyStillAddUp() throws {
        // setup: three equal weights, each indicator perfect (no case at all: ratio 0, 100 points), so each raw
        // contribution is 33.333…; rounding each alone would show 33.33 × 3 = 99.99 against a score of 100.00.
        let f = SafetyIndexFormula(version: 1, groups: [SafetyIndicatorGroup(code: "g", name: "组", nameEN: "G", indicators: ["a", "b", "c"].map {
            SafetyIndicator(code: $0, name: $0, nameEN: $0, kind: .incidence, categoryCodes: [$0], direction: .lowerIsBetter,
                            baseline: .ownPrevious12Months, weight: 1)
        })], deductions: [])
        let input = SafetyIndexInput(area: "V", month: Self.month, observed: SafetyIndexObservations(residents: 800),
                                     baselines: ["a": Measure(numerator: 3, denominator: 9_600), "b": Measure(numerator: 1, denominator: 9_600),
                                                 "c": Measure(numerator: 0, denominator: 9_600)], parent: nil)
        // MUT
        let r = try SafetyIndex.compute(input, formula: f)
        // validate
        #expect(r.indicators.map(\.contributionHundredths) == [3_334, 3_333, 3_333])
        #expect(r.scoreHundredths == 10_000)
    }

    /// For many random villages and formulas, the shown contributions minus the applied deductions are exactly the
    /// shown score, each shown contribution is within a hundredth of its exact value, and the score stays in 0…100.
    @Test func contributionsAndDeductionsAddUpToTheScoreForAnyInput() throws {
        var rng = SafetyIndexRandom(seed: 19)
        for _ in 0..<2_000 {
            // setup
            var f = SafetyIndexFormula.standard
            for g in f.groups.indices { for i in f.groups[g].indicators.indices { f.groups[g].indicators[i].weight = Double(rng.below(1_000)) / 7 } }
            f.groups[0].indicators[0].weight = 1 + Double(rng.below(100)) / 3
            f.deductions[0].pointsPerEvent = Double(rng.below(10_000)) / 1_000
            let residents = rng.below(50_000)
            var counts: [String: Int] = [:], rates: [String: Measure] = [:], baselines: [String: Measure] = [:]
            for ind in f.indicators {
                if ind.kind.isPerResidents {
                    counts[ind.code] = rng.below(20)
                    baselines[ind.code] = Measure(numerator: rng.below(200), denominator: residents * 12)
                } else {
                    let n = rng.below(300)
                    rates[ind.code] = Measure(numerator: n == 0 ? 0 : rng.below(n + 1), denominator: n)
                    let bn = rng.below(5_000)
                    baselines[ind.code] = Measure(numerator: bn == 0 ? 0 : rng.below(bn + 1), denominator: bn)
                }
            }
            let input = SafetyIndexInput(area: "V", month: Self.month,
                                         observed: SafetyIndexObservations(residents: residents, counts: counts, rates: rates,
                                                                           graveEvents: ["death": rng.below(4), "mass_incident": rng.below(3)]),
                                         baselines: baselines,
                                         parent: rng.below(3) == 0 ? nil : SafetyIndexParent(area: "T", observed: Self.township, baselines: Self.townshipBaselines))
            // MUT
            guard let r = Self.scoredOrNothingToScore(input, f) else { continue }
            // validate
            let shown = r.indicators.map(\.contributionHundredths).reduce(0, +)
            let applied = r.deductions.map(\.appliedHundredths).reduce(0, +)
            #expect(shown == r.subtotalHundredths)
            #expect(shown - applied == r.scoreHundredths)
            #expect((0...10_000).contains(r.scoreHundredths))
            #expect(r.band == f.bands.band(for: r.score))
            for line in r.indicators {
                let exact = (line.normalised ?? 0) * line.weightShare * 100
                #expect(abs(Double(line.contributionHundredths) - exact) < 1, "\(line.code)")
            }
        }
    }

    /// The result, or nil when the only refusal is that nothing could be scored (every other refusal fails the test).
    static func scoredOrNothingToScore(_ input: SafetyIndexInput, _ f: SafetyIndexFormula) -> SafetyIndexResult? {
        do { return try SafetyIndex.compute(input, formula: f) } catch {
            #expect(error == .nothingToScore(area: input.area))
            return nil
        }
    }

    @Test func deductionsStopAtZeroAndAtTheirCap() throws {
        // setup: three deaths (30 points, the cap) and four mass incidents (20, the cap) on the standard formula.
        var input = Self.village(deaths: 3)
        input.observed.graveEvents["mass_incident"] = 4
        input.observed.graveEvents["death"] = 1_000_000
        var f = SafetyIndexFormula.standard
        f.deductions[0].maximumPoints = 100
        // MUT
        let r = try SafetyIndex.compute(input, formula: f)
        // validate: 1,000,000 deaths cost 100 points (the cap), but only what the subtotal has is applied.
        #expect(r.deductions[0].pointsHundredths == 10_000)
        #expect(r.deductions[0].appliedHundredths == r.subtotalHundredths)
        #expect(r.deductions.dropFirst().allSatisfy { $0.appliedHundredths == 0 })
        #expect(r.scoreHundredths == 0 && r.band == .red)
    }

    @Test func aSmallVillageDoesNotSwingOnOneCase() throws {
        // setup: a village of 300 with no case in its history and in its township's usual rate.
        func score(cases: Int, residents: Int, prior: Double) throws -> Int {
            var f = Self.formula
            f.smallAreas.priorEvents = prior
            let input = SafetyIndexInput(area: "V", month: Self.month,
                                         observed: SafetyIndexObservations(residents: residents, counts: ["order": cases],
                                                                           rates: ["satisfaction": Measure(numerator: 19, denominator: 20)]),
                                         baselines: ["order": Measure(numerator: 0, denominator: residents * 12),
                                                     "satisfaction": Measure(numerator: 1_900, denominator: 2_000)],
                                         parent: SafetyIndexParent(area: "T", observed: Self.township, baselines: Self.townshipBaselines))
            return try SafetyIndex.compute(input, formula: f).scoreHundredths
        }
        // MUT
        let shrunk = try (score(cases: 0, residents: 300, prior: 4), score(cases: 1, residents: 300, prior: 4))
        let raw = try (score(cases: 0, residents: 300, prior: 0), score(cases: 1, residents: 300, prior: 0))
        // validate: unshrunk, one case (33 per 10,000 against a floor of 0.5) takes the village from green to red;
        // shrunk (its month and its empty year pulled alike toward the township's usual 4 per 10,000), it moves it
        // under 7 points (ratio 5/4: 78.75 for public order at this formula's steep normalisation), green to blue.
        #expect(raw.0 - raw.1 > 3_000)
        #expect(shrunk.0 == 9_000, "a quiet month of a quiet village is as its baseline")
        #expect(shrunk.0 - shrunk.1 < 700 && shrunk.0 - shrunk.1 > 0)
        #expect(SafetyBandThresholds.standard.band(for: Double(shrunk.1) / 100) == .blue)
    }

    @Test func anIndicatorWithNothingToCountGivesItsWeightToTheOthers() throws {
        // setup: no rated case in the county (no parent to borrow from): satisfaction has no data.
        var observed = Self.county
        observed.rates = [:]
        // MUT
        let r = try SafetyIndex.compute(SafetyIndexInput(area: "C", month: Self.month, observed: observed, baselines: Self.countyBaselines, parent: nil),
                                        formula: Self.formula)
        // validate: public order (96) carries all the weight.
        #expect(r.indicators[1].status == .noData && r.indicators[1].contributionHundredths == 0 && r.indicators[1].weightShare == 0)
        #expect(r.indicators[0].weightShare == 1 && r.scoreHundredths == 9_600)
        #expect(throws: SafetyIndexError.nothingToScore(area: "C")) {
            try SafetyIndex.compute(SafetyIndexInput(area: "C", month: Self.month, observed: observed, baselines: [:], parent: nil), formula: Self.formula)
        }
    }

    @Test(arguments: [
        ("observed.residents", SafetyIndexObservations(residents: -1)),
        ("observed.counts.order", SafetyIndexObservations(residents: 10, counts: ["order": -2])),
        ("observed.rates.satisfaction", SafetyIndexObservations(residents: 10, rates: ["satisfaction": Measure(numerator: 5, denominator: 4)])),
        ("observed.graveEvents.death", SafetyIndexObservations(residents: 10, graveEvents: ["death": Int.max])),
    ])
    func badInputIsRefusedByField(_ field: String, _ observed: SafetyIndexObservations) {
        let input = SafetyIndexInput(area: "V", month: Self.month, observed: observed, baselines: Self.countyBaselines, parent: nil)
        #expect(throws: SafetyIndexError.self) { try SafetyIndex.compute(input, formula: Self.formula) }
        do { _ = try SafetyIndex.compute(input, formula: Self.formula) } catch {
            guard case .invalidInput(let named, _) = error else { Issue.record("\(error)"); return }
            #expect(named == field)
        }
    }

    @Test func theBaselineSumsTheMonthsTheChoiceNames() throws {
        // setup: the area had one case and 100 residents every month; the county ten and 1,000.
        let own: (SafetyIndexMonth) -> Measure? = { _ in Measure(numerator: 1, denominator: 100) }
        let county: (SafetyIndexMonth) -> Measure? = { $0 == Self.month ? Measure(numerator: 999, denominator: 1) : Measure(numerator: 10, denominator: 1_000) }
        var ind = Self.formula.groups[0].indicators[0]
        // MUT / validate
        #expect(SafetyIndex.baseline(of: ind, for: Self.month, own: own, county: county) == Measure(numerator: 12, denominator: 1_200))
        ind.baseline = .ownThreeYearAverage
        #expect(SafetyIndex.baseline(of: ind, for: Self.month, own: own, county: county) == Measure(numerator: 36, denominator: 3_600))
        ind.baseline = .countyAverage
        #expect(SafetyIndex.baseline(of: ind, for: Self.month, own: own, county: county) == Measure(numerator: 120, denominator: 12_000))
        let huge: (SafetyIndexMonth) -> Measure? = { _ in Measure(numerator: .max / 2, denominator: .max / 2) }
        #expect(SafetyIndex.baseline(of: ind, for: Self.month, own: huge, county: huge).numerator == .max)
    }
}

/// A small deterministic generator (SplitMix64) for the safety index and early warning tests.
struct SafetyIndexRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
