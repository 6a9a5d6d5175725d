import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The policy the risk register's rules read (`RiskPolicy`): the county's catalogue (`risk.json`, read at start)
/// and the heightened periods an administrator has set and not called off, read from the store for each command and
/// each run of the clock job, so a new period takes effect without a restart.
enum RiskPolicies {
    /// Periods that ended longer ago than this cannot move a due date: a review interval is at most a year.
    static let lookBack: TimeInterval = 400 * 86_400
    static let maximumPeriods = 1000

    static func current(_ app: Application, now: Date) async throws -> RiskPolicy {
        let periods = try await SafetyRegisterQueries.periods(endAfter: now.addingTimeInterval(-lookBack), includeWithdrawn: false,
                                                              limit: maximumPeriods, on: app.db)
        return RiskPolicy(catalogue: app.wangge.riskCatalogue, heightenedPeriods: periods.map(\.period))
    }
}

extension Request {
    func riskPolicy() async throws -> RiskPolicy { try await RiskPolicies.current(application, now: now) }
    var riskCatalogue: RiskCatalogue { application.wangge.riskCatalogue }
}

/// The clock job on the register: under the current policy it reschedules a review a heightened period (or its
/// calling off) moves and supervises a late review once. When the policy changed since this server last went
/// through every open entry (a period set or called off, or the first run after a start with another catalogue),
/// it goes through every open entry once more; the steps are idempotent, so two servers doing so write each change
/// once and the later finds nothing to do.
extension RiskKind {
    typealias ClockContext = RiskPolicy

    static func clockContext(app: Application, now: Date) async throws -> RiskPolicy {
        try await RiskPolicies.current(app, now: now)
    }

    static func clockSteps(_ r: StoredRisk, now: Date, calendar: WorkingCalendar, context: RiskPolicy) -> [LifecycleStep<RiskLifecycle>] {
        RiskLifecycle.clockSteps(r.snapshot, now: now, calendar: calendar, policy: context)
    }

    static func alsoForClockJob(_ policy: RiskPolicy, app: Application) async throws -> [StoredRisk] {
        guard app.wangge.riskPolicySwept.withLockedValue({ $0 }) != policy else { return [] }
        return try await RecordStore<RiskKind>.inClockStates(on: app.db)
    }

    static func clockRunFinished(_ policy: RiskPolicy, app: Application) {
        app.wangge.riskPolicySwept.withLockedValue { $0 = policy }
    }
}
