import Crypto
import Foundation
import Vapor
import WanggeCore
import WanggeStore

/// Why an API key cannot be made or revoked, naming the field at fault.
public struct APIKeyError: Error, CustomStringConvertible, Sendable {
    public var field: String
    public var message: String
    public var description: String { message }
}

extension Setup {
    /// A key just made: `key` is shown once and never stored (only its SHA-256 is).
    public struct MadeAPIKey: Sendable {
        public var key: String
        public var stored: StoredAPIKey
    }

    /// Makes an Open311 API key for an area (the command line's `wangge apikey create` and the admin page).
    public static func createAPIKey(_ app: Application, name: String, areaCode: String, rate: Int?, by: String) async throws -> MadeAPIKey {
        guard APIKeyRules.isValidName(name) else {
            throw APIKeyError(field: "name", message: "the name is 1 to \(APIKeyRules.maximumNameLength) letters, digits, '-', '_' or '.', starting with a letter or digit")
        }
        let rate = rate ?? APIKeyRules.defaultRate
        guard APIKeyRules.isValidRate(rate) else { throw APIKeyError(field: "rate", message: "the rate is 1 to \(APIKeyRules.maximumRate) requests a minute") }
        let j = try await app.wangge.jurisdictions.current(on: app.db, now: app.wangge.clock.now()).jurisdiction
        guard j[areaCode] != nil else { throw APIKeyError(field: "area", message: "no area has code \(areaCode.prefix(64))") }
        let key = "wg_" + TokenSecret.generate()  // 32 random bytes, URL-safe: 43 characters
        do {
            let stored = try await app.wangge.writes.run(on: app.db) {
                try await APIKeyQueries.create(name: name, keyHash: TokenSecret.hash(key), areaCode: areaCode, areaPath: j.path(of: areaCode),
                                               rate: rate, by: by, at: app.wangge.clock.now(), on: app.db)
            }
            return MadeAPIKey(key: key, stored: stored)
        } catch APIKeyQueries.Problem.nameTaken {
            throw APIKeyError(field: "name", message: "a key named \(name) exists already (revoked names are not reused)")
        }
    }

    public static func apiKeys(_ app: Application) async throws -> [StoredAPIKey] { try await APIKeyQueries.all(on: app.db) }

    /// Revokes a key: from the next request on it is refused. Revoking a revoked key again changes nothing.
    public static func revokeAPIKey(_ app: Application, name: String) async throws {
        guard let key = try await APIKeyQueries.find(name: name, on: app.db) else {
            throw APIKeyError(field: "name", message: "no key is named \(name.prefix(64))")
        }
        try await app.wangge.writes.run(on: app.db) { try await APIKeyQueries.revoke(key, at: app.wangge.clock.now(), on: app.db) }
    }
}
