/// Why a case command or a routing request was refused. The HTTP layer maps `notAllowed` and `notDue` to 409,
/// the field errors to 400/422 naming the field.
public enum CaseRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The state, a flag or the actor's role or scope does not allow the action; `allowed` is what this actor
    /// may do now.
    case notAllowed(action: CaseActionKind, state: CaseState, suspended: Bool, reason: String,
                    allowed: [CaseActionKind])
    /// The action is allowed but its time has not come (a clock-job supervision before the deadline).
    case notDue(action: CaseActionKind, reason: String)
    case missingField(action: CaseActionKind, field: String)
    case invalidField(action: CaseActionKind, field: String, reason: String)
    /// A history that does not start with a report or does not follow from itself.
    case invalidHistory(String)
    /// A location outside the jurisdiction cannot be routed.
    case outsideJurisdiction

    public var field: String? {
        switch self {
        case .missingField(_, let f), .invalidField(_, let f, _): f
        default: nil
        }
    }

    public var description: String {
        switch self {
        case let .notAllowed(action, state, suspended, reason, allowed):
            "\(action.rawValue) is not allowed on a \(suspended ? "suspended " : "")\(state.rawValue) case: "
                + "\(reason). Allowed now: \(allowed.isEmpty ? "nothing" : allowed.map(\.rawValue).joined(separator: ", "))."
        case let .notDue(action, reason): "\(action.rawValue) is not due: \(reason)."
        case let .missingField(action, field): "\(action.rawValue) needs \(field)."
        case let .invalidField(action, field, reason): "\(action.rawValue): \(field) \(reason)."
        case .invalidHistory(let reason): "The case history is inconsistent: \(reason)."
        case .outsideJurisdiction: "The location is outside the jurisdiction."
        }
    }
}
