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
        let t = try await table(req)
        return AssessmentListDTO(level: t.level.rawValue, area: AreaRefDTO(code: t.area, name: t.areaName), month: t.month.description,
                                 formulaVersion: t.version,
                                 results: t.scored.enumerated().map { i, r in AssessmentDTO(rank: i + 1, subject: SubjectDTO(code: r.0.code, name: r.0.name), r.1) },
                                 unscored: t.unscored.map { SubjectDTO(code: $0.code, name: $0.name) })
    }

    /// A league table as the API and the page read it.
    struct Table: Sendable {
        var level: AssessmentLevel
        var area: String
        var areaName: String
        var month: SafetyIndexMonth
        var version: Int
        var formula: AssessmentFormula
        var scored: [(AssessmentService.Subject, AssessmentResult)]
        var unscored: [AssessmentService.Subject]
    }

    /// The request's `level` (or `defaultLevel`), `area` (in scope; the caller's own by default) and `month` (the
    /// last that ended by default; not in the future), computed with the formula in force.
    static func table(_ req: Request, defaultLevel: AssessmentLevel? = nil) async throws -> Table {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let area = try req.areaQuery(staff, j) ?? staff.scope.areaCode
        let levelText = try req.textQuery("level", maxLength: 20)
        guard let level = levelText.map({ AssessmentLevel(rawValue: $0) }) ?? defaultLevel else {
            throw APIError.badRequest("level is one of \(AssessmentLevel.allCases.map(\.rawValue).joined(separator: ", "))", field: "level")
        }
        let calendar = try await req.reference().calendar
        let current = SafetyIndexService.month(of: req.now, calendar: calendar)
        let month = try req.monthQuery("month") ?? SafetyIndexService.lastEndedMonth(at: req.now, calendar: calendar)
        guard month <= current else { throw APIError.badRequest("month \(month) is in the future", field: "month") }
        return try await table(req, level: level, area: area, month: month, j: j)
    }

    /// The league table of `level` in `area` (in the caller's scope) for `month`, with the formula in force.
    static func table(_ req: Request, level: AssessmentLevel, area: String, month: SafetyIndexMonth, j: Jurisdiction) async throws -> Table {
        let reference = try await req.reference()
        let current = SafetyIndexService.month(of: req.now, calendar: reference.calendar)
        let (version, formula) = try await AssessmentService.formulas.current(on: req.db)
        let (scored, unscored) = try await AssessmentService(app: req.application).compute(level: level, area: area, month: month, formula: formula,
                                                                                             version: version, j: j, reference: reference, asOf: req.now,
                                                                                             ended: month < current)
        return Table(level: level, area: area, areaName: j[area]?.name ?? area, month: month, version: version, formula: formula,
                     scored: scored, unscored: unscored)
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
