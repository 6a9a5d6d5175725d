import Fluent
import Foundation
import SQLKit

/// Issue 17: user names are unique ignoring case and width (`username_key`, see `UsernameKey`), and an account can
/// be disabled (`disabled_at`). Existing rows get their key here; if two of them already share one, nothing is
/// changed and the migration stops naming them, since only a person can tell which of the two is the real account.
struct M023_AddAccountKeysAndDisabling: AsyncMigration {
    struct Row: Decodable { var id: UUID; var username: String }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the users table needs an SQL database") }
        let rows = try await sql.select().column("id").column("username").from("users").all(decoding: Row.self)
        let clashes = Dictionary(grouping: rows, by: { UsernameKey.of($0.username) }).values.filter { $0.count > 1 }
        if !clashes.isEmpty {
            let names = clashes.map { $0.map(\.username).sorted().joined(separator: " and ") }.sorted().joined(separator: "; ")
            throw StoreError.conflict("user names that differ only in case or width cannot both stay: \(names). "
                + "Rename or delete all but one of each (UPDATE users SET username = … WHERE username = …), then start again")
        }
        // One column per statement: SQLite alters a table one change at a time.
        try await db.schema("users").field("disabled_at", .datetime).update()
        try await db.schema("users").field("username_key", .string).update()
        for row in rows {
            try await sql.update("users").set("username_key", to: UsernameKey.of(row.username)).where("id", .equal, row.id).run()
        }
        try await sql.create(index: "users_username_key").unique().on("users").column("username_key").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "users_username_key").run()
        try await db.schema("users").deleteField("username_key").update()
        try await db.schema("users").deleteField("disabled_at").update()
    }
}
