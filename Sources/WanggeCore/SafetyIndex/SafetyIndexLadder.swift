import Foundation

/// What an area's red months raise (DESIGN §6, seed 004): a warning notice (预警通知) for every red month; at
/// `redMonthsForRectification` red months in a row a special supervision notice (专项督办通知) and a rectification
/// task (整改任务) due in `rectificationDays` calendar days, lifted only after reviews at three levels in order; and a
/// county's extra steps (a talk with the leaders at four, accountability at five). Configuration, not code.
///
/// `decide` is a pure function of the bands and the reviews, replayed from the first month: asked again about the
/// same month it answers the same raises under the same keys (the store keeps one per key), and a run of red months
/// raises each step once. The rules it replays:
/// - A run is consecutive red months; a month that is not red, or has no published band, ends it.
/// - A rectification is raised when a run reaches the length, unless one is still open (it stands for both).
/// - Its 30 days run from the first day after the month that completed the run (no month's index is published
///   before then), so the due date does not depend on the day the job ran.
/// - It is lifted by the county-level review. A lift ends the run: the month of the lift starts no new run, the next
///   red month is the first of a new one. Reviews dated after a month's end do not change what that month raised,
///   nor the state reported for it (ask about the current month, with no band yet, for today's state).
public struct SafetyIndexLadder: Hashable, Sendable, Codable {
    public var redMonthsForRectification: Int
    public var rectificationDays: Int
    public var extraSteps: [SafetyIndexLadderStep]

    public init(redMonthsForRectification: Int = 3, rectificationDays: Int = 30, extraSteps: [SafetyIndexLadderStep] = []) {
        self.redMonthsForRectification = redMonthsForRectification
        self.rectificationDays = rectificationDays
        self.extraSteps = extraSteps
    }

    /// Three red months, 30 days, no extra steps (Zhucheng, seed 004).
    public static let standard = SafetyIndexLadder()

    /// Every bad field, as `SafetyIndexFormula.validate`.
    public func validate() -> [SafetyIndexFormulaProblem] {
        var problems: [SafetyIndexFormulaProblem] = []
        if !(1...24).contains(redMonthsForRectification) { problems.append(.init("redMonthsForRectification", "must be 1 to 24")) }
        if !(1...366).contains(rectificationDays) { problems.append(.init("rectificationDays", "must be 1 to 366")) }
        if extraSteps.count > 20 { problems.append(.init("extraSteps", "at most 20 steps")) }
        var seen: Set<String> = []
        for (i, step) in extraSteps.enumerated() {
            if !(1...120).contains(step.atRedMonths) { problems.append(.init("extraSteps[\(i)].atRedMonths", "must be 1 to 120")) }
            if step.code.trimmingCharacters(in: .whitespaces).isEmpty || step.code.count > 64 {
                problems.append(.init("extraSteps[\(i)].code", "must be 1 to 64 characters, not blank"))
            }
            if !seen.insert(step.code).inserted { problems.append(.init("extraSteps[\(i)].code", "step code \(step.code) is used twice")) }
            if step.name.trimmingCharacters(in: .whitespaces).isEmpty || step.nameEN.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.init("extraSteps[\(i)].name", "needs name and nameEN"))
            }
        }
        return problems
    }
}

/// A county's own step at a length of red run (约谈 at four, 问责 at five).
public struct SafetyIndexLadderStep: Hashable, Sendable, Codable {
    public var atRedMonths: Int
    public var code: String
    public var name: String
    public var nameEN: String

    enum CodingKeys: String, CodingKey { case atRedMonths, code, name, nameEN = "nameEn" }

    public init(atRedMonths: Int, code: String, name: String, nameEN: String) {
        self.atRedMonths = atRedMonths
        self.code = code
        self.name = name
        self.nameEN = nameEN
    }
}

/// The levels that review a rectification, in the order they must.
public enum RectificationReviewLevel: String, Hashable, Sendable, Codable, CaseIterable {
    /// The grid or the village (网格/村社区).
    case village
    case township
    case county

    public var nameZH: String {
        switch self {
        case .village: "网格/村（社区）"
        case .township: "乡镇（街道）"
        case .county: "县委政法委"
        }
    }
}

/// One recorded review of a rectification.
public struct RectificationReview: Hashable, Sendable, Codable {
    public var rectificationKey: String
    public var level: RectificationReviewLevel
    public var on: CivilDate
    public var by: String
    public var note: String

    public init(rectificationKey: String, level: RectificationReviewLevel, on: CivilDate, by: String, note: String) {
        self.rectificationKey = rectificationKey
        self.level = level
        self.on = on
        self.by = by
        self.note = note
    }
}

