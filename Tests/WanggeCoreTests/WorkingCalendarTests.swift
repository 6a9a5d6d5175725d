import Foundation
import PropertyBased
import Testing

@testable import WanggeCore

/// Shared by the example and property tests: the shipped holiday file, and instants written as Shanghai wall time
/// through Foundation's calendar rather than through the code under test.
enum CalendarFixture {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }()

    /// The resource file itself, found from this source file so that the test needs no bundle.
    static let holidayFileData: Data = {
        let url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/WanggeCore/Resources/cn-holidays.json")
        return try! Data(contentsOf: url)
    }()

    static let schedules = try! HolidaySchedules.decode(from: holidayFileData)
    static let calendar = WorkingCalendar(schedules: schedules)

    /// "2026-11-20 16:00" or "2026-11-20 16:00:30", Shanghai time.
    static func instant(_ text: String) -> Date {
        let numbers = text.split(whereSeparator: { "- :".contains($0) }).map { Int($0)! }
        let components = DateComponents(
            year: numbers[0], month: numbers[1], day: numbers[2], hour: numbers[3], minute: numbers[4],
            second: numbers.count > 5 ? numbers[5] : 0)
        return gregorian.date(from: components)!
    }

    static func date(_ text: String) -> CivilDate { CivilDate(text)! }
}

@Suite struct WorkingCalendarTests {
    let calendar = CalendarFixture.calendar
    let at = CalendarFixture.instant

    // MARK: Days

    @Test func makeUpWorkdaysCountAndHolidaysDoNot() {
        let date = CalendarFixture.date
        #expect(date("2026-09-20").weekday == .sunday)
        #expect(calendar.isWorkday(date("2026-09-20")))
        #expect(date("2026-02-14").weekday == .saturday)
        #expect(calendar.isWorkday(date("2026-02-14")))
        #expect(!calendar.isWorkday(date("2026-09-19")))  // an ordinary Saturday
        #expect(!calendar.isWorkday(date("2026-10-01")))  // 国庆节, a Thursday
        #expect(!calendar.isWorkday(date("2026-10-07")))  // its last day, a Wednesday
        #expect(calendar.isWorkday(date("2026-10-08")))
        #expect(calendar.isWorkday(date("2026-11-20")))
        #expect(!calendar.isWorkday(date("2025-01-29")))  // 春节 2025
    }

    @Test func yearWithoutScheduleCountsWeekendsOnly() {
        let date = CalendarFixture.date
        #expect(calendar.hasSchedule(forYear: 2026))
        #expect(!calendar.hasSchedule(forYear: 2027))
        #expect(calendar.isWorkday(date("2027-01-01")))  // 元旦 in reality, but no 2027 notice is loaded
        #expect(!calendar.isWorkday(date("2027-01-02")))
        #expect(!calendar.isWorkday(date("2027-01-03")))
        #expect(calendar.isWorkday(date("2027-01-04")))
        #expect(calendar.missingScheduleYears(from: at("2026-12-30 09:00"), to: at("2027-01-05 09:00")) == [2027])
        let fourYears = calendar.missingScheduleYears(from: at("2024-12-31 09:00"), to: at("2028-01-01 00:30"))
        #expect(fourYears == [2024, 2027, 2028])
        #expect(calendar.missingScheduleYears(from: at("2025-03-01 09:00"), to: at("2026-12-31 23:59")) == [])
        // The year is read in Shanghai: 2026-12-31 20:00 UTC is already 2027 there.
        #expect(calendar.missingScheduleYears(from: at("2027-01-01 04:00"), to: at("2027-01-01 05:00")) == [2027])
    }

    @Test func civilDateOfInstantIsReadInTheCalendarsZone() {
        #expect(calendar.civilDate(of: at("2026-10-01 00:00")) == CalendarFixture.date("2026-10-01"))
        #expect(calendar.civilDate(of: at("2026-09-30 23:59:59")) == CalendarFixture.date("2026-09-30"))
        let utc = WorkingCalendar(schedules: CalendarFixture.schedules, timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.civilDate(of: at("2026-10-01 07:59")) == CalendarFixture.date("2026-09-30"))
    }

    @Test func aDayStartsAtMidnightInTheCalendarsZone() {
        let day = CalendarFixture.date("2026-10-01")
        #expect(calendar.start(of: day) == at("2026-10-01 00:00"))
        #expect(calendar.civilDate(of: calendar.start(of: day)) == day)
        let utc = WorkingCalendar(schedules: CalendarFixture.schedules, timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.start(of: day) == at("2026-10-01 08:00"), "midnight UTC is 08:00 in Shanghai")
    }

