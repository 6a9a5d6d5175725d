import Foundation
import NIOConcurrencyHelpers
import Vapor
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// A clock the tests move by hand.
final class TestClock: WallClock, @unchecked Sendable {
    private let lock = NIOLock()
    private var current: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_795_400_000)) { current = start }  // 2026-11-23
    func now() -> Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// The database the server tests use: PostgreSQL when DATABASE_URL is set (scripts/test.sh's second pass),
/// otherwise a fresh SQLite file per test, as the product runs (group commit writes to a file of its own).
func testConfig() -> AppConfig {
    let dir = NSTemporaryDirectory() + "wangge-tests-\(UUID().uuidString)"
    let database: AppConfig.Database
    if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty,
       case .postgres = (try? AppConfig.fromEnvironment(["DATABASE_URL": url]))?.database {
        database = (try! AppConfig.fromEnvironment(["DATABASE_URL": url])).database
    } else {
        database = .sqlite(path: dir + "/wangge.sqlite")
    }
    var config = AppConfig(database: database, dataDirectory: dir, logLevel: ProcessInfo.processInfo.environment["TEST_DEBUG"] != nil ? .debug : .warning, demoPassword: "demo-password", tokenLifetime: 3600, bcryptCost: 4)
    // Tests make many requests from one (unknown) address; the rate-limit tests turn the limits back on.
    config.rateLimits = .off
    return config
}

