import Fluent
import Foundation
import SQLKit

/// The tables that keep a formula as a versioned document (`version`, `document`, `saved_at`, `saved_by`): the safety
/// index's (M036) and the assessment's (M041). A saved version is never rewritten.
public enum FormulaTable: String, Sendable {
    case safetyIndex = "safety_index_formulas"
    case assessment = "assessment_formulas"
}

public enum FormulaQueries {
    /// The highest saved version and its document, if any was saved.
    public static func latest(_ table: FormulaTable, on db: any Database) async throws -> (version: Int, document: String)? {
        let sql = try SafetyIndexQueries.sqlDB(db)
        guard let r = try await sql.raw("SELECT version, document FROM \(ident: table.rawValue) ORDER BY version DESC LIMIT 1").first() else { return nil }
        return (try r.decode(column: "version", as: Int.self), try r.decode(column: "document", as: String.self))
    }

    /// Saves `document(version)` as the next version, in one transaction; two saves at once get two versions or a
    /// conflict (the primary key), never one overwriting the other.
    public static func save(_ table: FormulaTable, by: String?, at: Date, on db: any Database,
                            _ document: @escaping @Sendable (Int) throws -> String) async throws -> Int {
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            let last = try await sql.raw("SELECT MAX(version) AS v FROM \(ident: table.rawValue)").first()?.decode(column: "v", as: Int?.self) ?? 0
            let version = last + 1
            try await sql.insert(into: table.rawValue).columns("version", "document", "saved_at", "saved_by")
                .values(SQLBind(version), SQLBind(try document(version)), SQLBind(at), by.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null).run()
            return version
        }
    }
}
