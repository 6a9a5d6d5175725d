import Fluent
import Foundation
import WanggeCore

/// Staff accounts, their tokens and sessions, and the failed sign-in counts.
public enum AccountQueries {
    public struct Credentials: Sendable {
        public var account: StaffAccount
        public var passwordHash: String
    }

    public static func create(username: String, displayName: String, passwordHash: String, role: Role, areaCode: String,
                              departmentCode: String?, on db: any Database) async throws -> StaffAccount {
        if try await UserModel.query(on: db).filter(\.$username == username).first() != nil {
            throw AccountError.usernameTaken(username)
        }
        let m = UserModel(username: username, displayName: displayName, passwordHash: passwordHash, role: role,
                          areaCode: areaCode, departmentCode: departmentCode)
        try await m.create(on: db)
        return try account(m)
    }

    public static func credentials(username: String, on db: any Database) async throws -> Credentials? {
        guard let m = try await UserModel.query(on: db).filter(\.$username == username).first() else { return nil }
        return Credentials(account: try account(m), passwordHash: m.passwordHash)
    }

    public static func count(on db: any Database) async throws -> Int { try await UserModel.query(on: db).count() }

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
        guard let t = try await UserTokenModel.query(on: db).filter(\.$tokenHash == tokenHash).with(\.$user).first(),
              t.expiresAt > now
        else { return nil }
        return (try account(t.user), t.expiresAt)
    }

    public static func revokeToken(hash: String, on db: any Database) async throws {
        try await UserTokenModel.query(on: db).filter(\.$tokenHash == hash).delete()
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
