import Foundation

/// The monthly safety index (平安指数, DESIGN §6) of one area, computed from a formula (`SafetyIndexFormula`) and
/// what the store counted. Each indicator's rate is shrunk toward the parent's (`SmallAreaShrinkage`), compared with
/// its baseline (`SafetyIndexNormalisation`), scored 0–100 and weighted; grave events are then deducted.
///
/// Rounding: the parts are shown in hundredths of a point. The subtotal is the weighted sum rounded to hundredths;
/// the contributions are rounded by largest remainder (floor each, then give the missing hundredths to the largest
/// fractions, earlier indicators first on a tie), so they add up to the subtotal exactly. Deductions are whole
/// hundredths; the score is the subtotal minus them, never below 0, and its band is read from it.
public enum SafetyIndex {
    public static func compute(_ input: SafetyIndexInput, formula: SafetyIndexFormula) throws(SafetyIndexError) -> SafetyIndexResult {
        let problems = formula.validate()
        guard problems.isEmpty else { throw .invalidFormula(problems) }
        if let problem = input.problem(formula) { throw problem }

        var lines: [SafetyIndicatorExplanation] = []
        for group in formula.groups {
            for indicator in group.indicators {
                lines.append(explain(indicator, group: group.code, input: input, formula: formula))
            }
        }
        guard let w = Apportion.weightedScore(points: lines.map { $0.status == .scored ? ($0.normalised ?? 0) : nil }, weights: lines.map(\.weight)) else {
            throw .nothingToScore(area: input.area)
        }
        for i in lines.indices {
            lines[i].weightShare = w.shares[i]
            lines[i].contributionHundredths = w.contributions[i]
        }
        let subtotal = w.totalHundredths

        var deductions: [SafetyDeductionExplanation] = []
        var left = subtotal
        for rule in formula.deductions {
            let events = input.observed.graveEvents[rule.code] ?? 0
            let per = Int((rule.pointsPerEvent * 100).rounded())
            let cap = Int((rule.maximumPoints * 100).rounded())
            // `events` is at most 10⁹ and `per` at most 10⁴: the product fits.
            let points = min(per * events, cap)
            let applied = min(points, left)
            left -= applied
            deductions.append(SafetyDeductionExplanation(code: rule.code, name: rule.name, nameEN: rule.nameEN, events: events,
                                                         pointsHundredths: points, appliedHundredths: applied))
        }
        let note = smallAreaNote(formula.smallAreas, parent: input.parent?.area)
        return SafetyIndexResult(
            area: input.area, month: input.month, formulaVersion: formula.version, scoreHundredths: left,
            band: formula.bands.band(for: Double(left) / 100), subtotalHundredths: subtotal, indicators: lines, deductions: deductions,
            smallAreaNote: note.zh, smallAreaNoteEN: note.en)
    }

    static func smallAreaNote(_ s: SmallAreaShrinkage, parent: String?) -> (zh: String, en: String) {
        guard let parent else { return ("本级不做小区域收缩（无上级）。", "No small-area shrinkage at this level (no parent).") }
        let events = s.priorEvents == s.priorEvents.rounded() ? "\(Int(s.priorEvents))" : "\(s.priorEvents)"
        return ("小区域处理：各比率按经验贝叶斯向上级（\(parent)）的常态比率（其基准）收缩，先验相当于按该比率发生 \(events) 件（发案率）"
                    + "或 \(s.priorCases) 件（各类比率）；本区域数据所占权重见各指标。",
                "Small areas: every rate is shrunk toward the parent's (\(parent)) usual rate (its baseline) empirical-Bayes style, with a prior worth \(events) "
                    + "events at that rate (incidence) or \(s.priorCases) cases (shares); each indicator shows the weight its own data kept.")
    }

    /// The baseline measure of `indicator` for `month`: the months its choice names, summed (saturating), from the
    /// area's own months or the county's. Missing months count as nothing.
    public static func baseline(of indicator: SafetyIndicator, for month: SafetyIndexMonth,
                                own: (SafetyIndexMonth) -> Measure?, county: (SafetyIndexMonth) -> Measure?) -> Measure {
        let source = indicator.baseline.isOwn ? own : county
        var sum = Measure(numerator: 0, denominator: 0)
        for m in indicator.baseline.months(before: month) {
            guard let x = source(m) else { continue }
            sum.numerator = Fen.saturatingAdd(sum.numerator, x.numerator)
            sum.denominator = Fen.saturatingAdd(sum.denominator, x.denominator)
        }
        return sum
    }

    /// Month-on-month or year-on-year change of the shown score, in points.
    public static func change(_ current: SafetyIndexResult, from earlier: SafetyIndexResult?) -> Double? {
        earlier.map { Double(current.scoreHundredths - $0.scoreHundredths) / 100 }
    }

