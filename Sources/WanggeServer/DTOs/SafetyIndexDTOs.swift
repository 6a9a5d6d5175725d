import Foundation
import Vapor
import WanggeCore
import WanggeStore

/// One indicator's line of the explanation: value, baseline, normalised score, weight and contribution, which add up
/// (with the deductions) to the score.
struct SafetyIndicatorDTO: Content {
    var code: String
    var name: String
    var nameEn: String
    var group: String
    var status: String
    /// Per 10,000 residents, or a share 0…1 (shrunk toward the parent's: `own_value`, `parent_value`, `own_weight`).
    var value: Double?
    var baseline: Double?
    var normalised: Double?
    var weight: Double
    var weightShare: Double
    var contribution: Double
    var ratio: Double?
    var ownValue: Double?
    var parentValue: Double?
    var ownWeight: Double
    var events: Int
    var exposure: Int
    var perResidents: Bool
    var baselineChoice: String

    init(_ e: SafetyIndicatorExplanation) {
        code = e.code
        name = e.name
        nameEn = e.nameEN
        group = e.groupCode
        status = e.status.rawValue
        value = e.value
        baseline = e.baseline
        normalised = e.normalised
        weight = e.weight
        weightShare = e.weightShare
        contribution = e.contribution
        ratio = e.ratio
        ownValue = e.ownValue
        parentValue = e.parentValue
        ownWeight = e.ownWeight
        events = e.own.numerator
        exposure = e.own.denominator
        perResidents = e.kind.isPerResidents
        baselineChoice = e.baselineChoice.rawValue
    }
}

struct SafetyDeductionDTO: Content {
    var code: String
    var name: String
    var events: Int
    var points: Double
    var applied: Double
}

struct SafetyIndexChangeDTO: Content {
    var monthOnMonth: Double?
    var yearOnYear: Double?
}

struct SafetyIndexDTO: Content {
    var area: String
    var areaName: String
    var month: String
    var score: Double
    var band: String
    var bandName: String
    var formulaVersion: Int
    var revision: Int
    var revisions: [Int]
    var computedAt: Date
    var change: SafetyIndexChangeDTO
    var subtotal: Double
    var indicators: [SafetyIndicatorDTO]
    var deductions: [SafetyDeductionDTO]
    var smallAreas: String
    var smallAreasEn: String

    init(_ r: SafetyIndexResult, areaName: String, revision: SafetyIndexQueries.Revision, revisions: [Int], change: SafetyIndexChangeDTO) {
        area = r.area
        self.areaName = areaName
        month = r.month.description
        score = r.score
        band = r.band.rawValue
        bandName = r.band.nameZH
        formulaVersion = r.formulaVersion
        self.revision = revision.revision
        self.revisions = revisions
        computedAt = revision.computedAt
        self.change = change
        subtotal = r.subtotal
        indicators = r.indicators.map(SafetyIndicatorDTO.init)
        deductions = r.deductions.map { SafetyDeductionDTO(code: $0.code, name: $0.name, events: $0.events, points: Double($0.pointsHundredths) / 100, applied: $0.applied) }
        smallAreas = r.smallAreaNote
        smallAreasEn = r.smallAreaNoteEN
    }
}

struct SafetyRankDTO: Content {
    var rank: Int
    var area: AreaRefDTO
    var score: Double
    var band: String
    var change: SafetyIndexChangeDTO
}

struct SafetyRankingDTO: Content {
    var parent: AreaRefDTO
    var month: String
    var revision: Int
    var formulaVersion: Int
    var areas: [SafetyRankDTO]
}

/// The formula document: what GET answers and PUT takes (version and saved_at are ignored on PUT).
struct SafetyFormulaDocumentDTO: Content {
    var version: Int?
    var savedAt: Date?
    var formula: SafetyIndexFormula
    var ladder: SafetyIndexLadder
    /// Whether residents see the index on the public page (absent: yes).
    var publicPage: Bool?
}

struct SafetyPreviewDTO: Content {
    struct Line: Content {
        var area: AreaRefDTO
        var level: String
        var score: Double
        var band: String
        var published: Double?
        var publishedBand: String?
    }
    var month: String
    var formulaVersion: Int?
    var areas: [Line]
    var bands: [String: Int]
    var publishedBands: [String: Int]
}

struct SafetyComputeDTO: Content {
    var month: String
    var revision: Int
    var formulaVersion: Int
    var areas: Int
}

struct WarningDTO: Content {
    var id: UUID
    var key: String
    var kind: String
    var kindName: String
    var level: String
    var status: String
    var statusName: String
    var area: AreaRefDTO
    var categoryCode: String?
    var categoryName: String?
    var period: String
    var evidence: [String: AnyJSONValue]
    var raisedAt: Date
    var dueOn: String?
    var actedAt: Date?
    var actedBy: String?
    var note: String?
    var reviews: [WarningReviewDTO]
    var allowedActions: [String]
}

struct WarningReviewDTO: Content {
    var level: String
    var levelName: String
    var on: String
    var by: String
    var note: String
}

struct WarningListDTO: Content {
    var warnings: [WarningDTO]
    var total: Int
    var page: Int
    var per: Int
}

struct WarningActionBody: Codable, Sendable {
    var action: String
    var note: String?
}

/// A JSON value of a stored evidence object, passed through as it is.
enum AnyJSONValue: Codable, Sendable {
    case number(Double), string(String), bool(Bool), array([AnyJSONValue]), null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else { self = .array(try c.decode([AnyJSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let n): try c.encode(n.isFinite ? n : 0)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .null: try c.encodeNil()
        }
    }

    var number: Double? { if case .number(let n) = self { n } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
}
