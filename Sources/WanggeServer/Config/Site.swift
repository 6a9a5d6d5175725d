import Vapor
import WanggeCore

/// Who may use a route.
enum Access: Sendable, Equatable {
    /// No account needed.
    case anyone
    /// Signed in, with one of these roles (DESIGN §1); every role when nil.
    case staff(Set<Role>?)

    func allows(_ role: Role?) -> Bool {
        switch self {
        case .anyone: true
        case .staff(let roles): role.map { roles?.contains($0) ?? true } ?? false
        }
    }
}

/// What a route's request body may be.
enum BodyKind: Sendable, Equatable {
    /// None is read (GET).
    case none
    /// JSON only, up to the JSON limit.
    case json
    /// A page form (application/x-www-form-urlencoded), up to the JSON limit, with the CSRF token in field `csrf`.
    case form
    /// A report: JSON up to the JSON limit, or multipart with photos up to the report limit.
    case report
    /// Multipart photos, up to the report limit.
    case photos
    /// A table file as the whole body (CSV or XLSX: text/csv, the XLSX type or application/octet-stream), up to the
    /// report limit.
    case table
    /// An Open311 request: a form (application/x-www-form-urlencoded, up to the JSON limit) or multipart/form-data
    /// with a photo as `media` (up to the report limit). No CSRF token: the API key is the authority.
    case open311
}

/// Which public door's rate limit a route counts against.
enum Throttle: Sendable, Equatable { case none, reports, tracking }

/// One route: how it is registered, who may use it, what it reads. The one table that registers the routes, checks
/// role and body before any handler runs, and drives the access and parameter tests over every route.
struct SiteRoute: Sendable {
    let method: HTTPMethod
    /// The site's own paths are named (`SitePath`); a kind of record may bring routes of its own (`path` alone).
    let sitePath: SitePath?
    /// `/api/v1/cases/:id`: parameters start with a colon.
    let path: String
    let access: Access
    /// The query parameters the route reads.
    let query: [String]
    let body: BodyKind
    let throttle: Throttle
    let respond: @Sendable (Request) async throws -> Response

    init<R: AsyncResponseEncodable>(_ method: HTTPMethod, _ path: SitePath, _ access: Access, query: [String] = [],
                                    body: BodyKind? = nil, throttle: Throttle = .none,
                                    _ handler: @escaping @Sendable (Request) async throws -> R) {
        self.init(method, path: path.rawValue, sitePath: path, access, query: query, body: body, throttle: throttle, handler)
    }

    /// A route by its path alone: a kind of record's own routes (`RecordDoor.routes`).
    init<R: AsyncResponseEncodable>(_ method: HTTPMethod, path: String, sitePath: SitePath? = nil, _ access: Access, query: [String] = [],
                                    body: BodyKind? = nil, throttle: Throttle = .none,
                                    _ handler: @escaping @Sendable (Request) async throws -> R) {
        self.method = method
        self.sitePath = sitePath
        self.path = path
        self.access = access
        self.query = query
        self.body = body ?? (method == .GET ? .none : .json)
        self.throttle = throttle
        respond = { req in try await handler(req).encodeResponse(for: req) }
    }

    var isPage: Bool { !path.hasPrefix("/api/") && !isOpen311 }
    /// A route of the Open311 interface: its answers and errors are the spec's, in JSON or XML (`Open311API`).
    var isOpen311: Bool { path.hasPrefix(Open311API.prefix + "/") }
    var components: [PathComponent] { path.split(separator: "/").map { PathComponent(stringLiteral: String($0)) } }
    var parameters: [String] { path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) } }

    /// A staff page (`GET`): after the door has checked the account and its role, the route makes the page's
    /// `StaffPage` (account, language, page context, jurisdiction, reference data) once and hands it to `handler`.
    static func staffPage(_ path: SitePath, _ roles: Set<Role>?, query: [String] = [],
                          _ handler: @escaping @Sendable (StaffPage) async throws -> Response) -> SiteRoute {
        SiteRoute(.GET, path, .staff(roles), query: query) { req in try await handler(try await StaffPage(req)) }
    }
}

