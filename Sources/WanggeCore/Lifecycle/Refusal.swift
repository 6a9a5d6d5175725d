/// Why a kind's rules refused a command, in the terms every kind shares, so that the API answers every kind's
/// refusals the same way from one place (`ErrorRendering`): not allowed now or not due (409, with what is
/// allowed), a field missing or wrong (400, naming the field), a history that does not follow from itself (500:
/// the stored record is broken, never the caller's fault), a place outside the jurisdiction (400).
public enum Refusal: Hashable, Sendable {
    case notAllowed(allowed: [String])
    case notDue
    case missingField(String)
    case invalidField(String)
    case brokenHistory
    case outsideJurisdiction
}

/// A kind's rule error (`Lifecycle.RuleError`): its own words (`description`) and the shared reading of it.
public protocol RefusalError: Error, CustomStringConvertible {
    var refusal: Refusal { get }
}

extension CaseRuleError: RefusalError {
    public var refusal: Refusal {
        switch self {
        case let .notAllowed(_, _, _, _, allowed): .notAllowed(allowed: allowed.map(\.rawValue))
        case .notDue: .notDue
        case .missingField(_, let field): .missingField(field)
        case .invalidField(_, let field, _): .invalidField(field)
        case .invalidHistory: .brokenHistory
        case .outsideJurisdiction: .outsideJurisdiction
        }
    }
}

extension MediationRuleError: RefusalError {
    public var refusal: Refusal {
        switch self {
        case let .notAllowed(_, _, _, allowed): .notAllowed(allowed: allowed.map(\.rawValue))
        case .missingField(let field): .missingField(field)
        case .invalidField(let field, _): .invalidField(field)
        case .invalidHistory: .brokenHistory
        }
    }
}
