import Foundation
import SQLKit
import XCTVapor
import XCTest
import WanggeStore
@testable import WanggeServer

/// Issue 18: accounts found by token are kept for a few seconds (signed-in intake no longer queries twice per
/// request); ending a token still ends it at once here, and within the cache's lifetime anywhere else.
final class SessionCacheTests: XCTestCase {
    func testACachedTokenEndsAtOnceHereAndWithinItsLifetimeElsewhere() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            func status(_ token: String) async throws -> HTTPStatus {
                var s: HTTPStatus = .ok
                try await app.test(.GET, "/api/v1/cases", headers: ["Authorization": "Bearer \(token)"]) { res async throws in s = res.status }
                return s
            }
            // Revoked through this server: refused on the next request.
            let a = try await app.token("westop")
            let v1 = try await status(a)
            XCTAssertEqual(v1, .ok)
            try await app.test(.DELETE, "/api/v1/auth/token", headers: ["Authorization": "Bearer \(a)"]) { res async throws in
                XCTAssertEqual(res.status, .noContent)
            }
            let v2 = try await status(a)
            XCTAssertEqual(v2, .unauthorized)
            // Deleted behind this server's back (another server, or `wangge user disable` from the shell): the cached
            // account serves until the cache's lifetime runs out, then the store's answer counts.
            let b = try await app.token("westop")
            let v3 = try await status(b)
            XCTAssertEqual(v3, .ok)
            let sql = try XCTUnwrap(app.db as? any SQLDatabase)
            try await sql.raw("DELETE FROM user_tokens WHERE token_hash = \(bind: TokenSecret.hash(b))").run()
            clock.advance(app.wangge.sessions.lifetime + 1)
            let v4 = try await status(b)
            XCTAssertEqual(v4, .unauthorized)
            XCTAssertEqual(TokenSecret.hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 in lower-case hex")
        }
    }
}
