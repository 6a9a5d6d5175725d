import Foundation

/// How a risk is scored: the likelihood × severity matrix (L × S, 风险矩阵) or LEC (作业条件危险性评价法, D = L × E × C),
/// which work-safety departments use. Each method has its own bands in the catalogue (`RiskCatalogue.bands(for:)`).
public enum RiskAssessmentMethod: String, CaseIterable, Codable, Sendable {
    case matrix, lec

    public var nameZH: String { self == .matrix ? "风险矩阵（L×S）" : "作业条件危险性（LEC）" }
    public var nameEN: String { self == .matrix ? "Likelihood × severity" : "LEC (likelihood × exposure × consequence)" }

    /// The field the catalogue keeps this method's bands in.
    public var bandsField: String { self == .matrix ? "matrix_bands" : "lec_bands" }

    /// The lowest and highest score the method can give.
    public var scoreRange: ClosedRange<Double> {
        switch self {
        case .matrix: 1...25
        case .lec: LECScale.score(LECScale.likelihoods[0], LECScale.exposures[0], LECScale.consequences[0])
            ... LECScale.score(LECScale.likelihoods.last!, LECScale.exposures.last!, LECScale.consequences.last!)
        }
    }

    /// Every score the method can give, in order: a band set is checked against these, so that "9–16, 20–25"
    /// leaves no gap (nothing scores 17–19 on a 5 × 5 matrix) while "9–15, 20–25" does (4 × 4 = 16).
    public var attainableScores: [Double] {
        switch self {
        case .matrix:
            Array(Set((1...5).flatMap { l in (1...5).map { Double(l * $0) } })).sorted()
        case .lec:
            Array(Set(LECScale.likelihoods.flatMap { l in LECScale.exposures.flatMap { e in LECScale.consequences.map { LECScale.score(l, e, $0) } } })).sorted()
        }
    }
}

/// The standard LEC values (Graham–Kinney, as Chinese work-safety practice tabulates them). Only these may be
/// entered, so that every score is one the bands were checked against.
public enum LECScale {
    /// L, 事故发生的可能性: 0.1 实际不可能 … 10 完全可以预料.
    public static let likelihoods: [Double] = [0.1, 0.2, 0.5, 1, 3, 6, 10]
    /// E, 暴露于危险环境的频繁程度: 0.5 非常罕见 … 10 连续暴露.
    public static let exposures: [Double] = [0.5, 1, 2, 3, 6, 10]
    /// C, 发生事故可能造成的后果: 1 引人注目 … 100 大灾难，许多人死亡.
    public static let consequences: [Double] = [1, 3, 7, 15, 40, 100]

    /// D = L × E × C, computed in hundredths so that the same three values always give the same `Double` (the one a
    /// configuration file's decimal names): 0.1 × 0.5 × 1 is exactly the 0.05 that "0.05" parses to.
    static func score(_ l: Double, _ e: Double, _ c: Double) -> Double {
        let hundredths = Int((l * 10).rounded()) * Int((e * 10).rounded()) * Int(c.rounded())
        return Double(hundredths) / 100
    }
}

/// One assessment of a risk: the numbers a reviewer gives, from which the catalogue's bands propose a level.
/// Recorded with the registration and with every review, so the level can always be traced to its evidence.
public enum RiskAssessment: Hashable, Sendable, Codable {
    /// Likelihood and severity, each 1 (rare, minor) to 5 (almost certain, catastrophic).
    case matrix(likelihood: Int, severity: Int)
    /// L, E and C, each one of the standard values (`LECScale`).
    case lec(likelihood: Double, exposure: Double, consequence: Double)

    public var method: RiskAssessmentMethod {
        switch self {
        case .matrix: .matrix
        case .lec: .lec
        }
    }

    /// L × S, or D = L × E × C.
    public var score: Double {
        switch self {
        case let .matrix(l, s): Double(l * s)
        case let .lec(l, e, c): LECScale.score(l, e, c)
        }
    }

    /// The first field out of bounds, named as the API names it (`assessment.likelihood`), and why; nil when every
    /// number is one the method allows.
    public var problem: (field: String, reason: String)? {
        switch self {
        case let .matrix(l, s):
            if !(1...5).contains(l) { return ("assessment.likelihood", "must be 1 to 5") }
            if !(1...5).contains(s) { return ("assessment.severity", "must be 1 to 5") }
        case let .lec(l, e, c):
            func text(_ values: [Double]) -> String { values.map(RiskBand.text).joined(separator: ", ") }
            if !LECScale.likelihoods.contains(l) { return ("assessment.likelihood", "must be one of \(text(LECScale.likelihoods))") }
            if !LECScale.exposures.contains(e) { return ("assessment.exposure", "must be one of \(text(LECScale.exposures))") }
            if !LECScale.consequences.contains(c) { return ("assessment.consequence", "must be one of \(text(LECScale.consequences))") }
        }
        return nil
    }
}

/// The scores that propose one level: a closed range, `from` ≤ score ≤ `to`. A method's bands take every score
/// the method can give exactly once, the more severe level (the smaller number) the higher scores.
public struct RiskBand: Hashable, Sendable, Codable {
    public var level: Int
    public var from: Double
    public var to: Double

    public init(level: Int, from: Double, to: Double) {
        self.level = level
        self.from = from
        self.to = to
    }

    public func contains(_ score: Double) -> Bool { from <= score && score <= to }

    /// How a score is quoted: "16", "0.05".
    public static func text(_ score: Double) -> String {
        score == score.rounded() && abs(score) < 1e15 ? String(Int(score)) : String(score)
    }
}

extension RiskCatalogue {
    public func bands(for method: RiskAssessmentMethod) -> [RiskBand] {
        method == .matrix ? matrixBands : lecBands
    }

    /// The level `assessment` proposes, by its method's bands; nil when its numbers are out of bounds (or, in an
    /// unvalidated catalogue, when no band takes its score).
    public func proposedLevel(for assessment: RiskAssessment) -> Int? {
        guard assessment.problem == nil else { return nil }
        let score = assessment.score
        return bands(for: assessment.method).first { $0.contains(score) }?.level
    }
}
