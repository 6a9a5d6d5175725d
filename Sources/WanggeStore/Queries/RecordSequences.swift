import Fluent
import SQLKit

/// Numbers for every kind of record, from one table keyed by (kind, prefix) — `record_sequences` — taken in the
/// same transaction as the record, so numbers are gapless and unique under concurrent writers on both databases.
/// A prefix without a row starts at 1: every writer, bulk loads included, keeps its rows here, so no kind ever reads
/// another kind's table for a number (issue 18: mediation codes fell back to the highest *case* code, and the first
/// registration on the demo's day answered 500).
public enum RecordSequences {
    public static let table = "record_sequences"

    /// The next number of `prefix` for `kind`.
    public static func take(kind: String, prefix: String, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("""
            INSERT INTO record_sequences (kind, prefix, last_number) VALUES (\(bind: kind), \(bind: prefix), 1) \
            ON CONFLICT (kind, prefix) DO UPDATE SET last_number = record_sequences.last_number + 1 RETURNING last_number
            """).first()
        guard let row else { throw StoreError.corrupt("record_sequences gave no number for \(kind) \(prefix)") }
        return try row.decode(column: "last_number", as: Int.self)
    }

    /// Makes sure the counters of `kind` stand at least at the numbers of `codes` (`PREFIX-NNNNNN`), for records
    /// written in bulk.
    public static func cover(kind: String, codes: some Sequence<String>, on sql: any SQLDatabase) async throws {
        for (prefix, last) in highest(codes) {
            try await sql.raw("""
                INSERT INTO record_sequences (kind, prefix, last_number) VALUES (\(bind: kind), \(bind: prefix), \(bind: last)) \
                ON CONFLICT (kind, prefix) DO UPDATE SET last_number = CASE WHEN record_sequences.last_number < excluded.last_number \
                THEN excluded.last_number ELSE record_sequences.last_number END
                """).run()
        }
    }

    /// The highest number of each prefix among `codes`: "AL-20261123-000123" counts 123 for "AL-20261123".
    public static func highest(_ codes: some Sequence<String>) -> [String: Int] {
        var out: [String: Int] = [:]
        for code in codes {
            guard let dash = code.lastIndex(of: "-"), let n = Int(code[code.index(after: dash)...]) else { continue }
            let prefix = String(code[..<dash])
            out[prefix] = max(out[prefix] ?? 0, n)
        }
        return out
    }
}
