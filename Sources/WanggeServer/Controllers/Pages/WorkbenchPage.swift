import Vapor
import WanggeCore
import WanggeStore

enum WorkbenchPage {
    /// `GET /workbench`: the queue by state with filters and paging; `?fragment=1` sends the table alone.
    static func show(_ page: StaffPage) async throws -> Response {
        let (req, staff, j, ref, lang) = (page.req, page.staff, page.jurisdiction, page.reference, page.lang)
        let tab = try req.textQuery("tab", maxLength: 16) ?? "open"
        guard let states = WorkbenchView.tabs.first(where: { $0.0 == tab })?.1 else {
            throw APIError.badRequest("tab must be one of \(WorkbenchView.tabs.map(\.0).joined(separator: ", "))", field: "tab")
        }
        let q = try await CasesAPI.queue(req, staff: staff, defaultStates: states.isEmpty ? CaseState.allCases.filter(\.isOpen) : states)
        let actor = RecordActor(staff)
        let rows = q.cases.map { c in
            WorkbenchModel.Row(c: view(c, j, ref, req.now, lang),
                               canDispatch: CaseStateMachine.allowedActions(for: c.snapshot, actor: actor).contains(.dispatch))
        }
        var query: [String: String] = [:]
        for key in ["tab", "area", "category", "source", "clock", "from", "to", "q", "page"] {
            if let v = try req.textQuery(key, maxLength: 400) { query[key] = v }
        }
        let model = WorkbenchModel(rows: rows, total: q.total, page: q.page, per: q.per, query: query,
                                   areas: areaChoices(j, scope: staff.scope.areaCode),
                                   majors: ref.catalogue.majors, departments: departments(ref, j, scope: staff.scope.areaCode))
        if try page.wantsFragment { return page.html(WorkbenchView.fragment(model, lang)) }
        return page.html(WorkbenchView.render(model, page.context))
    }

    static func view(_ c: StoredCase, _ j: Jurisdiction, _ ref: ReferenceCache.Data, _ now: Date, _ l: Lang) -> StoredCaseView {
        let s = c.snapshot
        return StoredCaseView(id: c.id, code: c.code, state: s.state, categoryName: Format.category(c.report.categoryCode, ref.catalogue, l),
                              description: c.report.description, areaName: j[s.areaCode]?.name ?? s.areaCode,
                              departmentName: s.departmentCode.map { ref.departmentsByCode[$0]?.name ?? $0 },
                              source: c.report.source, reportedAt: c.reportedAt,
                              clock: CaseClock.status(of: s, at: now, calendar: ref.calendar), suspended: s.isSuspended)
    }

    /// The scope and its townships and villages (grids too when the scope is a village or smaller).
    static func areaChoices(_ j: Jurisdiction, scope: String) -> [Area] {
        guard let top = j[scope] else { return [] }
        return j.subtree(of: scope).filter { $0.level <= .village || top.level >= .village }
    }

    /// Departments a case in this scope can be sent to: those of the scope's area, above it and below it.
    static func departments(_ ref: ReferenceCache.Data, _ j: Jurisdiction, scope: String) -> [Department] {
        let chain = Set(j.chain(from: scope).map(\.code))
        return ref.departments.filter { chain.contains($0.areaCode) || j.isWithin($0.areaCode, ancestor: scope) }
            .sorted { ($0.areaCode.count, $0.code) < ($1.areaCode.count, $1.code) }
    }
}
