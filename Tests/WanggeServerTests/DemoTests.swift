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
