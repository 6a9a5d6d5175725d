import Vapor

/// The first look at every request (issue 17, low findings):
/// - **Host.** With `PUBLIC_URL` set, only its host (and loopback names, for health checks on the machine) may be
///   asked for; served on a loopback address without `PUBLIC_URL` (the demo), only loopback names — a page of
///   another site whose name was rebound to 127.0.0.1 (DNS rebinding) gets 421. Served on another address without
///   `PUBLIC_URL`, any host is taken.
/// - **Cookies.** A Cookie header of more than `maximumCookies` cookies (9,000 made a page 18 times slower) is
///   cut down to this site's own cookies before anything parses it.
struct RequestShape: AsyncMiddleware {
    static let maximumCookies = 50
    static let ownCookies: Set<String> = [StaffAuthentication.cookieName, CrossSite.cookieName, Lang.cookieName]
    static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "[::1]", "::1"]

    let allowedHosts: Set<String>?

    init(config: AppConfig) {
        if let origin = config.network.publicOrigin, let host = URLComponents(string: origin)?.host?.lowercased() {
            allowedHosts = Self.loopbackNames.union([host])
        } else if Self.loopbackNames.contains(config.host.lowercased()) || config.host.hasPrefix("127.") {
            allowedHosts = Self.loopbackNames.union([config.host.lowercased()])
        } else {
            allowedHosts = nil
        }
    }

    /// The host of a Host header, without its port (`[::1]:8080` → `[::1]`).
    static func hostName(_ header: String) -> String {
        let h = header.lowercased()
        if h.hasPrefix("[") { return h.firstIndex(of: "]").map { String(h[...$0]) } ?? h }
        return h.split(separator: ":", maxSplits: 1).first.map(String.init) ?? h
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let allowedHosts, let host = req.headers.first(name: .host) {
            guard allowedHosts.contains(Self.hostName(host)) else {
                throw APIError(.misdirectedRequest, "wrong_host", "this server does not serve \(String(host.prefix(100)))", field: nil)
            }
        }
        let cookieHeaders = req.headers[.cookie]
        if cookieHeaders.reduce(0, { $0 + $1.utf8.count }) > 2_048 || cookieHeaders.count > 1 {
            let pairs = cookieHeaders.flatMap { $0.split(separator: ";", omittingEmptySubsequences: true) }
            if pairs.count > Self.maximumCookies || cookieHeaders.count > 1 {
                let kept = pairs.filter { pair in
                    let name = pair.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                    return Self.ownCookies.contains(name)
                }.prefix(Self.ownCookies.count * 2).map { $0.trimmingCharacters(in: .whitespaces) }
                req.headers.remove(name: .cookie)
                if !kept.isEmpty { req.headers.add(name: .cookie, value: kept.joined(separator: "; ")) }
            }
        }
        return try await next.respond(to: req)
    }
}
