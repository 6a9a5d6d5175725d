import Foundation

/// How often a risk of a level is reviewed (复核): "12h", "1d", "7d", "1mo".
///
/// Counted in calendar time, not working time: a hazard does not stop being dangerous on a weekend or a holiday,
/// so a red risk reviewed on Saturday morning is due again on Sunday morning. Days and months are added on the
/// wall calendar of the working calendar's zone (a daily review at 09:00 stays at 09:00; a month after 31 January is
/// the last day of February). Encoded as its text.
public enum RiskReviewInterval: Hashable, Sendable, Codable, CustomStringConvertible {
    case hours(Int)
    case days(Int)
    case months(Int)

    /// At most a year in any unit, so that a typo cannot leave a risk unreviewed for decades.
    public static let maximumHours = 366 * 24
    public static let maximumDays = 366
    public static let maximumMonths = 12

    /// Parses "12h", "7d" or "1mo" (case-insensitive, spaces ignored); nil for anything else, zero, or more than a year.
    public init?(_ text: String) {
        let t = text.filter { $0 != " " }.lowercased()
        let unit = t.hasSuffix("mo") ? "mo" : String(t.suffix(1))
        let digits = t.dropLast(unit.count)
        guard (1...4).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits), n >= 1 else { return nil }
        switch unit {
        case "h" where n <= Self.maximumHours: self = .hours(n)
        case "d" where n <= Self.maximumDays: self = .days(n)
        case "mo" where n <= Self.maximumMonths: self = .months(n)
        default: return nil
        }
    }

    public var text: String {
        switch self {
        case .hours(let n): "\(n)h"
        case .days(let n): "\(n)d"
        case .months(let n): "\(n)mo"
        }
    }

    public var description: String { text }

    /// The nominal length, to compare two intervals (a month counts 30 days).
    public var nominalSeconds: Int {
        switch self {
        case .hours(let n): n * 3600
        case .days(let n): n * 86_400
        case .months(let n): n * 30 * 86_400
        }
    }

    /// The instant one interval after `instant`, in `zone`'s wall calendar.
    public func after(_ instant: Date, in zone: TimeZone) -> Date {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = zone
        switch self {
        case .hours(let n): return instant.addingTimeInterval(Double(n) * 3600)
        case .days(let n): return gregorian.date(byAdding: .day, value: n, to: instant) ?? instant.addingTimeInterval(Double(n) * 86_400)
        case .months(let n): return gregorian.date(byAdding: .month, value: n, to: instant) ?? instant.addingTimeInterval(Double(n) * 30 * 86_400)
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let interval = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not an interval like 12h, 7d or 1mo (at most a year)"))
        }
        self = interval
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

/// A heightened period (敏感时期, 重要节点: a national holiday, a flood season, a big meeting) in which the risks of
/// the areas it covers are reviewed more often (`RiskLevel.heightenedEvery`: by default orange daily, red twice a
/// day). Set by an administrator; the clock job reschedules the reviews it touches.
public struct HeightenedPeriod: Hashable, Sendable, Codable {
    public var name: String
    public var start: Date
    public var end: Date
    /// The areas covered, each with its whole subtree: the county's code covers every risk.
    public var areaCodes: [String]

    public static let maximumLength: TimeInterval = 366 * 86_400
    public static let maximumAreas = 1000

    public init(name: String, start: Date, end: Date, areaCodes: [String]) {
        self.name = name
        self.start = start
        self.end = end
        self.areaCodes = areaCodes
    }

    enum CodingKeys: String, CodingKey {
        case name, start, end
        case areaCodes = "area_codes"
    }

    /// Whether the period covers a risk whose area has the stored path `areaPath` ("330599/330599001/"): one of its
    /// areas lies on the path.
    public func covers(areaPath: String) -> Bool {
        let chain = areaPath.split(separator: "/")
        return areaCodes.contains { code in chain.contains { $0 == code } }
    }

    /// Every bad field, named; empty when the period can be used.
    public var problems: [RiskCatalogueProblem] {
        var out: [RiskCatalogueProblem] = []
        let n = name.trimmingCharacters(in: .whitespaces)
        if n.isEmpty || n.count > RiskLimits.nameLength || !TextInput.isClean(n) {
            out.append(.init("name", "must be 1 to \(RiskLimits.nameLength) characters of plain text"))
        }
        if end <= start { out.append(.init("end", "must be after start")) }
        if end.timeIntervalSince(start) > Self.maximumLength { out.append(.init("end", "must be at most 366 days after start")) }
        if areaCodes.isEmpty { out.append(.init("area_codes", "must name at least one area")) }
        if areaCodes.count > Self.maximumAreas { out.append(.init("area_codes", "must name at most \(Self.maximumAreas) areas")) }
        for (i, c) in areaCodes.enumerated() where !RiskLimits.isCode(c) { out.append(.init("area_codes[\(i)]", "is not an area code")) }
        return out
    }
}

/// What the review rules read besides the risk itself: the county's catalogue and its heightened periods, as the
/// service loads them for each command. Commands that set a review's due date carry it, so that a record keeps
/// the date it decided and a replay needs neither.
public struct RiskPolicy: Hashable, Sendable {
    public var catalogue: RiskCatalogue
    public var heightenedPeriods: [HeightenedPeriod]

    public init(catalogue: RiskCatalogue = .standard, heightenedPeriods: [HeightenedPeriod] = []) {
        self.catalogue = catalogue
        self.heightenedPeriods = heightenedPeriods
    }

    /// When the review after one at `last` is due, for a risk of `level` in the area with path `areaPath`.
    ///
    /// The level's own interval after `last`, unless a heightened period covering the area asks for sooner: its
    /// interval counts from the later of `last` and the period's start, and only a review that falls due before
    /// the period ends is asked for by it. So a red risk reviewed at 08:00 on the Saturday of a heightened weekend
    /// is due at 20:00 that day, and one reviewed an hour before the period ends is back on its daily cadence.
    public func nextReview(after last: Date, level: Int, areaPath: String, calendar: WorkingCalendar) -> Date {
        // A validated catalogue has every level; a missing one is reviewed daily rather than never.
        let setting = catalogue.level(level)
        var due = (setting?.reviewEvery ?? .days(1)).after(last, in: calendar.timeZone)
        guard let tighter = setting?.heightenedEvery else { return due }
        for p in heightenedPeriods where p.covers(areaPath: areaPath) {
            let from = max(last, p.start)
            guard from < p.end else { continue }
            let candidate = tighter.after(from, in: calendar.timeZone)
            if candidate <= p.end { due = min(due, candidate) }
        }
        return due
    }

    /// The next review of `s` under this policy, from its last review (or its registration).
    public func nextReview(of s: RiskSnapshot, calendar: WorkingCalendar) -> Date {
        nextReview(after: s.reviewBase, level: s.level, areaPath: s.registration.areaPath, calendar: calendar)
    }

    /// The heightened periods in force at `instant` over the area with path `areaPath`.
    public func heightenedPeriods(at instant: Date, areaPath: String) -> [HeightenedPeriod] {
        heightenedPeriods.filter { $0.start <= instant && instant < $0.end && $0.covers(areaPath: areaPath) }
    }
}
