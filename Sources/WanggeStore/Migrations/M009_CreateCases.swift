import Fluent

/// The case row holds the current state and clocks (as indexed columns for the queues, and the whole domain
/// snapshot as JSON); the history lives in `case_actions`.
struct M009_CreateCases: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("cases")
            .id()
            .field("code", .string, .required)
            .field("tracking_code", .string, .required)
            .field("category_code", .string, .required)
            .field("description", .string, .required)
            .field("lat", .double)
            .field("lon", .double)
            .field("address", .string)
            .field("area_code", .string, .required)
            .field("area_path", .string, .required)
            .field("source", .string, .required)
            .field("reporter_name", .string)
            .field("reporter_phone", .string)
            .field("state", .string, .required)
            .field("department_code", .string)
            .field("operator_area_code", .string, .required)
            .field("suspended", .bool, .required)
            .field("next_deadline_at", .datetime)
            .field("closure_due_at", .datetime)
            .field("snapshot", .string, .required)
            .field("version", .int, .required)
            .field("reported_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "code")
            .unique(on: "tracking_code")
            .create()
        try await db.sqlIndex("cases_area_path", on: "cases", column: "area_path")
        try await db.sqlIndex("cases_state", on: "cases", column: "state")
        try await db.sqlIndex("cases_reported_at", on: "cases", column: "reported_at")
        try await db.sqlIndex("cases_department_code", on: "cases", column: "department_code")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("cases").delete()
    }
}
