import Vapor
import WanggeCore
import WanggeStore

extension Site {
    /// The register is read and worked by the risk office (operators, administrators), leaders (approve, clear,
    /// supervise), responsible departments (review, feedback) and grid workers (register hazards they find).
    static let riskRoles: Set<Role> = [.operator, .admin, .leader, .handler, .gridLeader, .gridWorker]

    static let riskRoutes: [SiteRoute] = [
        SiteRoute(.GET, path: "/api/v1/risk-categories", .staff(riskRoles), RisksAPI.categories),
        SiteRoute(.GET, path: "/api/v1/risks", .staff(riskRoles), query: ["area", "status", "level", "category", "page", "per"], RisksAPI.list),
    ] + RecordDoor<RiskKind>.routes(base: "/api/v1/risks", roles: riskRoles)
}
