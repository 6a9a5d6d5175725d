import Fluent
import XCTVapor
import XCTest
import WanggeCore
@testable import WanggeServer
@testable import WanggeStore

/// Every model goes into the database and comes back the same, and the migrations revert and rebuild.
final class StoreRoundTripTests: XCTestCase {
    func testEveryModelRoundTrips() async throws {
        try await withApp { app, clock in
            // areas, with a MultiPolygon with a hole
            try await SmallCounty.load(app)
            func ring(_ r: [[Double]]) -> [GeoPoint] { r.map { GeoPoint(lon: $0[0], lat: $0[1]) } }
            let hole = ring([[120.01, 30.01], [120.01, 30.02], [120.02, 30.02], [120.02, 30.01], [120.01, 30.01]])
            let shape = try MultiPolygon.validated([
                [ring(SmallCounty.rect(120, 30, 120.05, 30.05)), hole], [ring(SmallCounty.rect(120.06, 30, 120.07, 30.01))],
            ])
            let cell = Area(code: "3301001001001001", name: "十户单元", level: .cell, parentCode: "3301001001001", boundary: shape,
                            population: 31, households: 10)
            try await AreaQueries.insert([cell], on: app.db)
            let back = try await AreaQueries.all(on: app.db).first { $0.code == cell.code }
            XCTAssertEqual(back, cell)
            let path = try await AreaModel.query(on: app.db).filter(\.$code == cell.code).first()?.path
            XCTAssertEqual(path, "3301/3301001/3301001001/3301001001001/3301001001001001/")

            // departments and team members
            let dept = Department(code: "3301-market", name: "县市场监督管理局", kind: .marketRegulation, areaCode: "3301")
            try await OrganisationQueries.insert([dept], on: app.db)
            let deptBack = try await OrganisationQueries.department(code: "3301-market", on: app.db)
            XCTAssertEqual(deptBack, dept)
            let member = GridTeamMember(gridCode: "3301001001001", position: .safetyEnvoy, name: "王平安", phone: "13800001234", username: nil)
            try await OrganisationQueries.insert([member], on: app.db)
            let teamBack = try await OrganisationQueries.team(ofGrids: ["3301001001001"], on: app.db)
            XCTAssertEqual(teamBack, [member])

            // categories: the whole default catalogue
            let catalogue = try CoreResources.defaultCatalogue()
            let stored = try await CategoryQueries.catalogue(on: app.db)
            XCTAssertEqual(stored.categories, catalogue.categories)

            // users, tokens, throttles
            let account = try await Setup.createUser(app, username: "handler1", password: "Orchard-lantern-42", role: .handler,
                                                     areaCode: "3301001", departmentCode: "3301-market", displayName: "李承办")
            let creds = try await AccountQueries.credentials(username: "handler1", on: app.db)
            XCTAssertEqual(creds?.account, account)
            XCTAssertEqual(account.scope, Scope(areaCode: "3301001", departmentCode: "3301-market"))
            try await AccountQueries.storeToken(hash: "h1", userID: account.id, kind: "api", createdAt: clock.now(),
                                                expiresAt: clock.now().addingTimeInterval(60), on: app.db)
            let viaToken = try await AccountQueries.account(tokenHash: "h1", now: clock.now(), on: app.db)
            XCTAssertEqual(viaToken, account)
            let expired = try await AccountQueries.account(tokenHash: "h1", now: clock.now().addingTimeInterval(61), on: app.db)
            XCTAssertNil(expired)
            try await AccountQueries.recordFailure(username: "x", at: clock.now(), on: app.db)
            try await AccountQueries.recordFailure(username: "x", at: clock.now(), on: app.db)
            let failures = try await AccountQueries.failures(username: "x", on: app.db)
            XCTAssertEqual(failures?.count, 2)
            XCTAssertEqual(failures.map { Int($0.last.timeIntervalSince1970) }, Int(clock.now().timeIntervalSince1970))

            // calendar years
            let bundled = try CoreResources.bundledHolidaySchedules()
            let schedules = try await CalendarQueries.schedules(on: app.db)
            XCTAssertEqual(schedules.years, bundled.years)

            // and the schema reverts and rebuilds
            try await app.autoRevert()
            try await Setup.migrate(app)
            let after = try await AreaQueries.count(on: app.db)
            XCTAssertEqual(after, 0)
        }
    }

    func testAccountRulesAreCheckedBeforeWriting() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let cases: [(String, Role, String, String?, String)] = [
                ("a", .operator, "3301", nil, "username"),
                ("handler2", .handler, "3301", nil, "department"),
                ("op2", .operator, "9999", nil, "area"),
                ("op3", .operator, "3301", "no-such-dept", "department"),
                ("countyop", .operator, "3301", nil, "username"),
            ]
            for (name, role, area, dept, field) in cases {
                do {
                    try await Setup.createUser(app, username: name, password: "Orchard-lantern-42", role: role, areaCode: area, departmentCode: dept, displayName: nil)
                    XCTFail("\(name) should be refused")
                } catch let e as AccountError {
                    XCTAssertEqual(e.field, field, "\(name): \(e)")
                }
            }
            let before = 6  // SmallCounty.load's accounts
            let count = try await AccountQueries.count(on: app.db)
            XCTAssertEqual(count, before)
        }
    }
}
