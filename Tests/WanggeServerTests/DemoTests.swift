import XCTVapor
import XCTest
import WanggeCore
@testable import WanggeServer

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
