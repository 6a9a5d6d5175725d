import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The assessment at the API (issue 20): league tables of a level in an area for a month, each score with its
/// computation, and the formula as a versioned document (administrators change it; the next request shows it).
enum AssessmentsAPI {
    /// `GET /api/v1/assessments?level=grid|village|township|department|worker&area=&month=` (the last month that
    /// ended by default; the month under way counts up to now).
    static func list(_ req: Request) async throws -> AssessmentListDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let area = try req.areaQuery(staff, j) ?? staff.scope.areaCode
        guard let levelText = try req.textQuery("level", maxLength: 20), let level = AssessmentLevel(rawValue: levelText) else {
            throw APIError.badRequest("level is one of \(AssessmentLevel.allCases.map(\.rawValue).joined(separator: ", "))", field: "level")
        }
        let reference = try await req.reference()
        let calendar = reference.calendar
        let current = SafetyIndexService.month(of: req.now, calendar: calendar)
        let month = try req.monthQuery("month") ?? SafetyIndexService.lastEndedMonth(at: req.now, calendar: calendar)
        guard month <= current else { throw APIError.badRequest("month \(month) is in the future", field: "month") }
        let (version, formula) = try await AssessmentService.formulas.current(on: req.db)
        let (scored, unscored) = try await AssessmentService(app: req.application).compute(level: level, area: area, month: month, formula: formula, j: j,
                                                                                             reference: reference, asOf: req.now)
        return AssessmentListDTO(level: level.rawValue, area: AreaRefDTO(code: area, name: j[area]?.name ?? area), month: month.description,
                                 formulaVersion: version,
                                 results: scored.enumerated().map { i, r in AssessmentDTO(rank: i + 1, subject: SubjectDTO(code: r.0.code, name: r.0.name), r.1) },
                                 unscored: unscored.map { SubjectDTO(code: $0.code, name: $0.name) })
    }

    /// `GET /api/v1/assessments/formula`.
    static func formula(_ req: Request) async throws -> AssessmentFormula {
        _ = try req.requireStaff()
        return try await AssessmentService.formulas.current(on: req.db).document
    }

    /// `PUT /api/v1/assessments/formula`: the GET's JSON with its weights or grades changed; a new version. Every
    /// bad field is named and nothing is saved.
    static func saveFormula(_ req: Request) async throws -> AssessmentFormula {
        let staff = try req.requireStaff()
        let f = try req.content.decode(AssessmentFormula.self)
        if let p = f.problems.first { throw APIError.badRequest("\(p.field) \(p.reason)", field: p.field) }
        let version = try await AssessmentService.formulas.save(f, by: staff.username, app: req.application)
        var out = f
        out.version = version
        return out
    }
}

extension AssessmentFormula: Content {}

struct SubjectDTO: Content {
    var code: String
    var name: String
}

struct AssessmentPartDTO: Content {
    var code: String
    var name: String
    var measure: String
    var value: Double?
    var numerator: Int
    var denominator: Int
    var points: Double?
    var weight: Double
    var contribution: Double
}

struct AssessmentDTO: Content {
    var rank: Int
    var subject: SubjectDTO
    var score: Double
    var grade: String
    var formulaVersion: Int
    var parts: [AssessmentPartDTO]

    init(rank: Int, subject: SubjectDTO, _ r: AssessmentResult) {
        self.rank = rank
        self.subject = subject
        score = r.score
        grade = r.grade.rawValue
        formulaVersion = r.formulaVersion
        parts = r.parts.map { p in
            AssessmentPartDTO(code: p.code, name: p.name, measure: p.measure.rawValue, value: p.value.rate, numerator: p.value.numerator,
                              denominator: p.value.denominator, points: p.points, weight: p.weight, contribution: Double(p.contributionHundredths) / 100)
        }
    }
}

struct AssessmentListDTO: Content {
    var level: String
    var area: AreaRefDTO
    var month: String
    var formulaVersion: Int
    var results: [AssessmentDTO]
    /// Subjects with too little behind every part this month to be scored.
    var unscored: [SubjectDTO]
}
