import Foundation

/// Early warning (研判预警, DESIGN §6): unusual rises of weekly case counts per area × category (and, summed by the
/// caller, township × category) against the series' own seasonal baseline.
///
/// Two tests, because they catch different rises:
/// - A sudden rise: an exact Poisson upper-tail test of this week's count x against the baseline mean λ,
///   p = P(X ≥ x | λ) (`PoissonTail`). Counts per village and week are mostly 0–3; a z-score calls one case
///   against a mean of 0.1 "three sigma", the exact tail calls it p = 0.095. Minimum counts stop a lone case
///   anyway: red needs p < 0.001, at least 3 cases this week and 5 in the last 4 weeks; yellow p < 0.01 and at
///   least 3 cases (with 2, the demo county's ordinary weeks raised ~45 yellow warnings a week county-wide: two
///   cases of a rare category in one village, against a floored baseline of 0.02 a week, is p ≈ 2·10⁻⁴).
/// - A slow rise: a one-sided Poisson CUSUM over the last `cusumWeeks`, tuned to a rise of `cusumRatio` (a
///   doubling): S = max(0, S + x·ln r − (r − 1)·λ) week by week, each week against its own baseline; yellow when
///   S ≥ `cusumThreshold` (in log-likelihood units, so about e^h weeks between false alarms on a steady series).
///
/// The baseline is seasonal: the same week ±`seasonalHalfWindow` in each of up to `seasonalYears` previous years
/// (52 weeks apart), so a summer rise in drownings or a spring rise in land disputes is not news each year. A
/// series with less than a year of history falls back to the previous `recentWeeks` weeks, leaving out the last
/// `guardWeeks` (a guard band, so a rise that began last week is not already in its own baseline). λ is the
/// baseline's mean, with at least `baselineFloorEvents` events spread over it, so a baseline of none is not zero.
/// Poisson rather than negative binomial: at 0–3 cases a week a series has too little data to estimate its own
/// over-dispersion, the seasonal mean takes up much of what there is, and the minimum counts hold down the false
/// alarms the rest would cause; a county that finds its series over-dispersed raises `redP`/`yellowP` or the counts.
public struct EarlyWarningConfiguration: Hashable, Sendable, Codable {
    public var seasonalYears = 3
    public var seasonalHalfWindow = 2
    public var recentWeeks = 26
    public var guardWeeks = 2
    /// Fewer baseline weeks than this and the series is not tested.
    public var minimumBaselineWeeks = 8
    public var baselineFloorEvents = 0.5
    public var redP = 0.001
    public var redMinimumCount = 3
    public var redMinimumLastFourWeeks = 5
    public var yellowP = 0.01
    public var yellowMinimumCount = 3
    /// This week must also be at least this many times the baseline's mean (red, yellow): with large counts a rise
    /// of a fifth is "significant" but nothing a desk officer should chase (at ten times the demo's volume, with no
    /// year-ago baseline yet, the seasons alone raised ~90 signals a week). No constraint on small counts.
    public var redMinimumRatio = 2.0
    public var yellowMinimumRatio = 1.5
    public var cusumWeeks = 13
    public var cusumRatio = 2.0
    public var cusumThreshold = 5.0
    /// Weeks of the series kept in the evidence (a small chart).
    public var evidenceWeeks = 13

    public init() {}
    public static let standard = EarlyWarningConfiguration()

