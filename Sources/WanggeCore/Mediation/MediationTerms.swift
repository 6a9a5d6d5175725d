import Foundation

/// Where a mediation case stands.
public enum MediationState: String, CaseIterable, Codable, Sendable {
    /// Registered (from a case, a walk-in, the hotline or a referral), not yet taken on.
    case registered
    /// Taken on: its time limit runs; mediators not yet assigned.
    case accepted
    /// Mediators assigned; sessions are held.
    case mediating
    /// Ended in an agreement: performance, judicial confirmation and follow-up visits follow.
    case agreed
    /// Ended without agreement, with the route given (court, arbitration, an administrative body).
    case failed
    /// Withdrawn by the applicant.
    case withdrawn
    case closed

    public var isOpen: Bool { self == .registered || self == .accepted || self == .mediating }
    /// Ended (the denominator of the success rate).
    public var isConcluded: Bool { self == .agreed || self == .failed || self == .withdrawn }

    public var nameZH: String {
        switch self {
        case .registered: "已登记"
        case .accepted: "已受理"
        case .mediating: "调解中"
        case .agreed: "达成协议"
        case .failed: "调解不成"
        case .withdrawn: "已撤回"
        case .closed: "已结案"
        }
    }

    public var nameEN: String {
        switch self {
        case .registered: "Registered"
        case .accepted: "Accepted"
        case .mediating: "Mediating"
        case .agreed: "Agreed"
        case .failed: "No agreement"
        case .withdrawn: "Withdrawn"
        case .closed: "Closed"
        }
    }
}

/// 梯次调解: grid → village committee → township → county. Most disputes should end at the lowest tier.
public enum MediationTier: String, CaseIterable, Codable, Sendable, Comparable {
    case grid, village, township, county

    public var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    /// The tier above; nil at the county.
    public var next: MediationTier? { rank + 1 < Self.allCases.count ? Self.allCases[rank + 1] : nil }
    /// The area level a tier's committee serves.
    public var level: AreaLevel {
        switch self {
        case .grid: .grid
        case .village: .village
        case .township: .township
        case .county: .county
        }
    }

    public init?(level: AreaLevel) {
        guard let t = Self.allCases.first(where: { $0.level == level }) else { return nil }
        self = t
    }

    public var nameZH: String {
        switch self {
        case .grid: "网格"
        case .village: "村（社区）"
        case .township: "乡镇（街道）"
        case .county: "县"
        }
    }

    public var nameEN: String { rawValue.capitalized }
}

/// 人民调解, 行政调解, 司法调解.
public enum MediationChannel: String, CaseIterable, Codable, Sendable {
    case people, administrative, judicial

    public var nameZH: String {
        switch self {
        case .people: "人民调解"
        case .administrative: "行政调解"
        case .judicial: "司法调解"
        }
    }
}

/// Where the dispute came from (警调、诉调、访调对接 are the referrals).
public enum MediationSource: String, CaseIterable, Codable, Sendable {
    /// Reported as a case (any channel of the case loop); `caseID` names it.
    case caseReport = "case"
    case walkIn = "walk_in"
    case hotline
    case police
    case court
    case petition

    public var nameZH: String {
        switch self {
        case .caseReport: "事件转入"
        case .walkIn: "来访"
        case .hotline: "热线"
        case .police: "警调对接"
        case .court: "诉调对接"
        case .petition: "访调对接"
        }
    }
}

/// A small dispute has one working day, a general one three (seed: Huayuan village); at most thirty days unless
/// both parties consent to an extension.
public enum MediationComplexity: String, CaseIterable, Codable, Sendable {
    case simple, general

    public var limit: WorkingDuration { self == .simple ? .days(1) : .days(3) }
}

public struct MediationParty: Hashable, Sendable, Codable {
    public enum Role: String, CaseIterable, Codable, Sendable { case applicant, respondent, thirdParty = "third_party" }
    public enum Kind: String, CaseIterable, Codable, Sendable { case person, organisation }
    public var role: Role
    public var kind: Kind
    public var name: String
    public var phone: String?

    public init(role: Role, kind: Kind, name: String, phone: String?) {
        self.role = role
        self.kind = kind
        self.name = name
        self.phone = phone
    }
}

/// An amount of money in fen (分), so that sums are exact.
public typealias Fen = Int

extension Fen {
    /// `a + b`, or `Int.max` (`Int.min`) where that would overflow. Every sum of stored amounts and people counts goes
    /// through here (or `saturatingSum`), so no history, however absurd, can make a count trap: a total stuck at
    /// `Int.max` fen (about 9.2 × 10¹⁶ yuan) says "at least this much", which the bounds of `MediationLimits` make
    /// unreachable in practice (184,000 agreements at the maximum).
    public static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}

extension Sequence {
    /// The saturating sum (`Fen.saturatingAdd`) of `value` over the elements.
    public func saturatingSum(of value: (Element) -> Int) -> Int {
        reduce(0) { Fen.saturatingAdd($0, value($1)) }
    }
}

/// The bounds a mediation's numbers are checked against when they are entered (`MediationLifecycle` names the field).
public enum MediationLimits {
    /// 10¹⁰ yuan, in fen: the most a dispute may involve, and the most one term of an agreement may be.
    public static let maximumAmount: Fen = 1_000_000_000_000
    /// Terms of one agreement (the API's bound too).
    public static let maximumTerms = 50
    public static let maximumPeople = 1_000_000

    /// "12345.67" for 1,234,567 fen: how an amount is quoted in a refusal.
    public static func yuanText(_ fen: Fen) -> String {
        let sign = fen < 0 ? "-" : ""
        let m = fen.magnitude
        let cents = m % 100
        return "\(sign)\(m / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// One term of an agreement: who owes what, how much, by when.
public struct AgreementTerm: Hashable, Sendable, Codable {
    public var obligor: String
    public var description: String
    public var amount: Fen
    public var dueDate: CivilDate

    public init(obligor: String, description: String, amount: Fen, dueDate: CivilDate) {
        self.obligor = obligor
        self.description = description
        self.amount = amount
        self.dueDate = dueDate
    }
}

/// What was paid or done against one term (its index in the agreement).
public struct TermPerformance: Hashable, Sendable, Codable {
    public var term: Int
    public var amount: Fen
    public var performedOn: CivilDate

    public init(term: Int, amount: Fen, performedOn: CivilDate) {
        self.term = term
        self.amount = amount
        self.performedOn = performedOn
    }
}

public struct MediationSession: Hashable, Sendable, Codable {
    public var at: Date
    public var place: String
    /// Filled when the session is recorded.
    public var notes: String?
    public var participants: [String]

    public init(at: Date, place: String, notes: String? = nil, participants: [String] = []) {
        self.at = at
        self.place = place
        self.notes = notes
        self.participants = participants
    }
}

/// When no agreement is reached: where the parties are sent.
public enum FailureRoute: String, CaseIterable, Codable, Sendable { case court, arbitration, administrative }

public enum FollowUpResult: String, CaseIterable, Codable, Sendable { case settled, recurred }

/// 司法确认: applied for within 30 days of the agreement taking effect (calendar days), then confirmed or refused.
public struct JudicialConfirmation: Hashable, Sendable, Codable {
    public var appliedOn: CivilDate
    public var court: String
    /// nil while the court has not decided.
    public var confirmed: Bool?
    public var refusalReason: String?
    /// When the court's decision was recorded.
    public var decidedAt: Date?

    /// Calendar days after the agreement's effective date within which one may apply.
    public static let windowDays = 30
}
