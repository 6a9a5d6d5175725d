import Foundation

/// One case's history, as stored: its actions in order, the report first.
public struct CaseHistory: Hashable, Sendable {
    public var actions: [CaseActionRecord]

    public init(actions: [CaseActionRecord]) { self.actions = actions }
}

/// The measures of DESIGN §5, computed from the actions only (never from the counters on the case row), so a
/// number can always be traced to the steps behind it. `MeasureKind.definitionZH/EN` say in words what each
/// counts; this is those words in code.
///
/// A period is half-open [start, end). Only actions at or before `asOf` (default: the period's end) are looked at,
/// and anything whose result is not yet known at `asOf` is left out rather than counted as a failure: a dispatch
/// still within its sign limit, a closing less than a working day old without feedback, a case whose closure
/// deadline has not come or that is suspended (its deadline will move when it resumes).
public enum Measures {
    /// Feedback to the reporter is timely within this much working time of the closing.
    public static let feedbackLimit = WorkingDuration.days(1)

    public static func compute(cases: [CaseHistory], period: DateInterval, asOf: Date? = nil,
                               calendar: WorkingCalendar) -> MeasureReport {
        let asOf = asOf ?? period.end
        var counts = MeasureCounts()
        for history in cases {
            tally(outcomes(of: history, upTo: asOf, calendar: calendar), asOf: asOf,
                  bucket: { $0 >= period.start && $0 < period.end ? 0 : nil }) { _, kind, success in counts.count(kind, success) }
        }
        return MeasureReport(period: period, asOf: asOf, measures: counts.measures)
    }

    /// Every countable result of one case, from its actions up to `upTo`. Which period a result counts in is left
    /// to `tally`, so the results of a case can be kept (by the case's version) and counted for any period, area or
    /// week without reading its actions again. Results computed with `upTo` at or after the case's last action are
    /// the same for every later `asOf`: `knownFrom` says from when each one counts.
    public static func outcomes(of history: CaseHistory, upTo: Date, calendar: WorkingCalendar) -> [MeasureOutcome] {
        guard let facts = CaseFacts(history, asOf: upTo) else { return [] }
        var out: [MeasureOutcome] = []
        for clock in facts.signClocks(calendar: calendar) {
            out.append(MeasureOutcome(.instantResponse, at: clock.at, success: clock.success, knownFrom: clock.knownFrom, strict: true))
        }
        out += facts.feedbackOutcomes(calendar: calendar)
        if let deadline = facts.closureDeadline(calendar: calendar), facts.finalState != .rejected, facts.finalState != .merged {
            let closed = facts.finalState == .closed
            let lastClose = facts.actions.last { $0.kind == .close }
            out.append(MeasureOutcome(.effectiveCompletion, at: deadline, success: closed, knownFrom: deadline, strict: false))
            out.append(MeasureOutcome(.onTimeClosure, at: deadline, success: closed && lastClose.map { $0.at <= deadline } == true,
                                      knownFrom: deadline, strict: false))
        }
        if let firstResolve = facts.actions.first(where: { $0.kind == .resolve || $0.kind == .selfResolve }) {
            out.append(MeasureOutcome(.rework, at: firstResolve.at,
                                      success: facts.actions.contains { $0.kind == .verifyFail || $0.reopenedByRating }))
        }
        for a in facts.actions where a.kind == .rate {
            if case .rating(let rating, _)? = a.detail {
                out.append(MeasureOutcome(.satisfaction, at: a.at, success: rating.countsAsSatisfied, lastInPeriodOnly: true))
            }
        }
        return out
    }

    /// Counts one case's outcomes: `bucket` names the period an instant falls in (nil: none of them), and `count`
    /// receives (bucket, kind, success) for each result known at `asOf`. Feedback and satisfaction count once per
    /// case and period, by the case's last such outcome in it, and not at all while that one is unknown.
    @inlinable
    public static func tally(_ outcomes: [MeasureOutcome], asOf: Date, bucket: (Date) -> Int?,
                             _ count: (Int, MeasureKind, Bool) -> Void) {
        // No list of the latest per period: a case has a handful of outcomes, so finding whether a later one of
        // the same kind falls in the same period is a short scan, and counting a year of cases allocates nothing.
        for i in outcomes.indices {
            let o = outcomes[i]
            guard let b = bucket(o.at) else { continue }
            if o.lastInPeriodOnly {
                var superseded = false
                for j in outcomes.indices where j != i {
                    let p = outcomes[j]
                    if p.lastInPeriodOnly, p.kind == o.kind, p.at > o.at || (p.at == o.at && j > i), bucket(p.at) == b {
                        superseded = true
                        break
                    }
                }
                if superseded { continue }
            }
            if o.isKnown(asOf: asOf) { count(b, o.kind, o.success) }
        }
    }

