/// Why a holiday schedule or a working-hours setting was refused. Each case names the entry at fault so an
/// administrator can fix the upload.
public enum CalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data is not JSON of the expected shape (a missing key, a number where text was expected, …).
    case malformedSchedule(reason: String)
    /// A key under "years" that is not a four-digit year.
    case invalidYearKey(String)
    /// `entry` says where, e.g. `off[1] "春节" from` or `work[3]`.
    case invalidDate(year: Int, entry: String, text: String)
    case invertedRange(year: Int, holiday: String, from: CivilDate, to: CivilDate)
    case dateOutsideYear(year: Int, entry: String, date: CivilDate)
    case overlappingHolidays(year: Int, first: String, second: String)
    case makeUpDayIsHoliday(year: Int, date: CivilDate, holiday: String)
    case invalidWorkingHours(reason: String)

    public var description: String {
        switch self {
        case .malformedSchedule(let reason):
            "The holiday schedule is not in the expected format: \(reason)"
        case .invalidYearKey(let key):
            "\"\(key)\" under \"years\" is not a year (expected four digits such as \"2026\")."
        case .invalidDate(let year, let entry, let text):
            "Schedule \(year), \(entry): \"\(text)\" is not a valid date (expected YYYY-MM-DD)."
        case .invertedRange(let year, let holiday, let from, let to):
            "Schedule \(year), holiday \"\(holiday)\": it starts on \(from), after its end \(to)."
        case .dateOutsideYear(let year, let entry, let date):
            "Schedule \(year), \(entry): \(date) is not in \(year). Each year's schedule may only list days of that "
                + "year; days of a neighbouring year that fall on a weekend need not be listed."
        case .overlappingHolidays(let year, let first, let second):
            "Schedule \(year): holidays \"\(first)\" and \"\(second)\" overlap."
        case .makeUpDayIsHoliday(let year, let date, let holiday):
            "Schedule \(year): make-up workday \(date) is also a day off of holiday \"\(holiday)\"."
        case .invalidWorkingHours(let reason):
            "Invalid working hours: \(reason)"
        }
    }
}