    /// Every bad field, as `SafetyIndexFormula.validate`.
    public func validate() -> [SafetyIndexFormulaProblem] {
        var problems: [SafetyIndexFormulaProblem] = []
        func range<T: Comparable>(_ field: String, _ value: T, _ r: ClosedRange<T>) {
            if !r.contains(value) { problems.append(.init(field, "must be \(r.lowerBound) to \(r.upperBound)")) }
        }
        range("seasonalYears", seasonalYears, 0...10)
        range("seasonalHalfWindow", seasonalHalfWindow, 0...8)
        range("recentWeeks", recentWeeks, 1...260)
        range("guardWeeks", guardWeeks, 0...26)
        range("minimumBaselineWeeks", minimumBaselineWeeks, 1...260)
        range("cusumWeeks", cusumWeeks, 1...104)
        range("evidenceWeeks", evidenceWeeks, 1...104)
        range("redMinimumCount", redMinimumCount, 0...10_000)
        range("redMinimumLastFourWeeks", redMinimumLastFourWeeks, 0...10_000)
        range("yellowMinimumCount", yellowMinimumCount, 0...10_000)
        for (field, v, r) in [("baselineFloorEvents", baselineFloorEvents, 0.0...100), ("redP", redP, 0.0...1), ("yellowP", yellowP, 0.0...1),
                              ("cusumRatio", cusumRatio, 1.01...100), ("cusumThreshold", cusumThreshold, 0.01...1_000)] where !(v.isFinite && r.contains(v)) {
            problems.append(.init(field, "must be \(r.lowerBound) to \(r.upperBound)"))
        }
        if redP > yellowP { problems.append(.init("redP", "must not be above yellowP")) }
        for (field, v) in [("redMinimumRatio", redMinimumRatio), ("yellowMinimumRatio", yellowMinimumRatio)] where !(v.isFinite && (1.0...100).contains(v)) {
            problems.append(.init(field, "must be 1 to 100"))
        }
        return problems
    }
}

/// Weekly counts of one area × category, oldest first; the last week is the one tested. Years are 52 weeks apart.
public struct EarlyWarningSeries: Hashable, Sendable {
    public var area: String
    public var category: String
    public var weeks: [Int]

    public init(area: String, category: String, weeks: [Int]) {
        self.area = area
        self.category = category
        self.weeks = weeks
    }
}

public enum EarlyWarningLevel: String, Hashable, Sendable, Codable, Comparable {
    case yellow, red
    public static func < (a: Self, b: Self) -> Bool { a == .yellow && b == .red }
}

public enum EarlyWarningTrigger: String, Hashable, Sendable, Codable {
    case poissonRed = "poisson_red"
    case poissonYellow = "poisson_yellow"
    case cusum
}

/// What a warning shows as its evidence.
public struct EarlyWarningEvidence: Hashable, Sendable, Codable {
    public enum Method: Hashable, Sendable, Codable {
        case seasonal(years: Int)
        case recent
    }
    public var count: Int
    public var lastFourWeeks: Int
    /// λ, the expected count this week.
    public var baseline: Double
    public var method: Method
    public var baselineWeeks: Int
    public var baselineEvents: Int
    public var p: Double
    public var cusum: Double
    /// The baseline weeks' variance over their mean, at least 1: the tests divide counts and means by it.
    public var dispersion: Double = 1
    /// The last `evidenceWeeks` counts, oldest first, ending with this week.
    public var recent: [Int]
}

public struct EarlyWarningAssessment: Hashable, Sendable {
    public var area: String
    public var category: String
    /// Nil when nothing is unusual.
    public var level: EarlyWarningLevel?
    public var triggers: [EarlyWarningTrigger]
    public var evidence: EarlyWarningEvidence
}

public enum EarlyWarning {
    /// The warnings among `series`, red first, then by p.
    public static func signals(_ series: [EarlyWarningSeries], configuration: EarlyWarningConfiguration = .standard) -> [EarlyWarningAssessment] {
        series.compactMap { assess($0, configuration: configuration) }.filter { $0.level != nil }
            .sorted { ($0.level == .red ? 0 : 1, $0.evidence.p) < ($1.level == .red ? 0 : 1, $1.evidence.p) }
    }

