import Fluent
import SQLKit

/// The write counters of months (`outcome_month_versions`, M021) keyed by the kind of record whose facts were
/// written (`record_month_versions`: kind, month, township), so that every kind's counts of a month can be kept by a
/// server while its counters stand (the case loop's dashboard pieces, the mediation measures' pieces). The case
/// loop's counters are kept as kind "case".
struct M033_MonthVersionsByKind: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("record_month_versions")
            .field("kind", .string, .required)
            .field("month_start", .datetime, .required)
            .field("township_path", .string, .required)
            .field("version", .int, .required)
            .unique(on: "kind", "month_start", "township_path")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("""
                INSERT INTO record_month_versions (kind, month_start, township_path, version) \
                SELECT 'case', month_start, township_path, version FROM outcome_month_versions
                """).run()
        }
        try await db.schema("outcome_month_versions").delete()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("outcome_month_versions")
            .field("month_start", .datetime, .required)
            .field("township_path", .string, .required)
            .field("version", .int, .required)
            .unique(on: "month_start", "township_path")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("""
                INSERT INTO outcome_month_versions (month_start, township_path, version) \
                SELECT month_start, township_path, version FROM record_month_versions WHERE kind = 'case'
                """).run()
        }
        try await db.schema("record_month_versions").delete()
    }
}