    /// The closure deadline as the measures compute it from the actions (it equals the state machine's).
    static func closureDeadline(of history: CaseHistory, asOf: Date, calendar: WorkingCalendar) -> Date? {
        CaseFacts(history, asOf: asOf)?.closureDeadline(calendar: calendar)
    }
}

/// What the measures need from one history, up to `asOf`.
struct CaseFacts {
    let intake: CaseIntake
    let reportedAt: Date
    let actions: [CaseActionRecord]
    let asOf: Date
    /// Suspensions in order; `end` nil for one still running at `asOf`.
    let suspensions: [(start: Date, end: Date?)]

    var finalState: CaseState { actions.last!.toState }

    init?(_ history: CaseHistory, asOf: Date) {
        guard let first = history.actions.first, first.kind == .report, first.at <= asOf,
              case .intake(let intake)? = first.detail
        else { return nil }
        self.intake = intake
        self.reportedAt = first.at
        self.asOf = asOf
        actions = history.actions.filter { $0.at <= asOf }
        var suspensions: [(start: Date, end: Date?)] = []
        for a in actions {
            if a.kind == .suspend { suspensions.append((a.at, nil)) }
            if a.kind == .resume, let last = suspensions.indices.last { suspensions[last].end = a.at }
        }
        self.suspensions = suspensions
    }

    /// Every dispatch's sign clock with a result: (signed in time, when it counts, and from when it is known;
    /// nil: known already). An unsigned dispatch fails at its deadline once that has passed.
    func signClocks(calendar: WorkingCalendar) -> [(success: Bool, at: Date, knownFrom: Date?)] {
        let limit = intake.limits.sign.workingSeconds(given: calendar.hours)
        var result: [(success: Bool, at: Date, knownFrom: Date?)] = []
        for (i, dispatch) in actions.enumerated() where dispatch.kind == .dispatch || dispatch.kind == .transfer {
            let end = actions[(i + 1)...].first { $0.fromState == .dispatched && ($0.toState != .dispatched || $0.kind == .transfer) }
            let (seconds, pausedAt) = stretch(limit, from: dispatch.at, before: end?.at, calendar: calendar)
            let deadline = calendar.adding(workingSeconds: seconds, to: dispatch.at)
            if let end {
                if end.kind == .sign {
                    result.append(end.at <= deadline ? (true, end.at, nil) : (false, deadline, nil))
                } else if end.at > deadline {
                    result.append((false, deadline, nil))  // withdrawn unsigned within the limit: not counted
                }
            } else if let pausedAt {
                if deadline < pausedAt { result.append((false, deadline, nil)) }
            } else if deadline < asOf {
                result.append((false, deadline, deadline))
            }
        }
        return result
    }

    /// For each closing of a case with a reporter: whether feedback followed within the limit and before the next
    /// closing. Without feedback yet, it fails once the limit has passed, and is unknown until then.
    func feedbackOutcomes(calendar: WorkingCalendar) -> [MeasureOutcome] {
        guard intake.hasReporter else { return [] }
        var out: [MeasureOutcome] = []
        for closeIndex in actions.indices where actions[closeIndex].kind == .close {
            let closedAt = actions[closeIndex].at
            let deadline = calendar.adding(Measures.feedbackLimit, to: closedAt)
            let nextClose = actions[(closeIndex + 1)...].firstIndex { $0.kind == .close } ?? actions.endIndex
            if let feedback = actions[(closeIndex + 1)..<nextClose].first(where: { $0.kind == .feedback }) {
                out.append(MeasureOutcome(.timelyFeedback, at: closedAt, success: feedback.at <= deadline, lastInPeriodOnly: true))
            } else {
                out.append(MeasureOutcome(.timelyFeedback, at: closedAt, success: false, knownFrom: deadline, strict: true,
                                          lastInPeriodOnly: true))
            }
        }
        return out
    }

