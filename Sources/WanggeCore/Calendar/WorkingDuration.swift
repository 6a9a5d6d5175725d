/// A time limit counted in working time, as categories set them: "2h" (two working hours) or "3d" (three working
/// days). A working day is one day's total working time (seven hours with the default hours), not "the same time
/// on the third workday".
///
/// Encoded as its text.
public enum WorkingDuration: Sendable, Hashable, Codable, CustomStringConvertible {
    case hours(Int)
    case days(Int)

    /// Limits are written with at most four digits, which keeps a typo from becoming a centuries-long deadline.
    public static let maximumCount = 9999

    /// Parses "2h" or "3d" (case-insensitive, spaces ignored); nil for anything else, a negative or
    /// a count over `maximumCount`.
    public init?(_ text: String) {
        let trimmed = text.filter { $0 != " " }.lowercased()
        guard let unit = trimmed.last else { return nil }
        let digits = trimmed.dropLast()
        guard (1...4).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let count = Int(digits)
        else { return nil }
        switch unit {
        case "h": self = .hours(count)
        case "d": self = .days(count)
        default: return nil
        }
    }

    public var text: String {
        switch self {
        case .hours(let count): "\(count)h"
        case .days(let count): "\(count)d"
        }
    }

    public var description: String { text }

    public func workingSeconds(given hours: WorkingHours) -> Int {
        switch self {
        case .hours(let count): count * 3600
        case .days(let count): count * hours.secondsPerDay
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let duration = WorkingDuration(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a working duration like \"2h\" or \"3d\"")
        }
        self = duration
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
