import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The mediation pages (issue 12): a mediator's workbench (phone and desk), one mediation case with the steps the
/// caller may take now, and the printable 人民调解协议书.
enum MediationPages {
    /// `GET /mediations?page=`: today's sessions, clocks running out, and my open mediations (paged): three queries,
    /// each counted in SQL (issue 18: they were filtered in memory from the first 200 open mediations).
    static func workbench(_ page: StaffPage) async throws -> Response {
        let catalogue = page.req.application.mediationService.catalogue
        let staff = page.staff, j = page.jurisdiction, now = page.req.now, db = page.req.db
        let path = j.path(of: staff.scope.areaCode)
        var open = MediationFilter(scopePath: path, mediatorScope: staff.role == .mediator ? (staff.username, path) : nil)
        open.states = [.registered, .accepted, .mediating]
        var mineFilter = open
        if staff.role == .mediator { mineFilter.assignedOrWaiting = staff.username }
        let pageNumber = try page.req.intQuery("page", 1...10_000) ?? 1
        let mine = try await MediationQueries.list(mineFilter, page: pageNumber, per: perPage, on: db)
        var dueFilter = open
        dueFilter.states = [.accepted, .mediating]
        dueFilter.clockDueAt = now
        dueFilter.order = .deadline
        let due = try await MediationQueries.list(dueFilter, page: 1, per: perPage, on: db)
        let calendar = page.reference.calendar
        let today = calendar.civilDate(of: now)
        var sessionFilter = open
        sessionFilter.sessionsIn = DateInterval(start: calendar.start(of: today), end: calendar.start(of: today.adding(days: 1)))
        sessionFilter.order = .session
        let sessions = try await MediationQueries.list(sessionFilter, page: 1, per: perPage, on: db)
        func rows(_ ms: [StoredMediation]) -> [MediationView.Row] { ms.map { MediationView.Row($0, now: now, calendar: calendar, j: j, catalogue: catalogue) } }
        let todays = rows(sessions.items).flatMap { r in r.m.snapshot.sessions.filter { $0.notes == nil && calendar.civilDate(of: $0.at) == today }.map { (r, $0) } }
            .sorted { $0.1.at < $1.1.at }
        return page.html(MediationView.workbench(mine: rows(mine.items), mineTotal: mine.total, page: pageNumber, per: perPage,
                                                 sessions: todays, due: rows(due.items), dueTotal: due.total, page.context))
    }

    static let perPage = 50

    /// `GET /mediations/{id}`.
    static func show(_ page: StaffPage) async throws -> Response {
        let catalogue = page.req.application.mediationService.catalogue
        let m = try await MediationsAPI.visible(page.req, staff: page.staff)
        let records = try await RecordStore<MediationKind>.actions(id: m.id, on: page.req.db)
        let allowed = MediationLifecycle.allowedActions(for: m.snapshot, actor: RecordActor(page.staff))
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
