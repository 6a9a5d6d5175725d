import Fluent
import Vapor
import WanggeCore
import WanggeStore

extension Request {
    /// Writes views of personal data to the audit log before they are shown: if the log cannot be written, the data
    /// is not shown either.
    /// `alongside` is written in the same transaction (a mark the view leaves, such as a tracking code seen).
    func audit(_ views: [PersonalDataView], alongside: (@Sendable (any Database) async throws -> Void)? = nil) async throws {
        guard let staff, !views.isEmpty else { return }
        let route = self.route.map { "\($0.method.rawValue) /\($0.path.map(\.description).joined(separator: "/"))" } ?? url.path
        let events = views.map {
            AuditEvent(at: now, userID: staff.id, username: staff.username, role: staff.role.rawValue, client: client.text, view: $0, route: route)
        }
        let db = self.db
        try await wangge.writes.run(on: db) {
            try await db.transaction { tx in
                for e in events { try await AuditQueries.record(e, on: tx) }
                try await alongside?(tx)
            }
        }
    }
}

/// What a case's reporter fields hold unmasked for this viewer, as audit-log views.
enum PersonalDataViews {
    static func reporter(of c: StoredCase, shownTo role: Role) -> [PersonalDataView] {
        guard PersonalDataPolicy.seesReporterContacts(role) else { return [] }
        let fields = [c.report.reporterName.map { _ in "reporter_name" }, c.report.reporterPhone.map { _ in "reporter_phone" }].compactMap { $0 }
        return fields.isEmpty ? [] : [PersonalDataView(recordKind: "case", recordID: c.code, fields: fields)]
    }

    /// A mediation's parties as a page or the API shows them: unmasked only to the roles that call people back.
    /// The printed agreement always names the parties (they sign it), so its names are a view for every role.
    static func parties(of m: StoredMediation, shownTo role: Role, printed: Bool = false) -> [PersonalDataView] {
        let sees = PersonalDataPolicy.seesReporterContacts(role)
        let fields = sees ? ["parties.name", "parties.phone"] : printed ? ["parties.name"] : []
        return fields.isEmpty ? [] : [PersonalDataView(recordKind: "mediation", recordID: m.code, fields: fields)]
    }

    /// Registry entries whose contact a page or the API shows unmasked (places' contacts).
    static func contacts(of entries: [StoredRegistryEntry], shownTo role: Role) -> [PersonalDataView] {
        guard PersonalDataPolicy.seesReporterContacts(role) else { return [] }
        return entries.compactMap { e in
            let fields = [e.entry.contactName.map { _ in "contact_name" }, e.entry.contactPhone.map { _ in "contact_phone" }].compactMap { $0 }
            return fields.isEmpty ? nil : PersonalDataView(recordKind: "registry", recordID: e.id.uuidString, fields: fields)
        }
    }

    /// The pool's mediators whose phones a list shows unmasked: one view per mediator, so the log answers "who saw
    /// whose number".
    static func mediators(_ pool: [Mediator], shownTo role: Role) -> [PersonalDataView] {
        guard PersonalDataPolicy.seesTeamPhones(role) else { return [] }
        return pool.filter { $0.phone != nil }.map { PersonalDataView(recordKind: "mediator", recordID: $0.id, fields: ["phone"]) }
    }

    static func team(grid: String, members: [GridTeamMember], shownTo role: Role) -> [PersonalDataView] {
        guard PersonalDataPolicy.seesTeamPhones(role), members.contains(where: { $0.phone != nil }) else { return [] }
        return [PersonalDataView(recordKind: "grid_team", recordID: grid, fields: ["phone"])]
    }
}
