import Foundation

/// The working calendar (工作日历): which days are workdays and how much working time lies between two instants.
///
/// A day is a workday when the schedule lists it as a make-up workday (调休上班), is not one when it falls in a
/// listed holiday (放假), and otherwise when it is Monday to Friday. A year with no schedule therefore has weekends
/// only; `missingScheduleYears(from:to:)` says when a computation relied on that.
///
/// Instants are `Date`s; days and hours are read in `timeZone`. The arithmetic has whole-second resolution: an
/// instant counts as the whole second it falls in (the fraction is dropped), so every result is an exact number of
/// seconds and `workingSeconds` adds up exactly over adjacent intervals.
public struct WorkingCalendar: Sendable {
    public let schedules: HolidaySchedules
    public let hours: WorkingHours
    public let timeZone: TimeZone

    private let offDays: Set<Int>
    private let makeUpDays: Set<Int>

    public init(
        schedules: HolidaySchedules, hours: WorkingHours = .default,
        timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!
    ) {
        self.schedules = schedules
        self.hours = hours
        self.timeZone = timeZone
        var offDays: Set<Int> = []
        var makeUpDays: Set<Int> = []
        for schedule in schedules.years.values {
            for range in schedule.off where range.from <= range.to {
                offDays.formUnion(range.from.dayNumber...range.to.dayNumber)
            }
            makeUpDays.formUnion(schedule.work.map(\.dayNumber))
        }
        self.offDays = offDays
        self.makeUpDays = makeUpDays
    }

    // MARK: Days

    /// A make-up workday counts even when a holiday also lists it (validated schedules never do).
    public func isWorkday(_ date: CivilDate) -> Bool { isWorkday(dayNumber: date.dayNumber) }

    public func hasSchedule(forYear year: Int) -> Bool { schedules.years[year] != nil }

    /// The years the interval touches (in the calendar's zone) that have no schedule, in order: computations over
    /// them counted weekends only, so the caller should warn.
    public func missingScheduleYears(from start: Date, to end: Date) -> [Int] {
        let first = civilDate(of: min(start, end)).year
        let last = civilDate(of: max(start, end)).year
        return (first...last).filter { !hasSchedule(forYear: $0) }
    }

    public func civilDate(of instant: Date) -> CivilDate { CivilDate(dayNumber: localDay(of: second(of: instant))) }

    /// The local days that `interval` touches, each cut to the interval.
    public func days(in interval: DateInterval) -> [DateInterval] {
        var out: [DateInterval] = []
        var day = civilDate(of: interval.start)
        var from = interval.start
        while from < interval.end {
            let next = min(start(of: day.adding(days: 1)), interval.end)
            out.append(DateInterval(start: from, end: next))
            day = day.adding(days: 1)
            from = next
        }
        return out
    }

    /// The instant a day begins in `timeZone`.
    public func start(of day: CivilDate) -> Date {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = timeZone
        return gregorian.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
    }

    // MARK: Working time

    public func adding(_ duration: WorkingDuration, to instant: Date) -> Date {
        adding(workingSeconds: duration.workingSeconds(given: hours), to: instant)
    }

    /// The earliest instant by which `workingSeconds` of working time have passed since `instant`.
    ///
    /// Zero (or less) returns `instant` itself, even outside working time. Otherwise the result lies inside a
    /// working period of a workday or exactly at a period's end: two hours before noon end at 12:00, not at 14:00.
    public func adding(workingSeconds: Int, to instant: Date) -> Date {
        guard workingSeconds > 0 else { return instant }
        let start = second(of: instant)
        var remaining = workingSeconds
        // Start a day early: a period of the previous day can only reach past midnight in an odd zone, but it is cheap.
        var day = localDay(of: start) - 1
        while true {
            if isWorkday(dayNumber: day) {
                for period in periods(onDay: day) where period.upperBound > start {
                    let from = max(period.lowerBound, start)
                    let available = period.upperBound - from
                    if remaining <= available { return date(ofSecond: from + remaining) }
                    remaining -= available
                }
            }
            day += 1
        }
    }

    /// The working time between two instants, in seconds, less the working time inside `suspended` (挂账) intervals.
    /// Suspended intervals may overlap each other, reach outside the range or be empty; time is never subtracted
    /// twice. Zero when `end` is not after `start`.
    public func workingSeconds(from start: Date, to end: Date, excluding suspended: [DateInterval] = []) -> Int {
        let lower = second(of: start)
        let upper = second(of: end)
        guard upper > lower else { return 0 }
        var total = workingSeconds(lower..<upper)
        for interval in merged(suspended, within: lower..<upper) {
            total -= workingSeconds(interval)
        }
        return total
    }

    // MARK: Arithmetic on whole seconds since 1970

    private func isWorkday(dayNumber: Int) -> Bool {
        if makeUpDays.contains(dayNumber) { return true }
        if offDays.contains(dayNumber) { return false }
        return !Weekday(dayNumber: dayNumber).isWeekend
    }

    private func workingSeconds(_ range: Range<Int>) -> Int {
        var total = 0
        for day in (localDay(of: range.lowerBound) - 1)...(localDay(of: range.upperBound) + 1)
        where isWorkday(dayNumber: day) {
            for period in periods(onDay: day) {
                total += max(0, min(period.upperBound, range.upperBound) - max(period.lowerBound, range.lowerBound))
            }
        }
        return total
    }

    /// The suspended intervals cut to `range`, sorted and merged so that none overlap or touch.
    private func merged(_ intervals: [DateInterval], within range: Range<Int>) -> [Range<Int>] {
        let clipped = intervals.compactMap { interval -> Range<Int>? in
            let lower = max(second(of: interval.start), range.lowerBound)
            let upper = min(second(of: interval.end), range.upperBound)
            return lower < upper ? lower..<upper : nil
        }
        var result: [Range<Int>] = []
        for interval in clipped.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, interval.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, interval.upperBound)
            } else {
                result.append(interval)
            }
        }
        return result
    }

    /// The working periods of one day as instants; empty periods (possible only around a daylight-saving change)
    /// are left out.
    private func periods(onDay day: Int) -> [Range<Int>] {
        hours.periods.compactMap { period in
            let lower = instant(ofLocalSecond: day * 86_400 + period.startMinute * 60)
            let upper = instant(ofLocalSecond: day * 86_400 + period.endMinute * 60)
            return lower < upper ? lower..<upper : nil
        }
    }

    private func second(of date: Date) -> Int { Int(date.timeIntervalSince1970.rounded(.down)) }

    private func date(ofSecond second: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(second)) }

    private func localDay(of second: Int) -> Int {
        let local = second + offset(at: second)
        return local >= 0 ? local / 86_400 : (local + 1) / 86_400 - 1
    }

    /// The instant a wall-clock time (seconds since 1970 as if the zone were UTC) names; in a daylight-saving gap,
    /// a nearby instant.
    private func instant(ofLocalSecond local: Int) -> Int {
        let guess = local - offset(at: local)
        return local - offset(at: guess)
    }

    private func offset(at second: Int) -> Int { timeZone.secondsFromGMT(for: date(ofSecond: second)) }
}
