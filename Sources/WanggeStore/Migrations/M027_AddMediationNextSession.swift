import Fluent
import Foundation
import SQLKit
import WanggeCore

/// The earliest unrecorded session of each open mediation, so the workbench's "today's sessions" is a query, not a
/// filter over the first 200 open mediations in memory (issue 18). Filled from the stored snapshots.
struct M027_AddMediationNextSession: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("mediations").field("next_session_at", .datetime).update()
        try await db.sqlIndex("mediations_next_session", on: "mediations", column: "next_session_at")
        guard let sql = db as? any SQLDatabase else { return }
        let rows = try await sql.select().columns("id", "snapshot").from("mediations")
            .where("state", .in, [MediationState.registered, .accepted, .mediating].map(\.rawValue)).all()
        for r in rows {
            let s = try CaseQueries.decoder.decode(MediationSnapshot.self, from: Data(try r.decode(column: "snapshot", as: String.self).utf8))
            guard let next = MediationQueries.nextSession(s) else { continue }
            try await sql.update("mediations").set("next_session_at", to: next).where("id", .equal, try r.decode(column: "id", as: UUID.self)).run()
        }
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.raw("DROP INDEX mediations_next_session").run() }
        try await db.schema("mediations").deleteField("next_session_at").update()
    }
}
