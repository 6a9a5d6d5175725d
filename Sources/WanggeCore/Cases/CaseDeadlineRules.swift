import Foundation

/// How the clocks' deadlines are set and moved; shared by the state machine and the measures so that both agree.
///
/// - Sign deadline: dispatch (or transfer) time + the sign limit.
/// - Resolve deadline: sign time (or the time of a rework) + the resolve limit; an approved extension moves it by
///   the working time granted.
/// - Verify deadline: resolve time (or self-resolve time) + the verify limit.
/// - Closure deadline: acceptance time + sign + resolve + verify limits (for a case resolved on the spot without
///   acceptance, its report time), moved by every approved extension.
/// - A suspension (挂账) moves the running stage deadline and the closure deadline by the working time it lasted,
///   on resume: suspended time counts on no clock.
///
/// All limits are working time on the `WorkingCalendar`; a deadline is the instant by which that much working time
/// has passed, and work is late once the time is strictly after its deadline.
public enum CaseDeadlineRules {
    /// The closure clock's length: sign + resolve + verify limits, in working seconds.
    public static func closureSeconds(_ limits: StageLimits, _ calendar: WorkingCalendar) -> Int {
        [limits.sign, limits.resolve, limits.verify].reduce(0) { $0 + $1.workingSeconds(given: calendar.hours) }
    }

    /// The deadlines after a suspension of `seconds` working seconds ends: the clock running in `state` and the
    /// closure clock move; finished stages keep their deadlines.
    static func shifted(_ d: CaseDeadlines, state: CaseState, bySeconds seconds: Int,
                        calendar: WorkingCalendar) -> CaseDeadlines {
        guard seconds > 0 else { return d }
        func shift(_ date: Date?) -> Date? { date.map { calendar.adding(workingSeconds: seconds, to: $0) } }
        var result = d
        switch state {
        case .dispatched: result.sign = shift(d.sign)
        case .signed: result.resolve = shift(d.resolve)
        case .resolved: result.verify = shift(d.verify)
        default: break
        }
        result.closure = shift(d.closure)
        return result
    }
}
