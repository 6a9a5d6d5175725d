import Foundation

/// Where an entry of the risk register stands (登记 → 审核 → 审批 → 移送/管控 → 销号 → 归档).
public enum RiskState: String, CaseIterable, Codable, Sendable {
    /// Registered with a first assessment, not yet reviewed by the risk office.
    case registered
    /// Reviewed (审核): the level confirmed, raised or lowered; awaiting approval.
    case reviewed
    /// Approved (审批) by a leader; awaiting transfer to the responsible department.
    case approved
    /// Transferred (移送) to its responsible department, which was told (告知) and reports back (反馈); reviewed on
    /// its cadence until it is cleared.
    case active
    /// Cleared (销号): the hazard is gone, after a review found it so.
    case cleared
    /// Archived (归档): cleared, or found at registration not to be a risk.
    case archived

    /// Still a hazard on the register: reviewed on its cadence.
    public var isOpen: Bool { self != .cleared && self != .archived }

    public var nameZH: String {
        switch self {
        case .registered: "已登记"
        case .reviewed: "已审核"
        case .approved: "已审批"
        case .active: "管控中"
        case .cleared: "已销号"
        case .archived: "已归档"
        }
    }

    public var nameEN: String {
        switch self {
        case .registered: "Registered"
        case .reviewed: "Reviewed"
        case .approved: "Approved"
        case .active: "Under control"
        case .cleared: "Cleared"
        case .archived: "Archived"
        }
    }
}

public enum RiskActionKind: String, CaseIterable, Codable, Sendable {
    case register, review, approve, transfer, feedback, plan
    case linkCases = "link_cases"
    case clear, archive, reschedule, supervise

    public var nameZH: String {
        switch self {
        case .register: "登记"
        case .review: "审核研判"
        case .approve: "审批"
        case .transfer: "移送告知"
        case .feedback: "反馈"
        case .plan: "管控措施"
        case .linkCases: "关联事件"
        case .clear: "销号"
        case .archive: "归档"
        case .reschedule: "调整复核时间"
        case .supervise: "督办"
        }
    }
}

/// What a review decides about the level. `raise` and `lower` move it to the level the review's assessment
/// proposes, which must lie in that direction: a change of level always rests on an assessment. `keep` holds the
/// level, with a note when the assessment proposes another (the reviewer's judgement over the matrix, in writing).
/// `clear` says the hazard is gone; a leader then clears (销号) the entry.
public enum RiskDecision: String, CaseIterable, Codable, Sendable {
    case keep, raise, lower, clear

    public var nameZH: String {
        switch self {
        case .keep: "维持"
        case .raise: "升级"
        case .lower: "降级"
        case .clear: "建议销号"
        }
    }
}

/// A member of staff named on a risk (never a resident: the register lists hazards, not people).
public struct RiskOwner: Hashable, Sendable, Codable {
    /// The staff account's user name.
    public var username: String
    /// The name shown (the account's display name).
    public var name: String

    public init(username: String, name: String) {
        self.username = username
        self.name = name
    }
}

/// Who answers for a risk: the responsible department (责任单位), its responsible leader (责任领导) and the person in
/// charge (责任人), all staff accounts.
public struct RiskOwners: Hashable, Sendable, Codable {
    public var departmentCode: String
    public var leader: RiskOwner
    public var personInCharge: RiskOwner

    public init(departmentCode: String, leader: RiskOwner, personInCharge: RiskOwner) {
        self.departmentCode = departmentCode
        self.leader = leader
        self.personInCharge = personInCharge
    }

    enum CodingKeys: String, CodingKey {
        case departmentCode = "department_code", leader
        case personInCharge = "person_in_charge"
    }

