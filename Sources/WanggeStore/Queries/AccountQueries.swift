import Fluent
import Foundation
import WanggeCore

/// Staff accounts, their tokens and sessions, and the failed sign-in counts.
public enum AccountQueries {
    public struct Credentials: Sendable {
        public var account: StaffAccount
        public var passwordHash: String
    }

    /// Creates an account; throws `AccountError.usernameTaken` when another account's name differs from this one
    /// only in case or width (`UsernameKey`), as the unique index on the key would.
    public static func create(username: String, displayName: String, passwordHash: String, role: Role, areaCode: String,
                              departmentCode: String?, on db: any Database) async throws -> StaffAccount {
        if try await UserModel.query(on: db).filter(\.$usernameKey == UsernameKey.of(username)).first() != nil {
            throw AccountError.usernameTaken(username)
        }
        let m = UserModel(username: username, displayName: displayName, passwordHash: passwordHash, role: role,
                          areaCode: areaCode, departmentCode: departmentCode)
        do {
            try await m.create(on: db)
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw AccountError.usernameTaken(username)  // created meanwhile by someone else
        }
        return try account(m)
    }

    /// The account to check a password against: found by the key of what was typed (`ADMIN` is `admin`), and only
    /// while it is enabled, so a disabled account answers exactly as a wrong password does.
    public static func credentials(username: String, on db: any Database) async throws -> Credentials? {
        guard let m = try await UserModel.query(on: db).filter(\.$usernameKey == UsernameKey.of(username))
            .filter(\.$disabledAt == nil).first()
        else { return nil }
        return Credentials(account: try account(m), passwordHash: m.passwordHash)
    }

    public static func count(on db: any Database) async throws -> Int { try await UserModel.query(on: db).count() }

    /// The enabled accounts of a role (the grid workers an assessment scores).
    public static func withRole(_ role: Role, on db: any Database) async throws -> [StaffAccount] {
        try await UserModel.query(on: db).filter(\.$role == role.rawValue).filter(\.$disabledAt == nil).all().map(account)
    }

    static func account(_ m: UserModel) throws -> StaffAccount {
        guard let role = Role(rawValue: m.role) else { throw StoreError.corrupt("user \(m.username) has role \(m.role)") }
        return StaffAccount(id: try m.requireID(), username: m.username, displayName: m.displayName, role: role,
                            scope: Scope(areaCode: m.areaCode, departmentCode: m.departmentCode))
    }

    // MARK: tokens and sessions

    public static func storeToken(hash: String, userID: UUID, kind: String, createdAt: Date, expiresAt: Date,
                                  on db: any Database) async throws {
        try await UserTokenModel(tokenHash: hash, userID: userID, kind: kind, createdAt: createdAt, expiresAt: expiresAt).create(on: db)
    }

    /// The account a token belongs to, if the token exists and has not expired at `now`.
    public static func account(tokenHash: String, now: Date, on db: any Database) async throws -> StaffAccount? {
        try await session(tokenHash: tokenHash, now: now, on: db)?.account
    }

    /// The account a token belongs to and when the token ends, if it exists and has not expired at `now`.
    public static func session(tokenHash: String, now: Date, on db: any Database) async throws -> (account: StaffAccount, expiresAt: Date)? {
        // A disabled account's tokens are deleted when it is disabled; one issued by a sign-in that raced with that
        // is refused here.
        guard let t = try await UserTokenModel.query(on: db).filter(\.$tokenHash == tokenHash).with(\.$user).first(),
              t.expiresAt > now, t.user.disabledAt == nil
        else { return nil }
        return (try account(t.user), t.expiresAt)
    }

    public static func revokeToken(hash: String, on db: any Database) async throws {
        try await UserTokenModel.query(on: db).filter(\.$tokenHash == hash).delete()
    }

    /// Deletes the tokens and sessions that expired before `now`; returns how many.
    @discardableResult
    public static func pruneExpiredTokens(before now: Date, on db: any Database) async throws -> Int {
        let n = try await UserTokenModel.query(on: db).filter(\.$expiresAt < now).count()
        if n > 0 { try await UserTokenModel.query(on: db).filter(\.$expiresAt < now).delete() }
        return n
    }

    // MARK: disabling

    /// Disables the account named `username` (by its key) at `now` and deletes every token and session it has, in
    /// one transaction; returns the account and the hashes of the deleted tokens (so live streams opened with them
    /// can be ended), or nil when there is no such account. Disabling a disabled account keeps its first date.
    public static func disable(username: String, at now: Date, on db: any Database) async throws -> (account: StaffAccount, revoked: [String])? {
        try await db.transaction { tx in
            guard let m = try await UserModel.query(on: tx).filter(\.$usernameKey == UsernameKey.of(username)).first() else { return nil }
            if m.disabledAt == nil {
                m.disabledAt = now
                try await m.save(on: tx)
            }
            let id = try m.requireID()
            let hashes = try await UserTokenModel.query(on: tx).filter(\.$user.$id == id).all().map(\.tokenHash)
            try await UserTokenModel.query(on: tx).filter(\.$user.$id == id).delete()
            return (try account(m), hashes)
        }
    }

    /// Lets a disabled account sign in again (its old tokens stay deleted); nil when there is no such account.
    public static func enable(username: String, on db: any Database) async throws -> StaffAccount? {
        guard let m = try await UserModel.query(on: db).filter(\.$usernameKey == UsernameKey.of(username)).first() else { return nil }
        if m.disabledAt != nil {
            m.disabledAt = nil
            try await m.save(on: db)
        }
        return try account(m)
    }

    /// When the account was disabled, or nil while it is enabled (or does not exist).
    public static func disabledAt(username: String, on db: any Database) async throws -> Date? {
        let m = try await UserModel.query(on: db).filter(\.$usernameKey == UsernameKey.of(username)).first()
        return m?.disabledAt
    }

    // MARK: failed sign-ins

    public static func failures(username: String, on db: any Database) async throws -> (count: Int, last: Date)? {
        guard let m = try await SignInThrottleModel.query(on: db).filter(\.$username == username).first() else { return nil }
        return (m.failures, m.lastFailureAt)
    }

    public static func recordFailure(username: String, at now: Date, on db: any Database) async throws {
        if let m = try await SignInThrottleModel.query(on: db).filter(\.$username == username).first() {
            m.failures += 1
            m.lastFailureAt = now
            try await m.save(on: db)
        } else {
            try await SignInThrottleModel(username: username, failures: 1, lastFailureAt: now).create(on: db)
        }
    }

    public static func clearFailures(username: String, on db: any Database) async throws {
        try await SignInThrottleModel.query(on: db).filter(\.$username == username).delete()
    }
}