enum Site {
    /// Leaders read the dashboards and the big screen; operators and administrators run them (DESIGN §1).
    static let dashboardRoles: Set<Role> = [.leader, .operator, .admin]
    static let fieldRoles: Set<Role> = [.gridWorker, .gridLeader]
    static let admin: Set<Role> = [.admin]
    /// Who may read a case's tracking code to its reporter on the phone (audited; issue 17).
    static let callTakers: Set<Role> = [.operator, .admin]

    static let caseQuery = ["status", "area", "category", "source", "clock", "from", "to", "q", "page", "per"]

    static let routes: [SiteRoute] = mediationRoutes + riskRoutes + safetyIndexRoutes + fieldRoutes + Open311API.routes + [
        SiteRoute(.GET, .healthz, .anyone, HealthController.health),
        SiteRoute(.GET, .metrics, .anyone, HealthController.metrics),

        SiteRoute(.POST, .apiToken, .anyone, AuthAPI.token),
        SiteRoute(.DELETE, .apiToken, .staff(nil), body: BodyKind.none, AuthAPI.revoke),
        SiteRoute(.GET, .apiAreas, .staff(nil), query: ["level", "parent"], AreasAPI.list),
        SiteRoute(.GET, .apiAreaTeam, .staff(nil), AreasAPI.team),
        SiteRoute(.GET, .apiLocate, .anyone, query: ["lat", "lon"], LocateAPI.locate),
        SiteRoute(.GET, .apiCategories, .anyone, CategoriesAPI.list),
        SiteRoute(.POST, .apiCases, .anyone, body: .report, throttle: .reports, CasesAPI.create),
        SiteRoute(.GET, .apiCases, .staff(nil), query: caseQuery, CasesAPI.list),
        SiteRoute(.GET, .apiCase, .staff(nil), CasesAPI.show),
        SiteRoute(.POST, .apiCaseActions, .staff(nil), CasesAPI.act),
        SiteRoute(.POST, .apiCaseTrackingCode, .staff(callTakers), body: BodyKind.none, CasesAPI.revealTrackingCode),
        SiteRoute(.GET, .apiTrack, .anyone, throttle: .tracking, TrackingAPI.show),
        SiteRoute(.POST, .apiTrackRating, .anyone, throttle: .tracking, TrackingAPI.rate),
        SiteRoute(.GET, .apiTrackPhoto, .anyone, throttle: .tracking, PhotosAPI.showTracked),
        SiteRoute(.GET, .apiMeasures, .staff(dashboardRoles), query: ["area", "from", "to"], MeasuresAPI.show),
        SiteRoute(.GET, .apiPhoto, .staff(nil), PhotosAPI.show),
        SiteRoute(.POST, .apiPhotos, .staff(nil), body: .photos, PhotosAPI.upload),
        SiteRoute(.GET, .apiEvents, .staff(nil), EventsAPI.stream),
        SiteRoute(.GET, .apiCalendar, .staff(nil), CalendarAPI.show),
        SiteRoute(.PUT, .apiCalendarYear, .staff(admin), CalendarAPI.put),
        SiteRoute(.GET, .apiAudit, .staff(admin), query: ["user", "record", "from", "to", "page", "per"], AuditAPI.list),

        SiteRoute(.GET, .home, .anyone, SessionPages.home),
        SiteRoute(.GET, .login, .anyone, query: ["next"], SessionPages.loginForm),
        SiteRoute(.POST, .login, .anyone, body: .form, SessionPages.login),
        SiteRoute(.POST, .logout, .anyone, body: .form, SessionPages.logout),
        .staffPage(.areas, nil, query: ["focus"], AreasPage.show),
        .staffPage(.workbench, nil, query: ["tab", "fragment"] + caseQuery, WorkbenchPage.show),
        .staffPage(.dashboard, dashboardRoles, query: ["area", "from", "to", "m", "export"], DashboardPage.show),
        .staffPage(.screen, dashboardRoles, query: ["area"], ScreenPage.show),
        SiteRoute(.GET, .report, .anyone, ResidentPages.report),
        .staffPage(.worker, fieldRoles, query: ["fragment"], WorkerPage.show),
        SiteRoute(.GET, .serviceWorker, .anyone, WorkerPage.serviceWorker),
        SiteRoute(.GET, .trackForm, .anyone, query: ["code"], throttle: .tracking, ResidentPages.trackForm),
        SiteRoute(.GET, .track, .anyone, query: ["rated"], throttle: .tracking, ResidentPages.track),
        SiteRoute(.POST, .trackRating, .anyone, body: .form, throttle: .tracking, ResidentPages.rate),
        .staffPage(.caseView, nil, query: ["fragment", "back"], CasePage.show),
        .staffPage(.audit, admin, query: ["user", "record", "from", "to", "page"], AuditPage.show),
        .staffPage(.apiKeysPage, admin, APIKeysPage.show),
        SiteRoute(.POST, .apiKeysPage, .staff(admin), body: .form, APIKeysPage.create),
        SiteRoute(.POST, .apiKeyRevoke, .staff(admin), body: .form, APIKeysPage.revoke),
    ]

