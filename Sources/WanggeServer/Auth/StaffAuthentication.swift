import NIOConcurrencyHelpers
import Crypto
import Vapor
import WanggeCore
import WanggeStore

enum TokenKind: String { case api, session }

/// Opaque secrets for tokens and sessions; only their SHA-256 is stored.
enum TokenSecret {
    static func generate() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &g) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ secret: String) -> String {
        // Hex by table: `String(format:)` per byte cost more than the hash itself on every signed-in request.
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in SHA256.hash(data: Data(secret.utf8)) {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Finds the signed-in account from `Authorization: Bearer` or the page session cookie.
struct StaffAuthentication: AsyncMiddleware {
    static let cookieName = "wangge_session"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let bearer = req.headers.bearerAuthorization?.token
        let cookie = req.cookies[Self.cookieName]?.string
        guard let secret = bearer ?? cookie, !secret.isEmpty else { return try await next.respond(to: req) }
        // A secret no longer than ours, or it is not one of ours (and need not be hashed).
        let hash = secret.utf8.count <= 128 ? TokenSecret.hash(secret) : nil
        let now = req.now, cache = req.wangge.sessions
        var found: (account: StaffAccount, expiresAt: Date)?
        if let hash {
            if let hit = cache.get(hash, now: now) {
                found = (hit.account, hit.expiresAt)
            } else if let stored = try await AccountQueries.session(tokenHash: hash, now: now, on: req.db) {
                found = stored
                cache.put(hash, .init(account: stored.account, expiresAt: stored.expiresAt, cachedAt: now))
            }
        }
        if let hash, let found {
            req.staff = found.account
            req.session = Session(tokenHash: hash, expiresAt: found.expiresAt, viaCookie: bearer == nil)
        } else if bearer != nil {
            throw APIError(.unauthorized, "unauthorized", "the bearer token is unknown or has expired; ask for a new one at /api/v1/auth/token")
        } else {
            req.session = nil
            req.storage[StaleSessionKey.self] = true
        }
        return try await next.respond(to: req)
    }
}

/// The session or token the request was signed in with.
struct Session: Sendable {
    var tokenHash: String
    var expiresAt: Date
    /// Signed in by the page cookie (ambient: writes need the CSRF token), not by `Authorization: Bearer`.
    var viaCookie: Bool
}

private struct StaleSessionKey: StorageKey { typealias Value = Bool }

extension Request {
    private struct StaffKey: StorageKey { typealias Value = StaffAccount }

    var staff: StaffAccount? {
        get { storage[StaffKey.self] }
        set { storage[StaffKey.self] = newValue }
    }

    func requireStaff() throws -> StaffAccount {
        guard let staff else { throw APIError.unauthorized }
        return staff
    }

    private struct SessionKey: StorageKey { typealias Value = Session }

    var session: Session? {
        get { storage[SessionKey.self] }
        set { storage[SessionKey.self] = newValue }
    }

    /// The request carried a page session that has ended (signed out or expired).
    var hasStaleSession: Bool { storage[StaleSessionKey.self] ?? false }
}

/// Signing in: password check, throttling, and issuing the secret.
///
/// Failures slow further attempts, never lock anyone out: they are counted per user name *and client address*
/// (doubling waits after five, up to five minutes) and per client address whatever the name (`SIGN_INS_PER_MINUTE`);
/// the latter holds back only names that have not signed in from that address in the last 90 days.
/// Someone guessing `admin`'s password from elsewhere therefore slows only themselves; the real admin, from their
/// own address, signs in at once. A guesser with many addresses is held by each address's limit and bcrypt's cost.
enum SignIn {
    static let policy = SignInThrottlePolicy()
    static let maximumUsername = 64
    static let maximumPassword = 512

    static func attempt(username: String, password: String, kind: TokenKind, on req: Request) async throws -> (secret: String, expiresAt: Date, account: StaffAccount) {
        guard username.utf8.count <= maximumUsername, TextInput.isClean(username) else {
            throw APIError.badRequest("username is at most \(maximumUsername) bytes, without control or invisible characters", field: "username")
        }
        guard password.utf8.count <= maximumPassword else { throw APIError.badRequest("password is at most \(maximumPassword) bytes", field: "password") }
        let now = req.now
        let client = req.client.limitKey
        // By the name's key, as the account is found: "Admin" and "ADMIN" are the same name and share one count.
        let throttleKey = UsernameKey.of(username) + "\n" + client
        // Many failures from this address (a guesser — or an office behind one NAT address): accounts that have
        // signed in from here before still get in; only names new to the address wait (issue 17).
        if let wait = req.wangge.limiters.signIns.check(client, now: now),
           try await !TrustQueries.isKnownPair(throttleKey, now: now, on: req.db) {
            throw APIError.tooManyRequests(wait: wait, field: "username", message: "too many failed sign-ins from your address")
        }
        if let f = try await AccountQueries.failures(username: throttleKey, on: req.db),
           let wait = policy.remainingWait(failures: f.count, lastFailureAt: f.last, now: now) {
            throw APIError.tooManyRequests(wait: wait, field: "username", message: "too many failed sign-ins for this user name from your address")
        }
        let creds = try await AccountQueries.credentials(username: username, on: req.db)
        let ok = try await req.password.async.verify(password, created: creds?.passwordHash ?? req.wangge.decoyHash)
        guard ok, let creds else {
            req.wangge.limiters.signIns.charge(client, now: now)
            try await AccountQueries.recordFailure(username: throttleKey, at: now, on: req.db)
            throw APIError(.unauthorized, "invalid_credentials", "user name or password is wrong", field: "password")
        }
        // A correct password still cannot mint tokens without end (74 in 10 s were seen).
        if let wait = req.wangge.limiters.tokens.take(creds.account.id.uuidString, now: now) {
            throw APIError.tooManyRequests(wait: wait, field: "username", message: "too many sign-ins for this account; wait a little")
        }
        try await AccountQueries.clearFailures(username: throttleKey, on: req.db)
        try await TrustQueries.rememberPair(throttleKey, now: now, on: req.db)
        let secret = TokenSecret.generate()
        let expires = now.addingTimeInterval(req.wangge.config.tokenLifetime)
        try await AccountQueries.storeToken(hash: TokenSecret.hash(secret), userID: creds.account.id, kind: kind.rawValue,
                                            createdAt: now, expiresAt: expires, on: req.db)
        return (secret, expires, creds.account)
    }
}

/// Accounts found by token, kept for a few seconds so that a client sending many requests (a grid worker's outbox
/// emptying, a script reporting) does not cost two queries per request (issue 18: signed-in intake ran at 0.107 of
/// `/healthz`). Ending a token here forgets it at once; on other app servers a revoked token or a disabled account
/// is refused within `lifetime` (as live streams notice within their session check).
final class SessionCache: Sendable {
    struct Entry: Sendable { var account: StaffAccount; var expiresAt: Date; var cachedAt: Date }
    let lifetime: TimeInterval
    let maximumEntries: Int
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(lifetime: TimeInterval = 10, maximumEntries: Int = 20_000) {
        self.lifetime = lifetime
        self.maximumEntries = maximumEntries
    }

    func get(_ hash: String, now: Date) -> Entry? {
        entries.withLockedValue { e in
            guard let entry = e[hash] else { return nil }
            guard now < entry.expiresAt, now.timeIntervalSince(entry.cachedAt) < lifetime, now >= entry.cachedAt else {
                e[hash] = nil
                return nil
            }
            return entry
        }
    }

    func put(_ hash: String, _ entry: Entry) {
        entries.withLockedValue { e in
            if e.count >= maximumEntries { e.removeAll(keepingCapacity: true) }
            e[hash] = entry
        }
    }

    func forget(_ hash: String) { _ = entries.withLockedValue { $0.removeValue(forKey: hash) } }
}
