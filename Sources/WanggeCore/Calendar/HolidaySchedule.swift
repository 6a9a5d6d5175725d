import Foundation

/// One public holiday (放假) as the State Council notice gives it: every day from `from` to `to`, both included, is off.
public struct HolidayRange: Sendable, Codable, Equatable, Hashable {
    public var name: String
    public var from: CivilDate
    public var to: CivilDate

    public init(name: String, from: CivilDate, to: CivilDate) {
        self.name = name
        self.from = from
        self.to = to
    }

    public func contains(_ date: CivilDate) -> Bool { from <= date && date <= to }
}

/// One year's official arrangement: the holidays and the make-up working days (调休上班), usually weekends.
public struct YearSchedule: Sendable, Codable, Equatable {
    public var off: [HolidayRange]
    public var work: [CivilDate]

    public init(off: [HolidayRange], work: [CivilDate]) {
        self.off = off
        self.work = work
    }

    /// Throws the first problem found: a range that ends before it starts, a day outside `year`, two holidays that
    /// overlap, or a make-up workday that is also a day off.
    public func validate(year: Int) throws(CalendarError) {
        for (index, range) in off.enumerated() {
            guard range.from <= range.to else {
                throw .invertedRange(year: year, holiday: range.name, from: range.from, to: range.to)
            }
            for (bound, date) in [("from", range.from), ("to", range.to)] where date.year != year {
                throw .dateOutsideYear(year: year, entry: "off[\(index)] \"\(range.name)\" \(bound)", date: date)
            }
        }
        let sorted = off.sorted { $0.from < $1.from }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.from <= earlier.to {
            throw .overlappingHolidays(year: year, first: earlier.name, second: later.name)
        }
        for (index, date) in work.enumerated() {
            guard date.year == year else { throw .dateOutsideYear(year: year, entry: "work[\(index)]", date: date) }
            if let holiday = off.first(where: { $0.contains(date) }) {
                throw .makeUpDayIsHoliday(year: year, date: date, holiday: holiday.name)
            }
        }
    }
}

/// The holiday schedules of all known years, in the format of `cn-holidays.json`:
/// `{"source": …, "timezone": "Asia/Shanghai", "years": {"2026": {"off": [{"name", "from", "to"}], "work": [...]}}}`.
///
/// Decoding validates every year (see `YearSchedule.validate(year:)`) and throws `CalendarError`.
public struct HolidaySchedules: Sendable, Codable, Equatable {
    public var years: [Int: YearSchedule]
    /// Where the dates come from (the State Council notices), for display.
    public var source: String?
    /// The zone the dates are meant in; informational, the calendar is given its zone separately.
    public var timeZoneIdentifier: String?

    public init(years: [Int: YearSchedule], source: String? = nil, timeZoneIdentifier: String? = nil) {
        self.years = years
        self.source = source
        self.timeZoneIdentifier = timeZoneIdentifier
    }

    /// Decodes and validates a whole schedule file.
    public static func decode(from data: Data) throws(CalendarError) -> HolidaySchedules {
        do {
            return try JSONDecoder().decode(HolidaySchedules.self, from: data)
        } catch let error as CalendarError {
            throw error
        } catch {
            throw .malformedSchedule(reason: Self.explain(error))
        }
    }

    /// Decodes and validates one year's schedule as an administrator uploads it: `{"off": [...], "work": [...]}`.
    /// The year is given by the caller (the upload names it) because every date must lie inside it.
    public static func decodeYear(from data: Data, year: Int) throws(CalendarError) -> YearSchedule {
        let raw: RawYearSchedule
        do {
            raw = try JSONDecoder().decode(RawYearSchedule.self, from: data)
        } catch {
            throw .malformedSchedule(reason: Self.explain(error))
        }
        return try raw.parsed(year: year)
    }

    private enum CodingKeys: String, CodingKey {
        case source, timezone, years
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        timeZoneIdentifier = try container.decodeIfPresent(String.self, forKey: .timezone)
        let rawYears = try container.decode([String: RawYearSchedule].self, forKey: .years)
        var years: [Int: YearSchedule] = [:]
        // Sorted so that the same file always reports the same first error.
        for key in rawYears.keys.sorted() {
            guard key.utf8.count == 4, let year = Int(key), year >= 1 else { throw CalendarError.invalidYearKey(key) }
            years[year] = try rawYears[key]!.parsed(year: year)
        }
        self.years = years
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(source, forKey: .source)
        try container.encodeIfPresent(timeZoneIdentifier, forKey: .timezone)
        let keyed = Dictionary(uniqueKeysWithValues: years.map { (String($0.key), $0.value) })
        try container.encode(keyed, forKey: .years)
    }

    private static func explain(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.isEmpty
                ? "the top level"
                : codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\"\(key.stringValue)\" is missing at \(path(context.codingPath))."
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) should be \(type)."
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) should be \(type), not null."
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}

/// The schedule as written, with dates still text, so that a bad date can be reported with its entry.
private struct RawYearSchedule: Decodable {
    struct Range: Decodable {
        var name: String
        var from: String
        var to: String
    }

    var off: [Range]
    var work: [String]

    func parsed(year: Int) throws(CalendarError) -> YearSchedule {
        func date(_ text: String, _ entry: @autoclosure () -> String) throws(CalendarError) -> CivilDate {
            guard let date = CivilDate(text) else { throw .invalidDate(year: year, entry: entry(), text: text) }
            return date
        }
        var ranges: [HolidayRange] = []
        for (index, range) in off.enumerated() {
            // A holiday's name is shown on pages: one line of clean text, like every other name (`TextInput`).
            guard !range.name.isEmpty, range.name.count <= 50, TextInput.isClean(range.name) else {
                throw .malformedSchedule(reason: "off[\(index)].name is 1 to 50 characters on one line, without control or invisible characters.")
            }
            let from = try date(range.from, "off[\(index)] \"\(range.name)\" from")
            let to = try date(range.to, "off[\(index)] \"\(range.name)\" to")
            ranges.append(HolidayRange(name: range.name, from: from, to: to))
        }
        var workDays: [CivilDate] = []
        for (index, text) in work.enumerated() {
            workDays.append(try date(text, "work[\(index)]"))
        }
        let schedule = YearSchedule(off: ranges, work: workDays)
        try schedule.validate(year: year)
        return schedule
    }
}