    /// The series' last week assessed, with its evidence; nil when its history is too short for a baseline.
    public static func assess(_ series: EarlyWarningSeries, configuration c: EarlyWarningConfiguration = .standard) -> EarlyWarningAssessment? {
        let x = series.weeks.map { min(max($0, 0), 1_000_000_000) }
        guard let t = x.indices.last, let base = baseline(x, week: t, c) else { return nil }
        let count = x[t]
        let lastFour = x[max(0, t - 3)...t].saturatingSum { $0 }
        // Quasi-Poisson: a series more variable than Poisson (a township's weekly counts rise and fall with the
        // season and with campaigns) is tested on counts and means divided by its dispersion φ = variance ÷ mean of
        // the baseline weeks (Farrington's adjustment); a Poisson-like series (φ ≤ 1) is tested as it is. On the demo's
        // year φ took township series' alarms from ~10 a week to ~N (docs/ARCHITECTURE.md, "Early warning").
        let phi = base.dispersion
        let p = phi == 1 ? PoissonTail.upperTail(count, mean: base.lambda) : PoissonTail.upperTail(Int((Double(count) / phi).rounded(.down)), mean: base.lambda / phi)

        // The CUSUM over the last weeks, each against its own baseline; weeks without one are skipped.
        var s = 0.0
        let logRatio = log(c.cusumRatio)
        for w in max(0, t - max(c.cusumWeeks, 1) + 1)...t {
            guard let b = w == t ? base : baseline(x, week: w, c) else { continue }
            s = max(0, s + (Double(x[w]) * logRatio - (c.cusumRatio - 1) * b.lambda) / b.dispersion)
            // A CUSUM that signalled in an earlier week starts again (the rise was told once, not every week after).
            if w < t, s >= c.cusumThreshold { s = 0 }
        }

        var triggers: [EarlyWarningTrigger] = []
        let ratio = Double(count) / max(base.lambda, 1e-9)
        if p < c.redP && count >= c.redMinimumCount && lastFour >= c.redMinimumLastFourWeeks && ratio >= c.redMinimumRatio { triggers.append(.poissonRed) }
        else if p < c.yellowP && count >= c.yellowMinimumCount && ratio >= c.yellowMinimumRatio { triggers.append(.poissonYellow) }
        // A slow rise still needs cases now: at least the yellow minimum in the last four weeks and one this week.
        if s >= c.cusumThreshold && count >= 1 && lastFour >= c.yellowMinimumCount { triggers.append(.cusum) }
        let level: EarlyWarningLevel? = triggers.contains(.poissonRed) ? .red : triggers.isEmpty ? nil : .yellow
        let evidence = EarlyWarningEvidence(count: count, lastFourWeeks: lastFour, baseline: base.lambda, method: base.method,
                                            baselineWeeks: base.weeks, baselineEvents: base.events, p: p, cusum: s, dispersion: phi,
                                            recent: Array(x[max(0, t - max(c.evidenceWeeks, 1) + 1)...t]))
        return EarlyWarningAssessment(area: series.area, category: series.category, level: level, triggers: triggers, evidence: evidence)
    }

    struct Baseline {
        var lambda: Double
        var method: EarlyWarningEvidence.Method
        var weeks: Int
        var events: Int
        /// Variance ÷ mean of the baseline weeks, at least 1 (and 1 when the mean is 0).
        var dispersion: Double = 1
    }

    /// The baseline of week `t`: seasonal when a whole window a year back exists, else the recent weeks before the
    /// guard band; nil with fewer than `minimumBaselineWeeks` weeks.
    static func baseline(_ x: [Int], week t: Int, _ c: EarlyWarningConfiguration) -> Baseline? {
        // Out-of-range settings (`validate` names them) are clamped here, so none can index outside the series.
        let half = min(max(c.seasonalHalfWindow, 0), 25)
        let minimum = max(c.minimumBaselineWeeks, 1)
        var values: [Int] = []
        var years = 0
        for y in 0..<min(max(c.seasonalYears, 0), 10) {
            let centre = t - 52 * (y + 1)
            guard centre - half >= 0 else { break }
            values += x[(centre - half)...(centre + half)]
            years += 1
        }
        var method = EarlyWarningEvidence.Method.seasonal(years: years)
        if values.count < minimum {
            let end = t - min(max(c.guardWeeks, 0), t)
            values = Array(x[max(0, end - max(c.recentWeeks, 1))..<end])
            method = .recent
        }
        guard values.count >= minimum else { return nil }
        let events = values.saturatingSum { $0 }
        let mean = Double(events) / Double(values.count)
        // Estimated only where there is something to estimate it from (a mean of a case a week or more) and used only
        // when clearly above Poisson's 1 (a Poisson series' estimate from 30–50 weeks wanders by ±0.2–0.3).
        var dispersion = 1.0
        if mean >= 1, values.count > 1 {
            let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count - 1)
            let phi = variance / mean
            if phi > 1.5 { dispersion = min(phi, 1_000) }
        }
        return Baseline(lambda: max(Double(events), max(c.baselineFloorEvents, 0)) / Double(values.count), method: method,
                        weeks: values.count, events: events, dispersion: dispersion)
    }
}
