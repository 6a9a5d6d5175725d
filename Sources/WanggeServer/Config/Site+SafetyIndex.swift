import Vapor
import WanggeCore

extension Site {
    /// Every member of staff reads the index of their scope (residents read it on the public page); administrators
    /// edit the formula and recompute a month.
    static let safetyIndexRoutes: [SiteRoute] = [
        SiteRoute(.GET, path: "/api/v1/safety-index", .staff(nil), query: ["area", "month", "revision"], SafetyIndexAPI.show),
        SiteRoute(.GET, path: "/api/v1/safety-index/ranking", .staff(nil), query: ["parent", "month"], SafetyIndexAPI.ranking),
        SiteRoute(.GET, .apiSafetyFormula, .staff(nil), SafetyIndexAPI.formula),
        SiteRoute(.PUT, .apiSafetyFormula, .staff(admin), SafetyIndexAPI.saveFormula),
        SiteRoute(.POST, .apiSafetyPreview, .staff(admin), query: ["month"], SafetyIndexAPI.preview),
        SiteRoute(.POST, path: "/api/v1/safety-index/compute", .staff(admin), query: ["month"], body: BodyKind.none, SafetyIndexAPI.compute),
        SiteRoute(.GET, .apiGraveEvents, .staff(nil), query: ["area", "month", "withdrawn"], SafetyRegistersAPI.graveEvents),
        SiteRoute(.POST, .apiGraveEvents, .staff(SafetyRegistersAPI.keepers), SafetyRegistersAPI.createGraveEvent),
        SiteRoute(.POST, .apiGraveEventWithdraw, .staff(SafetyRegistersAPI.keepers), SafetyRegistersAPI.withdrawGraveEvent),
        SiteRoute(.GET, path: "/api/v1/warnings", .staff(nil), query: ["area", "status", "kind", "page", "per"], WarningsAPI.list),
        SiteRoute(.POST, .apiWarningActions, .staff(nil), WarningsAPI.act),
        .staffPage(.safetyIndex, nil, query: ["month", "area"], SafetyIndexPages.index),
        .staffPage(.safetyArea, nil, query: ["month", "revision"], SafetyIndexPages.area),
        .staffPage(.safetyFormula, admin, SafetyIndexPages.formula),
        .staffPage(.monthlyReport, nil, query: ["area", "month"], SafetyIndexPages.report),
        .staffPage(.warnings, nil, query: ["area", "status", "kind", "level", "page"], SafetyIndexPages.warnings),
        SiteRoute(.GET, .publicSafety, .anyone, SafetyIndexPages.publicPage),
    ]
}
