import Foundation

/// What the store counted for one area (its subtree) and one month. Indicators are keyed by their code.
public struct SafetyIndexObservations: Hashable, Sendable, Codable {
    public var residents: Int
    /// Per-residents indicators (incidence, open red and orange risks): events in the month.
    public var counts: [String: Int]
    /// Share indicators (completion, satisfaction, …): successes over their own denominator.
    public var rates: [String: Measure]
    /// Grave events in the month, by deduction code.
    public var graveEvents: [String: Int]

    public init(residents: Int, counts: [String: Int] = [:], rates: [String: Measure] = [:], graveEvents: [String: Int] = [:]) {
        self.residents = residents
        self.counts = counts
        self.rates = rates
        self.graveEvents = graveEvents
    }

    /// An indicator's month as a numerator and denominator: events over residents, or the share's own parts.
    public func measure(_ indicator: SafetyIndicator) -> Measure {
        indicator.kind.isPerResidents
            ? Measure(numerator: counts[indicator.code] ?? 0, denominator: residents)
            : rates[indicator.code] ?? Measure(numerator: 0, denominator: 0)
    }
}

/// One area's month to score, with what it is compared with.
public struct SafetyIndexInput: Hashable, Sendable {
    public var area: String
    public var month: SafetyIndexMonth
    public var observed: SafetyIndexObservations
    /// By indicator code, the months its `baseline` choice names summed into one measure (`SafetyIndex.baseline`):
    /// events over resident-months, or a share's parts.
    public var baselines: [String: Measure]
    /// The parent area (the township of a village, the county of a township) that small areas are shrunk toward;
    /// nil for the county itself.
    public var parent: SafetyIndexParent?

    public init(area: String, month: SafetyIndexMonth, observed: SafetyIndexObservations, baselines: [String: Measure],
                parent: SafetyIndexParent?) {
        self.area = area
        self.month = month
        self.observed = observed
        self.baselines = baselines
        self.parent = parent
    }
}

public struct SafetyIndexParent: Hashable, Sendable {
    public var area: String
    public var observed: SafetyIndexObservations
    public var baselines: [String: Measure]

    public init(area: String, observed: SafetyIndexObservations, baselines: [String: Measure]) {
        self.area = area
        self.observed = observed
        self.baselines = baselines
    }
}

/// Input the index refuses, by field, before anything is computed.
public enum SafetyIndexError: Error, Hashable, CustomStringConvertible {
    case invalidFormula([SafetyIndexFormulaProblem])
    case invalidInput(field: String, reason: String)
    /// No indicator has both a value and a baseline (a new county with no history): there is nothing to score.
    case nothingToScore(area: String)

    public var description: String {
        switch self {
        case .invalidFormula(let problems): "safety index formula: " + problems.map(\.description).joined(separator: "; ")
        case let .invalidInput(field, reason): "\(field): \(reason)"
        case .nothingToScore(let area): "\(area): no indicator has both a value and a baseline"
        }
    }
}

/// The bounds input is checked against, so that no count can make a sum trap.
public enum SafetyIndexInputLimits {
    /// More than any county (and, as resident-months, 36 months of one).
    public static let maximumResidents = 1_000_000_000
    public static let maximumCount = 1_000_000_000
}

extension SafetyIndexInput {
    /// The first field that cannot be used, or nil. A share's numerator may not pass its denominator; a count over
    /// resident-months may.
    func problem(_ formula: SafetyIndexFormula) -> SafetyIndexError? {
        typealias L = SafetyIndexInputLimits
        let shares = Set(formula.indicators.filter { !$0.kind.isPerResidents }.map(\.code))
        func measureProblem(_ field: String, _ m: Measure, max: Int, share: Bool) -> SafetyIndexError? {
            if m.numerator < 0 || m.denominator < 0 || m.numerator > max || m.denominator > max {
                return .invalidInput(field: field, reason: "numerator and denominator must be 0 to \(max)")
            }
            if share && m.numerator > m.denominator { return .invalidInput(field: field, reason: "a share's numerator cannot pass its denominator") }
            return nil
        }
        func check(_ prefix: String, _ o: SafetyIndexObservations, _ baselines: [String: Measure]) -> SafetyIndexError? {
            if !(0...L.maximumResidents).contains(o.residents) {
                return .invalidInput(field: "\(prefix)observed.residents", reason: "must be 0 to \(L.maximumResidents)")
            }
            for (what, values) in [("counts", o.counts), ("graveEvents", o.graveEvents)] {
                for (code, n) in values.sorted(by: { $0.key < $1.key }) where !(0...L.maximumCount).contains(n) {
                    return .invalidInput(field: "\(prefix)observed.\(what).\(code)", reason: "must be 0 to \(L.maximumCount)")
                }
            }
            for (code, m) in o.rates.sorted(by: { $0.key < $1.key }) {
                if let p = measureProblem("\(prefix)observed.rates.\(code)", m, max: L.maximumCount, share: true) { return p }
            }
            for (code, m) in baselines.sorted(by: { $0.key < $1.key }) {
                if let p = measureProblem("\(prefix)baselines.\(code)", m, max: L.maximumCount * 1_000, share: shares.contains(code)) { return p }
            }
            return nil
        }
        return check("", observed, baselines) ?? parent.flatMap { check("parent.", $0.observed, $0.baselines) }
    }
}