    // MARK: Adding working time

    @Test func fridayAfternoonPlusTwoHoursEndsMondayMorning() {
        // setup: 2026-11-20 is a Friday; 16:00–17:30 gives 1.5 h, the last 0.5 h runs from Monday 08:30
        let start = at("2026-11-20 16:00")
        // MUT
        let deadline = calendar.adding(.hours(2), to: start)
        // validate
        #expect(deadline == at("2026-11-23 09:00"))
    }

    @Test func deadlineAcrossNationalDayLandsAfterTheHoliday() {
        let start = at("2026-09-30 16:00")
        // 1.5 h on Sep 30, Oct 1–7 off, then 3.5 h + 2 h on Thursday Oct 8.
        #expect(calendar.adding(.days(1), to: start) == at("2026-10-08 16:00"))
        // Three days: Sep 30 1.5 h, Oct 8 7 h, Oct 9 7 h, and the make-up Saturday Oct 10 carries the rest.
        #expect(calendar.adding(.days(3), to: start) == at("2026-10-10 16:00"))
    }

    @Test func daysAreSevenWorkingHoursEach() {
        let start = at("2026-03-10 10:15:42")
        #expect(calendar.adding(.days(3), to: start) == calendar.adding(workingSeconds: 3 * 7 * 3600, to: start))
        #expect(calendar.adding(.days(3), to: start) == at("2026-03-13 10:15:42"))
    }

    @Test func lunchBreakDoesNotCount() {
        #expect(calendar.workingSeconds(from: at("2026-11-19 11:00"), to: at("2026-11-19 15:00")) == 2 * 3600)
        #expect(calendar.workingSeconds(from: at("2026-11-19 12:00"), to: at("2026-11-19 14:00")) == 0)
        #expect(calendar.adding(.hours(1), to: at("2026-11-19 11:30")) == at("2026-11-19 14:30"))
        #expect(calendar.adding(.hours(1), to: at("2026-11-19 12:45")) == at("2026-11-19 15:00"))
    }

    @Test func workEndingExactlyAtAPeriodEndStopsThere() {
        #expect(calendar.adding(workingSeconds: 1800, to: at("2026-11-19 11:30")) == at("2026-11-19 12:00"))
        #expect(calendar.adding(workingSeconds: 7 * 3600, to: at("2026-11-19 08:30")) == at("2026-11-19 17:30"))
        #expect(calendar.adding(workingSeconds: 1, to: at("2026-11-19 12:00")) == at("2026-11-19 14:00:01"))
        #expect(calendar.adding(workingSeconds: 1, to: at("2026-11-20 17:30")) == at("2026-11-23 08:30:01"))
    }

    @Test func addingNothingLeavesTheInstantAlone() {
        let lunch = at("2026-11-19 12:30")
        #expect(calendar.adding(workingSeconds: 0, to: lunch) == lunch)
        #expect(calendar.adding(.hours(0), to: at("2026-10-03 03:00")) == at("2026-10-03 03:00"))
        let fractional = at("2026-11-19 09:00").addingTimeInterval(0.25)
        #expect(calendar.adding(workingSeconds: 0, to: fractional) == fractional)
        #expect(calendar.adding(workingSeconds: -5, to: fractional) == fractional)
    }

    @Test func subSecondPartsAreDropped() {
        let start = at("2026-11-19 09:00").addingTimeInterval(0.75)
        #expect(calendar.adding(workingSeconds: 60, to: start) == at("2026-11-19 09:01"))
        #expect(calendar.workingSeconds(from: start, to: at("2026-11-19 09:01").addingTimeInterval(0.5)) == 60)
    }

    @Test func otherWorkingHoursChangeTheArithmetic() throws {
        let hours = try WorkingHours(parsing: "09:00-17:00")
        let calendar = WorkingCalendar(schedules: CalendarFixture.schedules, hours: hours)
        #expect(calendar.adding(.days(1), to: at("2026-11-20 16:00")) == at("2026-11-23 16:00"))
        #expect(calendar.adding(.hours(2), to: at("2026-11-20 16:00")) == at("2026-11-23 10:00"))
    }

    // MARK: Measuring working time

