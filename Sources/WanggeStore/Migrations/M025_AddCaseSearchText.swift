import Fluent
import Foundation
import SQLKit
import WanggeCore

/// Cases' words and address folded for search (NFKC, lower case, invisible characters removed; issue 17), so that
/// "ＡＢＣ１２３" typed on a phone finds "abc123". Filled for the cases already stored.
struct M025_AddCaseSearchText: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("cases").field("search_text", .string).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            var after = ""
            while true {
                let rows = try await sql.select().columns("id", "code", "description", "address").from("cases")
                    .where("code", .greaterThan, after).orderBy("code").limit(2_000).all()
                guard !rows.isEmpty else { break }
                for r in rows {
                    let text = CaseQueries.searchText(description: try r.decode(column: "description", as: String.self),
                                                      address: try r.decode(column: "address", as: String?.self))
                    try await sql.update("cases").set("search_text", to: text).where("id", .equal, try r.decode(column: "id", as: UUID.self)).run()
                }
                after = try rows.last!.decode(column: "code", as: String.self)
            }
        }
        _ = sql
    }

    func revert(on db: any Database) async throws {
        try await db.schema("cases").deleteField("search_text").update()
    }
}
