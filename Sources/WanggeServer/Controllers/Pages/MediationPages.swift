import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The mediation pages (issue 12): a mediator's workbench (phone and desk), one mediation case with the steps the
/// caller may take now, and the printable 人民调解协议书.
enum MediationPages {
    /// `GET /mediations`: my open mediations with their clocks, today's sessions, and those whose time runs out.
    static func workbench(_ page: StaffPage) async throws -> Response {
        let catalogue = page.req.application.mediationService.catalogue
        let staff = page.staff, j = page.jurisdiction
        let path = j.path(of: staff.scope.areaCode)
        var filter = MediationFilter(scopePath: path, mediatorScope: staff.role == .mediator ? (staff.username, path) : nil)
        filter.states = [.registered, .accepted, .mediating]
        let open = try await MediationQueries.list(filter, page: 1, per: 200, on: page.req.db).items
        var rows: [MediationView.Row] = []
        for m in open { rows.append(MediationView.Row(m, now: page.req.now, calendar: page.reference.calendar, j: j, catalogue: catalogue)) }
        let mine = staff.role == .mediator ? rows.filter { $0.m.snapshot.mediators.contains(staff.username) || $0.m.snapshot.state == .registered } : rows
        let today = page.reference.calendar.civilDate(of: page.req.now)
        let sessions = rows.flatMap { r in r.m.snapshot.sessions.filter { $0.notes == nil && page.reference.calendar.civilDate(of: $0.at) == today }.map { (r, $0) } }
            .sorted { $0.1.at < $1.1.at }
        let due = rows.filter { $0.colour == .yellow || $0.colour == .red }.sorted { ($0.m.snapshot.deadline ?? .distantFuture) < ($1.m.snapshot.deadline ?? .distantFuture) }
        return page.html(MediationView.workbench(mine: mine, sessions: sessions, due: due, page.context))
    }

    /// `GET /mediations/{id}`.
    static func show(_ page: StaffPage) async throws -> Response {
        let catalogue = page.req.application.mediationService.catalogue
        let m = try await MediationsAPI.visible(page.req, staff: page.staff)
        let records = try await MediationQueries.actions(id: m.id, on: page.req.db)
        let allowed = MediationLifecycle.allowedActions(for: m.snapshot, actor: CaseActor(page.staff))
        var suggested: [MediatorDTO] = []
        if allowed.contains(.assign) { suggested = try await MediationsAPI.suggested(page.req) }
        try await page.req.audit(PersonalDataViews.parties(of: m, shownTo: page.staff.role))
        var linkedCase: String?
        if let caseID = m.snapshot.registration.caseID { linkedCase = try await CaseQueries.find(id: caseID, on: page.req.db)?.code }
        let row = MediationView.Row(m, now: page.req.now, calendar: page.reference.calendar, j: page.jurisdiction, catalogue: catalogue)
        return page.html(MediationView.page(row, records: records, allowed: allowed, suggested: suggested, viewer: page.staff.role,
                                            linkedCase: linkedCase, catalogue: catalogue, page.context))
    }

    /// `GET /mediations/{id}/agreement`: the agreement in the customary layout, A4 when printed.
    static func agreement(_ page: StaffPage) async throws -> Response {
        let m = try await MediationsAPI.visible(page.req, staff: page.staff)
        let j = page.jurisdiction
        if !m.snapshot.terms.isEmpty { try await page.req.audit(PersonalDataViews.parties(of: m, shownTo: page.staff.role, printed: true)) }
        return page.html(MediationView.agreement(m, committee: j[m.snapshot.committeeArea.code]?.name ?? m.snapshot.committeeArea.code,
                                                 place: m.snapshot.registration.areas.first.flatMap { j[$0.code]?.name } ?? "",
                                                 viewer: page.staff.role, page.context))
    }
}
