import Foundation
import PropertyBased
import Testing

@testable import WanggeCore

/// An independent reading of the rules, from the JSON file through Foundation's calendar, for the properties to
/// check the calendar against.
enum CalendarOracle {
    private static let lists: (off: Set<String>, work: Set<String>) = {
        let file = try! JSONSerialization.jsonObject(with: CalendarFixture.holidayFileData) as! [String: Any]
        var off: Set<String> = []
        var work: Set<String> = []
        for case let year as [String: Any] in (file["years"] as! [String: Any]).values {
            work.formUnion(year["work"] as! [String])
            for case let range as [String: String] in year["off"] as! [Any] {
                var day = CalendarFixture.instant(range["from"]! + " 12:00")
                let last = CalendarFixture.instant(range["to"]! + " 12:00")
                while day <= last {
                    off.insert(key(day))
                    day = CalendarFixture.gregorian.date(byAdding: .day, value: 1, to: day)!
                }
            }
        }
        return (off, work)
    }()

    static func key(_ instant: Date) -> String {
        let parts = CalendarFixture.gregorian.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// Whether the Shanghai day containing `instant` is a workday.
    static func isWorkday(_ instant: Date) -> Bool {
        let day = key(instant)
        if lists.work.contains(day) { return true }
        if lists.off.contains(day) { return false }
        let weekday = CalendarFixture.gregorian.component(.weekday, from: instant)  // 1 is Sunday, 7 Saturday
        return weekday != 1 && weekday != 7
    }

    static func secondOfDay(_ instant: Date) -> Int {
        let parts = CalendarFixture.gregorian.dateComponents([.hour, .minute, .second], from: instant)
        return parts.hour! * 3600 + parts.minute! * 60 + parts.second!
    }

    /// Working minutes between two whole-minute instants, counted one minute at a time.
    static func workingMinutes(from start: Date, minutes: Int) -> Int {
        var count = 0
        var dayKey = ""
        var workday = false
        for minute in 0..<minutes {
            let instant = start.addingTimeInterval(TimeInterval(minute * 60))
            let second = secondOfDay(instant)
            if second == 0 || dayKey.isEmpty {
                dayKey = key(instant)
                workday = isWorkday(instant)
            }
            if workday && ((510 * 60..<720 * 60).contains(second) || (840 * 60..<1050 * 60).contains(second)) {
                count += 1
            }
        }
        return count
    }
}

enum CalendarGen {
    static let firstDay = CalendarFixture.instant("2025-01-01 00:00")

    /// Any instant of 2025–2027, with a fraction of a second.
    static let anyInstant = Gen.dateTime(inYear: 2025...2027)

    /// Whole-second instants at, or one second either side of, midnight and the period boundaries of the default
    /// hours, where the arithmetic is most likely to slip.
    static let boundaries = [0, 510 * 60, 720 * 60, 840 * 60, 1050 * 60, 86_400]
    static let boundaryInstant = zip(Gen.int(in: 0...1094), Gen.int(in: 0..<boundaries.count), Gen.int(in: -1...1))
        .map { (choice: (Int, Int, Int)) -> Date in
            let day = CalendarFixture.gregorian.date(byAdding: .day, value: choice.0, to: firstDay)!
            return day.addingTimeInterval(TimeInterval(boundaries[choice.1] + choice.2))
        }

    static let instant = Gen<Date>.oneOf(anyInstant, boundaryInstant)

    /// 0 to 200 working hours, in seconds; half of them whole half-hours so that periods are often used up exactly.
    static let duration = Gen<Int>.oneOf(Gen.int(in: 0...200 * 3600), Gen.int(in: 0...400).map { $0 * 1800 })
    static let shortDuration = Gen<Int>.oneOf(Gen.int(in: 0...100 * 3600), Gen.int(in: 0...200).map { $0 * 1800 })
}

@Suite struct WorkingCalendarPropertyTests {
    let calendar = CalendarFixture.calendar

    // MARK: adding

