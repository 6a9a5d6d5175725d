import Crypto
import Vapor

/// Defences against other sites: a write made with the session cookie (a page form, or a page's call to the API)
/// must come from our own origin and carry the page's CSRF token. The token is derived from a random per-browser
/// cookie and the session secret, so another site can neither read nor make it; API clients that send
/// `Authorization: Bearer` carry no ambient authority and need neither.
enum CrossSite {
    static let cookieName = "wangge_csrf"
    static let headerName = "X-CSRF-Token"
    static let formField = "csrf"

    /// The token that this request's page forms and scripts send back.
    static func token(_ req: Request) -> String {
        let base: String
        if let existing = req.cookies[cookieName]?.string, isWellFormed(existing) {
            base = existing
        } else if let fresh = req.storage[FreshCookie.self] {
            base = fresh
        } else {
            base = TokenSecret.generate()
            req.storage[FreshCookie.self] = base
        }
        let session = req.cookies[StaffAuthentication.cookieName]?.string ?? ""
        let digest = SHA256.hash(data: Data("wangge-csrf\n\(base)\n\(session)".utf8))
        return digest.prefix(20).map { String(format: "%02x", $0) }.joined()
    }

    /// Checks a write before its handler runs; throws 403 `cross_site` or `csrf_failed`.
    static func check(_ req: Request, route: SiteRoute) throws {
        guard ![HTTPMethod.GET, .HEAD, .OPTIONS].contains(req.method) else { return }
        if req.headers.bearerAuthorization != nil { return }
        guard req.staff != nil || route.isPage else { return }
        try checkOrigin(req)
        var sent = req.headers.first(name: headerName)
        if sent == nil, route.body == .form { sent = try? req.content.get(String.self, at: formField) }
        guard let sent, req.cookies[cookieName] != nil, constantTimeEqual(sent, token(req)) else {
            throw APIError(.forbidden, "csrf_failed", "this form has expired or did not come from this site; reload the page and try again")
        }
    }

    /// A browser says where a write comes from (`Origin`, `Sec-Fetch-Site`): only our own origin may write.
    static func checkOrigin(_ req: Request) throws {
        if let site = req.headers.first(name: "Sec-Fetch-Site")?.lowercased(), site == "cross-site" || site == "same-site" {
            throw crossSite
        }
        guard let origin = req.headers.first(name: .origin) else { return }
        guard let authority = authority(ofOrigin: origin) else { throw crossSite }
        let own = req.headers.first(name: .host)?.lowercased()
        let configured = req.application.wangge.config.network.publicOrigin.flatMap(authority(ofOrigin:))
        guard authority == own || authority == configured else { throw crossSite }
    }

    static let crossSite = APIError(.forbidden, "cross_site", "writes are accepted only from this site's own pages")

    /// "https://Host:8443" → "host:8443"; nil for "null" or anything that is not an http(s) origin.
    static func authority(ofOrigin origin: String) -> String? {
        let lower = origin.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            let rest = lower.dropFirst(scheme.count)
            guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else { return nil }
            return String(rest)
        }
        return nil
    }

    /// Sets the per-browser cookie when this request made it.
    static func setCookieIfNew(_ req: Request, on response: Response) {
        guard let fresh = req.storage[FreshCookie.self] else { return }
        response.cookies[cookieName] = SiteCookie.make(fresh, maxAge: 365 * 86_400, req)
    }

    static func isWellFormed(_ s: String) -> Bool {
        s.utf8.count >= 32 && s.utf8.count <= 64 && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    private struct FreshCookie: StorageKey { typealias Value = String }
}

/// Every cookie the site sets: `HttpOnly`, `SameSite=Lax`, and `Secure` when the site is served over TLS.
enum SiteCookie {
    static func make(_ value: String, maxAge: Int? = nil, expires: Date? = nil, _ req: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: expires, maxAge: maxAge, path: "/",
                          isSecure: req.application.wangge.config.network.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}

/// Headers on every answer: no framing by other sites, no type sniffing, scripts and styles only from our own files.
struct SecurityHeaders: AsyncMiddleware {
    static let policy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "connect-src 'self'",
        "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
        "manifest-src 'self'", "worker-src 'self'",
    ].joined(separator: "; ")

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        let h = response.headers
        var headers = h
        headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.policy)
        headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        headers.replaceOrAdd(name: "Cross-Origin-Opener-Policy", value: "same-origin")
        headers.replaceOrAdd(name: "Permissions-Policy", value: "geolocation=(self), camera=(self), microphone=()")
        if req.application.wangge.config.network.secureCookies {
            headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
        response.headers = headers
        return response
    }
}
