import Fluent
import Foundation
import SQLKit
import WanggeCore

/// An Open311 API key as stored: its name, its area, its rate; never the key itself.
public struct StoredAPIKey: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var areaCode: String
    public var areaPath: String
    public var ratePerMinute: Int
    public var createdAt: Date
    public var createdBy: String
    public var revokedAt: Date?
}

public enum APIKeyQueries {
    struct Row: Codable {
        var id: UUID, name: String, key_hash: String, area_code: String, area_path: String, rate_per_minute: Int
        var created_at: Date, created_by: String, revoked_at: Date?
        var stored: StoredAPIKey {
            StoredAPIKey(id: id, name: name, areaCode: area_code, areaPath: area_path, ratePerMinute: rate_per_minute,
                         createdAt: created_at, createdBy: created_by, revokedAt: revoked_at)
        }
    }

    public enum Problem: Error, Equatable { case nameTaken }

    /// Stores a key by its hash; `nameTaken` when a key (live or revoked) has the name.
    public static func create(name: String, keyHash: String, areaCode: String, areaPath: String, rate: Int, by: String, at: Date,
                              on db: any Database) async throws -> StoredAPIKey {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        if try await find(name: name, on: db) != nil { throw Problem.nameTaken }
        let row = Row(id: UUID(), name: name, key_hash: keyHash, area_code: areaCode, area_path: areaPath, rate_per_minute: rate,
                      created_at: at, created_by: by, revoked_at: nil)
        do {
            try await sql.insert(into: "api_keys").model(row).run()
        } catch {
            // A name taken by a racing writer (the unique index) reads as taken.
            if try await find(name: name, on: db) != nil { throw Problem.nameTaken }
            throw error
        }
        return row.stored
    }

    /// The live (not revoked) key with this hash.
    public static func live(keyHash: String, on db: any Database) async throws -> StoredAPIKey? {
        guard let sql = db as? any SQLDatabase else { return nil }
        return try await sql.select().column("*").from("api_keys").where("key_hash", .equal, keyHash).where("revoked_at", .is, SQLLiteral.null)
            .first(decoding: Row.self)?.stored
    }

    public static func find(name: String, on db: any Database) async throws -> StoredAPIKey? {
        guard let sql = db as? any SQLDatabase else { return nil }
        return try await sql.select().column("*").from("api_keys").where("name", .equal, name).first(decoding: Row.self)?.stored
    }

    /// Every key, newest first.
    public static func all(on db: any Database) async throws -> [StoredAPIKey] {
        guard let sql = db as? any SQLDatabase else { return [] }
        return try await sql.select().column("*").from("api_keys").orderBy("created_at", .descending).orderBy("name")
            .all(decoding: Row.self).map(\.stored)
    }

    /// Revokes a key (a revoked one stays as it is).
    public static func revoke(_ key: StoredAPIKey, at: Date, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, key.revokedAt == nil else { return }
        try await sql.update("api_keys").set("revoked_at", to: at).where("id", .equal, key.id).where("revoked_at", .is, SQLLiteral.null).run()
    }
}
