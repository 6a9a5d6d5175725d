import Foundation

/// The clock job's settings.
public struct ClockPolicy: Hashable, Sendable {
    /// How long unsigned work may stay unsigned past its sign deadline before it is escalated to the centre one
    /// level up, in working time.
    public var autoEscalateAfter: WorkingDuration

    public init(autoEscalateAfter: WorkingDuration = .hours(4)) {
        self.autoEscalateAfter = autoEscalateAfter
    }
}

/// What the clock job does to one case.
public enum ClockEffect: Hashable, Sendable {
    /// Raise a 督办 for unsigned-late (dispatched) or resolve-late (signed) work.
    case supervise(SupervisionReason)
    /// Move unsigned work to the centre one level up.
    case autoEscalate

    /// The command that carries the effect out, as the system actor.
    public var command: CaseCommand {
        switch self {
        case .supervise(let reason): .supervise(reason)
        case .autoEscalate: .autoEscalate
        }
    }
}

/// The rule of the periodic clock job, pure: it looks at a snapshot and the time and says what to do. The snapshot
/// records what was raised, so running the job any number of times raises each supervision once per stage and
/// escalates once per level.
public enum ClockJob {
    /// The effects due at `now`, in the order to apply them. Nothing while the case is suspended.
    public static func evaluate(_ s: CaseSnapshot, now: Date, calendar: WorkingCalendar,
                                policy: ClockPolicy = ClockPolicy()) -> [ClockEffect] {
        guard !s.isSuspended else { return [] }
        var effects: [ClockEffect] = []
        if let reason = CasePermissions.automaticSupervision(for: s.state),
           let deadline = reason == .unsignedLate ? s.deadlines.sign : s.deadlines.resolve, now > deadline,
           CasePermissions.denial(of: .supervise, on: s, by: .system) == nil {
            effects.append(.supervise(reason))
        }
        if s.state == .dispatched, let sign = s.deadlines.sign,
           now > calendar.adding(policy.autoEscalateAfter, to: sign),
           CasePermissions.denial(of: .autoEscalate, on: s, by: .system) == nil {
            effects.append(.autoEscalate)
        }
        return effects
    }

    /// Evaluates and applies the effects through the state machine, as the system actor; returns the
    /// transitions to persist in order (empty when nothing is due).
    public static func run(_ s: CaseSnapshot, now: Date, calendar: WorkingCalendar,
                           policy: ClockPolicy = ClockPolicy()) -> [CaseTransition] {
        CaseLifecycle.clockSteps(s, now: now, calendar: calendar, due: evaluate(s, now: now, calendar: calendar, policy: policy).map(\.command))
    }
}
