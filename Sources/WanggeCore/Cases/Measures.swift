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
        var tally: [MeasureKind: Measure] = [:]
        for kind in MeasureKind.allCases { tally[kind] = Measure(numerator: 0, denominator: 0) }
        func count(_ kind: MeasureKind, _ success: Bool) {
            tally[kind]!.denominator += 1
            if success { tally[kind]!.numerator += 1 }
        }
        func inPeriod(_ t: Date) -> Bool { t >= period.start && t < period.end }

        for history in cases {
            guard let facts = CaseFacts(history, asOf: asOf) else { continue }
            for (success, decidedAt) in facts.signClocks(calendar: calendar) where inPeriod(decidedAt) {
                count(.instantResponse, success)
            }
            if let timely = facts.feedback(closedIn: inPeriod, calendar: calendar) {
                count(.timelyFeedback, timely)
            }
            if let deadline = facts.closureDeadline(calendar: calendar), inPeriod(deadline), deadline <= asOf,
               facts.finalState != .rejected, facts.finalState != .merged {
                let closed = facts.finalState == .closed
                count(.effectiveCompletion, closed)
                let lastClose = facts.actions.last { $0.kind == .close }
                count(.onTimeClosure, closed && lastClose.map { $0.at <= deadline } == true)
            }
            if let firstResolve = facts.actions.first(where: { $0.kind == .resolve || $0.kind == .selfResolve }),
               inPeriod(firstResolve.at) {
                count(.rework, facts.actions.contains { $0.kind == .verifyFail || $0.reopenedByRating })
            }
            if let lastRating = facts.actions.last(where: { $0.kind == .rate && inPeriod($0.at) }),
               case .rating(let rating, _)? = lastRating.detail {
                count(.satisfaction, rating.countsAsSatisfied)
            }
        }
        return MeasureReport(period: period, asOf: asOf, measures: tally)
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

    /// Every dispatch's sign clock with a known result: (signed in time, when the result was known).
    func signClocks(calendar: WorkingCalendar) -> [(Bool, Date)] {
        let limit = intake.limits.sign.workingSeconds(given: calendar.hours)
        var result: [(Bool, Date)] = []
        for (i, dispatch) in actions.enumerated() where dispatch.kind == .dispatch || dispatch.kind == .transfer {
            let end = actions[(i + 1)...].first { $0.fromState == .dispatched && ($0.toState != .dispatched || $0.kind == .transfer) }
            let (seconds, pausedAt) = stretch(limit, from: dispatch.at, before: end?.at, calendar: calendar)
            let deadline = calendar.adding(workingSeconds: seconds, to: dispatch.at)
            if let end {
                if end.kind == .sign {
                    result.append(end.at <= deadline ? (true, end.at) : (false, deadline))
                } else if end.at > deadline {
                    result.append((false, deadline))  // withdrawn unsigned within the limit: not counted
                }
            } else if deadline < (pausedAt ?? asOf) {
                result.append((false, deadline))
            }
        }
        return result
    }

    /// Whether feedback followed this period's last closing within the limit; nil when the case has no reporter,
    /// was not closed in the period, or the result is not known yet.
    func feedback(closedIn inPeriod: (Date) -> Bool, calendar: WorkingCalendar) -> Bool? {
        guard intake.hasReporter,
              let closeIndex = actions.lastIndex(where: { $0.kind == .close && inPeriod($0.at) })
        else { return nil }
        let deadline = calendar.adding(Measures.feedbackLimit, to: actions[closeIndex].at)
        let after = actions[(closeIndex + 1)...]
        let nextClose = after.firstIndex { $0.kind == .close } ?? actions.endIndex
        if let feedback = actions[(closeIndex + 1)..<nextClose].first(where: { $0.kind == .feedback }) {
            return feedback.at <= deadline
        }
        return deadline < asOf ? false : nil
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
