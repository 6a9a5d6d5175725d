import Fluent
import SQLKit

/// Two small registers an administrator keeps for the risk register and the safety index (issue 19):
/// - `heightened_periods`: a heightened period (敏感时期) with its start, end and covered areas (JSON list of codes),
///   in which risks are reviewed more often; called off, not deleted.
/// - `grave_events`: a grave event (重大事项: an event with a death, a major incident during a security period, a
///   mass incident) in an area on a day, by the formula's deduction code, with a short factual summary and no names;
///   withdrawn, not deleted. The month's index deducts for those not withdrawn.
struct M037_CreateHeightenedPeriodsAndGraveEvents: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("heightened_periods")
            .id()
            .field("name", .string, .required)
            .field("start_at", .datetime, .required)
            .field("end_at", .datetime, .required)
            .field("area_codes", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .field("withdrawn_by", .string)
            .field("note", .string)
            .create()
        try await db.sqlIndex("heightened_periods_end", on: "heightened_periods", column: "end_at")
        try await db.schema("grave_events")
            .id()
            .field("area_code", .string, .required)
            .field("area_path", .string, .required)
            .field("occurred_on", .string, .required)
            .field("month", .string, .required)
            .field("code", .string, .required)
            .field("summary", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .field("withdrawn_by", .string)
            .field("note", .string)
            .create()
        try await db.sqlIndex("grave_events_month", on: "grave_events", column: "month")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("grave_events").delete()
        try await db.schema("heightened_periods").delete()
    }
}
