import Fluent
import Foundation
import SQLKit

/// The store's side of issue 17: who has seen a tracking code, upload quotas, and removing photos nobody attached.
public enum TrustQueries {
    static func sql(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return sql
    }

    /// Records that staff saw the case's tracking code at `at` (the first such instant is kept).
    public static func markTrackingCodeSeen(caseID: UUID, at: Date, on db: any Database) async throws {
        try await sql(db).raw("UPDATE cases SET tracking_code_seen_at = \(bind: at) WHERE id = \(bind: caseID) AND tracking_code_seen_at IS NULL").run()
    }

    /// When staff first saw the case's tracking code, if ever.
    public static func trackingCodeSeenAt(caseID: UUID, on db: any Database) async throws -> Date? {
        guard let row = try await sql(db).select().column("tracking_code_seen_at").from("cases").where("id", .equal, caseID).first() else { return nil }
        return try row.decode(column: "tracking_code_seen_at", as: Date?.self)
    }

    /// Bytes and photos an account has uploaded since `since` (its upload quota counts these).
    public static func uploads(by account: UUID, since: Date, on db: any Database) async throws -> (count: Int, bytes: Int) {
        guard let row = try await sql(db).raw("SELECT COUNT(*) AS n, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes FROM photos WHERE uploaded_by = \(bind: account) AND created_at >= \(bind: since)").first()
        else { return (0, 0) }
        return (try row.decode(column: "n", as: Int.self), try row.decode(column: "bytes", as: Int.self))
    }

    /// Photos uploaded before `before` that no case uses: their rows are deleted and their ids returned, so the
    /// caller removes the files.
    public static func pruneUnattachedPhotos(before: Date, limit: Int = 1_000, on db: any Database) async throws -> [String] {
        let sql = try sql(db)
        let rows = try await sql.raw("""
            SELECT sha256 FROM photos p WHERE p.created_at < \(bind: before)
            AND NOT EXISTS (SELECT 1 FROM case_photos c WHERE c.sha256 = p.sha256) LIMIT \(unsafeRaw: String(limit))
            """).all()
        let shas = try rows.map { try $0.decode(column: "sha256", as: String.self) }
        for sha in shas {
            try await sql.raw("DELETE FROM photos WHERE sha256 = \(bind: sha) AND NOT EXISTS (SELECT 1 FROM case_photos c WHERE c.sha256 = \(bind: sha))").run()
        }
        return shas
    }

    // MARK: addresses an account has signed in from

    /// The throttle table also remembers, for 90 days, which (account, address) pairs have signed in successfully,
    /// under a key of its own that no typed user name can produce (it starts with U+0001).
    static func knownKey(_ pair: String) -> String { "\u{1}known\n" + pair }
    public static let knownFor: TimeInterval = 90 * 86_400

    /// Whether `pair` (user name and address) signed in successfully within `knownFor` of `now`.
    public static func isKnownPair(_ pair: String, now: Date, on db: any Database) async throws -> Bool {
        guard let m = try await SignInThrottleModel.query(on: db).filter(\.$username == knownKey(pair)).first() else { return false }
        return now.timeIntervalSince(m.lastFailureAt) < knownFor
    }

    public static func rememberPair(_ pair: String, now: Date, on db: any Database) async throws {
        let key = knownKey(pair)
        if let m = try await SignInThrottleModel.query(on: db).filter(\.$username == key).first() {
            m.lastFailureAt = now
            try await m.save(on: db)
        } else {
            do { try await SignInThrottleModel(username: key, failures: 0, lastFailureAt: now).create(on: db) }
            catch let e as any DatabaseError where e.isConstraintFailure {}  // remembered meanwhile
        }
    }
}