    /// The route of a page such as `.dashboard`, for the navigation.
    static func page(_ path: SitePath) -> SiteRoute? { routes.first { $0.method == .GET && $0.sitePath == path } }
}

/// The door every request of the route table goes through, in this order: the account and its role, the client's
/// rate limit, the body (its size, then its type), the cross-site check, and only then the handler.
struct SiteDoor {
    let route: SiteRoute
    let config: AppConfig
    let limiters: RateLimiters

    func respond(_ req: Request) async throws -> Response {
        switch route.access {
        case .anyone: break
        case .staff(let roles):
            guard let staff = req.staff else {
                if route.isPage { return SessionPages.signInFirst(req) }
                throw APIError.unauthorized
            }
            if let roles, !roles.contains(staff.role) {
                throw APIError.forbidden(route.isPage ? Lang.of(req).t(.notForYourRole) : "the \(staff.role.rawValue) role may not use \(route.method.rawValue) \(route.path)")
            }
        }
        try throttle(req)
        let held = try await collectBody(req)
        defer {
            if let spooled = req.spooledBody { unlink(spooled) }
            req.wangge.bodyMemory.release(held)
        }
        try CrossSite.check(req, route: route)
        let response = try await route.respond(req)
        CrossSite.setCookieIfNew(req, on: response)
        return response
    }

    private func throttle(_ req: Request) throws {
        let limiter: RateLimiter
        switch route.throttle {
        case .none: return
        case .reports:
            guard req.staff == nil else { return }  // staff reports are accounted to their account
            limiter = limiters.reports
        case .tracking:
            limiter = limiters.tracking
        }
        if let wait = limiter.take(req.client.limitKey, now: req.now) { throw APIError.tooManyRequests(wait: wait) }
    }

