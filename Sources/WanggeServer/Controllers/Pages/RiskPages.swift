import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The risk register's pages (issue 19): the register of the caller's scope with its filters, export and import, and
/// one entry with its history and the steps the caller may take now (a review records the assessment and a decision).
enum RiskPages {
    /// `GET /risks?level=&status=&category=&page=`.
    static func register(_ page: StaffPage) async throws -> Response {
        let req = page.req, j = page.jurisdiction
        let area = try req.areaQuery(page.staff, j) ?? page.staff.scope.areaCode
        let states = try req.listQuery("status", of: RiskState.self, maxLength: 200) ?? RiskState.allCases.filter(\.isOpen)
        let level = try req.intQuery("level", RiskLevel.numbers)
        let catalogue = req.riskCatalogue
        let category = try req.textQuery("category", maxLength: 64).flatMap { catalogue.category($0)?.code }
        let number = try req.intQuery("page", 1...10_000) ?? 1
        let found = try await RiskQueries.list(RiskFilter(scopePath: j.path(of: area), states: states, level: level, categoryCode: category),
                                               page: number, per: 50, on: req.db)
        let rows = found.items.map { RisksAPI.summary($0, j: j, now: req.now, calendar: page.reference.calendar, catalogue: catalogue) }
        let periods = try await SafetyRegisterQueries.periods(endAfter: req.now.addingTimeInterval(-30 * 86_400), includeWithdrawn: true,
                                                              limit: SafetyRegistersAPI.listLimit, on: req.db)
        let periodsHTML = SafetyRegistersView.periods(periods, canSet: SafetyRegistersAPI.keepers.contains(page.staff.role), scope: page.staff.scope.areaCode,
                                                      now: req.now, j: j, page.context.lang)
        return page.html(RiskView.register(rows, total: found.total, page: number, area: area, states: states, level: level, category: category,
                                           canImport: Site.riskImporters.contains(page.staff.role), catalogue: catalogue, periods: periodsHTML,
                                           j: j, page.context))
    }

    /// `GET /risks/{id}`.
    static func show(_ page: StaffPage) async throws -> Response {
        let req = page.req
        guard let id = req.parameters.get("id", as: UUID.self), let r = try await RecordStore<RiskKind>.find(id: id, on: req.db),
              RiskKind.isVisible(r, to: page.staff, in: page.jurisdiction) else {
            throw APIError.notFound("no risk in your scope")
        }
        let records = try await RecordStore<RiskKind>.actions(id: r.id, on: req.db)
        let allowed = RiskLifecycle.allowedActions(for: r.snapshot, actor: RecordActor(page.staff))
        let summary = RisksAPI.summary(r, j: page.jurisdiction, now: req.now, calendar: page.reference.calendar, catalogue: req.riskCatalogue)
        let heightened = r.snapshot.state.isOpen ? try await req.riskPolicy().heightenedPeriods(at: req.now, areaPath: r.areaPath) : []
        return page.html(RiskView.page(r, summary: summary, records: records, allowed: allowed, j: page.jurisdiction,
                                       departments: page.reference.departmentsByCode, catalogue: req.riskCatalogue, heightened: heightened, page.context))
    }
}
