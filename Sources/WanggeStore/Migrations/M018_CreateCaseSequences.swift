import Fluent

/// The last number given out per case-code prefix and day ("AL-20261203"). Numbers came from the day's highest
/// code, compared as text: past 999,999 a day "1000000" sorts below "999999" and every new number collided.
struct M018_CreateCaseSequences: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("case_sequences")
            .field("prefix", .string, .identifier(auto: false))
            .field("last_number", .int64, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("case_sequences").delete()
    }
}