    @Test func workingSecondsOverAFullYear() {
        // 2026 has 261 weekdays; 19 of them are holidays and 6 weekend days are made up: 248 workdays.
        let total = calendar.workingSeconds(from: at("2026-01-01 00:00"), to: at("2027-01-01 00:00"))
        #expect(total == 248 * 7 * 3600)
        #expect(calendar.workingSeconds(from: at("2027-01-01 00:00"), to: at("2026-01-01 00:00")) == 0)
    }

    @Test func suspendedTimeIsSubtractedOnce() {
        let start = at("2026-11-16 09:00")
        let end = at("2026-11-18 09:00")
        // Monday 6.5 h, Tuesday 7 h, Wednesday 0.5 h.
        #expect(calendar.workingSeconds(from: start, to: end) == 14 * 3600)
        // Suspended Monday 15:00 to Tuesday 10:00: 2.5 h + 1.5 h.
        let suspension = DateInterval(start: at("2026-11-16 15:00"), end: at("2026-11-17 10:00"))
        #expect(calendar.workingSeconds(from: start, to: end, excluding: [suspension]) == 10 * 3600)
        // Overlapping, repeated and out-of-range suspensions subtract each working second once.
        let earlier = DateInterval(start: at("2026-11-13 09:00"), end: at("2026-11-16 10:00"))  // 1 h in range
        let inside = DateInterval(start: at("2026-11-17 09:00"), end: at("2026-11-17 09:30"))  // already suspended
        let empty = DateInterval(start: at("2026-11-17 15:00"), duration: 0)
        #expect(
            calendar.workingSeconds(from: start, to: end, excluding: [inside, suspension, earlier, empty, suspension])
                == 9 * 3600)
    }

    // MARK: Schedules

    @Test func shippedFileDecodes() throws {
        let schedules = CalendarFixture.schedules
        #expect(schedules.years.keys.sorted() == [2025, 2026])
        #expect(schedules.timeZoneIdentifier == "Asia/Shanghai")
        let national = HolidayRange(
            name: "国庆节", from: CalendarFixture.date("2026-10-01"), to: CalendarFixture.date("2026-10-07"))
        #expect(schedules.years[2026]?.off.contains(national) == true)
        #expect(schedules.years[2026]?.work.count == 6)
        let reencoded = try HolidaySchedules.decode(from: JSONEncoder().encode(schedules))
        #expect(reencoded == schedules)
    }

    @Test func uploadedYearDecodes() throws {
        let json = #"{"off": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}], "work": ["2027-01-09"]}"#
        let year = try HolidaySchedules.decodeYear(from: Data(json.utf8), year: 2027)
        #expect(year.off.map(\.name) == ["元旦"])
        #expect(year.work == [CalendarFixture.date("2027-01-09")])
    }

    @Test(arguments: [
        (
            #"{"off": [{"name": "春节", "from": "2027-02-05", "to": "2027-02-30"}], "work": []}"#,
            CalendarError.invalidDate(year: 2027, entry: #"off[0] "春节" to"#, text: "2027-02-30"), "春节"
        ),
        (
            #"{"off": [], "work": ["2027-1-9"]}"#,
            CalendarError.invalidDate(year: 2027, entry: "work[0]", text: "2027-1-9"), "work[0]"
        ),
        (
            #"{"off": [{"name": "国庆节", "from": "2027-10-07", "to": "2027-10-01"}], "work": []}"#,
            CalendarError.invertedRange(
                year: 2027, holiday: "国庆节", from: CivilDate("2027-10-07")!, to: CivilDate("2027-10-01")!), "国庆节"
        ),
        (
            #"{"off": [{"name": "元旦", "from": "2026-12-31", "to": "2027-01-01"}], "work": []}"#,
            CalendarError.dateOutsideYear(year: 2027, entry: #"off[0] "元旦" from"#, date: CivilDate("2026-12-31")!),
            "2026-12-31"
        ),
        (
            #"{"off": [{"name": "劳动节", "from": "2027-05-01", "to": "2027-05-05"}], "work": ["2027-05-03"]}"#,
            CalendarError.makeUpDayIsHoliday(year: 2027, date: CivilDate("2027-05-03")!, holiday: "劳动节"), "劳动节"
        ),
        (
            #"{"off": [{"name": "A", "from": "2027-05-01", "to": "2027-05-05"}, {"name": "B", "from": "2027-05-05", "to": "2027-05-06"}], "work": []}"#,
            CalendarError.overlappingHolidays(year: 2027, first: "A", second: "B"), "overlap"
        ),
    ])
    func badUploadsNameTheEntry(json: String, expected: CalendarError, mention: String) {
        #expect(throws: expected) { try HolidaySchedules.decodeYear(from: Data(json.utf8), year: 2027) }
        #expect(expected.description.contains(mention))
    }

    @Test func malformedFilesAreRefusedWithAReason() {
        func error(_ json: String) -> CalendarError? {
            do {
                _ = try HolidaySchedules.decode(from: Data(json.utf8))
                return nil
            } catch { return error }
        }
        #expect(error(#"{"years": {"20x6": {"off": [], "work": []}}}"#) == .invalidYearKey("20x6"))
        guard case .malformedSchedule(let reason) = error(#"{"years": {"2026": {"off": []}}}"#) else {
            Issue.record("a missing \"work\" list must be refused")
            return
        }
        #expect(reason.contains("\"work\""))
        guard case .malformedSchedule = error("not json") else {
            Issue.record("text that is not JSON must be refused")
            return
        }
        #expect(
            error(
                #"{"years": {"2026": {"off": [{"name": "X", "from": "2026-13-01", "to": "2026-13-02"}], "work": []}}}"#)
                == .invalidDate(year: 2026, entry: #"off[0] "X" from"#, text: "2026-13-01"))
    }

    // MARK: Value types

    @Test func workingDurationText() {
        #expect(WorkingDuration("2h") == .hours(2))
        #expect(WorkingDuration(" 3D ") == .days(3))
        #expect(WorkingDuration("0h") == .hours(0))
        #expect(WorkingDuration("9999d") == .days(9999))
        for bad in ["", "h", "2", "-1h", "+1h", "1.5h", "2w", "10000h", "２h", "2hh"] {
            #expect(WorkingDuration(bad) == nil, "\(bad)")
        }
        #expect(WorkingDuration.days(3).text == "3d")
        #expect(WorkingDuration.hours(12).text == "12h")
        #expect(WorkingDuration.days(2).workingSeconds(given: .default) == 14 * 3600)
    }

    @Test func workingDurationCodesAsText() throws {
        let json = try JSONEncoder().encode([WorkingDuration.hours(4), .days(5)])
        #expect(String(decoding: json, as: UTF8.self) == #"["4h","5d"]"#)
        #expect(try JSONDecoder().decode([WorkingDuration].self, from: json) == [.hours(4), .days(5)])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([WorkingDuration].self, from: Data(#"["4x"]"#.utf8))
        }
    }

    @Test func workingHoursAreValidated() throws {
        #expect(WorkingHours.default.description == "08:30-12:00,14:00-17:30")
        #expect(WorkingHours.default.secondsPerDay == 7 * 3600)
        #expect(try WorkingHours(parsing: "8:30-12:00, 14:00-17:30") == .default)
        #expect(try WorkingHours(parsing: "00:00-24:00").secondsPerDay == 86_400)
        for bad in [
            "", "08:30-12:00,11:00-17:00", "14:00-17:30,08:30-12:00", "12:00-12:00", "17:00-09:00",
            "08:30-25:00", "8-12", "08:30-12:00,", "08:60-09:00",
        ] {
            #expect(throws: CalendarError.self, "\(bad)") { try WorkingHours(parsing: bad) }
        }
        let decoded = try JSONDecoder().decode([WorkingHours].self, from: Data(#"["09:00-17:00"]"#.utf8))
        #expect(decoded.first?.secondsPerDay == 8 * 3600)
    }

    @Test func civilDateParsingAndArithmetic() {
        #expect(CivilDate("2024-02-29") != nil)
        for bad in ["2026-02-29", "2026-2-01", "2026-00-10", "2026-01-32", "26-01-01", "2026/01/01", "2026-01-01 "] {
            #expect(CivilDate(bad) == nil, "\(bad)")
        }
        #expect(CivilDate(year: 5, month: 3, day: 7)?.description == "0005-03-07")
        #expect(CalendarFixture.date("2026-12-30").adding(days: 3) == CalendarFixture.date("2027-01-02"))
        #expect(CalendarFixture.date("2024-03-01").adding(days: -1) == CalendarFixture.date("2024-02-29"))
        #expect(CalendarFixture.date("2026-11-20").weekday == .friday)
        #expect(CalendarFixture.date("2026-10-09") < CalendarFixture.date("2026-10-10"))
        #expect(CalendarFixture.date("2025-12-31") < CalendarFixture.date("2026-01-01"))
    }
}
