import Fluent
import SQLKit

/// Each mediation's measure facts (`MediationFact`), rewritten from its snapshot with each of its writes, so the
/// mediation measures of a period are one GROUP BY (`MediationMeasureQueries`). `Setup.migrate` writes them for the
/// mediations already stored (marker in `store_markers`).
struct M031_CreateMediationFacts: AsyncMigration {
    static let values = ["received", "amount_involved", "people_involved", "concluded", "agreements", "failed", "withdrawn",
                         "first_tier", "decided", "confirmed", "amount_agreed", "amount_paid"]

    func prepare(on db: any Database) async throws {
        var schema = db.schema("mediation_facts")
            .field("mediation_id", .uuid, .required)
            .field("ordinal", .int, .required)
            .field("kind", .string, .required)
            .field("at", .datetime, .required)
            .field("by_day", .bool, .required)
            .field("area_path", .string, .required)
            .field("type_code", .string, .required)
            .field("tier", .string, .required)
            .field("mediators", .string, .required)
        for v in Self.values { schema = schema.field(.string(v), .int, .required) }
        try await schema.unique(on: "mediation_id", "ordinal").create()
        guard let sql = db as? any SQLDatabase else { return }
        // Covering: a period's count reads this index only, in order of `at`.
        var index = sql.create(index: "mediation_facts_count").on("mediation_facts")
            .column("at").column("by_day").column("area_path").column("mediators").column("type_code").column("tier")
        for v in Self.values { index = index.column(v) }
        try await index.run()
        try await sql.delete(from: "store_markers").where("name", .equal, "mediation_facts").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("mediation_facts").delete()
        if let sql = db as? any SQLDatabase { try await sql.delete(from: "store_markers").where("name", .equal, "mediation_facts").run() }
    }
}
