import XCTVapor
import XCTest
@testable import WanggeServer

final class AuthTests: XCTestCase {
    func testSignInGivesATokenThatExpires() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            let token = try await app.token("countyop")
            try await app.test(.GET, "/api/v1/areas?level=grid", headers: ["Authorization": "Bearer \(token)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
            }
            clock.advance(3601)
            try await app.test(.GET, "/api/v1/areas?level=grid", headers: ["Authorization": "Bearer \(token)"]) { res async throws in
                XCTAssertEqual(res.status, .unauthorized)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.code, "unauthorized")
            }
        }
    }

    func testNoTokenOrAForgedOneIsRefused() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await app.test(.GET, "/api/v1/areas") { res async throws in XCTAssertEqual(res.status, .unauthorized) }
            try await app.test(.GET, "/api/v1/areas", headers: ["Authorization": "Bearer forged"]) { res async throws in
                XCTAssertEqual(res.status, .unauthorized)
            }
        }
    }

    func testWrongPasswordAndMissingFields() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await app.test(.POST, "/api/v1/auth/token", beforeRequest: { req async throws in
                try req.content.encode(["username": "countyop", "password": "wrong-one"], as: .json)
            }) { res async throws in
                XCTAssertEqual(res.status, .unauthorized)
                let e = try res.content.decode(ErrorBody.self).error
                XCTAssertEqual(e.code, "invalid_credentials")
                XCTAssertEqual(e.field, "password")
            }
            try await app.test(.POST, "/api/v1/auth/token", beforeRequest: { req async throws in
                try req.content.encode(["username": "countyop"], as: .json)
            }) { res async throws in
                XCTAssertEqual(res.status, .badRequest)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.field, "password")
            }
        }
    }

    func testRepeatedFailuresSlowFurtherAttemptsForThatName() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            func attempt(_ user: String, _ password: String) async throws -> HTTPStatus {
                var status = HTTPStatus.ok
                try await app.test(.POST, "/api/v1/auth/token", beforeRequest: { req async throws in
                    try req.content.encode(["username": user, "password": password], as: .json)
                }) { res async throws in
                    status = res.status
                    if res.status == .tooManyRequests { XCTAssertNotNil(res.headers.first(name: .retryAfter)) }
                }
                return status
            }
            for _ in 0..<5 { let s = try await attempt("countyop", "bad-password"); XCTAssertEqual(s, .unauthorized) }
            // Even the right password waits now, and another name is not affected.
            var s = try await attempt("countyop", "Orchard-lantern-42")
            XCTAssertEqual(s, .tooManyRequests)
            s = try await attempt("eastop", "Orchard-lantern-42")
            XCTAssertEqual(s, .ok)
            clock.advance(3)
            s = try await attempt("countyop", "Orchard-lantern-42")
            XCTAssertEqual(s, .ok)
            // Success clears the count.
            s = try await attempt("countyop", "bad-password")
            XCTAssertEqual(s, .unauthorized)
            s = try await attempt("countyop", "Orchard-lantern-42")
            XCTAssertEqual(s, .ok)
        }
    }

    func testPagesSignInWithACookieAndOut() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await app.test(.GET, "/areas") { res async throws in
                XCTAssertEqual(res.status, .seeOther)
                XCTAssertEqual(res.headers.first(name: .location), "/login?next=/areas")
            }
            let browser = Browser(app)
            try await browser.get("/login?next=/areas")
            var res = try await browser.post("/login", form: ["username": "eastop", "password": "Orchard-lantern-42", "next": "/areas"])
            XCTAssertEqual(res.status, .seeOther)
            XCTAssertEqual(res.headers.first(name: .location), "/areas")
            let cookie = try XCTUnwrap(res.headers.setCookie?[StaffAuthentication.cookieName])
            XCTAssertTrue(cookie.isHTTPOnly)
            XCTAssertEqual(cookie.sameSite, .lax)
            XCTAssertFalse(cookie.isSecure, "plain http unless PUBLIC_URL is https")
            res = try await browser.get("/areas")
            XCTAssertEqual(res.status, .ok)
            XCTAssertContains(res.body.string, "东镇受理员")
            res = try await browser.post("/logout", form: [:])
            XCTAssertEqual(res.status, .seeOther)
            res = try await browser.get("/areas")
            XCTAssertEqual(res.status, .seeOther)
            try await browser.get("/login")
            res = try await browser.post("/login", form: ["username": "eastop", "password": "nope-nope"])
            XCTAssertEqual(res.status, .unauthorized)
            XCTAssertContains(res.body.string, "用户名或密码错误")
            XCTAssertContains(res.body.string, "aria-invalid=\"true\"")
        }
    }

    func testTheLoginPageDoesNotRedirectOffSite() {
        XCTAssertNil(SessionPages.safeNext("//evil.example/x"))
        XCTAssertNil(SessionPages.safeNext("https://evil.example"))
        XCTAssertNil(SessionPages.safeNext("/\t/evil.example"))
        XCTAssertNil(SessionPages.safeNext("/\\evil.example"))
        XCTAssertNil(SessionPages.safeNext("/areas\r\nSet-Cookie: x=1"))
        XCTAssertNil(SessionPages.safeNext("/a b"))
        XCTAssertNil(SessionPages.safeNext("areas"))
        XCTAssertEqual(SessionPages.safeNext("/areas?focus=1"), "/areas?focus=1")
        XCTAssertEqual(SessionPages.safeNext("/cases/AL-20261123-000001?back=%3Ftab%3Dall"), "/cases/AL-20261123-000001?back=%3Ftab%3Dall")
    }
}