    /// The owners a transfer names, from the accounts and the department the server found (nil: none): the
    /// department exists, the responsible leader is a leader's account and the person in charge belongs to the
    /// department. The first problem as (field, reason); nil when they can own a risk. Names are the accounts'.
    public static func owners(departmentCode: String, department: Department?, leader: StaffAccount?, personInCharge: StaffAccount?)
        -> Result<RiskOwners, RiskRuleError> {
        guard department != nil else { return .failure(.invalidField(field: "department_code", reason: "names no department")) }
        guard let l = leader, l.role == .leader else { return .failure(.invalidField(field: "leader", reason: "must be a leader's account")) }
        guard let p = personInCharge, p.scope.departmentCode == departmentCode else {
            return .failure(.invalidField(field: "person_in_charge", reason: "must be an account of the department \(departmentCode)"))
        }
        return .success(RiskOwners(departmentCode: departmentCode, leader: RiskOwner(username: l.username, name: l.displayName),
                                   personInCharge: RiskOwner(username: p.username, name: p.displayName)))
    }
}

/// One measure of a risk's mitigation plan (管控措施), with its due date and, once reported done, the day it was.
public struct MitigationMeasure: Hashable, Sendable, Codable {
    public var description: String
    public var dueOn: CivilDate
    public var doneOn: CivilDate?

    public init(description: String, dueOn: CivilDate, doneOn: CivilDate? = nil) {
        self.description = description
        self.dueOn = dueOn
        self.doneOn = doneOn
    }

    enum CodingKeys: String, CodingKey {
        case description
        case dueOn = "due_on"
        case doneOn = "done_on"
    }
}

/// What a risk is when it is registered: a hazard or situation in a place. It has no field about a person.
public struct RiskRegistration: Hashable, Sendable, Codable {
    /// `FX-YYYYMMDD-NNNNNN`, given by the store's counter.
    public var code: String
    public var categoryCode: String
    /// A short name for lists ("某厂消防通道堵塞").
    public var title: String
    public var description: String
    /// The smallest area the risk lies in, and its stored path ("330599/330599001/330599001002/").
    public var areaCode: String
    public var areaPath: String
    public var point: GeoPoint?
    /// A place of the registry (a factory, a market, a school), when the risk is one place's.
    public var placeCode: String?
    /// The registrar's assessment: it proposes the level the entry starts at.
    public var assessment: RiskAssessment
    /// Cases that revealed the risk.
    public var caseCodes: [String]

    public init(code: String, categoryCode: String, title: String, description: String, areaCode: String, areaPath: String,
                point: GeoPoint? = nil, placeCode: String? = nil, assessment: RiskAssessment, caseCodes: [String] = []) {
        self.code = code
        self.categoryCode = categoryCode
        self.title = title
        self.description = description
        self.areaCode = areaCode
        self.areaPath = areaPath
        self.point = point
        self.placeCode = placeCode
        self.assessment = assessment
        self.caseCodes = caseCodes
    }
}

/// One review (审核 or 复核) as it stands in the snapshot.
public struct RiskReview: Hashable, Sendable, Codable {
    public var assessment: RiskAssessment
    public var proposedLevel: Int
    public var decision: RiskDecision
    public var fromLevel: Int
    public var level: Int
    public var at: Date
    /// The reviewer's user name.
    public var by: String?
    public var note: String?
}

public struct RiskTransfer: Hashable, Sendable, Codable {
    public var owners: RiskOwners
    public var at: Date
    public var note: String?
}

/// A report back from the responsible department (反馈), with the measures it reports done.
public struct RiskFeedback: Hashable, Sendable, Codable {
    public var text: String
    public var measuresDone: [Int]
    public var at: Date
    public var by: String?
}

/// Bounds on what a risk's fields may hold (the API's bounds too).
public enum RiskLimits {
    public static let nameLength = 64
    public static let titleLength = 100
    public static let textLength = 2000
    public static let codeLength = 64
    public static let maximumMeasures = 50
    public static let maximumCaseLinks = 100
    /// A measure may be due at most this many days ahead.
    public static let planHorizonDays = 3660

    /// A code of an area, department, category, place or case: 1 to 64 ASCII letters, digits, '_' or '-'.
    public static func isCode(_ s: String) -> Bool {
        (1...codeLength).contains(s.utf8.count) && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// A staff account's user name, by the accounts' rule (`AccountRules.validate`): 3 to 32 ASCII letters, digits,
    /// '_', '-' or '.'.
    public static func isUsername(_ s: String) -> Bool {
        (3...32).contains(s.utf8.count) && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }
    }
}
