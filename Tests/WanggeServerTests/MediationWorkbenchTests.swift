import Foundation
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// Issue 18: the mediator's workbench lists come from SQL, counted and paged, not filtered in memory from the first
/// 200 open mediations.
final class MediationWorkbenchTests: XCTestCase {
    typealias M = MediationAPITests

    func testTheWorkbenchCountsAndPagesMineAndFindsTodaysSessionsAnywhere() async throws {
        try await withApp { app, clock in
            try await M.world(app)
            let op = try await app.token("eastop"), grid = try await app.token("m_grid")
            var ids: [UUID] = []
            var codes: [String] = []
            for i in 0..<60 {
                var body = M.direct()
                body["description"] = "纠纷 \(i)"
                let (s, d) = try await M.send(app, .POST, "/api/v1/mediations", token: op, body: body)
                XCTAssertEqual(s, .created)
                let m = try CaseLoopTests.decoder.decode(M.Summary.self, from: d)
                ids.append(m.id)
                codes.append(m.code)
                _ = try await M.act(app, grid, m.id, ["action": "accept", "complexity": "general"])
                _ = try await M.act(app, grid, m.id, ["action": "assign", "mediator_ids": ["m_grid"]])
                clock.advance(1)
            }
            // A session today on the oldest: the newest-first list's last page.
            let at = ISO8601DateFormatter().string(from: clock.now().addingTimeInterval(3_600))
            let (ss, sd) = try await M.act(app, grid, ids[0], ["action": "schedule_session", "at": at, "place": "村委会调解室"])
            XCTAssertEqual(ss, .ok, String(decoding: sd, as: UTF8.self))
            let browser = Browser(app)
            try await browser.signIn("m_grid")
            let first = try await browser.get("/mediations").body.string
            XCTAssertTrue(first.contains("(60)"), "all 60 counted")
            XCTAssertTrue(first.contains(codes[59]), "newest first")
            XCTAssertFalse(first.contains(codes[5]) && first.components(separatedBy: codes[5]).count > 2, "page 1 holds 50")
            let sessionsPart = first.components(separatedBy: "<section>")[1]
            XCTAssertTrue(sessionsPart.contains(codes[0]), "today's session of the oldest is listed")
            let second = try await browser.get("/mediations?page=2").body.string
            XCTAssertTrue(second.contains(codes[1]), "page 2 holds the oldest ten")
            XCTAssertTrue(second.contains("2 / 2"))
            XCTAssertFalse(second.contains(codes[59] + "<"), "not the newest")
        }
    }
}
