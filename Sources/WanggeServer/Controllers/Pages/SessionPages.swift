import Vapor
import WanggeStore

enum SessionPages {
    static func context(_ req: Request) -> PageContext {
        PageContext(lang: Lang.of(req), staff: req.staff, path: req.url.path, csrf: CrossSite.token(req))
    }

    /// `GET /`: the first page of the signed-in user's role, or the sign-in page.
    static func home(_ req: Request) async throws -> Response {
        req.redirect(to: (req.staff.map { Layout.pages(for: $0.role)[0].path } ?? .login).link())
    }

    static func loginForm(_ req: Request) async throws -> Response {
        let next = safeNext(try? req.textQuery("next", maxLength: 2_000))
        if let staff = req.staff { return req.redirect(to: next ?? Layout.pages(for: staff.role)[0].path.link()) }
        return html(LoginView.render(context(req), error: nil, username: "", next: next ?? ""))
    }

    struct LoginForm: Content { var username: String?; var password: String?; var next: String? }

    static func login(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let username = String((form.username ?? "").prefix(SignIn.maximumUsername)), next = safeNext(form.next)
        let lang = Lang.of(req)
        do {
            let result = try await SignIn.attempt(username: username, password: form.password ?? "", kind: .session, on: req)
            let response = req.redirect(to: next ?? Layout.pages(for: result.account.role)[0].path.link(), redirectType: .normal)
            response.cookies[StaffAuthentication.cookieName] = SiteCookie.make(result.secret, expires: result.expiresAt, req)
            return response
        } catch let e as APIError {
            let message = Text.apiError(code: e.code, field: e.field).map { lang.t($0) } ?? e.message
            let response = html(LoginView.render(context(req), error: message, username: username, next: next ?? ""))
            response.status = e.status
            for (name, value) in e.headers { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        }
    }

    /// Ends what the request was signed in with, a page session or a bearer token alike, and the page session
    /// whose cookie came with it if that is another.
    static func logout(_ req: Request) async throws -> Response {
        if let session = req.session { try await Revocation.revoke(session.tokenHash, on: req) }
        if let cookie = req.cookies[StaffAuthentication.cookieName]?.string, !cookie.isEmpty, cookie.utf8.count <= 128,
           TokenSecret.hash(cookie) != req.session?.tokenHash {
            try await Revocation.revoke(TokenSecret.hash(cookie), on: req)
        }
        let response = req.redirect(to: SitePath.login.link(), redirectType: .normal)
        response.cookies[StaffAuthentication.cookieName] = SiteCookie.make("", expires: Date(timeIntervalSince1970: 0), req)
        return response
    }

    /// A path on this site to go to after signing in, or nil. Only a plain absolute path: no scheme or host, no
    /// "//" or "\" (which browsers read as another host), and no control characters or spaces of any kind (a CR/LF
    /// would end the Location header; a tab is dropped by browsers, turning "/\t/host" into "//host").
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), next.utf8.count <= 2_000 else { return nil }
        guard next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !$0.properties.isWhitespace && !(0x80...0x9F).contains($0.value) })
        else { return nil }
        let second = next.dropFirst().first
        guard second != "/", second != "\\", !next.contains("\\") else { return nil }
        guard let url = URLComponents(string: next), url.scheme == nil, url.host == nil, url.path.hasPrefix("/") else { return nil }
        return next
    }

    static func html(_ text: String) -> Response {
        let r = Response(status: .ok, body: .init(string: text))
        r.headers.contentType = .html
        r.headers.cacheControl = .init(noStore: true)
        return r
    }

    /// Pages that need an account send the browser to sign in first, and back afterwards.
    static func signInFirst(_ req: Request) -> Response {
        var target = req.url.path
        if let q = req.url.query { target += "?" + q }
        guard safeNext(target) != nil, let escaped = target.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "?", "+", "#"]))
        else { return req.redirect(to: SitePath.login.link()) }
        // Not `link(query:)`: `next` keeps its slashes readable ("/login?next=/areas").
        return req.redirect(to: SitePath.login.link() + "?next=" + escaped)
    }
}
