import Vapor
import WanggeCore
import WanggeStore

/// The body of `POST /api/v1/cases` (or the `case` part of a multipart body).
struct CaseReportDTO: Content {
    struct Reporter: Content { var name: String?; var phone: String? }
    var categoryCode: String
    var description: String
    var lat: Double?
    var lon: Double?
    var areaCode: String?
    var address: String?
    var source: String?
    var reporter: Reporter?
}

struct DepartmentRefDTO: Content { var id: String; var name: String }

struct DeadlinesDTO: Content {
    var sign: Date?
    var resolve: Date?
    var verify: Date?
    var closure: Date?
    init(_ d: CaseDeadlines) { sign = d.sign; resolve = d.resolve; verify = d.verify; closure = d.closure }
}

struct ClockDTO: Content {
    var stage: String
    var colour: String
    var usedFraction: Double
    var deadline: Date
    var paused: Bool
    init(_ c: CaseClockStatus) { stage = c.stage.rawValue; colour = c.colour.rawValue; usedFraction = c.usedFraction; deadline = c.deadline; paused = c.isPaused }
}

struct DuplicateDTO: Encodable {
    var code: String
    var distanceMetres: Double
    enum CodingKeys: String, CodingKey { case code, distanceMetres = "distance_metres" }
}

/// What intake returns (201, or 200 for a repeated idempotent request). Its keys are spelled out in snake case,
/// so that intake, the hot path, can write it with `plainJSON` rather than convert every key (measured).
struct CaseCreatedDTO: Encodable {
    var id: UUID
    var code: String
    /// The reporter's own: only an anonymous report's answer carries it (issue 17).
    var trackingCode: String?
    var status: String
    var area: AreaRefDTO
    var department: DepartmentRefDTO?
    var routingReason: String
    var deadlines: DeadlinesDTO
    /// The nearest few (`DuplicateFinder.nearestShown`), nearest first.
    var likelyDuplicates: [DuplicateDTO]
    /// How many likely duplicates there are in all, up to `DuplicateFinder.countCap`.
    var likelyDuplicateCount: Int
    /// There are more than `likelyDuplicateCount`.
    var likelyDuplicateCountCapped: Bool

    enum CodingKeys: String, CodingKey {
        case id, code, trackingCode = "tracking_code", status, area, department, routingReason = "routing_reason", deadlines
        case likelyDuplicates = "likely_duplicates"
        case likelyDuplicateCount = "likely_duplicate_count"
        case likelyDuplicateCountCapped = "likely_duplicate_count_capped"
    }

    /// The API's JSON (ISO 8601 dates, slashes unescaped) without key conversion.
    static let plainJSON: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.withoutEscapingSlashes]
        return e
    }()
}

struct CaseSummaryDTO: Content {
    var id: UUID
    var code: String
    var status: String
    var categoryCode: String
    var description: String
    var area: AreaRefDTO
    var department: DepartmentRefDTO?
    var source: String
    var reportedAt: Date
    var suspended: Bool
    var clock: ClockDTO?
}

struct CaseActionDTO: Content {
    var seq: Int
    var action: String
    var actor: String?
    var actorRole: String?
    var at: Date
    var fromState: String?
    var toState: String
    var fromAssignee: String?
    var toAssignee: String
    var note: String?
    var attachments: [String]
    /// A rating made with a tracking code that staff had seen before (issue 17): it may not be the reporter's.
    var codeSeenByStaff: Bool? = nil
}

struct CaseDetailDTO: Content {
    var id: UUID
    var code: String
    /// When staff first saw the tracking code (read to a caller); the code itself is the reporter's and not here.
    var trackingCodeSeenAt: Date?
    var status: String
    var category: CategoryDTO?
    var description: String
    var lat: Double?
    var lon: Double?
    var address: String?
    var area: AreaRefDTO
    var areas: [AreaRefDTO]
    var department: DepartmentRefDTO?
    var centre: AreaRefDTO
    var source: String
    /// The API key an Open311 report came through.
    var channelKey: String?
    var reporter: CaseReportDTO.Reporter?
    var reportedAt: Date
    var suspended: Bool
    var routingReason: String
    var deadlines: DeadlinesDTO
    var clock: ClockDTO?
    var reworkCount: Int
    var allowedActions: [String]
    var timeline: [CaseActionDTO]
}

struct CaseListDTO: Content {
    var cases: [CaseSummaryDTO]
    var page: Int
    var per: Int
    var total: Int
}

/// The body of `POST /api/v1/cases/{id}/actions`.
struct CaseActionRequestDTO: Content {
    var action: String
    var note: String?
    var departmentCode: String?
    var mergeInto: String?
    var `extension`: String?
    var rating: String?
    var attachments: [String]?
}

/// What a resident sees by tracking code: no staff names, no personal data.
struct TrackingDTO: Content {
    struct Step: Content { var action: String; var at: Date; var status: String; var note: String? }
    var code: String
    var status: String
    var statusName: String
    var category: String
    var reportedAt: Date
    var canRate: Bool
    var rating: String?
    var timeline: [Step]
}

struct MeasureDTO: Content {
    var name: String
    var nameEn: String
    var numerator: Int
    var denominator: Int
    var rate: Double?
    var definition: String
}

struct MeasuresDTO: Content {
    var area: AreaRefDTO
    var from: String
    var to: String
    var measures: [String: MeasureDTO]
    /// The cases reported in the period by source; Open311's by API key (`channel_key`).
    var sources: [SourceCountDTO]
}

struct SourceCountDTO: Content {
    var source: String
    var channelKey: String?
    var reported: Int
}

/// `POST /api/v1/cases/{id}/tracking-code`: the code an operator reads to the reporter on the phone.
struct TrackingCodeDTO: Content {
    var trackingCode: String
    var seenAt: Date
}
