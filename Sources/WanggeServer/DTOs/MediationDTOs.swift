import Foundation
import Vapor
import WanggeCore
import WanggeStore

struct MediationPartyDTO: Content {
    var role: String
    var kind: String
    var name: String
    var phone: String?
}

struct MediationCreateDTO: Content {
    var caseId: String?
    var typeCode: String?
    var description: String?
    var areaCode: String?
    var tier: String?
    var source: String?
    var channel: String?
    var amountYuan: Double?
    var peopleCount: Int?
    var threatOfViolence: Bool?
    var parties: [MediationPartyDTO]?
}

struct MediationTermDTO: Content {
    var obligor: String
    var description: String
    var amountYuan: Double
    var dueDate: String
}

struct MediationConsentDTO: Content {
    var applicant: Bool?
    var respondent: Bool?
}

struct MediationActionDTO: Content {
    var action: String
    var complexity: String?
    var mediatorIds: [String]?
    var at: Date?
    var place: String?
    var notes: String?
    var participants: [String]?
    var reason: String?
    var days: Int?
    var consent: MediationConsentDTO?
    var terms: [MediationTermDTO]?
    var route: String?
    var note: String?
    var term: Int?
    var amountYuan: Double?
    var performedOn: String?
    var appliedOn: String?
    var court: String?
    var result: String?
}

struct NamedCodeDTO: Content {
    var code: String
    var name: String
    var nameEn: String
}

struct MediationTypeDTO: Content {
    var code: String
    var name: String
    var nameEn: String
    var categoryCodes: [String]
    var specialities: [String]
}

struct MediatorDTO: Content {
    var id: String
    var name: String
    var phone: String?
    var specialities: [String]
    var areaCodes: [String]
    var load: Int
    /// Why the suggestion ranks them (suggested-mediators only).
    var score: Int?
}

struct MediationDeadlineDTO: Content {
    var due: Date?
    var colour: String?
}

struct MediationSummaryDTO: Content {
    var id: UUID
    var code: String
    var status: String
    var statusName: String
    var tier: String
    var type: NamedCodeDTO
    var area: String
    var committeeArea: String
    var deadlines: MediationDeadlineDTO
    var caseId: UUID?
    var risk: Bool
    var amountYuan: Double
    var peopleCount: Int
    var mediators: [String]
}

struct MediationListDTO: Content {
    var mediations: [MediationSummaryDTO]
    var total: Int
    var page: Int
    var per: Int
}

struct MediationSessionDTO: Content { var at: Date; var place: String; var notes: String?; var participants: [String] }
struct MediationTermOutDTO: Content { var obligor: String; var description: String; var amountYuan: Double; var dueDate: String; var paidYuan: Double }
struct MediationConfirmationDTO: Content { var appliedOn: String; var court: String; var confirmed: Bool?; var refusalReason: String? }
struct MediationFollowUpDTO: Content { var result: String; var notes: String; var at: Date }
struct MediationEventDTO: Content { var seq: Int; var action: String; var name: String; var at: Date; var actor: String?; var from: String?; var to: String; var note: String? }

struct MediationDetailDTO: Content {
    var mediation: MediationSummaryDTO
    var description: String
    var source: String
    var channel: String
    var parties: [MediationPartyDTO]
    var sessions: [MediationSessionDTO]
    var terms: [MediationTermOutDTO]
    var agreedOn: String?
    var confirmation: MediationConfirmationDTO?
    var followUps: [MediationFollowUpDTO]
    var failureRoute: String?
    var timeline: [MediationEventDTO]
    var allowedActions: [String]
}

struct RateDTO: Content {
    var numerator: Int
    var denominator: Int
    var rate: Double?

    init(_ m: Measure) {
        numerator = m.numerator
        denominator = m.denominator
        rate = m.rate.map { ($0 * 10_000).rounded() / 10_000 }
    }
}

struct MediationCountsDTO: Content {
    var key: String?
    var name: String?
    var received: Int
    var concluded: Int
    var agreements: Int
    var failed: Int
    var withdrawn: Int
    var success: RateDTO
    var settledAtFirstTier: RateDTO
    var confirmation: RateDTO
    var amountInvolvedYuan: Double
    var amountAgreedYuan: Double
    var amountPaidYuan: Double
    var peopleInvolved: Int

    init(_ c: MediationCounts, key: String? = nil, name: String? = nil) {
        self.key = key
        self.name = name
        received = c.received; concluded = c.concluded; agreements = c.agreements; failed = c.failed; withdrawn = c.withdrawn
        success = RateDTO(c.success); settledAtFirstTier = RateDTO(c.firstTier); confirmation = RateDTO(c.confirmation)
        amountInvolvedYuan = Yuan.of(c.amountInvolved); amountAgreedYuan = Yuan.of(c.amountAgreed); amountPaidYuan = Yuan.of(c.amountPaid)
        peopleInvolved = c.peopleInvolved
    }
}

struct MediationMeasuresDTO: Content {
    var area: AreaRefDTO
    var from: String
    var to: String
    var total: MediationCountsDTO
    var byType: [MediationCountsDTO]
    var byTier: [MediationCountsDTO]
    var byMediator: [MediationCountsDTO]
}

enum Yuan {
    static func of(_ fen: Fen) -> Double { Double(fen) / 100 }

    /// Yuan as typed (at most two decimals kept) to fen; nil for a negative, non-finite or absurd amount.
    static func fen(_ yuan: Double) -> Fen? {
        guard yuan.isFinite, yuan >= 0, yuan <= 1e12 else { return nil }
        return Fen((yuan * 100).rounded())
    }
}