    /// Acceptance (or, for a case resolved on the spot unaccepted, the report) + the closure clock's length +
    /// approved extensions + the working time of suspensions since. Nil before the clock starts and while a
    /// suspension runs.
    func closureDeadline(calendar: WorkingCalendar) -> Date? {
        let start: Date
        if let accept = actions.first(where: { $0.kind == .accept }) {
            start = accept.at
        } else if actions.contains(where: { $0.kind == .selfResolve }) {
            start = reportedAt
        } else {
            return nil
        }
        var seconds = CaseDeadlineRules.closureSeconds(intake.limits, calendar)
        for a in actions where a.kind == .approveExtension {
            if case .extensionRequest(let duration)? = a.detail { seconds += duration.workingSeconds(given: calendar.hours) }
        }
        let (total, pausedAt) = stretch(seconds, from: start, before: nil, calendar: calendar)
        return pausedAt == nil ? calendar.adding(workingSeconds: total, to: start) : nil
    }

    /// `seconds` plus the working time of the finished suspensions that began in [from, before); and when one
    /// that began there is still running, its start.
    private func stretch(_ seconds: Int, from start: Date, before end: Date?, calendar: WorkingCalendar) -> (Int, Date?) {
        var total = seconds
        for s in suspensions where s.start >= start && end.map({ s.start < $0 }) ?? true {
            guard let resumed = s.end else { return (total, s.start) }
            total += calendar.workingSeconds(from: s.start, to: resumed)
        }
        return (total, nil)
    }
}

extension CaseActionRecord {
    var reopenedByRating: Bool {
        if kind == .rate, case .rating(_, true)? = detail { return true }
        return false
    }
}

/// One countable result of one case for one measure: it counts in the period holding `at`, once it is known.
public struct MeasureOutcome: Hashable, Sendable {
    public var kind: MeasureKind
    public var at: Date
    public var success: Bool
    /// Unknown until `asOf` reaches this instant (passes it, when `strict`); nil: known as soon as it exists.
    public var knownFrom: Date?
    public var strict: Bool
    /// Counts once per case and period: the last one of its kind in the period (feedback, satisfaction).
    public var lastInPeriodOnly: Bool

    public init(_ kind: MeasureKind, at: Date, success: Bool, knownFrom: Date? = nil, strict: Bool = false,
                lastInPeriodOnly: Bool = false) {
        self.kind = kind
        self.at = at
        self.success = success
        self.knownFrom = knownFrom
        self.strict = strict
        self.lastInPeriodOnly = lastInPeriodOnly
    }

    @inlinable
    public func isKnown(asOf: Date) -> Bool {
        guard let k = knownFrom else { return true }
        return strict ? k < asOf : k <= asOf
    }
}

/// Numerators and denominators of every measure, counted one result at a time.
///
/// Plain arrays, not SIMD vectors: a 32-byte-aligned SIMD value kept across a suspension point made the Swift 6.3
/// compiler size an async frame too small (AddressSanitizer: heap-buffer-overflow in `DashboardPage.build`'s frame).
public struct MeasureCounts: Hashable, Sendable {
    @usableFromInline var numerators = [Int](repeating: 0, count: MeasureKind.allCases.count)
    @usableFromInline var denominators = [Int](repeating: 0, count: MeasureKind.allCases.count)

    public init() {}

    @inlinable
    public mutating func count(_ kind: MeasureKind, _ success: Bool) {
        count(kind, success, times: 1)
    }

    /// `times` results of one kind and outcome at once (a row of a store's GROUP BY).
    @inlinable
    public mutating func count(_ kind: MeasureKind, _ success: Bool, times: Int) {
        let i = kind.index
        denominators[i] += times
        if success { numerators[i] += times }
    }

    @inlinable
    public mutating func add(_ other: MeasureCounts) {
        for i in numerators.indices {
            numerators[i] += other.numerators[i]
            denominators[i] += other.denominators[i]
        }
    }

    @inlinable
    public var isEmpty: Bool { !denominators.contains { $0 != 0 } }

    public subscript(kind: MeasureKind) -> Measure {
        Measure(numerator: numerators[kind.index], denominator: denominators[kind.index])
    }

    public var measures: [MeasureKind: Measure] {
        Dictionary(uniqueKeysWithValues: MeasureKind.allCases.map { ($0, self[$0]) })
    }
}

extension MeasureKind {
    @inlinable
    public var index: Int {
        switch self {
        case .instantResponse: 0
        case .timelyFeedback: 1
        case .effectiveCompletion: 2
        case .onTimeClosure: 3
        case .rework: 4
        case .satisfaction: 5
        }
    }
}
