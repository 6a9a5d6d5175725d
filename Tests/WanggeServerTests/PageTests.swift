import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

final class PageTests: XCTestCase {
    /// The pages' own number writing agrees with printf's for the values they show.
    func testNumbersAreWrittenLikePrintf() {
        for (v, places) in [(0.0, 1), (33.333333, 1), (66.66666, 1), (99.95, 1), (-0.04, 1), (-12.345, 2), (7.0, 0), (0.15, 2), (0.749, 2), (1234.56789, 4)] {
            XCTAssertEqual(Format.decimal(v, places: places), String(format: "%.\(places)f", v).replacingOccurrences(of: "-0.0", with: "0.0"), "\(v)")
        }
        XCTAssertEqual(Format.rate(Measure(numerator: 1, denominator: 3)), "33.3%")
        XCTAssertEqual(Format.rate(Measure(numerator: 0, denominator: 0)), "—")
        XCTAssertEqual(Format.hexColour(220, 38, 11), "#dc260b")
        XCTAssertEqual(Format.hexColour(300, -1, 255), "#ff00ff")
    }

    func signIn(_ app: Application, _ user: String) async throws -> HTTPHeaders {
        let token = try await app.token(user)
        return ["Cookie": "\(StaffAuthentication.cookieName)=\(token)"]
    }

    func testTheJurisdictionPageShowsOnlyTheUsersScopeInTheTree() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let east = try await signIn(app, "eastop")
            try await app.test(.GET, "/areas", headers: east) { res async throws in
                XCTAssertEqual(res.status, .ok)
                let html = res.body.string
                XCTAssertContains(html, "<html lang=\"zh-CN\">")
                XCTAssertContains(html, "东村第一网格")
                XCTAssertFalse(html.contains("id=\"grid-3301002001001\""), "another township's grid is in the tree")
                XCTAssertContains(html, "class=\"scope\"")  // the scope outline on the map
                XCTAssertContains(html, "data-code=\"3301002001001\" class=\"out\"")
                XCTAssertContains(html, "data-code=\"3301001001001\" class=\"in\"")
            }
            try await app.test(.GET, "/areas?lang=en", headers: east) { res async throws in
                XCTAssertContains(res.body.string, "<html lang=\"en\">")
                XCTAssertContains(res.body.string, "Area tree")
                XCTAssertNotNil(res.headers.setCookie?[Lang.cookieName])
            }
        }
    }

    func testAFocusedGridShowsItsTeamWithoutJavaScriptButOnlyInScope() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await WanggeStoreProbe.addMember(app, grid: "3301002001001", name: "赵网格", phone: "13912345678")
            let east = try await signIn(app, "eastop"), county = try await signIn(app, "countyop")
            try await app.test(.GET, "/areas?focus=3301002001001", headers: east) { res async throws in
                XCTAssertFalse(res.body.string.contains("赵网格"))
            }
            try await app.test(.GET, "/areas?focus=3301002001001", headers: county) { res async throws in
                XCTAssertContains(res.body.string, "赵网格")
                XCTAssertContains(res.body.string, "13912345678")  // operators organise teams: unmasked
            }
            let west = try await app.token("westworker")
            try await app.test(.GET, "/api/v1/areas/3301002001001/team", headers: ["Authorization": "Bearer \(west)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertContains(res.body.string, "139****5678")
            }
        }
    }

    func testErrorsArePagesForBrowsersAndJSONForTheAPI() async throws {
        try await withApp { app, _ in
            try await app.test(.GET, "/nowhere") { res async throws in
                XCTAssertEqual(res.status, .notFound)
                XCTAssertEqual(res.headers.contentType, .html)
            }
            try await app.test(.GET, "/api/v1/nowhere") { res async throws in
                XCTAssertEqual(res.status, .notFound)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.code, "not_found")
            }
        }
    }

    /// The warm-up after a start counts the county's pieces for this month and the last twelve months, so the first
    /// year dashboard finds them kept (it fails when the warm-up counts nothing).
    func testTheWarmUpAfterAStartKeepsTheCountysPieces() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            _ = try await CaseLoopTests.report(app)
            let before = await app.wangge.pieces.kept
            XCTAssertEqual(before, 0)
            try await DashboardWarmUp.run(app)
            let after = await app.wangge.pieces.kept
            XCTAssertGreaterThanOrEqual(after, 13, "this month and twelve more months, one piece each at least")
        }
    }
}

extension WanggeStoreProbe {
    static func addMember(_ app: Application, grid: String, name: String, phone: String) async throws {
        try await OrganisationQueries.insert([GridTeamMember(gridCode: grid, position: .fullTimeWorker, name: name, phone: phone)], on: app.db)
    }
}
