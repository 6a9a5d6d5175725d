import Foundation

/// A grave event (重大事项) an administrator records for an area and a day, by the kind of deduction the formula
/// takes for it (`GraveEventDeduction.code`: an event with a death, a major incident during a security period, a
/// mass incident). It says what happened in a sentence and never who: no field holds a person. The month's index of
/// the area, and of every area holding it, deducts for the events of the month that are not withdrawn.
public struct GraveEvent: Hashable, Sendable {
    public var areaCode: String
    public var occurredOn: CivilDate
    public var code: String
    public var summary: String

    public static let summaryLength = 500

    public init(areaCode: String, occurredOn: CivilDate, code: String, summary: String) {
        self.areaCode = areaCode
        self.occurredOn = occurredOn
        self.code = code
        self.summary = summary
    }

    /// The month it counts in: "2026-11".
    public var month: String { String(format: "%04d-%02d", occurredOn.year, occurredOn.month) }

    /// Every bad field, named, for an event recorded on `today` under `formula`: the code must be one of its
    /// deductions, the day no later than today and at most ten years back, the summary plain text.
    public func problems(formula: SafetyIndexFormula, today: CivilDate) -> [RiskCatalogueProblem] {
        var out: [RiskCatalogueProblem] = []
        if !RiskLimits.isCode(areaCode) { out.append(.init("area", "is not an area code")) }
        if !formula.deductions.contains(where: { $0.code == code }) {
            out.append(.init("code", "must be one of the formula's deductions: \(formula.deductions.map(\.code).joined(separator: ", "))"))
        }
        if occurredOn > today { out.append(.init("occurred_on", "must not be after today (\(today))")) }
        if occurredOn < today.adding(days: -3660) { out.append(.init("occurred_on", "must be within ten years")) }
        let s = summary.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty || s.count > Self.summaryLength || !TextInput.isClean(s, multiline: true) {
            out.append(.init("summary", "must be 1 to \(Self.summaryLength) characters of plain text"))
        }
        return out
    }
}
