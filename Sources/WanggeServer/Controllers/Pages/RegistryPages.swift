import Vapor
import WanggeCore
import WanggeStore

/// The registry's pages (一表通, issue 20): a kind's list in the caller's scope with its filters, export and import,
/// and one entry with its history. Contacts are masked and audited exactly as at the API (`RegistryAPI`).
enum RegistryPages {
    static let perPage = 50

    /// `GET /registry?kind=&area=&type=&q=&page=`.
    static func list(_ page: StaffPage) async throws -> Response {
        let req = page.req, j = page.jurisdiction, staff = page.staff
        let kindText = try req.textQuery("kind", maxLength: 20) ?? RegistryKind.household.rawValue
        guard let kind = RegistryKind(rawValue: kindText) else { throw APIError.badRequest("kind is buildings, households or places", field: "kind") }
        let filter = try RegistryAPI.filter(req, staff: staff, j: j, kind: kind)
        let number = try req.intQuery("page", 1...10_000) ?? 1
        let found = try await RegistryQueries.list(filter, page: number, per: perPage, on: req.db)
        try await req.audit(PersonalDataViews.contacts(of: found.items, shownTo: staff.role))
        return page.html(RegistryView.list(found.items.map { RegistryAPI.dto($0, j: j, role: staff.role) }, total: found.total, page: number,
                                           filter: filter, area: try req.areaQuery(staff, j), canImport: RegistryAPI.writers.contains(staff.role),
                                           catalogue: req.wangge.fieldCatalogue, page.context))
    }

    /// `GET /registry/{kind}/{id}`: the entry and every change.
    static func entry(_ page: StaffPage) async throws -> Response {
        let e = try await RegistryAPI.visible(page.req, staff: page.staff)
        let d = try await RegistryAPI.detail(e, staff: page.staff, req: page.req)
        let inspections = e.entry.kind == .place ? try await InspectionQueries.of(placeID: e.id, limit: 20, on: page.req.db) : []
        return page.html(RegistryView.entry(d, catalogue: page.req.wangge.fieldCatalogue, inspections: inspections, canEdit: RegistryAPI.writers.contains(page.staff.role),
                                            canCare: CareAPI.carers.contains(page.staff.role), page.context))
    }
}
