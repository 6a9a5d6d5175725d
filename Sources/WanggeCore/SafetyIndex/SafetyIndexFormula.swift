import Foundation

/// The safety index's formula (平安指数计算办法) as data (DESIGN §6): a county changes indicators, weights, deductions
/// and band thresholds without a release, and every published month names the `version` it was computed with.
/// `validate()` names every bad field; `SafetyIndex.compute` takes only a formula that passed it.
public struct SafetyIndexFormula: Hashable, Sendable, Codable {
    /// Each saved formula is a new version (1, 2, …); a published month keeps the one it used.
    public var version: Int
    public var groups: [SafetyIndicatorGroup]
    public var deductions: [GraveEventDeduction]
    public var bands: SafetyBandThresholds
    public var normalisation: SafetyIndexNormalisation
    public var smallAreas: SmallAreaShrinkage

    public init(version: Int, groups: [SafetyIndicatorGroup], deductions: [GraveEventDeduction], bands: SafetyBandThresholds = .standard,
                normalisation: SafetyIndexNormalisation = .standard, smallAreas: SmallAreaShrinkage = .standard) {
        self.version = version
        self.groups = groups
        self.deductions = deductions
        self.bands = bands
        self.normalisation = normalisation
        self.smallAreas = smallAreas
    }

    /// Every indicator, group by group, in the order the explanation shows them.
    public var indicators: [SafetyIndicator] { groups.flatMap(\.indicators) }

    public func indicator(_ code: String) -> SafetyIndicator? { indicators.first { $0.code == code } }
}

/// A group of indicators (public order, fire, …, governance results), shown together in the explanation.
public struct SafetyIndicatorGroup: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var nameEN: String
    public var indicators: [SafetyIndicator]

    /// "nameEn", so that the API's snake_case "name_en" reads back (a key "nameEN" would read as "nameEn").
    enum CodingKeys: String, CodingKey { case code, name, nameEN = "nameEn", indicators }

    public init(code: String, name: String, nameEN: String, indicators: [SafetyIndicator]) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.indicators = indicators
    }
}

/// One indicator: what is counted, which way is better, what it is compared with, and how much it weighs.
public struct SafetyIndicator: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var nameEN: String
    public var kind: SafetyIndicatorKind
    /// For `.incidence`: the case categories (minor codes, `categories.json`) whose cases count.
    public var categoryCodes: [String]
    public var direction: SafetyIndicatorDirection
    public var baseline: SafetyIndexBaselineChoice
    /// Relative weight; the index divides by the sum of the weights of the indicators that have data.
    public var weight: Double

    enum CodingKeys: String, CodingKey { case code, name, nameEN = "nameEn", kind, categoryCodes, direction, baseline, weight }

    public init(code: String, name: String, nameEN: String, kind: SafetyIndicatorKind, categoryCodes: [String] = [],
                direction: SafetyIndicatorDirection, baseline: SafetyIndexBaselineChoice, weight: Double) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.kind = kind
        self.categoryCodes = categoryCodes
        self.direction = direction
        self.baseline = baseline
        self.weight = weight
    }
}

/// What an indicator counts. Kept by its raw value, so that a formula naming a kind this release does not know still
/// decodes and `validate()` can name the field instead of the decoder failing on the whole file.
public struct SafetyIndicatorKind: RawRepresentable, Hashable, Sendable, Codable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    /// Cases in the indicator's categories, per 10,000 residents per month (counted as events, never as names).
    public static let incidence = Self(rawValue: "incidence")
    /// Red and orange risks open at the month's end, per 10,000 residents.
    public static let openHighRisks = Self(rawValue: "open_high_risks")
    /// 有效办结率, as `MeasureKind.effectiveCompletion`.
    public static let completion = Self(rawValue: "completion")
    /// 按期结案率, as `MeasureKind.onTimeClosure`.
    public static let onTimeClosure = Self(rawValue: "on_time_closure")
    /// 群众满意率, as `MeasureKind.satisfaction`.
    public static let satisfaction = Self(rawValue: "satisfaction")
    /// 调解成功率: mediations ending in agreement ÷ mediations concluded.
    public static let mediationSuccess = Self(rawValue: "mediation_success")

    public static let known: [Self] = [.incidence, .openHighRisks, .completion, .onTimeClosure, .satisfaction, .mediationSuccess]
    public var isKnown: Bool { Self.known.contains(self) }

    /// Counted per 10,000 residents (numerator events, denominator resident-months); otherwise a share in 0…1 with
    /// its own denominator (cases due, cases rated, mediations concluded).
    public var isPerResidents: Bool { self == .incidence || self == .openHighRisks }
}

public enum SafetyIndicatorDirection: String, Hashable, Sendable, Codable {
    case lowerIsBetter = "lower_is_better"
    case higherIsBetter = "higher_is_better"
}

/// What an indicator is compared with. The store sums the months the choice names (`months(before:)`) into one
/// numerator and denominator, so a baseline is a pooled rate, not an average of monthly rates.
public enum SafetyIndexBaselineChoice: String, Hashable, Sendable, Codable, CaseIterable {
    /// The area's own previous 12 months.
    case ownPrevious12Months = "own_previous_12_months"
    /// The area's own previous 36 months.
    case ownThreeYearAverage = "own_3_year_average"
    /// The whole county over the previous 12 months.
    case countyAverage = "county_average"

    /// The months summed for `month`'s baseline, oldest first; never `month` itself.
    public func months(before month: SafetyIndexMonth) -> [SafetyIndexMonth] {
        let n = self == .ownThreeYearAverage ? 36 : 12
        return (1...n).reversed().map { month.adding(months: -$0) }
    }

    /// Whether the months are the area's own (or the county's).
    public var isOwn: Bool { self != .countyAverage }
}

