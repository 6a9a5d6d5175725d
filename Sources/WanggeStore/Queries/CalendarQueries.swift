import Fluent
import Foundation
import WanggeCore

/// The holiday schedules, one row per year, so a new year's official schedule can be added without a release.
public enum CalendarQueries {
    /// Copies the bundled schedules for years the table does not have yet.
    public static func seedMissing(_ schedules: HolidaySchedules, source: String, on db: any Database) async throws {
        let have = Set(try await CalendarYearModel.query(on: db).all().map(\.year))
        for (year, schedule) in schedules.years where !have.contains(year) {
            try await CalendarYearModel(year: year, schedule: try encode(schedule), source: source).create(on: db)
        }
    }

    /// Adds or replaces one year's schedule.
    public static func put(year: Int, schedule: YearSchedule, source: String, on db: any Database) async throws {
        let text = try encode(schedule)
        if let existing = try await CalendarYearModel.query(on: db).filter(\.$year == year).first() {
            existing.schedule = text
            existing.source = source
            try await existing.save(on: db)
        } else {
            try await CalendarYearModel(year: year, schedule: text, source: source).create(on: db)
        }
    }

    public static func schedules(on db: any Database) async throws -> HolidaySchedules {
        var years: [Int: YearSchedule] = [:]
        for m in try await CalendarYearModel.query(on: db).all() {
            years[m.year] = try JSONDecoder().decode(YearSchedule.self, from: Data(m.schedule.utf8))
        }
        return HolidaySchedules(years: years)
    }

    private static func encode(_ s: YearSchedule) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try enc.encode(s), as: UTF8.self)
    }
}
