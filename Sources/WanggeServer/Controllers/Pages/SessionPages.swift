import Vapor
import WanggeStore

enum SessionPages {
    static func context(_ req: Request) -> PageContext {
        PageContext(lang: Lang.of(req), staff: req.staff, path: req.url.path)
    }

    static func loginForm(_ req: Request) async throws -> Response {
        if req.staff != nil { return req.redirect(to: "/areas") }
        let next = safeNext(req.query[String.self, at: "next"])
        return html(LoginView.render(context(req), error: nil, username: "", next: next))
    }

    struct LoginForm: Content { var username: String?; var password: String?; var next: String? }

    static func login(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let username = form.username ?? "", next = safeNext(form.next)
        let lang = Lang.of(req)
        do {
            let result = try await SignIn.attempt(username: username, password: form.password ?? "", kind: .session, on: req)
            let response = req.redirect(to: next, redirectType: .normal)
            response.cookies[StaffAuthentication.cookieName] = HTTPCookies.Value(
                string: result.secret, expires: result.expiresAt, path: "/", isHTTPOnly: true, sameSite: .lax)
            return response
        } catch let e as APIError {
            let message = e.code == "invalid_credentials" ? lang.t(.signInFailed) : e.message
            let response = html(LoginView.render(context(req), error: message, username: username, next: next))
            response.status = e.status
            return response
        }
    }

    static func logout(_ req: Request) async throws -> Response {
        if let secret = req.cookies[StaffAuthentication.cookieName]?.string {
            try await AccountQueries.revokeToken(hash: TokenSecret.hash(secret), on: req.db)
        }
        let response = req.redirect(to: "/login", redirectType: .normal)
        response.cookies[StaffAuthentication.cookieName] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// Only same-site paths, so the sign-in form cannot be used to bounce users elsewhere.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/areas" }
        return next
    }

    static func html(_ text: String) -> Response {
        let r = Response(status: .ok, body: .init(string: text))
        r.headers.contentType = .html
        r.headers.cacheControl = .init(noStore: true)
        return r
    }

    /// Pages that need an account send the browser to sign in first, and back afterwards.
    static func requireStaff(_ req: Request) throws -> Response? {
        guard req.staff == nil else { return nil }
        let target = req.url.path + (req.url.query.map { "?\($0)" } ?? "")
        return req.redirect(to: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "?"])) ?? "/areas"))
    }
}
