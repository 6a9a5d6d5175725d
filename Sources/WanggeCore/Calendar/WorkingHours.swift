/// One stretch of working time within a day, in minutes after midnight: 08:30–12:00 is 510..<720.
public struct WorkingPeriod: Sendable, Hashable {
    public let startMinute: Int
    public let endMinute: Int

    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    public init(_ startHour: Int, _ startMinute: Int, to endHour: Int, _ endMinute: Int) {
        self.init(startMinute: startHour * 60 + startMinute, endMinute: endHour * 60 + endMinute)
    }

    public var seconds: Int { (endMinute - startMinute) * 60 }
}

/// The working periods (工作时) of every workday, the same each day. Validated: at least one period, each
/// non-empty and within 00:00–24:00, in order and not overlapping (touching is allowed).
///
/// Written and encoded as text: "08:30-12:00,14:00-17:30".
public struct WorkingHours: Sendable, Hashable, Codable, CustomStringConvertible {
    public let periods: [WorkingPeriod]

    /// 08:30–12:00 and 14:00–17:30: seven hours a day.
    public static let `default` = try! WorkingHours([WorkingPeriod(8, 30, to: 12, 0), WorkingPeriod(14, 0, to: 17, 30)])

    public init(_ periods: [WorkingPeriod]) throws(CalendarError) {
        guard !periods.isEmpty else { throw .invalidWorkingHours(reason: "there must be at least one period.") }
        for period in periods {
            guard 0 <= period.startMinute, period.startMinute < period.endMinute, period.endMinute <= 24 * 60 else {
                throw .invalidWorkingHours(
                    reason: "\(Self.text(period)) must start before it ends, within 00:00-24:00.")
            }
        }
        for (earlier, later) in zip(periods, periods.dropFirst()) where later.startMinute < earlier.endMinute {
            throw .invalidWorkingHours(
                reason: "\(Self.text(later)) must start after \(Self.text(earlier)) has ended (list periods in order).")
        }
        self.periods = periods
    }

    /// Parses "08:30-12:00,14:00-17:30" (spaces ignored).
    public init(parsing text: String) throws(CalendarError) {
        var periods: [WorkingPeriod] = []
        for part in text.filter({ $0 != " " }).split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-")
            guard bounds.count == 2, let start = Self.minute(bounds[0]), let end = Self.minute(bounds[1]) else {
                throw .invalidWorkingHours(
                    reason: "\"\(part)\" is not a period like 08:30-12:00.")
            }
            periods.append(WorkingPeriod(startMinute: start, endMinute: end))
        }
        try self.init(periods)
    }

    /// Working seconds in one workday: the length of one working day in `WorkingDuration.days`.
    public var secondsPerDay: Int { periods.reduce(0) { $0 + $1.seconds } }

    public var description: String { periods.map(Self.text).joined(separator: ",") }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func text(_ period: WorkingPeriod) -> String {
        "\(clock(period.startMinute))-\(clock(period.endMinute))"
    }

    private static func clock(_ minute: Int) -> String {
        let hours = minute / 60
        let minutes = minute % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }

    /// "8:30" or "08:30" to minutes after midnight; "24:00" is allowed as the end of the day.
    private static func minute(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let hours = Int(parts[0]), let minutes = Int(parts[1]), minutes < 60
        else { return nil }
        return hours * 60 + minutes
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