/// A rectification task and how far its reviews have come.
public struct SafetyIndexRectification: Hashable, Sendable {
    public var key: String
    /// The month that completed the run.
    public var month: SafetyIndexMonth
    public var issuedOn: CivilDate
    public var dueOn: CivilDate
    /// The reviews accepted so far, in order.
    public var reviews: [RectificationReview]

    /// The level whose review comes next; nil once lifted.
    public var nextLevel: RectificationReviewLevel? {
        reviews.count < RectificationReviewLevel.allCases.count ? RectificationReviewLevel.allCases[reviews.count] : nil
    }
    public var liftedOn: CivilDate? { nextLevel == nil ? reviews.last?.on : nil }
    public func isOverdue(on day: CivilDate) -> Bool { liftedOn == nil && day > dueOn }

    /// Why `review` cannot be the next one, or nil when it can: it must be this task's, the next level, dated on or
    /// after the issue and the previous review, with a note and a reviewer.
    public func refusal(of review: RectificationReview) -> String? {
        guard review.rectificationKey == key else { return "rectificationKey: not this rectification (\(key))" }
        guard let next = nextLevel else { return "level: the rectification is lifted already" }
        guard review.level == next else { return "level: the \(next.rawValue) review comes next, not \(review.level.rawValue)" }
        guard review.on >= (reviews.last?.on ?? issuedOn) else { return "on: a review cannot be dated before the issue or the previous review" }
        guard !review.note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, review.note.count <= 2_000 else {
            return "note: each review records a note of 1 to 2000 characters"
        }
        guard !review.by.trimmingCharacters(in: .whitespaces).isEmpty else { return "by: who reviewed is required" }
        return nil
    }
}

/// What the ladder raises for one month, each under a key the store keeps once.
public struct SafetyIndexLadderRaise: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case warningNotice
        case specialSupervision
        case rectification
        case step(String)
    }

    public var kind: Kind
    public var key: String
    public var month: SafetyIndexMonth
    /// Red months in a row when it was raised (0 for a red month that a lift in it excluded from any run).
    public var redMonths: Int
    public var dueOn: CivilDate?
}

public struct SafetyIndexLadderDecision: Hashable, Sendable {
    public var raises: [SafetyIndexLadderRaise]
    /// The rectification still open after the month, if any.
    public var open: SafetyIndexRectification?
    /// Every rectification raised up to the month, lifted or not.
    public var rectifications: [SafetyIndexRectification]
}

extension SafetyIndexLadder {
    /// What `month` raises for `area`, given every published band of the area up to it (later ones are ignored) and
    /// the reviews recorded so far in the order recorded (one that `refusal(of:)` would refuse is skipped).
    public func decide(area: String, month: SafetyIndexMonth, bands: [SafetyIndexMonth: SafetyBand],
                       reviews: [RectificationReview]) -> SafetyIndexLadderDecision {
        let prefix = "safety-index:\(area):"
        let first = bands.keys.filter { $0 <= month }.min() ?? month
        var run = 0
        var runStart: SafetyIndexMonth?
        var open: Int?
        var all: [SafetyIndexRectification] = []
        var raises: [SafetyIndexLadderRaise] = []
        for i in first.index...month.index {
            let m = SafetyIndexMonth(index: i)
            raises = []
            let endOfMonth = m.dayAfter
            var liftedNow = false
            if let o = open, let lifted = all[o].liftedOn, lifted < endOfMonth {
                open = nil
                run = 0
                runStart = nil
                liftedNow = true
            }
            if bands[m] == .red {
                raises.append(SafetyIndexLadderRaise(kind: .warningNotice, key: prefix + "warning:\(m)", month: m, redMonths: liftedNow ? 0 : run + 1))
                if !liftedNow {
                    run += 1
                    runStart = runStart ?? m
                }
            } else {
                run = 0
                runStart = nil
            }
            if let start = runStart {
                let runKey = prefix + "run:\(start):"
                if run == redMonthsForRectification && open == nil {
                    let issued = endOfMonth
                    var r = SafetyIndexRectification(key: runKey + "rectification", month: m, issuedOn: issued,
                                                     dueOn: issued.adding(days: rectificationDays), reviews: [])
                    for review in reviews where review.on < month.dayAfter && r.refusal(of: review) == nil { r.reviews.append(review) }
                    all.append(r)
                    open = all.count - 1
                    raises.append(SafetyIndexLadderRaise(kind: .specialSupervision, key: runKey + "special-supervision", month: m, redMonths: run))
                    raises.append(SafetyIndexLadderRaise(kind: .rectification, key: r.key, month: m, redMonths: run, dueOn: r.dueOn))
                }
                for step in extraSteps where step.atRedMonths == run {
                    raises.append(SafetyIndexLadderRaise(kind: .step(step.code), key: runKey + step.code, month: m, redMonths: run))
                }
            }
        }
        return SafetyIndexLadderDecision(raises: raises, open: open.map { all[$0] }, rectifications: all)
    }
}
