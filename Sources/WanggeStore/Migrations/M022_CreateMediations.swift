import Fluent
import SQLKit

/// Mediation cases (issue 12): the case row (its current snapshot and the columns lists filter on), its
/// append-only actions numbered per case, who is assigned (for "my cases" and each mediator's load), the pool of
/// mediators, supervisions once per case, kind and stage, and idempotency keys of registrations.
struct M022_CreateMediations: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("mediations")
            .id()
            .field("code", .string, .required)
            .field("case_id", .uuid)
            .field("type_code", .string, .required)
            .field("state", .string, .required)
            .field("tier", .string, .required)
            .field("area_code", .string, .required)
            .field("area_path", .string, .required)
            .field("committee_area_code", .string, .required)
            .field("committee_path", .string, .required)
            .field("source", .string, .required)
            .field("channel", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("people_count", .int, .required)
            .field("risk", .bool, .required)
            .field("next_deadline_at", .datetime)
            .field("clock_yellow_at", .datetime)
            .field("snapshot", .string, .required)
            .field("version", .int, .required)
            .field("registered_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            // When it ended (agreement, no agreement, withdrawn) and how: the success rate is a GROUP BY on these.
            .field("concluded_at", .datetime)
            .field("outcome", .string)
            .unique(on: "code")
            // One mediation per case: opening a case twice finds the first.
            .unique(on: "case_id")
            .create()
        try await db.schema("mediation_actions")
            .id()
            .field("mediation_id", .uuid, .required, .references("mediations", "id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("kind", .string, .required)
            .field("actor", .string)
            .field("at", .datetime, .required)
            .field("record", .string, .required)
            .unique(on: "mediation_id", "seq")
            .create()
        try await db.schema("mediation_assignments")
            .field("mediation_id", .uuid, .required, .references("mediations", "id", onDelete: .cascade))
            .field("mediator", .string, .required)
            .field("open", .bool, .required)
            .unique(on: "mediation_id", "mediator")
            .create()
        try await db.schema("mediators")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("phone", .string)
            .field("specialities", .string, .required)
            .field("area_codes", .string, .required)
            .create()
        try await Self.createSupervisionsAndKeys(on: db)
        for (name, column) in [("mediations_area_path", "area_path"), ("mediations_committee_path", "committee_path"),
                               ("mediations_registered_at", "registered_at"), ("mediations_next_deadline_at", "next_deadline_at"),
                               ("mediations_state", "state"), ("mediations_concluded_at", "concluded_at")] {
            try await db.sqlIndex(name, on: "mediations", column: column)
        }
        try await db.sqlIndex("mediation_assignments_mediator", on: "mediation_assignments", column: "mediator")
    }

    /// The mediation's own supervision and key tables (M029 moves them into the shared ones; its revert brings them back).
    static func createSupervisionsAndKeys(on db: any Database) async throws {
        try await db.schema("mediation_supervisions")
            .id()
            .field("mediation_id", .uuid, .required, .references("mediations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("stage_key", .string, .required)
            .field("raised_at", .datetime, .required)
            .field("raised_by", .string)
            .field("area_path", .string, .required)
            .field("note", .string)
            .unique(on: "mediation_id", "kind", "stage_key")
            .create()
        try await db.schema("mediation_keys")
            .field("key", .string, .identifier(auto: false))
            .field("request_hash", .string, .required)
            .field("mediation_id", .uuid, .required, .references("mediations", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        for table in ["mediation_keys", "mediation_supervisions", "mediators", "mediation_assignments", "mediation_actions", "mediations"] {
            try await db.schema(table).delete()
        }
    }
}