/// Points taken off for grave events (重大事项扣分), per event, up to a cap per kind.
public struct GraveEventDeduction: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var nameEN: String
    public var pointsPerEvent: Double
    /// At most this many points for this kind in one month.
    public var maximumPoints: Double

    enum CodingKeys: String, CodingKey { case code, name, nameEN = "nameEn", pointsPerEvent, maximumPoints }

    public init(code: String, name: String, nameEN: String, pointsPerEvent: Double, maximumPoints: Double) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.pointsPerEvent = pointsPerEvent
        self.maximumPoints = maximumPoints
    }
}

/// The colour bands of the index (平安/基本平安/…): green from `green` up, blue from `blue`, orange from `orange`,
/// red below `orange`. The band is read from the score as shown (hundredths), so that a page never shows 90.00 blue.
public struct SafetyBandThresholds: Hashable, Sendable, Codable {
    public var green: Double
    public var blue: Double
    public var orange: Double

    public init(green: Double, blue: Double, orange: Double) {
        self.green = green
        self.blue = blue
        self.orange = orange
    }

    /// ≥ 90 green, 80–90 blue, 70–80 orange, < 70 red (Zhucheng's bands, seed 004).
    public static let standard = SafetyBandThresholds(green: 90, blue: 80, orange: 70)

    public func band(for score: Double) -> SafetyBand {
        score >= green ? .green : score >= blue ? .blue : score >= orange ? .orange : .red
    }
}

public enum SafetyBand: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case green, blue, orange, red

    public var nameZH: String {
        switch self {
        case .green: "绿色"
        case .blue: "蓝色"
        case .orange: "橙色"
        case .red: "红色"
        }
    }

    public var nameEN: String { rawValue.capitalized }

    /// Green first: `<` reads "better than".
    public static func < (a: SafetyBand, b: SafetyBand) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How an indicator's value becomes a score of 0–100 against its baseline. The "badness" of a value is the value
/// itself (lower is better) or its shortfall from 100 % (higher is better: a satisfaction of 95 % against 97 % is
/// 5 % unsatisfied against 3 %); the ratio q = badness ÷ max(baseline badness, floor) scores
/// 100 at q = 0, `atBaseline` at q = 1 and 0 from q = `zeroAtRatio` on, linearly in between.
public struct SafetyIndexNormalisation: Hashable, Sendable, Codable {
    public var atBaseline: Double
    public var zeroAtRatio: Double
    /// The least baseline incidence per 10,000 residents a ratio is taken against, so that one case where the
    /// baseline had none is a finite step.
    public var perResidentsFloor: Double
    /// The least baseline shortfall of a rate (0…1) a ratio is taken against.
    public var rateFloor: Double

    public init(atBaseline: Double, zeroAtRatio: Double, perResidentsFloor: Double, rateFloor: Double) {
        self.atBaseline = atBaseline
        self.zeroAtRatio = zeroAtRatio
        self.perResidentsFloor = perResidentsFloor
        self.rateFloor = rateFloor
    }

    /// At its baseline an indicator scores 90 (the edge of green); five times as bad as the baseline scores 0, so
    /// half as bad again is 78.75 (orange) and twice as bad 67.5 (red). Chosen on the demo county's year with the
    /// formula page's preview: with 0 at three times as bad, an ordinary month's Poisson noise at township level
    /// (1.3–1.5 × the baseline is common) put 9–22 of 224 areas in red (70 in a March compared with a winter
    /// baseline); at five times, 0–3.
    public static let standard = SafetyIndexNormalisation(atBaseline: 90, zeroAtRatio: 5, perResidentsFloor: 0.5, rateFloor: 0.01)
}

/// Small areas (a village of 800 people) must not swing on one case. We shrink every rate toward the parent's
/// (township's for a village, county's for a township) the empirical-Bayes way: the posterior mean under a gamma
/// (counts) or beta (shares) prior centred on the parent's usual rate (its baseline; its month when it has none),
///
///     shrunk = (own events + parent rate × prior exposure) ÷ (own exposure + prior exposure)
///
/// where the prior is worth `priorEvents` events at the parent's rate (prior exposure = priorEvents ÷ parent rate
/// resident-months, the rate floored at `SafetyIndexNormalisation.perResidentsFloor`) for counts, and `priorCases`
/// cases for shares. Stated in events, because what makes one case a swing is how many cases the area would
/// expect, not how many people it has: with 4 prior events one more case moves a quiet village's rate by at most a
/// quarter. The weight the own data kept, exposure ÷ (exposure + prior exposure), is in the explanation.
///
/// Chosen over "a minimum count before an area can leave green" because shrinkage is continuous (no cliff between
/// the second and the third case), acts the same on the baseline as on the month, still lets a small village's real,
/// repeated trouble show, and is one sentence to explain; a minimum count hides a small area's deterioration until it
/// crosses the line and then shows all of it at once.
public struct SmallAreaShrinkage: Hashable, Sendable, Codable {
    public var priorEvents: Double
    public var priorCases: Int

    public init(priorEvents: Double, priorCases: Int) {
        self.priorEvents = priorEvents
        self.priorCases = priorCases
    }

    /// 1 event; 20 cases. A month's ratio to its baseline is then about (x + 1) ÷ (E + 1) for x events where E were
    /// expected: one case where 0.3 were expected reads 1.5 (a few points off the indicator), five read 4.6 (near
    /// 0). With 4 events the prior outweighed a village's own month until it was about fifteen times its usual
    /// (the demo's seeded run of 31 cases where 5 were usual scored 75, orange); with 1 the run is red and a quiet
    /// month of a quiet village still scores as its baseline. Chosen on the demo's year with the preview.
    public static let standard = SmallAreaShrinkage(priorEvents: 1, priorCases: 20)
}
