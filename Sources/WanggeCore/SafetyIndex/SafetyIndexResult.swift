import Foundation

/// A month's index for one area and how it was computed: the shown contributions (hundredths of a point) minus the
/// applied deductions are exactly the shown score, and the band is read from that shown score.
public struct SafetyIndexResult: Hashable, Sendable, Codable {
    public var area: String
    public var month: SafetyIndexMonth
    public var formulaVersion: Int
    /// The score in hundredths of a point, 0…10000.
    public var scoreHundredths: Int
    public var band: SafetyBand
    /// The sum of the contributions, before deductions, in hundredths.
    public var subtotalHundredths: Int
    public var indicators: [SafetyIndicatorExplanation]
    public var deductions: [SafetyDeductionExplanation]
    /// How small areas were handled, in words, for the explanation (`SmallAreaShrinkage`).
    public var smallAreaNote: String
    public var smallAreaNoteEN: String

    public var score: Double { Double(scoreHundredths) / 100 }
    public var subtotal: Double { Double(subtotalHundredths) / 100 }
}

/// One indicator's line of the explanation.
public struct SafetyIndicatorExplanation: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        case scored
        /// Neither the area nor its parent had anything to count (no rated case, no concluded mediation).
        case noData = "no_data"
        /// Neither the area nor its parent had a baseline (a new county): the weight went to the other indicators.
        case noBaseline = "no_baseline"
    }

    public var code: String
    public var name: String
    public var nameEN: String
    public var groupCode: String
    public var kind: SafetyIndicatorKind
    public var direction: SafetyIndicatorDirection
    public var baselineChoice: SafetyIndexBaselineChoice
    public var status: Status
    /// The area's own month: events over residents, or the share's parts.
    public var own: Measure
    /// Per 10,000 residents or a share (0…1): the own rate, the parent's, and the weight the own data kept in the
    /// shrunk value (exposure ÷ (exposure + prior); 1 with no parent).
    public var ownValue: Double?
    public var parentValue: Double?
    public var ownWeight: Double
    /// The value scored (shrunk) and the baseline it was compared with (shrunk the same way), in the same unit.
    public var value: Double?
    public var baseline: Double?
    /// Badness over the baseline's badness (floored): 1 is "as the baseline".
    public var ratio: Double?
    /// 0…100.
    public var normalised: Double?
    /// As configured, and as a share of the scored indicators' weights.
    public var weight: Double
    public var weightShare: Double
    public var contributionHundredths: Int

    public var contribution: Double { Double(contributionHundredths) / 100 }
}

public struct SafetyDeductionExplanation: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var nameEN: String
    public var events: Int
    /// Events × points, capped at the rule's maximum.
    public var pointsHundredths: Int
    /// What was taken off: the points, unless the deductions together would have taken the score below 0.
    public var appliedHundredths: Int

    public var applied: Double { Double(appliedHundredths) / 100 }
}
