import Vapor
import WanggeCore
import WanggeStore

enum AuditAPI {
    struct EventDTO: Content {
        var at: Date
        var username: String
        var role: String
        var client: String
        var recordKind: String
        var recordId: String
        var fields: [String]
        var route: String
    }

    struct ListDTO: Content { var events: [EventDTO]; var page: Int; var per: Int; var total: Int }

    /// `GET /api/v1/audit?user=&record=&from=&to=&page=&per=` (administrators): views of personal data, newest first.
    static func list(_ req: Request) async throws -> ListDTO {
        let (filter, page, per) = try await query(req)
        let found = try await AuditQueries.search(filter, page: page, per: per, on: req.db)
        return ListDTO(events: found.events.map(dto), page: page, per: per, total: found.total)
    }

    static func query(_ req: Request) async throws -> (AuditQueries.Filter, Int, Int) {
        let calendar = try await req.reference().calendar
        let filter = AuditQueries.Filter(username: try req.textQuery("user", maxLength: 64), recordID: try req.textQuery("record", maxLength: 64),
                                         from: try req.instantQuery("from", calendar, end: false), to: try req.instantQuery("to", calendar, end: true))
        let (page, per) = try req.paging(defaultPer: 100, maxPer: 500)
        return (filter, page, per)
    }

    static func dto(_ e: AuditEvent) -> EventDTO {
        EventDTO(at: e.at, username: e.username, role: e.role, client: e.client, recordKind: e.view.recordKind,
                 recordId: e.view.recordID, fields: e.view.fields, route: e.route)
    }
}
