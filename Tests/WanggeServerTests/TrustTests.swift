import Foundation
import FluentKit
import SQLKit
import NIOCore
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// Issue 10's findings, one test each: every one of them failed on the code before it.
final class TrustTests: XCTestCase {
    typealias Loop = CaseLoopTests

    // MARK: 1. a number a client sends cannot stop the server

    func testAHugePageIsA400NamingItAndTheServerStaysUp() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let token = try await app.token("countyop")
            let auth: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            for query in ["page=200000000000000000", "page=200000000000000000&clock=red", "per=9223372036854775807", "page=0", "per=0", "per=201", "page=1e308"] {
                try await app.test(.GET, "/api/v1/cases?\(query)", headers: auth) { res async throws in
                    XCTAssertEqual(res.status, .badRequest, query)
                    let field = try res.content.decode(ErrorBody.self).error.field
                    XCTAssertTrue(field == "page" || field == "per", "\(query): \(field ?? "nil")")
                }
            }
            try await app.test(.GET, "/workbench?page=200000000000000000", headers: auth) { res async throws in
                XCTAssertEqual(res.status, .badRequest)
            }
            try await app.test(.GET, "/healthz") { res async throws in XCTAssertEqual(res.status, .ok) }
        }
    }

    // MARK: 2. multipart: the well-kept parser, and a boundary of at most 70 characters

    func testALongMultipartBoundaryIsRefusedWithoutSearchingTheBody() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let boundary = String(repeating: "-", count: 4_000)
            // The old parser searched this body for its boundary in time proportional to size × boundary length.
            var body = ByteBuffer()
            for _ in 0..<500 { body.writeString(String(repeating: "-", count: 4_001) + "x") }
            try await app.test(.POST, "/api/v1/cases", headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"], body: body) { res async throws in
                XCTAssertEqual(res.status, .badRequest)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.field, "content_type")
            }
        }
    }

    func testMultipartPartsAreReadByNameWithTheirLimits() throws {
        let boundary = "b0undary"
        func body(_ parts: [(String, String)]) -> ByteBuffer {
            var text = ""
            for (name, value) in parts {
                text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"x\"\r\n\r\n\(value)\r\n"
            }
            return ByteBuffer(string: text + "--\(boundary)--\r\n")
        }
        let limits = MultipartForm.Limits(maximumParts: 3) { $0 == "case" ? 10 : $0 == "photos" ? 5 : nil }
        let form = try MultipartForm.parse(body([("case", "{}"), ("photos", "abc"), ("other", "ignored, however long it is")]), boundary: boundary, limits: limits)
        XCTAssertEqual(form.parts.map(\.name), ["case", "photos"])
        XCTAssertEqual(form.first(named: "photos").map { String(buffer: $0.data) }, "abc")
        XCTAssertThrowsError(try MultipartForm.parse(body([("photos", "too long")]), boundary: boundary, limits: limits)) { e in
            XCTAssertEqual((e as? APIError)?.status, .payloadTooLarge)
            XCTAssertEqual((e as? APIError)?.field, "photos")
        }
        XCTAssertThrowsError(try MultipartForm.parse(body(Array(repeating: ("photos", "a"), count: 4)), boundary: boundary, limits: limits)) { e in
            XCTAssertEqual((e as? APIError)?.status, .badRequest)
        }
    }

    // MARK: 3. the sign-in form: same-site `next` only, a CSRF token, our own origin

    func testTheSignInFormCannotInjectHeadersOrRedirectOffSiteOrBePostedFromElsewhere() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            for next in ["/areas\r\nSet-Cookie: evil=1", "/\t/evil.example", "/\\evil.example", "//evil.example"] {
                let browser = Browser(app)
                try await browser.get("/login")
                let res = try await browser.post("/login", form: ["username": "eastop", "password": "Orchard-lantern-42", "next": next])
                XCTAssertEqual(res.status, .seeOther, next)
                XCTAssertEqual(res.headers.first(name: .location), "/workbench", next)
                XCTAssertNil(res.headers.setCookie?["evil"])
            }
            // Without the page's token, or from another site, nothing happens.
            let browser = Browser(app)
            try await browser.get("/login")
            var res = try await browser.post("/login", form: ["username": "eastop", "password": "Orchard-lantern-42"], token: "forged")
            XCTAssertEqual(res.status, .forbidden)
            XCTAssertNil(res.headers.setCookie?[StaffAuthentication.cookieName])
            res = try await browser.post("/login", form: ["username": "eastop", "password": "Orchard-lantern-42"], headers: ["Origin": "https://evil.example", "Host": "localhost"])
            XCTAssertEqual(res.status, .forbidden)
            XCTAssertNil(res.headers.setCookie?[StaffAuthentication.cookieName])
            res = try await browser.post("/login", form: ["username": "eastop", "password": "Orchard-lantern-42"], headers: ["Origin": "http://localhost", "Host": "localhost"])
            XCTAssertEqual(res.status, .seeOther, "our own origin")
        }
    }

    // MARK: 4. limits on the public door

    func testAnonymousReportsAreLimitedPerAddressAndComeBackWithTime() async throws {
        try await withApp(configure: { $0.rateLimits.reportsPerMinute = 10 }) { app, clock in
            try await SmallCounty.load(app)
            for _ in 0..<10 { let (s, _) = try await Loop.report(app); XCTAssertEqual(s, .created) }
            var headers: HTTPHeaders = ["Content-Type": "application/json"]
            headers.add(name: "Idempotency-Key", value: "k1")
            let body = #"{"category_code": "\#(Loop.marketCategory)", "description": "x", "lat": 30.1, "lon": 120.25}"#
            try await app.test(.POST, "/api/v1/cases", headers: headers, body: ByteBuffer(string: body)) { res async throws in
                XCTAssertEqual(res.status, .tooManyRequests)
                XCTAssertNotNil(res.headers.first(name: .retryAfter).flatMap(Int.init))
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.code, "too_many_requests")
            }
            // Staff reports are not anonymous and are not counted here.
            let hotline: [String: Any] = ["category_code": Loop.marketCategory, "description": "热线来电", "lat": 30.1, "lon": 120.25, "source": "hotline"]
            let (staffStatus, staffBody) = try await Loop.report(app, body: hotline, token: try await app.token("countyop"))
            XCTAssertEqual(staffStatus, .created, String(decoding: staffBody, as: UTF8.self))
            clock.advance(7)
            let (s, d) = try await Loop.report(app, lat: 30.11)
            XCTAssertEqual(s, .created, "one report's worth back after six seconds: \(String(decoding: d, as: UTF8.self))")
            let v1 = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(v1, 12)
        }
    }

    func testTrackingIsLimitedPerAddress() async throws {
        try await withApp(configure: { $0.rateLimits.trackingPerMinute = 3 }) { app, _ in
            try await SmallCounty.load(app)
            var statuses: [HTTPStatus] = []
            for _ in 0..<5 { try await app.test(.GET, "/api/v1/track/ABCDEFGHJK") { res async throws in statuses.append(res.status) } }
            XCTAssertEqual(statuses, [.notFound, .notFound, .notFound, .tooManyRequests, .tooManyRequests])
            try await app.test(.GET, "/track/ABCDEFGHJK") { res async throws in XCTAssertEqual(res.status, .tooManyRequests) }
        }
    }

    func testTheClientAddressComesFromTheProxyHeaderOnlyFromATrustedProxy() throws {
        var network = AppConfig.Network()
        let loopback = try SocketAddress(ipAddress: "127.0.0.1", port: 5000)
        let outside = try SocketAddress(ipAddress: "203.0.113.9", port: 5000)
        let forwarded: HTTPHeaders = ["X-Forwarded-For": "1.2.3.4, 198.51.100.7"]
        XCTAssertEqual(try ClientAddress.resolve(peer: loopback, headers: forwarded, network: network).limitKey, "127.0.0.1", "not configured: ignored")
        network.clientAddressHeader = "X-Forwarded-For"
        XCTAssertEqual(try ClientAddress.resolve(peer: loopback, headers: forwarded, network: network).limitKey, "198.51.100.7",
                       "the right-most entry: the one our proxy added")
        XCTAssertEqual(try ClientAddress.resolve(peer: outside, headers: forwarded, network: network).limitKey, "203.0.113.9",
                       "a client talking to us directly cannot choose its address")
        XCTAssertEqual(try ClientAddress.resolve(peer: loopback, headers: ["X-Forwarded-For": "junk, 198.51.100.7"], network: network).limitKey, "198.51.100.7",
                       "junk left of our proxy's entry was written by the client and is not read")
        let v6 = try SocketAddress(ipAddress: "2001:db8:1:2:3:4:5:6", port: 1)
        XCTAssertEqual(try ClientAddress.resolve(peer: v6, headers: [:], network: network).limitKey, "2001:db8:1:2::/64")
        XCTAssertTrue(AddressRange("10.0.0.0/8")!.contains(AddressRange.parse("10.200.3.4")!))
        XCTAssertFalse(AddressRange("10.0.0.0/8")!.contains(AddressRange.parse("11.0.0.1")!))
        XCTAssertNil(AddressRange("10.0.0.0/33"))
    }

    func testBodiesOverTheirRoutesLimitAreRefused() async throws {
        try await withApp(configure: { $0.limits.photoBytes = 300 << 10; $0.limits.reportBytes = 1 << 20 }) { app, _ in
            try await SmallCounty.load(app)
            // JSON: 64 KB.
            let big = #"{"category_code": "\#(Loop.marketCategory)", "description": "\#(String(repeating: "长", count: 30_000))", "lat": 30.1, "lon": 120.25}"#
            try await app.test(.POST, "/api/v1/cases", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: big)) { res async throws in
                XCTAssertEqual(res.status, .payloadTooLarge)
            }
            // Over the report's whole limit, whatever the type.
            try await app.test(.POST, "/api/v1/cases", headers: ["Content-Type": "application/json"], body: ByteBuffer(repeating: 0x20, count: 2 << 20)) { res async throws in
                XCTAssertEqual(res.status, .payloadTooLarge)
            }
            // Four photos of 300 KB: each within its limit, together over the report's 1 MB.
            let boundary = "b"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"case\"\r\n\r\n{}\r\n"
            for _ in 0..<4 { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"photos\"\r\n\r\n\(String(repeating: "x", count: 300 << 10))\r\n" }
            body += "--\(boundary)--\r\n"
            try await app.test(.POST, "/api/v1/cases", headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: body)) { res async throws in
                XCTAssertEqual(res.status, .payloadTooLarge)
            }
            let v2 = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(v2, 0)
        }
    }

    func testCaseNumbersGoOnPastAMillionADay() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            let (s0, d0) = try await Loop.report(app)
            XCTAssertEqual(s0, .created)
            let first = try Loop.decoder.decode(Loop.Created.self, from: d0).code
            XCTAssertTrue(first.hasSuffix("-000001"), first)
            let prefix = String(first.dropLast(7))
            let sql = try XCTUnwrap(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE record_sequences SET last_number = 999998 WHERE kind = 'case' AND prefix = \(bind: prefix)").run()
            var codes: [String] = []
            for _ in 0..<3 {
                let (s, d) = try await Loop.report(app)
                XCTAssertEqual(s, .created, String(decoding: d, as: UTF8.self))
                codes.append(try Loop.decoder.decode(Loop.Created.self, from: d).code)
            }
            XCTAssertEqual(codes, ["\(prefix)-999999", "\(prefix)-1000000", "\(prefix)-1000001"])
            _ = clock
        }
    }

    // MARK: 5. scope everywhere

    func testAMergeTargetOutOfScopeIsTheSameAsNoneAndNothingMoves() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let west = try Loop.decoder.decode(Loop.Created.self, from: try await Loop.report(app, lat: 30.1, lon: 120.25).1)
            let east = try Loop.decoder.decode(Loop.Created.self, from: try await Loop.report(app, lat: 30.1, lon: 120.05).1)
            let eastop = try await app.token("eastop")
            let (s1, d1) = try await Loop.act(app, eastop, east.id, ["action": "merge", "merge_into": west.code])
            let (s2, d2) = try await Loop.act(app, eastop, east.id, ["action": "merge", "merge_into": "AL-20000101-000001"])
            XCTAssertEqual(s1, .notFound)
            XCTAssertEqual(s2, .notFound)
            let m1 = try JSONDecoder().decode(ErrorBody.self, from: d1).error, m2 = try JSONDecoder().decode(ErrorBody.self, from: d2).error
            XCTAssertEqual(m1.field, "merge_into")
            XCTAssertEqual(m1.message.replacingOccurrences(of: west.code, with: "X"), m2.message.replacingOccurrences(of: "AL-20000101-000001", with: "X"),
                           "the answer does not tell an unseen case from none")
            let stillEast = try await CaseQueries.find(id: east.id, on: app.db)
            XCTAssertEqual(stillEast?.snapshot.state, .reported)
        }
    }

    func testAPhotoIsSeenOnlyInTheScopeOfACaseThatUsesItOrByItsTrackingCode() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 1, 2, 0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xDA, 0, 4, 1, 2, 9, 9, 0xFF, 0xD9]
            let boundary = "XyZ"
            var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"case\"\r\n\r\n".utf8)
            body += Array(#"{"category_code": "\#(Loop.marketCategory)", "description": "带照片", "lat": 30.1, "lon": 120.25}"#.utf8)
            body += Array("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\n\r\n".utf8) + jpeg
            body += Array("\r\n--\(boundary)--\r\n".utf8)
            var created: Loop.Created? = nil
            try await app.test(.POST, "/api/v1/cases", headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(bytes: body)) { res async throws in
                XCTAssertEqual(res.status, .created, res.body.string)
                created = try Loop.decoder.decode(Loop.Created.self, from: Data(res.body.readableBytesView))
            }
            let c = try XCTUnwrap(created)
            let firstActions = try await CaseQueries.actions(caseID: c.id, on: app.db)
            let sha = try XCTUnwrap(firstActions.first?.record.attachmentIDs.first)
            let westop = try await app.token("westop"), eastop = try await app.token("eastop")
            try await app.test(.GET, "/api/v1/photos/\(sha)", headers: ["Authorization": "Bearer \(westop)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType?.description, "image/jpeg")
            }
            try await app.test(.GET, "/api/v1/photos/\(sha)", headers: ["Authorization": "Bearer \(eastop)"]) { res async throws in
                XCTAssertEqual(res.status, .notFound)
            }
            try await app.test(.GET, "/api/v1/track/\(c.trackingCode)/photos/\(sha)") { res async throws in XCTAssertEqual(res.status, .ok) }
            let other = try Loop.decoder.decode(Loop.Created.self, from: try await Loop.report(app, lat: 30.1, lon: 120.05).1)
            try await app.test(.GET, "/api/v1/track/\(other.trackingCode)/photos/\(sha)") { res async throws in XCTAssertEqual(res.status, .notFound) }
            // Attaching it to a case of one's own does not open it up either.
            let (s, d) = try await Loop.act(app, eastop, other.id, ["action": "comment", "note": "看看", "attachments": [sha]])
            XCTAssertEqual(s, .badRequest, String(decoding: d, as: UTF8.self))
            XCTAssertEqual(try JSONDecoder().decode(ErrorBody.self, from: d).error.field, "attachments")
            let (s2, _) = try await Loop.act(app, westop, c.id, ["action": "comment", "note": "x", "attachments": Array(repeating: sha, count: 50)])
            XCTAssertEqual(s2, .badRequest, "at most nine attachments")
        }
    }

    func testPagesCheckTheRoleTable() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await Setup.createUser(app, username: "boss", password: "Orchard-lantern-42", role: .leader, areaCode: "3301", departmentCode: nil, displayName: nil)
            let worker = Browser(app)
            try await worker.signIn("westworker")
            for page in ["/dashboard", "/screen", "/audit"] {
                let res = try await worker.get(page)
                XCTAssertEqual(res.status, .forbidden, page)
            }
            let v3 = try await worker.get("/worker").status
            XCTAssertEqual(v3, .ok)
            let v4 = try await worker.get("/areas").body.string.contains("href=\"/dashboard\"")
            XCTAssertFalse(v4, "no link to a page it may not open")
            let leader = Browser(app)
            try await leader.signIn("boss")
            let v5 = try await leader.get("/dashboard").status
            XCTAssertEqual(v5, .ok)
            let v6 = try await leader.get("/worker").status
            XCTAssertEqual(v6, .forbidden)
            try await app.test(.GET, "/api/v1/measures?from=2026-11-01&to=2026-11-30", headers: ["Authorization": "Bearer \(try await app.token("westworker"))"]) { res async throws in
                XCTAssertEqual(res.status, .forbidden)
            }
        }
    }

    func testALiveStreamEndsWhenItsSessionIsSignedOutOrExpires() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            app.wangge.liveCheck.withLockedValue { $0 = 0.1 }
            // Signed out on this server: the stream ends at once.
            let browser = Browser(app)
            try await browser.signIn("westop")
            let cookies = browser.cookieHeader
            let stream = Task { () -> HTTPStatus in
                var status = HTTPStatus.internalServerError
                try await app.test(.GET, "/api/v1/events", headers: cookies) { res async throws in status = res.status }
                return status
            }
            try await Task.sleep(for: .milliseconds(300))
            try await browser.post("/logout", form: [:])
            let ended = try await Self.within(seconds: 5) { try await stream.value }
            XCTAssertEqual(ended, .ok, "the stream ended after signing out")
            // Expired: the stream ends within a check.
            let other = Browser(app)
            try await other.signIn("westop")
            let again = other.cookieHeader
            let second = Task { () -> HTTPStatus in
                var status = HTTPStatus.internalServerError
                try await app.test(.GET, "/api/v1/events", headers: again) { res async throws in status = res.status }
                return status
            }
            try await Task.sleep(for: .milliseconds(300))
            clock.advance(3_601)
            let expired = try await Self.within(seconds: 5) { try await second.value }
            XCTAssertEqual(expired, .ok, "the stream ended when its session expired")
        }
    }

    /// The value of `body`, or a failure when it takes longer than `seconds` (a test must not hang).
    static func within<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask { try await Task.sleep(for: .seconds(seconds)); return nil }
            let first = try await group.next() ?? nil
            group.cancelAll()
            if first == nil { XCTFail("did not finish within \(seconds) s") }
            return first
        }
    }

    // MARK: 6. cross-site writes and the headers that stop framing and sniffing

    func testACookieWriteFromAnotherSiteOrWithoutTheTokenIsRefused() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let created = try Loop.decoder.decode(Loop.Created.self, from: try await Loop.report(app).1)
            let browser = Browser(app)
            try await browser.signIn("westop")
            let path = "/api/v1/cases/\(created.id)/actions"
            // A form-encoded post with a foreign origin, as another site's page would send it.
            var headers = browser.cookieHeader
            headers.add(name: .origin, value: "https://evil.example")
            headers.add(name: .host, value: "localhost")
            try await app.test(.POST, path, headers: headers, beforeRequest: { req async throws in
                try req.content.encode(["action": "accept"], as: .urlEncodedForm)
            }) { res async throws in XCTAssertTrue([.forbidden, .unsupportedMediaType].contains(res.status), "\(res.status)") }
            var res = try await browser.api(.POST, path, json: #"{"action": "accept"}"#, headers: ["Origin": "https://evil.example", "Host": "localhost"])
            XCTAssertEqual(res.status, .forbidden)
            res = try await browser.api(.POST, path, json: #"{"action": "accept"}"#, headers: ["Sec-Fetch-Site": "cross-site"])
            XCTAssertEqual(res.status, .forbidden)
            res = try await browser.api(.POST, path, json: #"{"action": "accept"}"#, token: "0000")
            XCTAssertEqual(res.status, .forbidden)
            XCTAssertEqual(try res.content.decode(ErrorBody.self).error.code, "csrf_failed")
            let v7 = try await CaseQueries.find(id: created.id, on: app.db)?.snapshot.state
            XCTAssertEqual(v7, .reported, "nothing happened")
            res = try await browser.api(.POST, path, json: #"{"action": "accept"}"#, headers: ["Origin": "http://localhost", "Host": "localhost"])
            XCTAssertEqual(res.status, .ok, res.body.string)
            // A bearer token is no ambient authority: API clients need no CSRF token.
            let (s, _) = try await Loop.act(app, try await app.token("westop"), created.id, ["action": "comment", "note": "ok"])
            XCTAssertEqual(s, .ok)
        }
    }

    func testEveryAnswerForbidsFramingSniffingAndInlineScript() async throws {
        try await withApp { app, _ in
            for path in ["/login", "/report", "/api/v1/categories", "/no-such-page", "/static/app.css"] {
                try await app.test(.GET, path) { res async throws in
                    XCTAssertEqual(res.headers.first(name: "X-Frame-Options"), "DENY", path)
                    XCTAssertEqual(res.headers.first(name: "X-Content-Type-Options"), "nosniff", path)
                    let csp = res.headers.first(name: "Content-Security-Policy") ?? ""
                    XCTAssertTrue(csp.contains("frame-ancestors 'none'"), path)
                    XCTAssertTrue(csp.contains("script-src 'self'"), path)
                    XCTAssertFalse(csp.contains("unsafe-inline"), path)
                }
            }
        }
        try await withApp(configure: { $0.network.publicURL = "https://wangge.example.gov.cn" }) { app, _ in
            try await SmallCounty.load(app)
            let browser = Browser(app)
            try await browser.get("/login")
            let res = try await browser.post("/login", form: ["username": "eastop", "password": "Orchard-lantern-42"])
            XCTAssertEqual(res.headers.setCookie?[StaffAuthentication.cookieName]?.isSecure, true, "Secure over TLS")
        }
    }

    /// No page carries inline script or inline event handlers, which the policy would block.
    func testNoPageCarriesInlineScript() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            _ = try await Loop.report(app)
            let browser = Browser(app)
            try await browser.signIn("countyop")
            let c = try await CaseQueries.list(CaseFilter(scopePath: "", departmentCode: nil), page: 1, per: 1, on: app.db).cases[0]
            for page in ["/login", "/report", "/track", "/track/\(c.trackingCode)", "/areas", "/workbench", "/dashboard", "/screen", "/cases/\(c.id)"] {
                let html = try await browser.get(page).body.string
                let scripts = html.components(separatedBy: "<script").dropFirst()
                for s in scripts {
                    XCTAssertTrue(s.hasPrefix(" src=") || s.hasPrefix(" type=\"application/json\""), "\(page): inline script <script\(s.prefix(60))")
                }
                XCTAssertNil(html.range(of: #"\son[a-z]+="#, options: .regularExpression), "\(page): an inline event handler")
                XCTAssertNil(html.range(of: #"\sstyle=""#, options: .regularExpression), "\(page): an inline style")
            }
        }
    }

    // MARK: 7. sign-in: slowed, never locked out

    func testGuessingAPasswordFromOneAddressDoesNotLockItsOwnerOut() async throws {
        try await withApp(configure: {
            $0.rateLimits.signInsPerMinute = 10
            $0.network.clientAddressHeader = "X-Forwarded-For"
        }) { app, _ in
            try await SmallCounty.load(app)
            let client = try app.testable(method: .running(hostname: "127.0.0.1", port: 0))
            func attempt(_ user: String, _ password: String, from address: String) async throws -> HTTPStatus {
                var status = HTTPStatus.ok
                try await client.test(.POST, "/api/v1/auth/token", headers: ["X-Forwarded-For": address, "Content-Type": "application/json"],
                                      body: ByteBuffer(string: #"{"username": "\#(user)", "password": "\#(password)"}"#)) { res async throws in
                    status = res.status
                    if res.status == .tooManyRequests { XCTAssertNotNil(res.headers.first(name: .retryAfter)) }
                }
                return status
            }
            for _ in 0..<5 { let s = try await attempt("countyop", "guess-guess", from: "198.51.100.66"); XCTAssertEqual(s, .unauthorized) }
            var s = try await attempt("countyop", "Orchard-lantern-42", from: "198.51.100.66")
            XCTAssertEqual(s, .tooManyRequests, "the guesser waits")
            s = try await attempt("countyop", "Orchard-lantern-42", from: "203.0.113.5")
            XCTAssertEqual(s, .ok, "the owner, from their own address, signs in at once")
            // One address guessing across many names is held by the address's own limit.
            for i in 0..<5 { _ = try await attempt("name\(i)", "guess-guess", from: "198.51.100.66") }
            s = try await attempt("eastop", "Orchard-lantern-42", from: "198.51.100.66")
            XCTAssertEqual(s, .tooManyRequests)
            s = try await attempt("eastop", "Orchard-lantern-42", from: "192.0.2.1")
            XCTAssertEqual(s, .ok)
        }
    }

    // MARK: 8. smaller: strange paths, the API's own field names

    func testLongOrStrangePathsAreNotServerErrors() async throws {
        try await withApp { app, _ in
            let long = String(repeating: "a", count: 300), longer = String(repeating: "b", count: 5_000)
            for path in ["/static/\(long)", "/api/\(long)", "/api/v1/\(longer)", "/api/v1/cases/\(longer)", "/\(longer)", "/static/%2e%2e/%2e%2e/etc/passwd",
                         "/api/v1/track/\(longer)", "/api/v1/photos/\(longer)", "/cases/%00", "/track/%ff%fe"] {
                try await app.test(.GET, path) { res async throws in
                    XCTAssertLessThan(res.status.code, 500, "\(path.prefix(40)): \(res.status)")
                }
            }
        }
    }

    func testErrorsSpeakTheAPIsFieldNames() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            for (body, field) in [(#"{"description": "x", "lat": 30.1, "lon": 120.25}"#, "category_code"),
                                  (#"{"category_code": "x", "description": "x", "reporter": 5}"#, "reporter"),
                                  (#"{"category_code": 7, "description": "x"}"#, "category_code"),
                                  (#"{"category_code": "\#(Loop.marketCategory)", "description": "a\u0000b", "lat": 30.1, "lon": 120.25}"#, "description")] {
                try await app.test(.POST, "/api/v1/cases", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: body)) { res async throws in
                    XCTAssertEqual(res.status, .badRequest, body)
                    let e = try res.content.decode(ErrorBody.self).error
                    XCTAssertEqual(e.field, field, body)
                    for swiftish in ["Dictionary", "Decodable", "categoryCode", "String.Type", "CodingKeys"] {
                        XCTAssertFalse(e.message.contains(swiftish), "\(e.message)")
                    }
                }
            }
        }
    }

    // MARK: 9. the audit log of personal data views

    func testEveryViewOfAReportersContactsIsInTheAuditLog() async throws {
        try await withApp(configure: { $0.auditRetentionDays = 30 }) { app, clock in
            try await SmallCounty.load(app)
            try await Setup.createUser(app, username: "root", password: "Orchard-lantern-42", role: .admin, areaCode: "3301", departmentCode: nil, displayName: nil)
            let created = try Loop.decoder.decode(Loop.Created.self, from: try await Loop.report(app).1)
            let westop = try await app.token("westop"), handler = try await app.token("westmarket"), admin = try await app.token("root")
            try await app.test(.GET, "/api/v1/cases/\(created.code)", headers: ["Authorization": "Bearer \(westop)"]) { res async throws in
                XCTAssertContains(res.body.string, "13800138000")
            }
            _ = try await Loop.act(app, westop, created.id, ["action": "accept"])
            _ = try await Loop.act(app, westop, created.id, ["action": "dispatch", "department_code": "3301002-market_regulation"])
            let before = try await AuditQueries.search(.init(), page: 1, per: 100, on: app.db).total
            // A handler sees the contacts masked: nothing to account for.
            try await app.test(.GET, "/api/v1/cases/\(created.code)", headers: ["Authorization": "Bearer \(handler)"]) { res async throws in
                XCTAssertFalse(res.body.string.contains("13800138000"))
            }
            let v8 = try await AuditQueries.search(.init(), page: 1, per: 100, on: app.db).total
            XCTAssertEqual(v8, before)
            // The page view counts too.
            let browser = Browser(app)
            try await browser.signIn("westop")
            try await browser.get("/cases/\(created.id)")
            try await app.test(.GET, "/api/v1/audit?user=westop&record=\(created.code)", headers: ["Authorization": "Bearer \(admin)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                let list = try res.content.decode(AuditList.self)
                XCTAssertEqual(list.total, before + 1)
                XCTAssertEqual(Set(list.events.map(\.route)), ["GET /api/v1/cases/:id", "POST /api/v1/cases/:id/actions", "GET /cases/:id"])
                XCTAssertTrue(list.events.allSatisfy { $0.fields == ["reporter_name", "reporter_phone"] })
            }
            try await app.test(.GET, "/api/v1/audit", headers: ["Authorization": "Bearer \(westop)"]) { res async throws in
                XCTAssertEqual(res.status, .forbidden)
            }
            let page = Browser(app)
            try await page.signIn("root")
            let html = try await page.get("/audit?user=westop").body.string
            XCTAssertContains(html, created.code)
            // Kept for the configured days, then pruned by the clock job.
            clock.advance(31 * 86_400)
            try await ClockRunner.runOnce(app)
            let left = try await AuditQueries.search(.init(username: "westop"), page: 1, per: 100, on: app.db).total
            XCTAssertEqual(left, 0)
        }
    }

    struct AuditList: Decodable {
        struct Event: Decodable { var username: String; var fields: [String]; var route: String }
        var events: [Event]
        var total: Int
    }
}
