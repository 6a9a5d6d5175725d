import Fluent
import Foundation
import SQLKit

/// Which case uses which photo (at intake or on an action): a photo is shown only to staff whose scope holds one
/// of its cases, or through that case's tracking code. Filled from the actions already stored.
struct M017_CreateCasePhotos: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("case_photos")
            .id()
            .field("case_id", .uuid, .required)
            .field("sha256", .string, .required)
            .unique(on: "case_id", "sha256")
            .create()
        try await db.sqlIndex("case_photos_sha", on: "case_photos", column: "sha256")
        guard let sql = db as? any SQLDatabase else { return }
        let rows = try await sql.select().column("case_id").column("attachments").from("case_actions")
            .where("attachments", .notEqual, "[]").all()
        var seen = Set<String>()
        for row in rows {
            let caseID = try row.decode(column: "case_id", as: UUID.self)
            let text = try row.decode(column: "attachments", as: String.self)
            let shas = (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
            for sha in shas where seen.insert("\(caseID)|\(sha)").inserted {
                try await sql.insert(into: "case_photos").columns("id", "case_id", "sha256").values(SQLBind(UUID()), SQLBind(caseID), SQLBind(sha)).run()
            }
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("case_photos").delete()
    }
}
