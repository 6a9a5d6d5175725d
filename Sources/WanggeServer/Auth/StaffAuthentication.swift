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
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Finds the signed-in account from `Authorization: Bearer` or the page session cookie.
struct StaffAuthentication: AsyncMiddleware {
    static let cookieName = "wangge_session"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let secret = req.headers.bearerAuthorization?.token ?? req.cookies[Self.cookieName]?.string
        if let secret, !secret.isEmpty {
            req.staff = try await AccountQueries.account(tokenHash: TokenSecret.hash(secret), now: req.now, on: req.db)
        }
        return try await next.respond(to: req)
    }
}

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
}

/// Signing in: password check, throttling of repeated failures per user name, and issuing the secret.
enum SignIn {
    static let policy = SignInThrottlePolicy()

    static func attempt(username: String, password: String, kind: TokenKind, on req: Request) async throws -> (secret: String, expiresAt: Date, account: StaffAccount) {
        let now = req.now
        if let f = try await AccountQueries.failures(username: username, on: req.db),
           let wait = policy.remainingWait(failures: f.count, lastFailureAt: f.last, now: now) {
            var e = APIError(.tooManyRequests, "too_many_attempts",
                             "too many failed sign-ins for this user name; try again in \(Int(wait.rounded(.up))) s", field: "username")
            e.headers.replaceOrAdd(name: .retryAfter, value: "\(Int(wait.rounded(.up)))")
            throw e
        }
        let creds = try await AccountQueries.credentials(username: username, on: req.db)
        let ok = try await req.password.async.verify(password, created: creds?.passwordHash ?? req.wangge.decoyHash)
        guard ok, let creds else {
            try await AccountQueries.recordFailure(username: username, at: now, on: req.db)
            throw APIError(.unauthorized, "invalid_credentials", "user name or password is wrong", field: "password")
        }
        try await AccountQueries.clearFailures(username: username, on: req.db)
        let secret = TokenSecret.generate()
        let expires = now.addingTimeInterval(req.wangge.config.tokenLifetime)
        try await AccountQueries.storeToken(hash: TokenSecret.hash(secret), userID: creds.account.id, kind: kind.rawValue,
                                            createdAt: now, expiresAt: expires, on: req.db)
        return (secret, expires, creds.account)
    }
}
