import Foundation
import Vapor
import WanggeCore

/// An assessment as sent: L×S (`method` "matrix", the default: `likelihood` and `severity`, whole numbers 1–5) or
/// LEC (`likelihood`, `exposure`, `consequence`, each a standard value).
struct RiskAssessmentDTO: Codable, Sendable {
    var method: String?
    var likelihood: Double
    var severity: Double?
    var exposure: Double?
    var consequence: Double?

    func assessment() throws -> RiskAssessment {
        let a: RiskAssessment
        switch method ?? "matrix" {
        case "matrix":
            guard let s = severity else { throw APIError.badRequest("an L×S assessment needs its severity", field: "assessment.severity") }
            guard likelihood.isFinite, s.isFinite, likelihood == likelihood.rounded(), s == s.rounded(), abs(likelihood) <= 100, abs(s) <= 100 else {
                throw APIError.badRequest("likelihood and severity are whole numbers 1 to 5", field: "assessment.likelihood")
            }
            a = .matrix(likelihood: Int(likelihood), severity: Int(s))
        case "lec":
            guard let e = exposure, let c = consequence else { throw APIError.badRequest("an LEC assessment needs exposure and consequence", field: "assessment.exposure") }
            guard likelihood.isFinite, e.isFinite, c.isFinite else { throw APIError.badRequest("LEC values are numbers", field: "assessment.likelihood") }
            a = .lec(likelihood: likelihood, exposure: e, consequence: c)
        default:
            throw APIError.badRequest("method is matrix or lec", field: "assessment.method")
        }
        if let p = a.problem { throw APIError.badRequest("\(p.field) \(p.reason)", field: p.field) }
        return a
    }
}

struct RiskRegistrationBody: Codable, Sendable {
    var categoryCode: String
    var title: String
    var description: String
    var areaCode: String
    var lat: Double?
    var lon: Double?
    var assessment: RiskAssessmentDTO
}

/// A measure of a risk's mitigation plan as sent and shown: dates as YYYY-MM-DD.
struct RiskMeasureDTO: Content {
    var description: String
    var dueOn: String
    var doneOn: String?
}

struct RiskActionBody: Codable, Sendable {
    var action: String
    var measures: [RiskMeasureDTO]?
    var measuresDone: [Int]?
    var caseCodes: [String]?
    var assessment: RiskAssessmentDTO?
    var decision: String?
    var note: String?
    var departmentCode: String?
    var leader: String?
    var personInCharge: String?
    var text: String?
}

struct RiskSummaryDTO: Content {
    var id: UUID
    var code: String
    var state: String
    var stateName: String
    var level: Int
    var levelName: String
    var colour: String
    var categoryCode: String
    var title: String
    var area: AreaRefDTO
    var nextReviewDue: Date?
    /// The review clock's colour now (green, yellow, red); none once cleared.
    var clock: String?
}

struct RiskListDTO: Content {
    var risks: [RiskSummaryDTO]
    var total: Int
    var page: Int
    var per: Int
}

struct RiskAssessmentOutDTO: Content {
    var method: String
    var score: Double
    var proposedLevel: Int?

    init(_ a: RiskAssessment, proposed: Int?) {
        method = a.method.rawValue
        score = a.score
        proposedLevel = proposed
    }
}

struct RiskOwnersDTO: Content {
    var departmentCode: String
    var leader: String
    var personInCharge: String
}

struct RiskReviewDTO: Content {
    var at: Date
    var by: String?
    var decision: String
    var fromLevel: Int
    var level: Int
    var score: Double
    var note: String?
}

struct RiskDetailDTO: Content {
    var summary: RiskSummaryDTO
    var description: String
    var assessment: RiskAssessmentOutDTO
    var owners: RiskOwnersDTO?
    var reviews: [RiskReviewDTO]
    var plan: [RiskMeasureDTO]
    var caseCodes: [String]
    var registeredAt: Date
    var version: Int
    var allowedActions: [String]
}

struct RiskCatalogueDTO: Content {
    struct Category: Content { var code: String; var name: String; var nameEn: String }
    struct Level: Content { var number: Int; var name: String; var nameEn: String; var colour: String }
    var categories: [Category]
    var levels: [Level]

    init(_ c: RiskCatalogue) {
        categories = c.categories.map { Category(code: $0.code, name: $0.name, nameEn: $0.nameEN) }
        levels = c.levels.map { Level(number: $0.number, name: $0.name, nameEn: $0.nameEN, colour: $0.colour) }
    }
}

struct RiskImportDTO: Content {
    var imported: Int
    var codes: [String]
}

struct RiskImportProblemDTO: Content {
    var row: Int?
    var column: String?
    var reason: String
}

/// A refused import: the error, and every problem by row.
struct RiskImportRefusalDTO: Content {
    struct E: Content { var code: String; var message: String; var field: String? }
    var error: E
    var problems: [RiskImportProblemDTO]
}
