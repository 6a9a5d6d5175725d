import Foundation

/// What raised a warning (预警) on an area: early warning's unusual rise of cases, or a step of the safety index's
/// ladder (`SafetyIndexLadder`). One list, one set of actions, whatever raised it.
public enum WarningKind: String, CaseIterable, Codable, Sendable {
    /// An unusual rise of cases of one category in one area (`EarlyWarning`).
    case spike
    /// A red month's warning notice (预警通知).
    case indexWarning = "index_warning"
    /// A special supervision notice (专项督办通知) after a run of red months.
    case specialSupervision = "special_supervision"
    /// The rectification task (整改任务) that goes with it, lifted after reviews at three levels.
    case rectification
    /// A county's own step of the ladder (约谈, 问责).
    case step
    /// An entry of the risk register registered at, or raised to, orange or red: its area's leaders are told.
    case riskRaised = "risk_raised"

    public var nameZH: String {
        switch self {
        case .spike: "案件异常上升"
        case .indexWarning: "平安指数红色预警通知"
        case .specialSupervision: "专项督办通知"
        case .rectification: "限期整改"
        case .step: "追加措施"
        case .riskRaised: "风险升至橙色/红色"
        }
    }

    public var nameEN: String {
        switch self {
        case .spike: "Unusual rise of cases"
        case .indexWarning: "Red index warning notice"
        case .specialSupervision: "Special supervision notice"
        case .rectification: "Rectification"
        case .step: "Further step"
        case .riskRaised: "Risk raised to orange or red"
        }
    }
}

public enum WarningStatus: String, CaseIterable, Codable, Sendable {
    case open
    /// Seen and taken up (a spike, a notice).
    case acknowledged
    /// Judged not to need action, with a note (a spike only).
    case dismissed
    /// A rectification lifted after its three reviews.
    case lifted

    public var nameZH: String {
        switch self {
        case .open: "待处理"
        case .acknowledged: "已签收"
        case .dismissed: "已排除"
        case .lifted: "已解除"
        }
    }
}

public enum WarningAction: String, CaseIterable, Codable, Sendable {
    case acknowledge, dismiss, review
}

/// The rules of a warning's actions: a spike is acknowledged or dismissed (with a note); a notice is acknowledged;
/// a rectification is reviewed at the village, township and county levels in order, each by staff of that level,
/// and the third review lifts it.
public enum WarningRules {
    public static let noteLength = 2_000

    public static func allowedActions(kind: WarningKind, status: WarningStatus) -> [WarningAction] {
        switch (kind, status) {
        case (.spike, .open): [.acknowledge, .dismiss]
        case (.rectification, .open), (.rectification, .acknowledged): [.review]
        case (.rectification, _), (.spike, _): []
        case (_, .open): [.acknowledge]
        default: []
        }
    }

    /// The status after `action`, or why it is refused. `reviewsDone` is how many reviews a rectification has;
    /// `reviewerLevel` the level of the reviewer's scope.
    public static func apply(_ action: WarningAction, kind: WarningKind, status: WarningStatus, note: String?,
                             reviewsDone: Int, reviewerLevel: AreaLevel) -> Result<WarningStatus, WarningRefusal> {
        guard allowedActions(kind: kind, status: status).contains(action) else { return .failure(.notAllowed(allowedActions(kind: kind, status: status))) }
        let text = note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.count > noteLength { return .failure(.bad(field: "note", reason: "at most \(noteLength) characters")) }
        switch action {
        case .acknowledge:
            return .success(.acknowledged)
        case .dismiss:
            guard !text.isEmpty else { return .failure(.bad(field: "note", reason: "a dismissal says why, in a note")) }
            return .success(.dismissed)
        case .review:
            guard reviewsDone < RectificationReviewLevel.allCases.count else { return .failure(.notAllowed([])) }
            let level = RectificationReviewLevel.allCases[reviewsDone]
            guard level.accepts(reviewerLevel) else {
                return .failure(.bad(field: "level", reason: "the \(level.rawValue) review comes next and is made by \(level.rawValue) staff"))
            }
            guard !text.isEmpty else { return .failure(.bad(field: "note", reason: "each review records a note")) }
            return .success(reviewsDone + 1 == RectificationReviewLevel.allCases.count ? .lifted : .acknowledged)
        }
    }
}

public enum WarningRefusal: Error, Hashable, Sendable {
    /// The action is not one the warning allows now; these are.
    case notAllowed([WarningAction])
    case bad(field: String, reason: String)
}

extension RectificationReviewLevel {
    /// Whether staff whose scope is an area of `level` make this review: the village review by village or grid
    /// staff, the township's by township staff, the county's by county staff.
    public func accepts(_ level: AreaLevel) -> Bool {
        switch self {
        case .village: level >= .village
        case .township: level == .township
        case .county: level == .county
        }
    }
}
