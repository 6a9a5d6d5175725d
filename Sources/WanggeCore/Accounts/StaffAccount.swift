import Foundation

/// A signed-in member of staff as the rest of the system sees them.
public struct StaffAccount: Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var displayName: String
    public var role: Role
    public var scope: Scope

    public init(id: UUID, username: String, displayName: String, role: Role, scope: Scope) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.scope = scope
    }
}

/// Why an account cannot be created as asked.
public enum AccountError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidUsername(String)
    case passwordTooShort(minimum: Int)
    /// bcrypt ignores everything after this many bytes.
    case passwordTooLong(maximumBytes: Int)
    case passwordIsUsername
    case passwordTooCommon
    case unknownArea(String)
    case unknownDepartment(String)
    case departmentRequired(Role)
    case departmentOutsideScope(department: String, area: String)
    case usernameTaken(String)

    public var field: String {
        switch self {
        case .invalidUsername, .usernameTaken: "username"
        case .passwordTooShort, .passwordTooLong, .passwordIsUsername, .passwordTooCommon: "password"
        case .unknownArea: "area"
        case .unknownDepartment, .departmentRequired, .departmentOutsideScope: "department"
        }
    }

    public var description: String {
        switch self {
        case .invalidUsername(let u): "user name \"\(u)\" must be 3–32 letters, digits, '_', '-' or '.'"
        case .passwordTooShort(let n): "the password must have at least \(n) characters"
        case .passwordTooLong(let n):
            "the password must be at most \(n) bytes of UTF-8 (bcrypt ignores everything after them; a Chinese character is 3 bytes)"
        case .passwordIsUsername: "the password must not be or contain the user name"
        case .passwordTooCommon: "the password is one of the most common passwords; choose another"
        case .unknownArea(let c): "no area has code \(c)"
        case .unknownDepartment(let c): "no department has code \(c)"
        case .departmentRequired(let r): "a \(r.rawValue) account must name a department (--department)"
        case let .departmentOutsideScope(d, a): "department \(d) does not serve area \(a) or its ancestors"
        case .usernameTaken(let u): "user name \(u) is already taken"
        }
    }
}

public enum AccountRules {
    /// The form of a user name that decides uniqueness: NFKC-normalised (full-width "Ａｄｍｉｎ" becomes "Admin"), then
    /// lowercased, so "Ａｄｍｉｎ", "ADMIN" and "admin" are one name. The store compares these keys.
    public static func usernameKey(_ s: String) -> String {
        s.precomposedStringWithCompatibilityMapping.lowercased()
    }

    /// Checks a new account against the jurisdiction and the departments, and its password against
    /// `PasswordPolicy`; throws the first problem. A user name is ASCII letters, digits, '_', '-' and '.' only, so
    /// full-width or other look-alike forms are refused here (NFKC leaves an accepted name unchanged) and the only
    /// folding left for uniqueness is case, which `usernameKey` does.
    public static func validate(username: String, password: String, role: Role, areaCode: String, department: Department?,
                                departmentCode: String?, in jurisdiction: Jurisdiction) throws(AccountError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        guard (3...32).contains(username.count), username.allSatisfy({ allowed.contains($0) }) else {
            throw .invalidUsername(username)
        }
        try PasswordPolicy.check(password, username: username)
        guard jurisdiction[areaCode] != nil else { throw .unknownArea(areaCode) }
        if let departmentCode {
            guard let department else { throw .unknownDepartment(departmentCode) }
            // A department's staff work within the area it serves: the account's area must lie in it.
            guard jurisdiction.isWithin(areaCode, ancestor: department.areaCode) else {
                throw .departmentOutsideScope(department: departmentCode, area: areaCode)
            }
        } else if role.needsDepartment {
            throw .departmentRequired(role)
        }
    }
}

/// How long a user name must wait before the next sign-in attempt after repeated failures.
public struct SignInThrottlePolicy: Sendable {
    /// Failures allowed before any waiting.
    public var freeFailures: Int
    /// The first wait; each further failure doubles it, up to `maximumWait`.
    public var firstWait: TimeInterval
    public var maximumWait: TimeInterval

    public init(freeFailures: Int = 5, firstWait: TimeInterval = 2, maximumWait: TimeInterval = 300) {
        self.freeFailures = freeFailures
        self.firstWait = firstWait
        self.maximumWait = maximumWait
    }

    /// Seconds still to wait at `now`, or nil when an attempt may be made.
    public func remainingWait(failures: Int, lastFailureAt: Date, now: Date) -> TimeInterval? {
        guard failures >= freeFailures else { return nil }
        let exponent = Double(min(failures - freeFailures, 30))
        let wait = min(maximumWait, firstWait * pow(2, exponent))
        let remaining = lastFailureAt.addingTimeInterval(wait).timeIntervalSince(now)
        return remaining > 0 ? remaining : nil
    }
}
