import Foundation

/// The outcome measures of DESIGN §5 that come from the case loop, with their definitions for display.
public enum MeasureKind: String, CaseIterable, Codable, Sendable {
    case instantResponse = "instant_response"
    case timelyFeedback = "timely_feedback"
    case effectiveCompletion = "effective_completion"
    case onTimeClosure = "on_time_closure"
    case rework
    case satisfaction

    public var nameZH: String {
        switch self {
        case .instantResponse: "即时响应率"
        case .timelyFeedback: "及时反馈率"
        case .effectiveCompletion: "有效办结率"
        case .onTimeClosure: "按期结案率"
        case .rework: "返工率"
        case .satisfaction: "群众满意率"
        }
    }

    public var nameEN: String {
        switch self {
        case .instantResponse: "Instant response rate"
        case .timelyFeedback: "Timely feedback rate"
        case .effectiveCompletion: "Effective completion rate"
        case .onTimeClosure: "On-time closure rate"
        case .rework: "Rework rate"
        case .satisfaction: "Satisfaction rate"
        }
    }

    /// Exactly what is counted; `Measures.compute` implements these words.
    public var definitionZH: String {
        switch self {
        case .instantResponse:
            "派遣（含转派）在签收时限内签收的次数 ÷ 签收时限已有结果的派遣次数。计时按工作时间，挂账时间不计。"
                + "在时限内签收的，计入签收时刻所在期间；时限届满未签收的（此后签收或始终未签收），计入时限届满时刻所在期间；"
                + "时限内被退回、转派或上报上级而未签收的不计；尚在时限内的不计。"
        case .timelyFeedback:
            "有报告人的案件中，本期结案（取本期最后一次结案）且结案后 1 个工作日内向报告人反馈的件数 ÷ 本期结案件数；"
                + "结案未满 1 个工作日且尚未反馈的不计。"
        case .effectiveCompletion:
            "结案期限落在本期（且已到）的案件中已结案（核查通过后结案，未被重新打开）的件数 ÷ 这些案件数；"
                + "不予受理和已合并的不计。结案期限 = 受理时刻 + 签收、处置、核查时限之和，加批准的延期，挂账时间顺延。"
        case .onTimeClosure:
            "结案期限落在本期（且已到）的案件中，最后一次结案不晚于结案期限的件数 ÷ 这些案件数；不予受理和已合并的不计。"
        case .rework:
            "首次处置完毕（含自处理）在本期的案件中，曾经返工（核查不通过，或因不满意评价重新打开）的件数 ÷ 这些案件数。"
        case .satisfaction:
            "本期有评价的案件中，本期最后一次评价为满意或基本满意的件数 ÷ 本期有评价的件数。"
        }
    }

    public var definitionEN: String {
        switch self {
        case .instantResponse:
            "Dispatches (transfers included) signed for within the sign limit ÷ dispatches whose sign clock has a "
                + "result. Working time, suspensions excluded. A dispatch signed in time counts in the period of the "
                + "signing; one not signed by its deadline (signed later or never) counts in the period of the deadline; "
                + "one returned, transferred or escalated unsigned within the limit does not count, nor one still "
                + "within its limit."
        case .timelyFeedback:
            "Cases with a reporter closed in the period (their last closing in it) with feedback to the reporter within "
                + "1 working day of closing ÷ those cases; a closing less than 1 working day old without feedback yet "
                + "does not count."
        case .effectiveCompletion:
            "Cases whose closure deadline falls in the period (and has come) that are closed (verified, then closed, "
                + "and not reopened) ÷ those cases; rejected and merged cases do not count. Closure deadline = "
                + "acceptance + sign, resolve and verify limits, plus approved extensions, moved by suspensions."
        case .onTimeClosure:
            "Cases whose closure deadline falls in the period (and has come) whose last closing was at or before the "
                + "closure deadline ÷ those cases; rejected and merged cases do not count."
        case .rework:
            "Cases first resolved (or resolved on the spot) in the period that ever went through rework (verification "
                + "failed, or reopened by an unsatisfied rating) ÷ those cases."
        case .satisfaction:
            "Cases rated in the period whose last rating in the period is satisfied or basically satisfied ÷ cases "
                + "rated in the period."
        }
    }
}

/// One rate with its parts.
public struct Measure: Hashable, Sendable, Codable {
    public var numerator: Int
    public var denominator: Int
    /// Nil when nothing was counted.
    public var rate: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }

    public init(numerator: Int, denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }
}

/// The measures of a set of cases (an area's subtree, chosen by the caller) for a period.
public struct MeasureReport: Hashable, Sendable {
    /// Taken as half-open: an instant equal to `period.end` belongs to the next period.
    public var period: DateInterval
    /// Actions after this instant were ignored.
    public var asOf: Date
    public var measures: [MeasureKind: Measure]

    public subscript(kind: MeasureKind) -> Measure { measures[kind] ?? Measure(numerator: 0, denominator: 0) }
}