/// Runs `body` with a migrated app on an empty database and always shuts it down.
func withApp(clock: TestClock = TestClock(), configure: (inout AppConfig) -> Void = { _ in },
             _ body: (Application, TestClock) async throws -> Void) async throws {
    var config = testConfig()
    configure(&config)
    let app = try await AppFactory.make(config, clock: clock, environment: .testing)
    defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
    do {
        try await app.autoRevert()
        try await Setup.migrate(app)
        try await body(app, clock)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// Two townships with a village and two grids each: small enough to import in every test.
enum SmallCounty {
    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [[Double]] {
        [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    }

    static func feature(_ code: String, _ name: String, _ level: String, _ parent: String?, _ ring: [[Double]]) -> [String: Any] {
        var props: [String: Any] = ["code": code, "name": name, "level": level, "population": 100, "households": 40]
        if let parent { props["parent_code"] = parent }
        return ["type": "Feature", "properties": props, "geometry": ["type": "Polygon", "coordinates": [ring]]]
    }

    static var geojson: Data {
        let features: [[String: Any]] = [
            feature("3301", "测试县", "county", nil, rect(120, 30, 120.4, 30.2)),
            feature("3301001", "东镇", "township", "3301", rect(120, 30, 120.2, 30.2)),
            feature("3301002", "西镇", "township", "3301", rect(120.2, 30, 120.4, 30.2)),
            feature("3301001001", "东村", "village", "3301001", rect(120, 30, 120.2, 30.2)),
            feature("3301002001", "西村", "village", "3301002", rect(120.2, 30, 120.4, 30.2)),
            feature("3301001001001", "东村第一网格", "grid", "3301001001", rect(120, 30, 120.1, 30.2)),
            feature("3301001001002", "东村第二网格", "grid", "3301001001", rect(120.1, 30, 120.2, 30.2)),
            feature("3301002001001", "西村第一网格", "grid", "3301002001", rect(120.2, 30, 120.3, 30.2)),
            feature("3301002001002", "西村第二网格", "grid", "3301002001", rect(120.3, 30, 120.4, 30.2)),
        ]
        return collection(features)
    }

    static func collection(_ features: [[String: Any]]) -> Data {
        try! JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features])
    }

    static let departments: [Department] = [
        Department(code: "3301-governance_centre", name: "县社会治理中心", kind: .governanceCentre, areaCode: "3301"),
        Department(code: "3301-market_regulation", name: "县市场监督管理局", kind: .marketRegulation, areaCode: "3301"),
        Department(code: "3301001-market_regulation", name: "东镇市场监管所", kind: .marketRegulation, areaCode: "3301001"),
        Department(code: "3301002-market_regulation", name: "西镇市场监管所", kind: .marketRegulation, areaCode: "3301002"),
        Department(code: "3301001-governance_centre", name: "东镇社会治理中心", kind: .governanceCentre, areaCode: "3301001"),
        Department(code: "3301002-governance_centre", name: "西镇社会治理中心", kind: .governanceCentre, areaCode: "3301002"),
    ]

    /// Imports the county and makes one account per scope used in the tests (password "Orchard-lantern-42").
    static func load(_ app: Application) async throws {
        try await Setup.importAreas(app, geojson: geojson)
        try await OrganisationQueries.insert(departments, on: app.db)
        try await Setup.createUser(app, username: "countyop", password: "Orchard-lantern-42", role: .operator, areaCode: "3301", departmentCode: nil, displayName: "县受理员")
        try await Setup.createUser(app, username: "eastop", password: "Orchard-lantern-42", role: .operator, areaCode: "3301001", departmentCode: nil, displayName: "东镇受理员")
        try await Setup.createUser(app, username: "westworker", password: "Orchard-lantern-42", role: .gridWorker, areaCode: "3301002001001", departmentCode: nil, displayName: "西网格员")
        try await Setup.createUser(app, username: "westop", password: "Orchard-lantern-42", role: .operator, areaCode: "3301002", departmentCode: nil, displayName: "西镇受理员")
        try await Setup.createUser(app, username: "westmarket", password: "Orchard-lantern-42", role: .handler, areaCode: "3301002", departmentCode: "3301002-market_regulation", displayName: "西镇市场监管")
        try await Setup.createUser(app, username: "eastmarket", password: "Orchard-lantern-42", role: .handler, areaCode: "3301001", departmentCode: "3301001-market_regulation", displayName: "东镇市场监管")
    }
}

extension Application {
    /// Signs in through the API and returns the bearer token.
    func token(_ username: String, _ password: String = "Orchard-lantern-42") async throws -> String {
        var token = ""
        try await self.test(.POST, "/api/v1/auth/token", beforeRequest: { req async throws in
            try req.content.encode(["username": username, "password": password], as: .json)
        }, afterResponse: { res async throws in
            XCTAssertEqual(res.status, .ok, res.body.string)
            token = try res.content.decode(TokenBody.self).token
        })
        return token
    }
}

struct TokenBody: Decodable { var token: String; var expiresAt: String }
struct ErrorBody: Decodable {
    struct Detail: Decodable { var code: String; var message: String; var field: String? }
    var error: Detail
}

enum WanggeStoreProbe {
    static func areaCount(_ app: Application) async throws -> Int { try await AreaQueries.count(on: app.db) }
}

/// A browser's view of the pages: it keeps the cookies the site sets and sends back the page's CSRF token with its
/// forms and writes, as the real pages do.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    /// The CSRF token of the last page seen.
    var token = ""
    /// Headers a browser adds to every request (an `Origin`, say).
    var extraHeaders: HTTPHeaders = [:]

    init(_ app: Application) { self.app = app }

    var cookieHeader: HTTPHeaders {
        var h = extraHeaders
        if !cookies.isEmpty { h.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        return h
    }

    private func keep(_ res: XCTHTTPResponse) {
        for (name, value) in res.headers.setCookie?.all ?? [:] {
            if value.string.isEmpty { cookies.removeValue(forKey: name) } else { cookies[name] = value.string }
        }
        if let range = res.body.string.range(of: #"<meta name="csrf-token" content="([0-9a-f]+)">"#, options: .regularExpression) {
            token = String(res.body.string[range].split(separator: "\"")[3])
        }
    }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> XCTHTTPResponse {
        var h = cookieHeader
        h.add(contentsOf: headers)
        var out: XCTHTTPResponse? = nil
        try await app.test(.GET, path, headers: h) { res async throws in out = res }
        keep(out!)
        return out!
    }

    /// Posts a page form with the page's token (unless `token` says otherwise).
    @discardableResult
    func post(_ path: String, form: [String: String], token: String? = nil, headers: HTTPHeaders = [:]) async throws -> XCTHTTPResponse {
        var fields = form
        fields["csrf"] = token ?? self.token
        var h = cookieHeader
        h.add(contentsOf: headers)
        var out: XCTHTTPResponse? = nil
        try await app.test(.POST, path, headers: h, beforeRequest: { req async throws in
            try req.content.encode(fields, as: .urlEncodedForm)
        }) { res async throws in out = res }
        keep(out!)
        return out!
    }

    /// A JSON write through the API with the session cookie, as the pages' scripts make it.
    @discardableResult
    func api(_ method: HTTPMethod, _ path: String, json: String, token: String? = nil, headers: HTTPHeaders = [:]) async throws -> XCTHTTPResponse {
        var h = cookieHeader
        h.add(contentsOf: headers)
        h.replaceOrAdd(name: .contentType, value: "application/json")
        if let t = token ?? (self.token.isEmpty ? nil : self.token) { h.replaceOrAdd(name: "X-CSRF-Token", value: t) }
        var out: XCTHTTPResponse? = nil
        try await app.test(method, path, headers: h, body: ByteBuffer(string: json)) { res async throws in out = res }
        keep(out!)
        return out!
    }

    /// Signs in through the sign-in page.
    func signIn(_ username: String, _ password: String = "Orchard-lantern-42") async throws {
        try await get("/login")
        let res = try await post("/login", form: ["username": username, "password": password])
        XCTAssertEqual(res.status, .seeOther, res.body.string)
        try await get("/areas")
    }
}
