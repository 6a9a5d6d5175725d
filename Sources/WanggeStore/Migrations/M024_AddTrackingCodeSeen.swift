import Fluent

/// When a member of staff first saw a case's tracking code (an operator reading it to a caller on the phone): a
/// rating made after that instant is marked as made with a code staff have seen (issue 17).
struct M024_AddTrackingCodeSeen: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("cases").field("tracking_code_seen_at", .datetime).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("cases").deleteField("tracking_code_seen_at").update()
    }
}
