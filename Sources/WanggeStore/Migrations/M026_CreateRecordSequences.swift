import Fluent
import SQLKit

/// One table of numbers for every kind of record (issue 18), filled from `case_sequences` and from the codes the
/// cases and mediations already have; `case_sequences` goes.
struct M026_CreateRecordSequences: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE TABLE record_sequences (kind TEXT NOT NULL, prefix TEXT NOT NULL, last_number BIGINT NOT NULL, PRIMARY KEY (kind, prefix))").run()
        for (kind, table) in [("case", "cases"), ("mediation", "mediations")] {
            var after = ""
            while true {
                let rows = try await sql.select().column("code").from(table).where("code", .greaterThan, after).orderBy("code").limit(5_000).all()
                guard let last = rows.last else { break }
                try await RecordSequences.cover(kind: kind, codes: try rows.map { try $0.decode(column: "code", as: String.self) }, on: sql)
                after = try last.decode(column: "code", as: String.self)
            }
        }
        for r in try await sql.select().columns("prefix", "last_number").from("case_sequences").all() {
            try await sql.raw("""
                INSERT INTO record_sequences (kind, prefix, last_number) VALUES ('case', \(bind: try r.decode(column: "prefix", as: String.self)), \(bind: try r.decode(column: "last_number", as: Int.self))) \
                ON CONFLICT (kind, prefix) DO UPDATE SET last_number = CASE WHEN record_sequences.last_number < excluded.last_number \
                THEN excluded.last_number ELSE record_sequences.last_number END
                """).run()
        }
        try await db.schema("case_sequences").delete()
    }

    func revert(on db: any Database) async throws {
        try await M018_CreateCaseSequences().prepare(on: db)
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("INSERT INTO case_sequences (prefix, last_number) SELECT prefix, last_number FROM record_sequences WHERE kind = 'case'").run()
        try await sql.raw("DROP TABLE record_sequences").run()
    }
}
