import Fluent
import SQLKit

/// Every migration, in the order it must run. Landed migrations are never edited; changes get a new file.
public enum WanggeMigrations {
    public static let all: [any Migration] = [
        M001_CreateAreas(),
        M002_CreateDepartments(),
        M003_CreateCategories(),
        M004_CreateGridTeamMembers(),
        M005_CreateUsers(),
        M006_CreateUserTokens(),
        M007_CreateSignInThrottles(),
        M008_CreateCalendarYears(),
        M009_CreateCases(),
        M010_CreateCaseActions(),
        M011_CreatePhotos(),
        M012_CreateIdempotencyKeys(),
        M013_CreateSupervisions(),
        M014_AddCaseLookupIndexes(),
        M015_CoverDuplicateLookup(),
        M016_AddPhotoUploader(),
        M017_CreateCasePhotos(),
        M018_CreateCaseSequences(),
        M019_CreateAuditEvents(),
        M020_CreateCaseOutcomes(),
        M021_CreateOutcomeMonthVersions(),
        M022_CreateMediations(),
        M023_AddAccountKeysAndDisabling(),
        M024_AddTrackingCodeSeen(),
        M025_AddCaseSearchText(),
        M026_CreateRecordSequences(),
        M027_AddMediationNextSession(),
        M028_CreateJobRuns(),
        M029_OneRecordPlumbing(),
        M030_KeepFactVersions(),
        M031_CreateMediationFacts(),
        M032_CreateOutcomeDays(),
        M033_MonthVersionsByKind(),
        M034_CoverReportedCases(),
        M035_CreateRisks(),
        M036_CreateSafetyIndex(),
        M037_CreateHeightenedPeriodsAndGraveEvents(),
        M038_CreateRegistry(),
        M039_CreateInspections(),
        M040_CreateVisits(),
        M041_CreateAssessmentFormulas(),
        M042_CreatePatrols(),
        M043_CreateCarePlans(),
        M044_IndexRegistryByGrid(),
        M045_CreateAPIKeys(),
    ]
}

extension Database {
    /// A plain index; the same SQL works on SQLite and PostgreSQL.
    func sqlIndex(_ name: String, on table: String, column: String) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        try await sql.create(index: name).on(table).column(column).run()
    }
}
