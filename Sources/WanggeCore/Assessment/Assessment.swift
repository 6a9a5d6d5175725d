import Foundation

/// The monthly assessment (考核, DESIGN §5; issue 20) of a grid, village, township, department or grid worker: outcome
/// measures only — on time, resolved, satisfied, not reworked, not coming back, inspections rectified, households
/// visited — weighted into a score of 0–100 and graded A ≥ 90, B ≥ 75, C ≥ 60, D below. Check-ins, photos,
/// mileage and time online are not measures here, so nothing can score them.
///
/// Each part's rate becomes points (rate × 100; for rework and recurrence, where lower is better, (1 − rate) × 100).
/// A part with fewer than `minimumDenominator` cases, visits or inspections behind it is not scored: one late case
/// out of one must not decide a grid's month. Its weight goes to the scored parts in proportion (the explanation
/// says so). The score is the weighted sum rounded to hundredths; contributions are rounded by largest remainder so
/// that they add up to it exactly.
public enum Assessment {
    public static func compute(subject: String, month: String, values: [AssessmentMeasure: Measure],
                               formula: AssessmentFormula) throws(AssessmentError) -> AssessmentResult {
        let problems = formula.problems
        guard problems.isEmpty else { throw .invalidFormula(problems) }
        for (kind, m) in values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard m.numerator >= 0, m.denominator >= 0, m.numerator <= m.denominator, m.denominator <= AssessmentLimits.maximumCount else {
                throw .invalidInput(field: "values.\(kind.rawValue)", reason: "a rate's numerator is 0 to its denominator, at most \(AssessmentLimits.maximumCount)")
            }
        }
        var parts: [AssessmentPartResult] = formula.parts.map { part in
            let value = values[part.measure] ?? Measure(numerator: 0, denominator: 0)
            let scored = value.denominator >= formula.minimumDenominator && value.denominator > 0
            let rate = Double(value.numerator) / Double(max(value.denominator, 1))
            let points = scored ? (part.measure.higherIsBetter ? rate : 1 - rate) * 100 : nil
            return AssessmentPartResult(code: part.code, name: part.name, nameEN: part.nameEN, measure: part.measure, value: value,
                                        points: points, weight: part.weight, weightShare: 0, contributionHundredths: 0)
        }
        guard let w = Apportion.weightedScore(points: parts.map(\.points), weights: parts.map(\.weight)) else {
            throw .nothingToScore(subject: subject)
        }
        for i in parts.indices {
            parts[i].weightShare = w.shares[i]
            parts[i].contributionHundredths = w.contributions[i]
        }
        let score = w.totalHundredths
        return AssessmentResult(subject: subject, month: month, formulaVersion: formula.version, scoreHundredths: score,
                                grade: formula.grades.grade(forHundredths: score), parts: parts)
    }
}

public enum AssessmentLimits {
    public static let maximumParts = 20
    public static let maximumWeight = 1_000.0
    /// A month's cases, visits or inspections of one subject: at most a billion.
    public static let maximumCount = 1_000_000_000
}

/// What a part of the assessment measures: an outcome rate counted from stored facts.
public enum AssessmentMeasure: String, Codable, CaseIterable, Sendable {
    /// Cases closed within their limit / cases due (DESIGN §5).
    case onTimeClosure = "on_time_closure"
    /// Cases closed (verified) / cases due.
    case effectiveCompletion = "effective_completion"
    /// (满意 + 基本满意) / rated cases.
    case satisfaction
    /// Cases that went through rework / cases resolved: lower is better.
    case rework
    /// Closed cases whose problem came back (a case of the same category at the same place within 30 days of the
    /// closure) / closed cases: lower is better.
    case recurrence
    /// Failed inspection items whose hazard case closed within its limit / failed items due.
    case inspectionsRectified = "inspections_rectified"
    /// Households visited in the period / households the target asks to visit.
    case visitCoverage = "visit_coverage"

    public var higherIsBetter: Bool { self != .rework && self != .recurrence }

    public var nameZH: String {
        switch self {
        case .onTimeClosure: "按期结案率"
        case .effectiveCompletion: "有效办结率"
        case .satisfaction: "群众满意率"
        case .rework: "返工率"
        case .recurrence: "问题复发率"
        case .inspectionsRectified: "隐患按期整改率"
        case .visitCoverage: "入户走访覆盖率"
        }
    }

    public var nameEN: String {
        switch self {
        case .onTimeClosure: "On-time closure"
        case .effectiveCompletion: "Effective completion"
        case .satisfaction: "Satisfaction"
        case .rework: "Rework"
        case .recurrence: "Problems coming back"
        case .inspectionsRectified: "Hazards rectified on time"
        case .visitCoverage: "Household visit coverage"
        }
    }
}

/// Who is assessed.
public enum AssessmentLevel: String, Codable, CaseIterable, Sendable {
    case grid, village, township, department, worker
}

public enum AssessmentGrade: String, Codable, CaseIterable, Sendable {
    case a = "A", b = "B", c = "C", d = "D"
}

