import Fluent
import SQLKit

/// One supervision table and one idempotency-key table for every kind of record (issue 18), keyed by the kind's
/// name (`Lifecycle.recordKind`): `record_supervisions` takes the rows of `supervisions` (cases) and
/// `mediation_supervisions`, `record_keys` those of `idempotency_keys` (cases) and `mediation_keys`; the four go.
/// The rows keep their ids. A record id names a row of its kind's own table, so there is no foreign key: records are
/// never deleted, and a kind's rows are found with its name.
struct M029_OneRecordPlumbing: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("record_supervisions")
            .id()
            .field("record_kind", .string, .required)
            .field("record_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("stage_key", .string, .required)
            .field("raised_at", .datetime, .required)
            .field("raised_by", .string)
            .field("area_path", .string, .required)
            .field("note", .string)
            .field("replied_at", .datetime)
            .field("reply", .string)
            .unique(on: "record_kind", "record_id", "kind", "stage_key")
            .create()
        try await db.sqlIndex("record_supervisions_raised_at", on: "record_supervisions", column: "raised_at")
        try await db.schema("record_keys")
            .field("record_kind", .string, .required)
            .field("key", .string, .required)
            .field("request_hash", .string, .required)
            .field("record_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "record_kind", "key")
            .create()
        try await db.sqlIndex("record_keys_created_at", on: "record_keys", column: "created_at")
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("""
            INSERT INTO record_supervisions (id, record_kind, record_id, kind, stage_key, raised_at, raised_by, area_path, note, replied_at, reply) \
            SELECT id, 'case', case_id, kind, stage_key, raised_at, raised_by, area_path, note, replied_at, reply FROM supervisions
            """).run()
        try await sql.raw("""
            INSERT INTO record_supervisions (id, record_kind, record_id, kind, stage_key, raised_at, raised_by, area_path, note) \
            SELECT id, 'mediation', mediation_id, kind, stage_key, raised_at, raised_by, area_path, note FROM mediation_supervisions
            """).run()
        try await sql.raw("""
            INSERT INTO record_keys (record_kind, key, request_hash, record_id, created_at) \
            SELECT 'case', key, request_hash, case_id, created_at FROM idempotency_keys
            """).run()
        try await sql.raw("""
            INSERT INTO record_keys (record_kind, key, request_hash, record_id, created_at) \
            SELECT 'mediation', key, request_hash, mediation_id, created_at FROM mediation_keys
            """).run()
        for table in ["supervisions", "mediation_supervisions", "idempotency_keys", "mediation_keys"] {
            try await db.schema(table).delete()
        }
    }

    func revert(on db: any Database) async throws {
        try await M012_CreateIdempotencyKeys().prepare(on: db)
        try await M013_CreateSupervisions().prepare(on: db)
        try await M022_CreateMediations.createSupervisionsAndKeys(on: db)
        if let sql = db as? any SQLDatabase {
            try await sql.raw("""
                INSERT INTO supervisions (id, case_id, kind, stage_key, raised_at, raised_by, area_path, note, replied_at, reply) \
                SELECT id, record_id, kind, stage_key, raised_at, raised_by, area_path, note, replied_at, reply FROM record_supervisions WHERE record_kind = 'case'
                """).run()
            try await sql.raw("""
                INSERT INTO mediation_supervisions (id, mediation_id, kind, stage_key, raised_at, raised_by, area_path, note) \
                SELECT id, record_id, kind, stage_key, raised_at, raised_by, area_path, note FROM record_supervisions WHERE record_kind = 'mediation'
                """).run()
            try await sql.raw("""
                INSERT INTO idempotency_keys (id, key, request_hash, case_id, created_at) \
                SELECT record_id, key, request_hash, record_id, created_at FROM record_keys WHERE record_kind = 'case'
                """).run()
            try await sql.raw("""
                INSERT INTO mediation_keys (key, request_hash, mediation_id, created_at) \
                SELECT key, request_hash, record_id, created_at FROM record_keys WHERE record_kind = 'mediation'
                """).run()
        }
        try await db.schema("record_keys").delete()
        try await db.schema("record_supervisions").delete()
    }
}
