import Fluent
import Foundation
import SQLKit
import WanggeCore

/// The reads of the Open311 interface that take many cases at once (a page of requests, the updates since a time),
/// each one query rather than one per case.
public enum Open311Queries {
    /// The latest note of each case among actions of these kinds (the notes a resident sees on the tracking page).
    public static func latestNotes(caseIDs: [UUID], kinds: [CaseActionKind], on db: any Database) async throws -> [UUID: String] {
        guard let sql = db as? any SQLDatabase, !caseIDs.isEmpty else { return [:] }
        let rows = try await sql.select().column("case_id").column("seq").column("note").from(CaseActionModel.schema)
            .where("case_id", .in, caseIDs)
            .where("kind", .in, kinds.map(\.rawValue))
            .where("note", .isNot, SQLLiteral.null)
            .all()
        var best: [UUID: (seq: Int, note: String)] = [:]
        for row in rows {
            let id = try row.decode(column: "case_id", as: UUID.self), seq = try row.decode(column: "seq", as: Int.self)
            guard let note = try row.decode(column: "note", as: String?.self), !note.isEmpty else { continue }
            if (best[id]?.seq ?? -1) < seq { best[id] = (seq, note) }
        }
        return best.mapValues(\.note)
    }

    /// One photo of each case that has any (the first by its id, so the same every time).
    public static func firstPhotos(caseIDs: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard let sql = db as? any SQLDatabase, !caseIDs.isEmpty else { return [:] }
        let rows = try await sql.select().column("case_id").column("sha256").from("case_photos")
            .where("case_id", .in, caseIDs).all()
        var out: [UUID: String] = [:]
        for row in rows {
            let id = try row.decode(column: "case_id", as: UUID.self), sha = try row.decode(column: "sha256", as: String.self)
            if out[id].map({ sha < $0 }) ?? true { out[id] = sha }
        }
        return out
    }

    /// One action of a case, as an update lists it.
    public struct Update: Sendable {
        public var code: String
        public var seq: Int
        public var kind: CaseActionKind
        public var toState: CaseState
        public var at: Date
        public var note: String?
        public var attachments: [String]
    }

    /// The actions of these kinds on cases under `scopePath`, made in [from, to), oldest first; `limit` of them from
    /// `offset`.
    public static func updates(scopePath: String, from: Date, to: Date, kinds: [CaseActionKind], limit: Int, offset: Int,
                               on db: any Database) async throws -> [Update] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let rows = try await sql.select()
            .column(SQLColumn("code", table: "c")).column(SQLColumn("seq", table: "a")).column(SQLColumn("kind", table: "a"))
            .column(SQLColumn("to_state", table: "a")).column(SQLColumn("at", table: "a")).column(SQLColumn("note", table: "a"))
            .column(SQLColumn("attachments", table: "a"))
            .from(SQLAlias(SQLIdentifier(CaseActionModel.schema), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier(CaseModel.schema), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("case_id", table: "a"))
            .where(SQLColumn("at", table: "a"), .greaterThanOrEqual, SQLBind(from))
            .where(SQLColumn("at", table: "a"), .lessThan, SQLBind(to))
            .where(SQLColumn("kind", table: "a"), .in, SQLGroupExpression(kinds.map { SQLBind($0.rawValue) }))
            .where(LikePattern.startsWith(SQLColumn("area_path", table: "c"), scopePath))
            .orderBy(SQLColumn("at", table: "a")).orderBy(SQLColumn("code", table: "c")).orderBy(SQLColumn("seq", table: "a"))
            .limit(limit).offset(offset)
            .all()
        return try rows.compactMap { row in
            guard let kind = CaseActionKind(rawValue: try row.decode(column: "kind", as: String.self)),
                  let state = CaseState(rawValue: try row.decode(column: "to_state", as: String.self)) else { return nil }
            let attachments = (try? JSONDecoder().decode([String].self, from: Data((try row.decode(column: "attachments", as: String.self)).utf8))) ?? []
            return Update(code: try row.decode(column: "code", as: String.self), seq: try row.decode(column: "seq", as: Int.self), kind: kind,
                          toState: state, at: try row.decode(column: "at", as: Date.self), note: try row.decode(column: "note", as: String?.self),
                          attachments: attachments)
        }
    }

    /// Whether a photo is one any case uses (the interface's `media_url`s).
    public static func isCasePhoto(_ sha256: String, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        return try await sql.select().column("case_id").from("case_photos").where("sha256", .equal, sha256).limit(1).first() != nil
    }
}
