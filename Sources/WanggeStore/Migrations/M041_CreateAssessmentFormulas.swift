import Fluent

/// The assessment's formula (issue 20), saved as a versioned document like the safety index's (`FormulaQueries`).
struct M041_CreateAssessmentFormulas: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("assessment_formulas")
            .field("version", .int, .identifier(auto: false))
            .field("document", .string, .required)
            .field("saved_at", .datetime, .required)
            .field("saved_by", .string)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("assessment_formulas").delete()
    }
}