/// The grades' lower bounds: A from `a`, B from `b`, C from `c`, D below.
public struct AssessmentGrades: Hashable, Sendable, Codable {
    public var a: Double
    public var b: Double
    public var c: Double

    public static let standard = AssessmentGrades(a: 90, b: 75, c: 60)

    public init(a: Double, b: Double, c: Double) {
        self.a = a
        self.b = b
        self.c = c
    }

    /// Read from the score as shown (hundredths), so a page never shows 90.00 graded B.
    public func grade(forHundredths score: Int) -> AssessmentGrade {
        func bound(_ x: Double) -> Int { Int((x * 100).rounded()) }
        if score >= bound(a) { return .a }
        if score >= bound(b) { return .b }
        if score >= bound(c) { return .c }
        return .d
    }
}

public struct AssessmentPart: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var nameEN: String
    public var measure: AssessmentMeasure
    public var weight: Double

    enum CodingKeys: String, CodingKey { case code, name, nameEN = "nameEn", measure, weight }

    public init(code: String, name: String, nameEN: String, measure: AssessmentMeasure, weight: Double) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.measure = measure
        self.weight = weight
    }
}

/// The assessment's formula: data with versions, like the safety index's.
public struct AssessmentFormula: Hashable, Sendable, Codable {
    public var version: Int
    public var parts: [AssessmentPart]
    public var grades: AssessmentGrades
    /// A part with fewer cases (visits, inspections) behind it is not scored that month.
    public var minimumDenominator: Int

    public init(version: Int, parts: [AssessmentPart], grades: AssessmentGrades = .standard, minimumDenominator: Int = 3) {
        self.version = version
        self.parts = parts
        self.grades = grades
        self.minimumDenominator = minimumDenominator
    }

    /// On time 30, completion 20, satisfaction 25, rework 10, recurrence 5, hazards rectified 5, visit coverage 5.
    public static let standard = AssessmentFormula(version: 1, parts: [
        (AssessmentMeasure.onTimeClosure, 30.0), (.effectiveCompletion, 20), (.satisfaction, 25), (.rework, 10), (.recurrence, 5),
        (.inspectionsRectified, 5), (.visitCoverage, 5),
    ].map { AssessmentPart(code: $0.0.rawValue, name: $0.0.nameZH, nameEN: $0.0.nameEN, measure: $0.0, weight: $0.1) })

    /// Every bad field, named; empty when the formula can be used.
    public var problems: [RiskCatalogueProblem] {
        var out: [RiskCatalogueProblem] = []
        if parts.isEmpty || parts.count > AssessmentLimits.maximumParts { out.append(.init("parts", "must be 1 to \(AssessmentLimits.maximumParts) parts")) }
        var codes = Set<String>()
        for (i, p) in parts.enumerated() {
            let f = "parts[\(i)]"
            if !RiskLimits.isCode(p.code) { out.append(.init("\(f).code", "must be 1 to 64 letters, digits, '_' or '-'")) }
            if !codes.insert(p.code).inserted { out.append(.init("\(f).code", "appears twice")) }
            for (name, field) in [(p.name, "name"), (p.nameEN, "name_en")] {
                let t = name.trimmingCharacters(in: .whitespaces)
                if t.isEmpty || t.count > RiskLimits.nameLength || !TextInput.isClean(t) {
                    out.append(.init("\(f).\(field)", "must be 1 to \(RiskLimits.nameLength) characters of plain text"))
                }
            }
            if !p.weight.isFinite || p.weight < 0 || p.weight > AssessmentLimits.maximumWeight {
                out.append(.init("\(f).weight", "must be a number from 0 to \(Int(AssessmentLimits.maximumWeight))"))
            }
        }
        if !parts.isEmpty, parts.allSatisfy({ $0.weight.isFinite && $0.weight == 0 }) { out.append(.init("parts", "must weigh something: every weight is 0")) }
        let g = grades
        if ![g.a, g.b, g.c].allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 100 }) || !(g.c < g.b && g.b < g.a) {
            out.append(.init("grades", "must be 0 < c < b < a ≤ 100"))
        }
        if !(1...1_000).contains(minimumDenominator) { out.append(.init("minimum_denominator", "must be 1 to 1000")) }
        return out
    }
}

public struct AssessmentPartResult: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var nameEN: String
    public var measure: AssessmentMeasure
    public var value: Measure
    /// 0–100, nil when the part had too little behind it to be scored this month.
    public var points: Double?
    public var weight: Double
    /// The part's share of the scored parts' weight.
    public var weightShare: Double
    public var contributionHundredths: Int
}

public struct AssessmentResult: Hashable, Sendable, Codable {
    public var subject: String
    public var month: String
    public var formulaVersion: Int
    public var scoreHundredths: Int
    public var grade: AssessmentGrade
    public var parts: [AssessmentPartResult]

    public var score: Double { Double(scoreHundredths) / 100 }
}

public enum AssessmentError: Error, Hashable, Sendable {
    case invalidFormula([RiskCatalogueProblem])
    case invalidInput(field: String, reason: String)
    /// No part had enough behind it this month.
    case nothingToScore(subject: String)
}
