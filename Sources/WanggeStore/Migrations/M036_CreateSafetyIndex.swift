import Fluent
import SQLKit

/// The safety index (issue 19) and the warnings it and early warning raise:
/// - `safety_index_formulas`: every saved formula document, by version (the first is written on first read).
/// - `safety_index_revisions`: each computation of a month (the job's, and each recomputation on demand), with the
///   formula version it used; `safety_index_scores`: its score, band and explanation (JSON) for every area. A
///   revision is never rewritten: a month's current index is its highest revision.
/// - `warnings`: what early warning and the index's ladder raise for an area (a spike, a warning notice, a special
///   supervision notice, a rectification, a county's extra steps), once per `key`; `warning_reviews`: a
///   rectification's reviews, one per level.
struct M036_CreateSafetyIndex: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("safety_index_formulas")
            .field("version", .int, .identifier(auto: false))
            .field("document", .string, .required)
            .field("saved_at", .datetime, .required)
            .field("saved_by", .string)
            .create()
        try await db.schema("safety_index_revisions")
            .field("month", .string, .required)
            .field("revision", .int, .required)
            .field("formula_version", .int, .required)
            .field("computed_at", .datetime, .required)
            .field("computed_by", .string)
            .field("areas", .int, .required)
            .unique(on: "month", "revision")
            .create()
        try await db.schema("safety_index_scores")
            .field("month", .string, .required)
            .field("revision", .int, .required)
            .field("area_code", .string, .required)
            .field("area_path", .string, .required)
            .field("score", .int, .required)
            .field("band", .string, .required)
            .field("explanation", .string, .required)
            .unique(on: "month", "revision", "area_code")
            .create()
        try await db.sqlIndex("safety_index_scores_area", on: "safety_index_scores", column: "area_code")
        try await db.schema("warnings")
            .id()
            .field("key", .string, .required)
            .field("kind", .string, .required)
            .field("level", .string, .required)
            .field("status", .string, .required)
            .field("area_code", .string, .required)
            .field("area_path", .string, .required)
            .field("category_code", .string)
            .field("period", .string, .required)
            .field("evidence", .string, .required)
            .field("raised_at", .datetime, .required)
            .field("due_on", .string)
            .field("acted_at", .datetime)
            .field("acted_by", .string)
            .field("note", .string)
            .field("version", .int, .required)
            .unique(on: "key")
            .create()
        for (name, column) in [("warnings_area_path", "area_path"), ("warnings_status", "status"), ("warnings_raised_at", "raised_at")] {
            try await db.sqlIndex(name, on: "warnings", column: column)
        }
        try await db.schema("warning_reviews")
            .id()
            .field("warning_id", .uuid, .required, .references("warnings", "id", onDelete: .cascade))
            .field("level", .string, .required)
            .field("on_day", .string, .required)
            .field("by", .string, .required)
            .field("note", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "warning_id", "level")
            .create()
    }

    func revert(on db: any Database) async throws {
        for t in ["warning_reviews", "warnings", "safety_index_scores", "safety_index_revisions", "safety_index_formulas"] {
            try await db.schema(t).delete()
        }
    }
}
