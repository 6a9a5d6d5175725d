import Vapor
import WanggeCore

extension Site {
    /// Mediation is worked by mediators, operators and administrators, and read and supervised by leaders.
    static let mediationRoles: Set<Role> = [.operator, .admin, .mediator, .leader]

    static let mediationRoutes: [SiteRoute] = [
        SiteRoute(.GET, "/api/v1/mediation-types", .staff(mediationRoles), MediationsAPI.types),
        SiteRoute(.GET, "/api/v1/mediators", .staff(mediationRoles), query: ["area", "speciality"], MediationsAPI.mediators),
        SiteRoute(.GET, "/api/v1/mediations", .staff(mediationRoles), query: ["status", "area", "type", "mediator", "tier", "page", "per"], MediationsAPI.list),
        SiteRoute(.POST, "/api/v1/mediations", .staff(mediationRoles), MediationsAPI.create),
        SiteRoute(.GET, "/api/v1/mediations/measures", .staff(mediationRoles), query: ["area", "from", "to"], MediationsAPI.measures),
        SiteRoute(.GET, "/api/v1/mediations/:id", .staff(mediationRoles), MediationsAPI.show),
        SiteRoute(.GET, "/api/v1/mediations/:id/suggested-mediators", .staff(mediationRoles), MediationsAPI.suggested),
        SiteRoute(.POST, "/api/v1/mediations/:id/actions", .staff(mediationRoles), MediationsAPI.act),
    ]
}
