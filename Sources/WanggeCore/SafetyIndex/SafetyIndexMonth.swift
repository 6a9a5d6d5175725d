import Foundation

/// A calendar month the index is computed for ("2026-11"), with no time zone: the store maps it onto the days of
/// Asia/Shanghai. Encoded as the string "YYYY-MM".
public struct SafetyIndexMonth: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// Nil unless the month is real and the year between 1 and 9999.
    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses exactly "YYYY-MM"; nil for anything else.
    public init?(_ text: String) {
        guard text.utf8.count == 7, let day = CivilDate(text + "-01") else { return nil }
        self.init(year: day.year, month: day.month)
    }

    /// Months since January of year 0; months before year 1 or after 9999 clamp to the ends.
    public var index: Int { year * 12 + month - 1 }

    public init(index: Int) {
        let i = min(max(index, 12), 9999 * 12 + 11)
        year = i / 12
        month = i % 12 + 1
    }

    public func adding(months: Int) -> SafetyIndexMonth {
        let (i, overflow) = index.addingReportingOverflow(months)
        return SafetyIndexMonth(index: overflow ? (months > 0 ? .max : .min) : i)
    }

    public var firstDay: CivilDate { CivilDate(year: year, month: month, day: 1)! }

    /// The first day after the month (the month's end, as a half-open bound).
    public var dayAfter: CivilDate {
        let later = firstDay.adding(days: 31)
        return later.adding(days: 1 - later.day)
    }

    public var description: String {
        (year < 1000 ? String(repeating: "0", count: 4 - String(year).count) : "") + "\(year)-" + (month < 10 ? "0" : "") + "\(month)"
    }

    public static func < (a: SafetyIndexMonth, b: SafetyIndexMonth) -> Bool { a.index < b.index }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let m = SafetyIndexMonth(try c.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a month as YYYY-MM")
        }
        self = m
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
