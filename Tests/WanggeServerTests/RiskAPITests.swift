import Foundation
import XCTVapor
import XCTest
import WanggeCore
@testable import WanggeServer

/// The risk register through the API (issue 19, first slice): a grid worker registers a hazard, its assessment
/// proposes the level, the risk office reviews it, a leader approves, the office transfers it to the responsible
/// department, which reports back; another township sees nothing of it; bad input is a 400 naming the field.
final class RiskAPITests: XCTestCase {
    func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: [String: Any]? = nil,
              key: String? = nil) async throws -> (HTTPStatus, [String: Any]) {
        try await ThirdKindTests.send(app, method, path, token: token, body: body, key: key)
    }

    func testAHazardIsRegisteredReviewedApprovedTransferredAndHiddenFromAnotherTownship() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await Setup.createUser(app, username: "westlead", password: "Orchard-lantern-42", role: .leader, areaCode: "3301002",
                                       departmentCode: nil, displayName: "西镇领导")
            let worker = try await app.token("westworker"), op = try await app.token("westop"), lead = try await app.token("westlead")
            let market = try await app.token("westmarket"), east = try await app.token("eastop")
            let body: [String: Any] = ["category_code": "fire", "title": "某厂消防通道堵塞", "description": "厂区东侧消防通道被货物堵塞",
                                       "area_code": "3301002001001", "lat": 30.1, "lon": 120.25,
                                       "assessment": ["likelihood": 4, "severity": 5]]
            let (s1, made) = try await send(app, .POST, "/api/v1/risks", token: worker, body: body, key: "risk-1")
            XCTAssertEqual(s1, .created, "\(made)")
            let summary = try XCTUnwrap(made["summary"] as? [String: Any])
            let id = try XCTUnwrap(summary["id"] as? String)
            XCTAssertEqual(summary["level"] as? Int, 1, "4 × 5 = 20 proposes red")
            XCTAssertTrue((summary["code"] as? String)?.hasPrefix("FX-") == true)
            let (s2, again) = try await send(app, .POST, "/api/v1/risks", token: worker, body: body, key: "risk-1")
            XCTAssertEqual(s2, .ok)
            XCTAssertEqual((again["summary"] as? [String: Any])?["id"] as? String, id, "the same key and body answer the first entry")

            // Scope: the west township's office lists it; the east's neither lists nor opens it.
            let (_, westList) = try await send(app, .GET, "/api/v1/risks?level=1", token: op)
            XCTAssertEqual(westList["total"] as? Int, 1)
            let (_, eastList) = try await send(app, .GET, "/api/v1/risks", token: east)
            XCTAssertEqual(eastList["total"] as? Int, 0)
            let (hidden, _) = try await send(app, .GET, "/api/v1/risks/\(id)", token: east)
            XCTAssertEqual(hidden, .notFound)
            let (outside, _) = try await send(app, .POST, "/api/v1/risks", token: east, body: body)
            XCTAssertEqual(outside, .notFound, "an area outside the caller's scope")

            // Bad input: a 400 naming the field, nothing written.
            var bad = body
            bad["assessment"] = ["likelihood": 9, "severity": 5]
            let (b1, e1) = try await send(app, .POST, "/api/v1/risks", token: worker, body: bad)
            XCTAssertEqual(b1, .badRequest)
            XCTAssertEqual((e1["error"] as? [String: Any])?["field"] as? String, "assessment.likelihood")
            bad = body
            bad["category_code"] = "people"
            let (b2, e2) = try await send(app, .POST, "/api/v1/risks", token: worker, body: bad)
            XCTAssertEqual(b2, .badRequest)
            XCTAssertEqual((e2["error"] as? [String: Any])?["field"] as? String, "category_code")
            let (_, countAfter) = try await send(app, .GET, "/api/v1/risks", token: op)
            XCTAssertEqual(countAfter["total"] as? Int, 1, "nothing of the bad requests was written")

            // The office reviews it down to blue; only a leader approves (409 with the allowed list for the office).
            let (r1, reviewed) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: op,
                                                body: ["action": "review", "assessment": ["likelihood": 2, "severity": 4], "decision": "lower", "note": "通道已部分清理"])
            XCTAssertEqual(r1, .ok, "\(reviewed)")
            XCTAssertEqual((reviewed["summary"] as? [String: Any])?["level"] as? Int, 3, "2 × 4 = 8 proposes blue")
            let (r2, refused) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: op, body: ["action": "approve"])
            XCTAssertEqual(r2, .conflict)
            XCTAssertEqual((refused["error"] as? [String: Any])?["code"] as? String, "action_not_allowed")
            let (r3, approved) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: lead, body: ["action": "approve"])
            XCTAssertEqual(r3, .ok, "\(approved)")
            let (r4, active) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: op,
                                              body: ["action": "transfer", "department_code": "3301002-market_regulation", "leader": "westlead", "person_in_charge": "westmarket"])
            XCTAssertEqual(r4, .ok, "\(active)")
            XCTAssertEqual((active["summary"] as? [String: Any])?["state"] as? String, "active")
            let (r5, fed) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: market, body: ["action": "feedback", "text": "已督促企业清理通道"])
            XCTAssertEqual(r5, .ok, "\(fed)")
            let (_, shown) = try await send(app, .GET, "/api/v1/risks/\(id)", token: op)
            XCTAssertEqual((shown["reviews"] as? [[String: Any]])?.count, 1)
            XCTAssertEqual((shown["owners"] as? [String: Any])?["department_code"] as? String, "3301002-market_regulation")
        }
    }
}