    @Test func workingTimeUpToTheResultIsExactlyTheAmountAdded() async {
        await propertyCheck(count: 200, input: CalendarGen.instant, CalendarGen.duration) { start, amount in
            let end = calendar.adding(workingSeconds: amount, to: start)
            #expect(calendar.workingSeconds(from: start, to: end) == amount)
        }
    }

    @Test func theResultIsTheEarliestSuchInstant() async {
        await propertyCheck(count: 200, input: CalendarGen.instant, CalendarGen.duration) { start, amount in
            guard amount > 0 else { return }
            let end = calendar.adding(workingSeconds: amount, to: start)
            // The last second before the result was working time, so no earlier instant would do.
            #expect(calendar.workingSeconds(from: start, to: end.addingTimeInterval(-1)) == amount - 1)
        }
    }

    @Test func addingMoreEndsStrictlyLater() async {
        await propertyCheck(count: 200, input: CalendarGen.instant, CalendarGen.duration, CalendarGen.duration) {
            start, first, second in
            guard first != second else { return }
            let (less, more) = (min(first, second), max(first, second))
            #expect(calendar.adding(workingSeconds: less, to: start) < calendar.adding(workingSeconds: more, to: start))
        }
    }

    /// Holds for every a, b ≥ 0, boundaries included: because `adding` returns the earliest instant, a first step
    /// that ends at 12:00 resumes at 14:00 exactly as the single longer step does; and 0 is the identity.
    @Test func addingInTwoStepsEqualsAddingTheSum() async {
        await propertyCheck(
            count: 200, input: CalendarGen.instant, CalendarGen.shortDuration, CalendarGen.shortDuration
        ) { start, first, second in
            let inTwoSteps = calendar.adding(
                workingSeconds: second, to: calendar.adding(workingSeconds: first, to: start))
            #expect(calendar.adding(workingSeconds: first + second, to: start) == inTwoSteps)
        }
    }

    /// A result ends a working second: after a period's start, at most its end (12:00 and 17:30 are possible,
    /// 14:00 and 08:30 are not), on a workday.
    @Test func theResultLiesInWorkingTimeOnAWorkday() async {
        await propertyCheck(count: 200, input: CalendarGen.instant, CalendarGen.duration) { start, amount in
            guard amount > 0 else { return }
            let end = calendar.adding(workingSeconds: amount, to: start)
            let second = CalendarOracle.secondOfDay(end)
            let inPeriod = (510 * 60 + 1...720 * 60).contains(second) || (840 * 60 + 1...1050 * 60).contains(second)
            #expect(inPeriod, "ends at \(second / 3600):\(second / 60 % 60):\(second % 60)")
            #expect(CalendarOracle.isWorkday(end), "ends on \(CalendarOracle.key(end))")
            #expect(end.timeIntervalSince1970 == end.timeIntervalSince1970.rounded(), "ends on a whole second")
        }
    }

    /// The converse of the first property is weaker: an end outside working time cannot be reached exactly, so
    /// adding the measured time reaches the last working second before it and no working time is left over.
    @Test func addingTheMeasuredTimeReachesTheEndsLastWorkingSecond() async {
        await propertyCheck(count: 200, input: CalendarGen.instant, CalendarGen.instant) { first, second in
            let (start, end) = (min(first, second), max(first, second))
            let reached = calendar.adding(workingSeconds: calendar.workingSeconds(from: start, to: end), to: start)
            #expect(reached <= end)
            #expect(calendar.workingSeconds(from: reached, to: end) == 0)
        }
    }

    // MARK: workingSeconds

    @Test func workingTimeAddsUpOverAdjacentIntervals() async {
        await propertyCheck(count: 200, input: CalendarGen.instant, CalendarGen.instant, CalendarGen.instant) {
            x, y, z in
            let sorted = [x, y, z].sorted()
            let (a, b, c) = (sorted[0], sorted[1], sorted[2])
            let sum = calendar.workingSeconds(from: a, to: b) + calendar.workingSeconds(from: b, to: c)
            #expect(sum == calendar.workingSeconds(from: a, to: c))
        }
    }

