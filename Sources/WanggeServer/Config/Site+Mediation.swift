import Vapor
import WanggeCore

extension Site {
    /// Mediation is worked by mediators, operators and administrators, and read and supervised by leaders.
    static let mediationRoles: Set<Role> = [.operator, .admin, .mediator, .leader]
    /// Who registers disputes: leaders supervise and do not register.
    static let mediationRegistrars: Set<Role> = [.operator, .admin, .mediator]

    static let mediationRoutes: [SiteRoute] = [
        SiteRoute(.GET, .apiMediationTypes, .staff(mediationRoles), MediationsAPI.types),
        SiteRoute(.GET, .apiMediators, .staff(mediationRoles), query: ["area", "speciality"], MediationsAPI.mediators),
        SiteRoute(.GET, .apiMediations, .staff(mediationRoles), query: ["status", "area", "type", "mediator", "tier", "page", "per"], MediationsAPI.list),
        SiteRoute(.POST, .apiMediations, .staff(mediationRegistrars), MediationsAPI.create),
        SiteRoute(.GET, .apiMediationMeasures, .staff(mediationRoles), query: ["area", "from", "to"], MediationsAPI.measures),
        SiteRoute(.GET, .apiMediation, .staff(mediationRoles), MediationsAPI.show),
        SiteRoute(.GET, .apiMediationSuggested, .staff(mediationRoles), MediationsAPI.suggested),
        SiteRoute(.POST, .apiMediationActions, .staff(mediationRoles), MediationsAPI.act),
        .staffPage(.mediations, mediationRoles, query: ["tab", "page"], MediationPages.workbench),
        .staffPage(.mediationView, mediationRoles, MediationPages.show),
        .staffPage(.mediationAgreement, mediationRoles, MediationPages.agreement),
    ]
}
