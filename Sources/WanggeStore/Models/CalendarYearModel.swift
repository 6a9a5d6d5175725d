import Fluent
import Foundation

/// One year's official holiday schedule, as JSON ({"off": [...], "work": [...]}), so a new year can be added
/// by an administrator without a release.
final class CalendarYearModel: Model, @unchecked Sendable {
    static let schema = "calendar_years"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "schedule") var schedule: String
    @Field(key: "source") var source: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(year: Int, schedule: String, source: String) {
        self.year = year
        self.schedule = schedule
        self.source = source
    }
}
