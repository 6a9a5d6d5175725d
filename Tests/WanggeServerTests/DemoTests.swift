import XCTVapor
import XCTest
import WanggeCore
@testable import WanggeServer
import WanggeDemo

final class DemoTests: XCTestCase {
    struct AreaList: Decodable { struct A: Decodable { var code: String }; var areas: [A] }

    func testTheDemoCountyLoadsOnceAndEveryRoleCanSignIn() async throws {
        try await withApp { app, _ in
            let accounts = try await Setup.loadDemo(app)
            XCTAssertNotNil(accounts)
            let again = try await Setup.loadDemo(app)
            XCTAssertNil(again, "a second run must reuse the county")
            for role in Role.allCases {
                let account = try XCTUnwrap(accounts?.first { $0.role == role }, "no demo account for \(role)")
                _ = try await app.token(account.username, "demo-password")
            }
            let admin = try await app.token("admin", "demo-password")
            try await app.test(.GET, "/api/v1/areas?level=grid", headers: ["Authorization": "Bearer \(admin)"]) { res async throws in
                XCTAssertEqual(try res.content.decode(AreaList.self).areas.count, 978)
            }
            try await app.test(.GET, "/api/v1/areas?level=township", headers: ["Authorization": "Bearer \(admin)"]) { res async throws in
                XCTAssertEqual(try res.content.decode(AreaList.self).areas.count, 15)
            }
            // A point inside a grid lands in that grid through the API.
            let j = try await Jurisdiction(areas: AreaQueries_all(app))
            for grid in j.areas.filter({ $0.level == .grid }).prefix(25) {
                let p = grid.boundary!.interiorPoint
                try await app.test(.GET, "/api/v1/locate?lat=\(p.lat)&lon=\(p.lon)") { res async throws in
                    XCTAssertEqual(res.status, .ok)
                    XCTAssertContains(res.body.string, "\"code\":\"\(grid.code)\"")
                }
            }
            let worker = try await app.token("gridworker", "demo-password")
            try await app.test(.GET, "/areas", headers: ["Cookie": "\(StaffAuthentication.cookieName)=\(worker)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.body.string.components(separatedBy: "class=\"grid\" id=").count - 1, 1)
            }
        }
    }
}

import WanggeStore
func AreaQueries_all(_ app: Application) async throws -> [Area] { try await AreaQueries.all(on: app.db) }

final class DemoHistoryServerTests: XCTestCase {
    /// A smaller year of simulated cases goes through the bulk loader, and the measures the API computes from the
    /// stored actions land in the seeds' band: high, but not the constant 100 %.
    func testTheDemoHistoryGivesRealisticMeasures() async throws {
        try await withApp { app, clock in
            _ = try await Setup.loadDemo(app, history: true, casesPerYear: 3_000)
            let stored = try await CaseQueries.count(on: app.db)
            XCTAssertGreaterThan(stored, 2_500)
            let admin = try await app.token("admin", "demo-password")
            let day = DateFormatter()
            day.dateFormat = "yyyy-MM-dd"
            day.timeZone = TimeZone(identifier: "Asia/Shanghai")
            let from = day.string(from: clock.now().addingTimeInterval(-330 * 86_400)), to = day.string(from: clock.now().addingTimeInterval(-30 * 86_400))
            try await app.test(.GET, "/api/v1/measures?from=\(from)&to=\(to)", headers: ["Authorization": "Bearer \(admin)"]) { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let json = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as! [String: Any]
                let m = json["measures"] as! [String: [String: Any]]
                for (kind, band) in [("instant_response", 0.95...0.9999), ("effective_completion", 0.95...1.0), ("satisfaction", 0.93...0.9999), ("timely_feedback", 0.95...1.0)] {
                    let rate = try XCTUnwrap(m[kind]?["rate"] as? Double, kind)
                    XCTAssertTrue(band.contains(rate), "\(kind) = \(rate), expected \(band)")
                    XCTAssertGreaterThan(m[kind]?["denominator"] as? Int ?? 0, 100, kind)
                }
            }
        }
    }
}

import WanggeStore

/// Issue 18: the demo with its history, on the day it was made — what a newcomer meets.
final class DemoDayTests: XCTestCase {
    func testOnTheDemosDayDisputesRegisterAndCasesOpenAsMediations() async throws {
        try await withApp { app, clock in
            _ = try await Setup.loadDemo(app, history: true, casesPerYear: 6_000)
            let today = try await app.wangge.reference.current(on: app.db, now: clock.now()).calendar.civilDate(of: clock.now())
            let prefix = "TJ-" + String(format: "%04d%02d%02d", today.year, today.month, today.day)
            let (_, before) = try await MediationAPITests.send(app, .GET, "/api/v1/mediations?per=200", token: try await app.token("admin", "demo-password"))
            XCTAssertTrue(String(decoding: before, as: UTF8.self).contains(prefix), "the demo has disputes numbered today (else this test proves nothing)")
            let op = try await app.token("operator", "demo-password")
            // A direct registration, five times, as a newcomer would try.
            let area = try await AreaQueries.all(on: app.db).first { $0.level == .grid }!.code
            for i in 0..<5 {
                var body = MediationAPITests.direct(area: area)
                body["description"] = "演示日登记 \(i)"
                let (s, d) = try await MediationAPITests.send(app, .POST, "/api/v1/mediations", token: op, body: body)
                XCTAssertEqual(s, .created, String(decoding: d, as: UTF8.self))
            }
            // A reported dispute opened as a mediation.
            let grid = try await AreaQueries.all(on: app.db).first { $0.level == .grid }!
            let p = grid.boundary!.interiorPoint
            let (cs, cd) = try await CaseLoopTests.report(app, lat: p.lat, lon: p.lon, body: ["category_code": MediationAPITests.disputeCategory, "description": "邻里因噪音起争执",
                                                                                              "lat": p.lat, "lon": p.lon, "reporter": ["name": "王五", "phone": "13900001111"]])
            XCTAssertEqual(cs, .created, String(decoding: cd, as: UTF8.self))
            let reported = try CaseLoopTests.decoder.decode(CaseLoopTests.Created.self, from: cd)
            let (ms, md) = try await MediationAPITests.send(app, .POST, "/api/v1/mediations", token: op, body: ["case_id": reported.id.uuidString])
            XCTAssertEqual(ms, .created, String(decoding: md, as: UTF8.self))
            // And a case reported today gets the next number after the demo's.
            XCTAssertTrue(reported.code.hasPrefix("AL-"))
        }
    }
}
