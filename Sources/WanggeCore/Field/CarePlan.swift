import Foundation

/// A care plan (关爱走访) for a household whose resident consented to care visits (an elderly person living alone,
/// someone with a disability): the consent (when and how it was given), the needs in the resident's own terms, and
/// how often a worker calls. It is the only place the registry holds anything about a person, and only with
/// consent: withdrawing it deletes the plan and its visits' notes. There are no categories of people here
/// (DESIGN §2): the needs are free text the resident agreed to, not a label.
public struct CarePlanDraft: Hashable, Sendable {
    public var consentOn: CivilDate
    /// How the consent was given ("本人口头同意，家属在场", "签字同意书").
    public var consentHow: String
    public var needs: String
    public var every: RiskReviewInterval

    public init(consentOn: CivilDate, consentHow: String, needs: String, every: RiskReviewInterval) {
        self.consentOn = consentOn
        self.consentHow = consentHow
        self.needs = needs
        self.every = every
    }
}

public enum CareRules {
    public static let textLength = 500
    /// Between a visit a day and one a quarter.
    public static let shortest = RiskReviewInterval.days(1)
    public static let longest = RiskReviewInterval.months(3)

    /// The draft checked for a plan recorded on `today`: consent given no later than today and at most a year back,
    /// how and the needs in plain text, a cadence from daily to quarterly.
    public static func checked(_ d: CarePlanDraft, today: CivilDate) throws(FieldRuleError) -> CarePlanDraft {
        var out = d
        guard d.consentOn <= today, d.consentOn >= today.adding(days: -366) else {
            throw .invalidField(field: "consent.given_on", reason: "must be within the last year and not after today")
        }
        func text(_ s: String, _ field: String) throws(FieldRuleError) -> String {
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty, t.count <= textLength, TextInput.isClean(t, multiline: true) else {
                throw .invalidField(field: field, reason: "must be 1 to \(textLength) characters of plain text")
            }
            return t
        }
        out.consentHow = try text(d.consentHow, "consent.how")
        out.needs = try text(d.needs, "needs")
        guard d.every.nominalSeconds >= shortest.nominalSeconds, d.every.nominalSeconds <= longest.nominalSeconds else {
            throw .invalidField(field: "every", reason: "is from \(shortest) to \(longest)")
        }
        return out
    }

    /// The day the next visit is due after one on `last` (or the consent): the cadence in whole days or months.
    public static func nextDue(after last: CivilDate, every: RiskReviewInterval) -> CivilDate {
        switch every {
        case .hours(let h): return last.adding(days: max(1, h / 24))
        case .days(let n): return last.adding(days: n)
        case .months(let n):
            var y = last.year, m = last.month + n
            while m > 12 { m -= 12; y += 1 }
            let days = [31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
            return CivilDate(year: y, month: m, day: min(last.day, days))!
        }
    }
}