    /// Reads the body as the route takes it; returns the bytes of memory it holds against the body budget until the
    /// request ends (a spooled body's parts are read into memory by the handler).
    private func collectBody(_ req: Request) async throws -> Int {
        let limits = config.limits
        let max: Int
        switch route.body {
        case .none: max = limits.jsonBytes
        case .json, .form: max = limits.jsonBytes
        case .report, .photos, .table, .open311: max = limits.reportBytes
        }
        if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > max {
            throw APIError.payloadTooLarge(limit: max, route: route)
        }
        let type = req.headers.contentType
        let declared = req.headers.first(name: .contentLength).flatMap(Int.init)
        if req.body.data == nil, [.report, .photos, .open311].contains(route.body), type?.type == "multipart", (declared ?? .max) > BodySpool.threshold {
            guard type?.subType == "form-data" else {
                throw APIError(.unsupportedMediaType, "unsupported_media_type", "send multipart/form-data", field: nil)
            }
            let spooled = try await req.wangge.spool.spool(req, max: max, tooLarge: APIError.payloadTooLarge(limit: max, route: route))
            req.spooledBody = spooled.path
            guard spooled.size > 0 else {
                throw APIError.badRequest("send the photos as multipart/form-data parts named photos", field: "photos")
            }
            // The handler reads the parts into memory: they count against the budget from here on.
            return try await req.wangge.bodyMemory.reserve(spooled.size)
        }
        if req.body.data == nil {
            // Bodies held in memory at once, over every request, stay within MAX_BODY_MEMORY_MB (issue 17: 32
            // concurrent 30 MB bodies took RSS from 257 MB to 1.2 GB); a body that does not fit waits its turn
            // briefly, then gets 503.
            let reservation = try await req.wangge.bodyMemory.reserve(min(declared ?? max, max))
            defer { req.wangge.bodyMemory.release(reservation) }
            do {
                _ = try await req.body.collect(max: max).get()
            } catch let e as any AbortError where e.status == .payloadTooLarge {
                throw APIError.payloadTooLarge(limit: max, route: route)
            }
        } else if let data = req.body.data, data.readableBytes > max {
            throw APIError.payloadTooLarge(limit: max, route: route)
        }
        guard let data = req.body.data, data.readableBytes > 0 else {
            switch route.body {
            case .none, .form: return 0
            case .json, .report: throw APIError.badRequest("send the body as JSON (Content-Type: application/json)", field: nil)
            case .photos: throw APIError.badRequest("send the photos as multipart/form-data parts named photos", field: "photos")
            case .table: throw APIError.badRequest("send the CSV or XLSX file as the body", field: "file")
            case .open311: throw APIError.badRequest("send the request as application/x-www-form-urlencoded or multipart/form-data", field: nil)
            }
        }
        switch route.body {
        case .none:
            return 0
        case .json:
            guard type == .json || (type?.type == "application" && type?.subType.hasSuffix("+json") == true) else {
                throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the body as JSON (Content-Type: application/json)", field: nil)
            }
        case .form:
            guard type == .urlEncodedForm else {
                throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the form as application/x-www-form-urlencoded", field: nil)
            }
        case .report:
            guard type == .json || type?.type == "multipart" else {
                throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the report as JSON, or as multipart/form-data with photos", field: nil)
            }
            if type == .json, data.readableBytes > limits.jsonBytes { throw APIError.payloadTooLarge(limit: limits.jsonBytes, route: route) }
        case .photos:
            guard type?.type == "multipart" else {
                throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the photos as multipart/form-data parts named photos", field: "photos")
            }
        case .open311:
            if type == .urlEncodedForm {
                if data.readableBytes > limits.jsonBytes { throw APIError.payloadTooLarge(limit: limits.jsonBytes, route: route) }
            } else if !(type?.type == "multipart" && type?.subType == "form-data") {
                throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the request as application/x-www-form-urlencoded or multipart/form-data", field: nil)
            }
        case .table:
            let name = type.map { "\($0.type)/\($0.subType)" } ?? ""
            guard ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"].contains(name) else {
                throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the file as text/csv or as an XLSX workbook", field: "file")
            }
        }
        return 0
    }
}

/// The rate limits of the public doors, one table per door.
final class RateLimiters: Sendable {
    let reports: RateLimiter
    let tracking: RateLimiter
    let signIns: RateLimiter
    /// Tokens and sessions issued per account (off with the sign-in limit).
    let tokens: RateLimiter
    /// Photos uploaded per account (off with the report limit).
    let uploads: RateLimiter
    /// Open311 requests per API key, each at its key's own rate (the table's rate is unused).
    let apiKeys = RateLimiter(perMinute: 0)

    init(_ r: AppConfig.RateLimits) {
        reports = RateLimiter(perMinute: r.reportsPerMinute)
        tracking = RateLimiter(perMinute: r.trackingPerMinute)
        signIns = RateLimiter(perMinute: r.signInsPerMinute)
        tokens = RateLimiter(perMinute: r.signInsPerMinute == 0 ? 0 : 20)
        uploads = RateLimiter(perMinute: r.uploadsPerMinute)
    }
}

func routes(_ app: Application) {
    for route in Site.routes { Site.register(route, on: app) }
}

extension Site {
    /// Serves a route behind its door (account, role, rate limit, body limits, then the handler).
    static func register(_ route: SiteRoute, on app: Application) {
        let config = app.wangge.config
        let door = SiteDoor(route: route, config: config, limiters: app.wangge.limiters)
        // Bodies are read by the door, after the account, role and rate limit are checked; GETs take the small limit.
        let strategy: HTTPBodyStreamStrategy = route.body == .none ? .collect(maxSize: ByteCount(value: config.limits.jsonBytes)) : .stream
        app.on(route.method, route.components, body: strategy, use: door.respond)
    }
}
