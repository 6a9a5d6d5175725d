import Vapor
import WanggeCore
import WanggeStore

enum CasePage {
    /// `GET /cases/{id}` (id or code): the case with its timeline, photos, place, routing, clocks, likely
    /// duplicates and the actions this user may take now; `?fragment=1` sends the case part alone.
    static func show(_ page: StaffPage) async throws -> Response {
        let (req, staff, j, ref, lang) = (page.req, page.staff, page.jurisdiction, page.reference, page.lang)
        let c = try await CasesAPI.visibleCase(req, staff: staff)
        let s = c.snapshot
        let actions = try await CaseQueries.actions(caseID: c.id, on: req.db)
        let duplicates = s.state.isOpen ? try await CasesAPI.duplicates(of: c, on: req) : .none
        var names: [String: String] = [:]
        for a in actions { if let d = a.record.toAssignee.departmentCode { names["dept:" + d] = ref.departmentsByCode[d]?.name ?? d } }
        let back = try req.textQuery("back", maxLength: 1_000).flatMap { $0.hasPrefix("?") && !$0.contains("//") ? $0 : nil } ?? ""
        var model = CasePageModel(
            c: c, actions: actions, categoryName: Format.category(c.report.categoryCode, ref.catalogue, lang),
            areaName: j[s.areaCode]?.name ?? s.areaCode,
            areaTrail: j.chain(from: s.areaCode).reversed().dropFirst().map(\.name).joined(separator: " › "),
            departmentName: s.departmentCode.map { ref.departmentsByCode[$0]?.name ?? $0 },
            clock: CaseClock.status(of: s, at: req.now, calendar: ref.calendar),
            allowed: CaseStateMachine.allowedActions(for: s, actor: RecordActor(staff)),
            duplicates: duplicates, departments: WorkbenchPage.departments(ref, j, scope: s.centre.code),
            mapSVG: placeMap(j, areaCode: s.areaCode, point: c.report.point, title: lang.t(.place)),
            back: back, viewer: staff.role, actionNames: names)
        if let med = try await MediationQueries.find(caseID: c.id, on: req.db) { model.mediation = (med.id, med.code) }
        model.canRevealTrackingCode = Site.callTakers.contains(staff.role) && c.report.hasReporter
        model.canOpenMediation = Site.mediationRegistrars.contains(staff.role) && req.application.mediationService.catalogue.type(forCategory: c.report.categoryCode) != nil
        try await req.audit(PersonalDataViews.reporter(of: c, shownTo: staff.role))
        if try page.wantsFragment { return page.html(CaseView.fragment(model, lang)) }
        return page.html(CaseView.render(model, page.context))
    }

    /// The case's grid among its village's grids, with the reported point.
    static func placeMap(_ j: Jurisdiction, areaCode: String, point: GeoPoint?, title: String) -> String {
        let chain = j.chain(from: areaCode)
        let frameArea = chain.first { $0.level == .village } ?? chain.first { $0.boundary != nil }
        guard let frameArea, let frame = frameArea.boundary?.bbox else { return "" }
        let grids = j.children(of: frameArea.code).filter { $0.boundary != nil }
        let shown = grids.isEmpty ? [frameArea] : grids
        return AreaMap.svg(shown, frame: frame, AreaMap.Options(width: 400, cssClass: "map small", title: title,
                                                                fill: { $0.code == areaCode ? "#fde68a" : "#e5e7eb" }, highlight: areaCode)) { proj in
            guard let p = point else { return "" }
            return "<circle class=\"pin\" cx=\"\(Int(proj.x(p)))\" cy=\"\(Int(proj.y(p)))\" r=\"9\"/>"
        }
    }
}
