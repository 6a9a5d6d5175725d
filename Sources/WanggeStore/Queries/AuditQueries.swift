import Fluent
import Foundation
import SQLKit
import WanggeCore

/// One line of the audit log.
public struct AuditEvent: Sendable, Equatable {
    public var at: Date
    public var userID: UUID
    public var username: String
    public var role: String
    /// The client's address.
    public var client: String
    public var view: PersonalDataView
    /// The route it was seen through ("GET /api/v1/cases/:id").
    public var route: String

    public init(at: Date, userID: UUID, username: String, role: String, client: String, view: PersonalDataView, route: String) {
        self.at = at
        self.userID = userID
        self.username = username
        self.role = role
        self.client = client
        self.view = view
        self.route = route
    }
}

/// The audit log of views of personal data: written once per view, searched by administrators, kept for the
/// configured number of days.
public enum AuditQueries {
    public struct Filter: Sendable {
        public var username: String?
        public var recordID: String?
        public var from: Date?
        public var to: Date?
        public init(username: String? = nil, recordID: String? = nil, from: Date? = nil, to: Date? = nil) {
            self.username = username
            self.recordID = recordID
            self.from = from
            self.to = to
        }
    }

    struct Row: Codable {
        var id: UUID, at: Date, user_id: UUID, username: String, role: String, client: String
        var record_kind: String, record_id: String, fields: String, route: String
    }

    public static func record(_ e: AuditEvent, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        try await sql.insert(into: "audit_events").model(row(e)).run()
    }

    static func row(_ e: AuditEvent) -> Row {
        Row(id: UUID(), at: e.at, user_id: e.userID, username: e.username, role: e.role, client: e.client,
            record_kind: e.view.recordKind, record_id: e.view.recordID, fields: e.view.fields.joined(separator: ","), route: e.route)
    }

    /// A page of the log, newest first, and how many lines match in all.
    public static func search(_ f: Filter, page: Int, per: Int, on db: any Database) async throws -> (events: [AuditEvent], total: Int) {
        guard let sql = db as? any SQLDatabase else { return ([], 0) }
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q
            if let u = f.username { q = q.where("username", .equal, u) }
            if let r = f.recordID { q = q.where("record_id", .equal, r) }
            if let from = f.from { q = q.where("at", .greaterThanOrEqual, from) }
            if let to = f.to { q = q.where("at", .lessThan, to) }
            return q
        }
        let total = try await filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_events"))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await filtered(sql.select().column("*").from("audit_events"))
            .orderBy("at", .descending).orderBy("id", .descending).limit(per).offset((page - 1) * per).all(decoding: Row.self)
        return (rows.map { r in
            AuditEvent(at: r.at, userID: r.user_id, username: r.username, role: r.role, client: r.client,
                       view: PersonalDataView(recordKind: r.record_kind, recordID: r.record_id,
                                              fields: r.fields.split(separator: ",").map(String.init)), route: r.route)
        }, total)
    }

    /// Deletes the lines older than `before`; returns how many.
    @discardableResult
    public static func prune(before: Date, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        let n = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_events")
            .where("at", .lessThan, before).first()?.decode(column: "n", as: Int.self) ?? 0
        if n > 0 { try await sql.delete(from: "audit_events").where("at", .lessThan, before).run() }
        return n
    }
}