    // MARK: - One indicator

    static func explain(_ indicator: SafetyIndicator, group: String, input: SafetyIndexInput, formula: SafetyIndexFormula) -> SafetyIndicatorExplanation {
        let perResidents = indicator.kind.isPerResidents
        let scale = perResidents ? 10_000.0 : 1.0
        let floor = formula.normalisation.perResidentsFloor / 10_000
        // The prior's exposure: `priorEvents` at the parent's rate for counts, `priorCases` for shares.
        func prior(_ parentRate: Double?) -> Double? {
            guard let p = parentRate else { return nil }
            return perResidents ? formula.smallAreas.priorEvents / max(p, floor) : Double(formula.smallAreas.priorCases)
        }
        let own = input.observed.measure(indicator)
        // The month is shrunk toward what the parent usually has (its baseline rate), not toward the parent's own
        // month: otherwise one village's bad month raises its township's rate and every small neighbour with little
        // data of its own inherits the rise (the demo's seeded red runs turned 18 quiet neighbours red three months
        // running). With no baseline the parent's month stands in.
        let ownBaseline = input.baselines[indicator.code] ?? Measure(numerator: 0, denominator: 0)
        let parentBaseline = input.parent?.baselines[indicator.code].flatMap(rate)
        let parentRate = parentBaseline ?? input.parent.flatMap { rate($0.observed.measure(indicator)) }
        let (value, ownWeight) = shrink(own, toward: parentRate, prior: prior(parentRate))

        // The baseline is shrunk the same way toward the parent's baseline; with no baseline of its own an area
        // takes its parent's. The county's average is the county's, never shrunk.
        // The baseline's prior is as many months' worth as the baseline holds (twelve times the month's for twelve
        // months), so that the month and its baseline keep the same share of their own data and are pulled toward
        // the same rate alike: a quiet village is not made worse than its own baseline by being pulled harder toward
        // its township's rate in a month (little exposure) than in its year (much).
        let months = own.denominator > 0 ? Double(ownBaseline.denominator) / Double(own.denominator) : 1
        let baselinePrior = prior(parentBaseline).map { $0 * max(months, 1) }
        let baseline = indicator.baseline.isOwn ? shrink(ownBaseline, toward: parentBaseline, prior: baselinePrior).0 : rate(ownBaseline)

        var line = SafetyIndicatorExplanation(
            code: indicator.code, name: indicator.name, nameEN: indicator.nameEN, groupCode: group, kind: indicator.kind,
            direction: indicator.direction, baselineChoice: indicator.baseline, status: .scored, own: own,
            ownValue: rate(own).map { $0 * scale }, parentValue: parentRate.map { $0 * scale }, ownWeight: ownWeight,
            value: value.map { $0 * scale }, baseline: baseline.map { $0 * scale }, ratio: nil, normalised: nil,
            weight: indicator.weight, weightShare: 0, contributionHundredths: 0)
        guard let v = value else { line.status = .noData; return line }
        guard let b = baseline else { line.status = .noBaseline; return line }
        let n = formula.normalisation
        let bad = indicator.direction == .lowerIsBetter ? v * scale : 1 - v
        let baseBad = indicator.direction == .lowerIsBetter ? b * scale : 1 - b
        let ratio = max(bad, 0) / max(baseBad, perResidents ? n.perResidentsFloor : n.rateFloor)
        line.ratio = ratio
        line.normalised = normalised(ratio: ratio, n)
        return line
    }

    /// 100 at ratio 0, `atBaseline` at 1, 0 from `zeroAtRatio` on; linear in between.
    static func normalised(ratio q: Double, _ n: SafetyIndexNormalisation) -> Double {
        guard q.isFinite else { return 0 }
        let s = q <= 1 ? 100 - (100 - n.atBaseline) * q : n.atBaseline * (n.zeroAtRatio - q) / (n.zeroAtRatio - 1)
        return min(max(s, 0), 100)
    }

    static func rate(_ m: Measure) -> Double? { m.denominator > 0 ? Double(m.numerator) / Double(m.denominator) : nil }

    /// The empirical-Bayes posterior mean of a rate, (x + p·prior) ÷ (n + prior), and the weight the own data kept;
    /// the own rate when there is no parent rate or no prior.
    static func shrink(_ own: Measure, toward parent: Double?, prior: Double?) -> (Double?, Double) {
        let n = Double(own.denominator)
        guard let p = parent, let prior, prior > 0 else { return (rate(own), 1) }
        return ((Double(own.numerator) + p * prior) / (n + prior), n / (n + prior))
    }
}
