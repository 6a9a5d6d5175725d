import Vapor
import WanggeCore
import WanggeStore

extension Site {
    /// The register is read and worked by the risk office (operators, administrators), leaders (approve, clear,
    /// supervise), responsible departments (review, feedback) and grid workers (register hazards they find).
    static let riskRoles: Set<Role> = [.operator, .admin, .leader, .handler, .gridLeader, .gridWorker]

    /// Who imports an existing list: the risk office.
    static let riskImporters: Set<Role> = [.operator, .admin]

    static let riskRoutes: [SiteRoute] = [
        SiteRoute(.GET, path: "/api/v1/risk-categories", .staff(riskRoles), RisksAPI.categories),
        SiteRoute(.GET, path: "/api/v1/risks", .staff(riskRoles), query: ["area", "status", "level", "category", "page", "per"], RisksAPI.list),
        SiteRoute(.POST, .apiRisksImport, .staff(riskImporters), body: .table, RisksAPI.importTable),
        SiteRoute(.GET, .apiRisksExport, .staff(riskRoles), query: ["area", "status", "level", "category", "format"], RisksAPI.exportTable),
        .staffPage(.risks, riskRoles, query: ["area", "status", "level", "category", "page"], RiskPages.register),
        .staffPage(.riskView, riskRoles, RiskPages.show),
        SiteRoute(.GET, .apiHeightenedPeriods, .staff(riskRoles), query: ["withdrawn"], SafetyRegistersAPI.periods),
        SiteRoute(.POST, .apiHeightenedPeriods, .staff(SafetyRegistersAPI.keepers), SafetyRegistersAPI.createPeriod),
        SiteRoute(.POST, .apiHeightenedPeriodCallOff, .staff(SafetyRegistersAPI.keepers), SafetyRegistersAPI.callOff),
    ] + RecordDoor<RiskKind>.routes(base: "/api/v1/risks", roles: riskRoles)
}
