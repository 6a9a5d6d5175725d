import Vapor

/// The UI language: Chinese by default, English by `?lang=en` or the switch (remembered in a cookie).
enum Lang: String, Sendable, CaseIterable {
    case zh, en

    static let cookieName = "lang"

    static func of(_ req: Request) -> Lang {
        if req.url.query != nil, let q = try? req.query.get(String.self, at: "lang"), let l = Lang(rawValue: q) { return l }
        if let c = req.cookies[cookieName]?.string, let l = Lang(rawValue: c) { return l }
        return .zh
    }

    var htmlCode: String { self == .zh ? "zh-CN" : "en" }
    var other: Lang { self == .zh ? .en : .zh }

    func t(_ key: Text) -> String { self == .zh ? key.zh : key.en }

    /// One of two data fields by the language (a category's `name` or `nameEN`, a state's `nameZH` or `nameEN`):
    /// data that comes in both languages, not UI text, so it is not in the `Text` table.
    func pick(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}

/// Remembers an explicit `?lang=` choice for later pages.
struct LangCookie: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        if req.url.query != nil, let q = try? req.query.get(String.self, at: "lang"), let l = Lang(rawValue: q) {
            response.cookies[Lang.cookieName] = SiteCookie.make(l.rawValue, maxAge: 365 * 24 * 3600, req)
        }
        return response
    }
}