    /// Working time never exceeds elapsed time. Because the arithmetic counts whole seconds, between instants with
    /// fractions it may reach the next whole second (10:00:00.9 to 10:00:01.1 holds one second's tick).
    @Test func workingTimeIsAtMostElapsedTime() async {
        await propertyCheck(count: 200, input: CalendarGen.instant, CalendarGen.instant) { first, second in
            let working = calendar.workingSeconds(from: first, to: second)
            let elapsed = second.timeIntervalSince(first)
            #expect(working >= 0)
            #expect(Double(working) <= elapsed.rounded(.up) || (elapsed <= 0 && working == 0))
            if elapsed <= 0 { #expect(working == 0) }
            let (whole1, whole2) = (
                first.timeIntervalSince1970.rounded(.down), second.timeIntervalSince1970.rounded(.down)
            )
            let wholeWorking = calendar.workingSeconds(
                from: Date(timeIntervalSince1970: whole1), to: Date(timeIntervalSince1970: whole2))
            #expect(Double(wholeWorking) <= max(0, whole2 - whole1))
        }
    }

    /// Against a count taken minute by minute, for spans up to three days from a whole minute.
    @Test func workingTimeMatchesAMinuteByMinuteCount() async {
        let minuteStart = zip(Gen.int(in: 0...1094), Gen.int(in: 0..<1440)).map { (day: Int, minute: Int) -> Date in
            CalendarFixture.gregorian.date(byAdding: .day, value: day, to: CalendarGen.firstDay)!
                .addingTimeInterval(TimeInterval(minute * 60))
        }
        await propertyCheck(count: 60, input: minuteStart, Gen.int(in: 0...3 * 1440)) { start, minutes in
            let end = start.addingTimeInterval(TimeInterval(minutes * 60))
            let expected = CalendarOracle.workingMinutes(from: start, minutes: minutes) * 60
            #expect(calendar.workingSeconds(from: start, to: end) == expected)
        }
    }

    // MARK: suspensions

    static let suspension = zip(CalendarGen.instant, CalendarGen.instant).map { (x: Date, y: Date) in
        DateInterval(start: min(x, y), end: max(x, y))
    }

    @Test func suspensionsNeverAddTimeAndCoveringEverythingLeavesNone() async {
        await propertyCheck(
            count: 150, input: CalendarGen.instant, CalendarGen.instant, Self.suspension.array(of: 0...4)
        ) { x, y, suspended in
            let (start, end) = (min(x, y), max(x, y))
            let full = calendar.workingSeconds(from: start, to: end)
            let less = calendar.workingSeconds(from: start, to: end, excluding: suspended)
            #expect(0 <= less && less <= full)
            #expect(calendar.workingSeconds(from: start, to: end, excluding: suspended.reversed()) == less)
            #expect(calendar.workingSeconds(from: start, to: end, excluding: suspended + suspended) == less)
            let everything = DateInterval(start: start, end: end)
            #expect(calendar.workingSeconds(from: start, to: end, excluding: suspended + [everything]) == 0)
        }
    }

    /// Two suspensions take away exactly their working time by inclusion–exclusion: an overlap counts once.
    @Test func twoSuspensionsSubtractTheirUnion() async {
        await propertyCheck(
            count: 150, input: CalendarGen.instant, CalendarGen.instant, Self.suspension, Self.suspension
        ) { x, y, first, second in
            let (start, end) = (min(x, y), max(x, y))
            func inRange(_ interval: DateInterval?) -> Int {
                guard let interval else { return 0 }
                return calendar.workingSeconds(from: max(start, interval.start), to: min(end, interval.end))
            }
            let expected =
                calendar.workingSeconds(from: start, to: end) - inRange(first) - inRange(second)
                + inRange(first.intersection(with: second))
            #expect(calendar.workingSeconds(from: start, to: end, excluding: [first, second]) == expected)
        }
    }

    // MARK: days

    @Test func workdaysMatchTheOracle() async {
        await propertyCheck(count: 200, input: CalendarGen.instant) { instant in
            #expect(calendar.civilDate(of: instant).description == CalendarOracle.key(instant))
            #expect(calendar.isWorkday(calendar.civilDate(of: instant)) == CalendarOracle.isWorkday(instant))
        }
    }

    @Test func civilDatesAgreeWithFoundation() async {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        await propertyCheck(count: 200, input: Gen.date(inYear: 1901...2199), Gen.int(in: -1000...1000)) {
            day, shift in
            let parts = utc.dateComponents([.year, .month, .day, .weekday], from: day)
            let date = CivilDate(year: parts.year!, month: parts.month!, day: parts.day!)!
            #expect(CivilDate(date.description) == date)
            #expect(date.weekday.rawValue == (parts.weekday! + 5) % 7 + 1)  // Foundation: 1 is Sunday
            let later = utc.dateComponents(
                [.year, .month, .day], from: utc.date(byAdding: .day, value: shift, to: day)!)
            #expect(date.adding(days: shift) == CivilDate(year: later.year!, month: later.month!, day: later.day!))
            #expect((date < date.adding(days: shift)) == (shift > 0))
        }
    }

    // MARK: a zone with daylight saving

    /// Wangge runs on Shanghai time, but the arithmetic must stay consistent in a zone whose days are 23 or 25
    /// hours long. Working hours that cover the changes make the short and long nights count.
    @Test func arithmeticStaysConsistentAcrossDaylightSavingChanges() async throws {
        let zone = TimeZone(identifier: "America/New_York")!
        let hours = try WorkingHours(parsing: "00:00-03:00,22:00-24:00")
        let calendar = WorkingCalendar(schedules: HolidaySchedules(years: [:]), hours: hours, timeZone: zone)
        var changes: [Date] = []
        var cursor = CalendarGen.firstDay
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor),
            next < CalendarFixture.instant("2028-01-01 00:00")
        {
            changes.append(next)
            cursor = next
        }
        #expect(changes.count == 6)
        // 2025-03-09 (Sunday, short night) is no workday; 2025-11-03 is a Monday after the long night of Sunday.
        var newYork = Calendar(identifier: .gregorian)
        newYork.timeZone = zone
        let marchMonday = newYork.date(from: DateComponents(year: 2025, month: 3, day: 10))!
        #expect(calendar.workingSeconds(from: marchMonday, to: marchMonday.addingTimeInterval(86_400)) == 5 * 3600)
        let springFriday = newYork.date(from: DateComponents(year: 2026, month: 3, day: 6, hour: 22))!
        // Friday 22:00–24:00, then Monday 00:00 (the change was on Sunday), so 2 h lands at 24:00 Friday.
        #expect(calendar.adding(workingSeconds: 2 * 3600, to: springFriday) == springFriday.addingTimeInterval(7200))

        let found = changes
        let nearChange = zip(Gen.int(in: 0..<found.count), Gen.int(in: -4 * 86_400...4 * 86_400)).map {
            (index: Int, offset: Int) in found[index].addingTimeInterval(TimeInterval(offset))
        }
        await propertyCheck(count: 150, input: nearChange, nearChange, Gen.int(in: 0...20 * 3600)) { x, y, amount in
            let end = calendar.adding(workingSeconds: amount, to: x)
            #expect(calendar.workingSeconds(from: x, to: end) == amount)
            let (a, b) = (min(x, y), max(x, y))
            #expect(
                calendar.workingSeconds(from: a, to: b) + calendar.workingSeconds(from: b, to: end)
                    == calendar.workingSeconds(from: a, to: max(b, end)) || end < b)
            #expect(calendar.workingSeconds(from: a, to: b) <= Int(b.timeIntervalSince(a).rounded(.up)))
        }
    }
}
