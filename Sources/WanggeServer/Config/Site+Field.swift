import Vapor
import WanggeCore

extension Site {
    /// Field work (issue 20, first slice): the registry, read by every member of staff of the scope and written by
    /// grid staff and the command centre; the place types and checklists every form reads.
    static let fieldRoutes: [SiteRoute] = [
        SiteRoute(.GET, .apiPlaceTypes, .staff(nil), RegistryAPI.placeTypes),
        SiteRoute(.GET, .apiChecklists, .staff(nil), RegistryAPI.checklists),
        SiteRoute(.GET, .apiRegistry, .staff(nil), query: ["area", "type", "q", "page", "per"], RegistryAPI.list),
        SiteRoute(.POST, .apiRegistry, .staff(RegistryAPI.writers), RegistryAPI.create),
        SiteRoute(.GET, .apiRegistryEntry, .staff(nil), RegistryAPI.show),
        SiteRoute(.PATCH, .apiRegistryEntry, .staff(RegistryAPI.writers), RegistryAPI.patch),
        SiteRoute(.POST, .apiRegistryImport, .staff(RegistryAPI.writers), body: .table, RegistryAPI.importTable),
        SiteRoute(.GET, .apiRegistryExport, .staff(nil), query: ["area", "type", "q", "format"], RegistryAPI.exportTable),
        .staffPage(.registry, nil, query: ["kind", "area", "type", "q", "page"], RegistryPages.list),
        .staffPage(.registryEntry, nil, RegistryPages.entry),
        SiteRoute(.POST, .apiInspections, .staff(InspectionsAPI.inspectors), InspectionsAPI.create),
        SiteRoute(.POST, .apiPatrols, .staff(PatrolsAPI.patrollers), PatrolsAPI.start),
        SiteRoute(.POST, .apiPatrolFindings, .staff(PatrolsAPI.patrollers), PatrolsAPI.finding),
        SiteRoute(.POST, .apiPatrolEnd, .staff(PatrolsAPI.patrollers), PatrolsAPI.end),
        SiteRoute(.GET, .apiCarePlans, .staff(CareAPI.carers), query: ["area", "due", "page", "per"], CareAPI.list),
        SiteRoute(.POST, .apiCarePlans, .staff(CareAPI.carers), CareAPI.create),
        SiteRoute(.GET, .apiCarePlan, .staff(CareAPI.carers), CareAPI.show),
        SiteRoute(.DELETE, .apiCarePlan, .staff(CareAPI.carers), body: BodyKind.none, CareAPI.withdraw),
        SiteRoute(.POST, .apiCareVisits, .staff(CareAPI.carers), CareAPI.visit),
        SiteRoute(.POST, .apiVisits, .staff(InspectionsAPI.inspectors), FieldAPI.visit),
        SiteRoute(.GET, .apiCoverage, .staff(nil), query: ["area", "period"], FieldAPI.coverage),
        SiteRoute(.GET, .apiFieldToday, .staff(nil), FieldAPI.today),
        SiteRoute(.GET, .apiAssessments, .staff(dashboardRoles), query: ["level", "area", "month"], AssessmentsAPI.list),
        SiteRoute(.GET, .apiAssessmentFormula, .staff(dashboardRoles), AssessmentsAPI.formula),
        SiteRoute(.PUT, .apiAssessmentFormula, .staff(admin), AssessmentsAPI.saveFormula),
        .staffPage(.assessments, dashboardRoles, query: ["level", "area", "month", "export"], AssessmentPages.show),
    ]
}
