import Vapor
import WanggeCore
import WanggeStore

enum CalendarAPI {
    struct YearDTO: Content { var year: Int; var holidays: Int; var makeUpWorkdays: Int }
    struct CalendarDTO: Content { var years: [YearDTO]; var missingYears: [Int] }

    /// `GET /api/v1/calendar`: which years have an official schedule, and which of this and next year do not.
    static func show(_ req: Request) async throws -> CalendarDTO {
        _ = try req.requireStaff()
        let schedules = try await CalendarQueries.schedules(on: req.db)
        return CalendarDTO(
            years: schedules.years.keys.sorted().map { y in
                let s = schedules.years[y]!
                return YearDTO(year: y, holidays: s.off.count, makeUpWorkdays: s.work.count)
            },
            missingYears: missingYears(schedules, now: req.now))
    }

    /// `PUT /api/v1/calendar/{year}` (administrators): add or replace a year's schedule, in the format
    /// `{"off": [{"name", "from", "to"}], "work": ["YYYY-MM-DD"]}`.
    static func put(_ req: Request) async throws -> CalendarDTO {
        let staff = try req.requireStaff()
        guard staff.role == .admin else { throw APIError.forbidden("only an administrator may change the calendar") }
        guard let year = req.parameters.get("year", as: Int.self), (2000...2100).contains(year) else {
            throw APIError.badRequest("year must be a four-digit year", field: "year")
        }
        guard let body = req.body.data else { throw APIError.badRequest("the body must be the year's schedule as JSON", field: nil) }
        let schedule: YearSchedule
        do {
            schedule = try HolidaySchedules.decodeYear(from: Data(buffer: body), year: year)
        } catch {
            throw APIError.badRequest(error.description, field: "schedule")
        }
        try await CalendarQueries.put(year: year, schedule: schedule, source: "added by \(staff.username)", on: req.db)
        try await Setup.calendarChanged(req.application)
        return try await show(req)
    }

    static func missingYears(_ schedules: HolidaySchedules, now: Date) -> [Int] {
        let cal = WorkingCalendar(schedules: schedules)
        let year = cal.civilDate(of: now).year
        return [year, year + 1].filter { !cal.hasSchedule(forYear: $0) }
    }
}
