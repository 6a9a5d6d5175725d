import Vapor
import WanggeCore
import WanggeStore

enum AreasPage {
    /// `GET /areas`: the jurisdiction page for the signed-in user's scope.
    static func show(_ page: StaffPage) async throws -> Response {
        let (req, staff, j, lang) = (page.req, page.staff, page.jurisdiction, page.lang)
        var focus = try req.textQuery("focus", maxLength: 64)
        if let f = focus, !(j[f]?.level == .grid && staff.scope.covers(f, in: j)) { focus = nil }
        let team = try await OrganisationQueries.team(ofGrids: focus.map { [$0] } ?? [], on: req.db)
        if let focus { try await req.audit(PersonalDataViews.team(grid: focus, members: team, shownTo: staff.role)) }
        let svg = await req.wangge.maps.svg(j, version: page.tree.version, scope: staff.scope.areaCode, title: lang.t(.map))
        guard let model = AreasPageModel.build(j, scope: staff.scope.areaCode, mapSVG: svg, focus: focus, focusTeam: team,
                                               viewer: staff.role)
        else { throw APIError.notFound("your scope \(staff.scope.areaCode) is not in the jurisdiction") }
        var ctx = page.context
        if staff.role == .admin {
            let missing = CalendarAPI.missingYears(try await CalendarQueries.schedules(on: req.db), now: req.now)
            if !missing.isEmpty { ctx.warnings.append(lang.t(.scheduleMissing) + missing.map(String.init).joined(separator: ", ")) }
        }
        return page.html(AreasView.render(model, ctx))
    }
}
