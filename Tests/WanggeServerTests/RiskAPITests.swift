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

            // Registered red: the area's leaders are told, once (the idempotent retry told nobody again).
            let (_, told) = try await send(app, .GET, "/api/v1/warnings?kind=risk_raised", token: lead)
            let notices = try XCTUnwrap(told["warnings"] as? [[String: Any]])
            XCTAssertEqual(notices.count, 1, "\(told)")
            XCTAssertEqual((notices.first?["evidence"] as? [String: Any])?["risk_id"] as? String, id)
            let (_, eastTold) = try await send(app, .GET, "/api/v1/warnings?kind=risk_raised", token: east)
            XCTAssertEqual(eastTold["total"] as? Int, 0)

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
            // A transfer names real owners: a leader's account, a person of the department, a department serving the area.
            for (change, field) in [(["leader": "westmarket"], "leader"), (["person_in_charge": "eastmarket"], "person_in_charge"),
                                    (["leader": "nobody"], "leader"), (["department_code": "3309-none"], "department_code"),
                                    (["department_code": "3301001-market_regulation", "person_in_charge": "eastmarket"], "department_code")] {
                var transfer: [String: Any] = ["action": "transfer", "department_code": "3301002-market_regulation", "leader": "westlead",
                                               "person_in_charge": "westmarket"]
                transfer.merge(change) { _, new in new }
                let (bad, e) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: op, body: transfer)
                XCTAssertEqual(bad, .badRequest, "\(change) \(e)")
                XCTAssertEqual((e["error"] as? [String: Any])?["field"] as? String, field, "\(change)")
            }
            let (r4, active) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: op,
                                              body: ["action": "transfer", "department_code": "3301002-market_regulation", "leader": "westlead", "person_in_charge": "westmarket"])
            XCTAssertEqual(r4, .ok, "\(active)")
            XCTAssertEqual((active["summary"] as? [String: Any])?["state"] as? String, "active")
            // The department's plan, a measure reported done with the feedback, and the case that revealed it.
            let (p1, planned) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: market, body: [
                "action": "plan", "measures": [["description": "清理通道堆放货物", "due_on": "2026-11-30"], ["description": "设置禁止堆放标识", "due_on": "2026-12-15"]]])
            XCTAssertEqual(p1, .ok, "\(planned)")
            let (p2, badPlan) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: market, body: [
                "action": "plan", "measures": [["description": "清理", "due_on": "30/11/2026"]]])
            XCTAssertEqual(p2, .badRequest)
            XCTAssertEqual((badPlan["error"] as? [String: Any])?["field"] as? String, "measures[0].due_on")
            let (r5, fed) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: market,
                                            body: ["action": "feedback", "text": "已督促企业清理通道", "measures_done": [0]])
            XCTAssertEqual(r5, .ok, "\(fed)")
            let (reportStatus, reportData) = try await CaseLoopTests.report(app, lon: 120.25)
            XCTAssertEqual(reportStatus, .created)
            let caseCode = try XCTUnwrap((try JSONSerialization.jsonObject(with: reportData) as? [String: Any])?["code"] as? String)
            let (_, eastCase) = try await CaseLoopTests.report(app, lon: 120.05)
            let eastCode = try XCTUnwrap((try JSONSerialization.jsonObject(with: eastCase) as? [String: Any])?["code"] as? String)
            let (l1, refusedLink) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: op, body: ["action": "link_cases", "case_codes": [eastCode]])
            XCTAssertEqual(l1, .badRequest, "a case of another township is not this risk's")
            XCTAssertEqual((refusedLink["error"] as? [String: Any])?["field"] as? String, "case_codes[0]")
            let (l2, linked) = try await send(app, .POST, "/api/v1/risks/\(id)/actions", token: op, body: ["action": "link_cases", "case_codes": [caseCode]])
            XCTAssertEqual(l2, .ok, "\(linked)")
            XCTAssertEqual(linked["case_codes"] as? [String], [caseCode])
            let plan = try XCTUnwrap(linked["plan"] as? [[String: Any]])
            XCTAssertEqual(plan.count, 2)
            XCTAssertNotNil(plan[0]["done_on"], "the first measure reported done")
            XCTAssertNil(plan[1]["done_on"])
            let (_, shown) = try await send(app, .GET, "/api/v1/risks/\(id)", token: op)
            XCTAssertEqual((shown["reviews"] as? [[String: Any]])?.count, 1)
            XCTAssertEqual((shown["owners"] as? [String: Any])?["department_code"] as? String, "3301002-market_regulation")
        }
    }

    func raw(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, type: String? = nil, body: Data? = nil) async throws -> (HTTPStatus, Data, HTTPHeaders) {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        if let type { headers.add(name: .contentType, value: type) }
        var out: (HTTPStatus, Data, HTTPHeaders) = (.ok, Data(), [:])
        try await app.test(method, path, headers: headers, body: body.map { ByteBuffer(data: $0) }) { res async throws in
            out = (res.status, Data(res.body.readableBytesView), res.headers)
        }
        return out
    }

    func testAnImportedListIsAllOrNothingWithEveryProblemByRowAndItsExportReadsBack() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let op = try await app.token("westop"), east = try await app.token("eastop")
            func count() async throws -> Int {
                let (_, list) = try await send(app, .GET, "/api/v1/risks", token: op)
                return list["total"] as? Int ?? -1
            }
            // Two bad rows (an area outside the caller's scope, a level the assessment does not propose) and a good
            // one: 400 listing both by row, nothing written.
            let bad = "类别,标题,描述,区域代码,可能性,严重性,等级\nfire,厂房消防通道堵塞,东侧通道堆放货物,3301002001001,4,5,红\n"
                + "flood_geology,山体滑坡隐患,雨后坡体开裂,3301001001001,3,3,橙\nfire,仓库电线老化,线路裸露,3301002001002,2,2,红\n"
            let (s1, d1, _) = try await raw(app, .POST, "/api/v1/risks/import", token: op, type: "text/csv", body: Data(bad.utf8))
            XCTAssertEqual(s1, .badRequest, String(decoding: d1, as: UTF8.self))
            let problems = try XCTUnwrap((try JSONSerialization.jsonObject(with: d1) as? [String: Any])?["problems"] as? [[String: Any]])
            XCTAssertEqual(Set(problems.compactMap { $0["row"] as? Int }), [3, 4], "\(problems)")
            let afterBad = try await count()
            XCTAssertEqual(afterBad, 0, "nothing was written")

            // The same list in GB18030 (Chinese Excel's CSV), good rows only: every row registered.
            let good = "类别,标题,描述,区域代码,可能性,严重性\nfire,厂房消防通道堵塞,东侧通道堆放货物,3301002001001,4,5\nfire,仓库电线老化,线路裸露,3301002001002,2,2\n"
            let gb = try XCTUnwrap(Self.gb18030(good))
            XCTAssertNotEqual(gb, Data(good.utf8))
            let (s2, d2, _) = try await raw(app, .POST, "/api/v1/risks/import", token: op, type: "text/csv", body: gb)
            XCTAssertEqual(s2, .created, String(decoding: d2, as: UTF8.self))
            let afterGood = try await count()
            XCTAssertEqual(afterGood, 2)
            let (_, eastList) = try await send(app, .GET, "/api/v1/risks", token: east)
            XCTAssertEqual(eastList["total"] as? Int, 0, "the east township sees none of the west's list")

            // Export as XLSX and import it again: the same entries again, read from the workbook.
            let (s3, xlsx, headers) = try await raw(app, .GET, "/api/v1/risks/export?format=xlsx", token: op)
            XCTAssertEqual(s3, .ok)
            XCTAssertEqual(headers.contentType?.subType, "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let (s4, d4, _) = try await raw(app, .POST, "/api/v1/risks/import", token: op, type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body: xlsx)
            XCTAssertEqual(s4, .created, String(decoding: d4, as: UTF8.self))
            let afterRoundTrip = try await count()
            XCTAssertEqual(afterRoundTrip, 4)
            let (s5, csv, _) = try await raw(app, .GET, "/api/v1/risks/export?format=csv&level=1", token: op)
            XCTAssertEqual(s5, .ok)
            let text = String(decoding: csv, as: UTF8.self)
            XCTAssertEqual(text.split(whereSeparator: \.isNewline).filter { $0.contains("厂房消防通道堵塞") }.count, 2, "the red entries, filtered: \(text)")
            XCTAssertFalse(text.contains("仓库电线老化"), "the blue one is filtered out")
            // Only the risk office imports; not a file is 400; a JSON body is 415.
            let worker = try await app.token("westworker")
            let (s6, _, _) = try await raw(app, .POST, "/api/v1/risks/import", token: worker, type: "text/csv", body: Data(good.utf8))
            XCTAssertEqual(s6, .forbidden)
            let (s7, _, _) = try await raw(app, .POST, "/api/v1/risks/import", token: op, type: "application/json", body: Data("{}".utf8))
            XCTAssertEqual(s7, .unsupportedMediaType)
            let (s8, _, _) = try await raw(app, .POST, "/api/v1/risks/import", token: op, type: "application/octet-stream", body: Data([0x50, 0x4B, 3, 4, 0, 0]))
            XCTAssertEqual(s8, .badRequest, "a broken workbook")
        }
    }

    /// `text` in GB18030, by iconv.
    static func gb18030(_ text: String) throws -> Data? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? data : nil
    }
}
