import Fluent
import Foundation
import SQLKit

/// Rows kept only for a while, deleted by the clock job.
public enum RetentionQueries {
    /// The table of idempotency keys of every kind (`RecordKeys`).
    static let keyTables = ["record_keys"]

    /// Deletes the idempotency keys recorded before `before`; returns how many. The cases and mediations they
    /// point at stay; a retry that old is taken as a new request.
    @discardableResult
    public static func pruneIdempotencyKeys(before: Date, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        var total = 0
        for table in keyTables {
            let n = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
                .where("created_at", .lessThan, before).first()?.decode(column: "n", as: Int.self) ?? 0
            if n > 0 { try await sql.delete(from: table).where("created_at", .lessThan, before).run() }
            total += n
        }
        return total
    }
}
