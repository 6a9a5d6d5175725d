import Fluent

/// Every view of personal data (DESIGN §9): who saw which fields of which record, when and from where.
struct M019_CreateAuditEvents: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("audit_events")
            .id()
            .field("at", .datetime, .required)
            .field("user_id", .uuid, .required)
            .field("username", .string, .required)
            .field("role", .string, .required)
            .field("client", .string, .required)
            .field("record_kind", .string, .required)
            .field("record_id", .string, .required)
            .field("fields", .string, .required)
            .field("route", .string, .required)
            .create()
        try await db.sqlIndex("audit_events_at", on: "audit_events", column: "at")
        try await db.sqlIndex("audit_events_username", on: "audit_events", column: "username")
        try await db.sqlIndex("audit_events_record", on: "audit_events", column: "record_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("audit_events").delete()
    }
}
