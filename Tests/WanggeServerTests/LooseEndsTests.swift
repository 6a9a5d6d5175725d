import Foundation
import NIOCore
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// Issue 11's loose ends: patterns built from data match that data only, a spot a crowd reports gives a small answer,
/// and imported codes cannot break out of a page's markup.
final class LooseEndsTests: XCTestCase {
    typealias Loop = CaseLoopTests

    /// A county whose township codes differ only where one has `_` (LIKE's "any one character").
    static var wildcardCounty: Data {
        let f = SmallCounty.feature, r = SmallCounty.rect
        let features: [[String: Any]] = [
            f("C9", "通配县", "county", nil, r(120, 30, 120.4, 30.2)),
            f("C9_1", "下划线镇", "township", "C9", r(120, 30, 120.2, 30.2)),
            f("C9X1", "叉镇", "township", "C9", r(120.2, 30, 120.4, 30.2)),
            f("C9_1-V", "下划线村", "village", "C9_1", r(120, 30, 120.2, 30.2)),
            f("C9X1-V", "叉村", "village", "C9X1", r(120.2, 30, 120.4, 30.2)),
            f("C9_1-V-G", "下划线网格", "grid", "C9_1-V", r(120, 30, 120.2, 30.2)),
            f("C9X1-V-G\"><script>alert(1)</script>", "叉网格", "grid", "C9X1-V", r(120.2, 30, 120.4, 30.2)),
        ]
        return SmallCounty.collection(features)
    }

    struct List: Decodable { var cases: [Item]; var total: Int; struct Item: Decodable { var code: String } }

    static func list(_ app: Application, _ token: String, _ query: String) async throws -> List {
        var list = List(cases: [], total: -1)
        try await app.test(.GET, "/api/v1/cases?\(query)", headers: ["Authorization": "Bearer \(token)"]) { res async throws in
            XCTAssertEqual(res.status, .ok, res.body.string)
            list = try Loop.decoder.decode(List.self, from: Data(res.body.readableBytesView))
        }
        return list
    }

    func testAnUnderscoreInAnAreaCodeDoesNotWidenAScope() async throws {
        try await withApp { app, _ in
            try await Setup.importAreas(app, geojson: Self.wildcardCounty)
            try await OrganisationQueries.insert([
                Department(code: "C9-governance_centre", name: "县中心", kind: .governanceCentre, areaCode: "C9"),
                Department(code: "C9_1-governance_centre", name: "下划线镇中心", kind: .governanceCentre, areaCode: "C9_1"),
                Department(code: "C9X1-governance_centre", name: "叉镇中心", kind: .governanceCentre, areaCode: "C9X1"),
            ], on: app.db)
            try await Setup.createUser(app, username: "underscoreop", password: "Orchard-lantern-42", role: .operator, areaCode: "C9_1",
                                       departmentCode: nil, displayName: "下划线镇受理员")
            try await Setup.createUser(app, username: "countyop9", password: "Orchard-lantern-42", role: .operator, areaCode: "C9",
                                       departmentCode: nil, displayName: "县受理员")
            // One case in 叉镇 (C9X1), whose path "C9/C9X1/…" matches "C9/C9_1/%" when `_` is a wildcard.
            let (status, data) = try await Loop.report(app, lat: 30.1, lon: 120.3)
            XCTAssertEqual(status, .created, String(decoding: data, as: UTF8.self))
            let op = try await app.token("underscoreop"), county = try await app.token("countyop9")
            let mine = try await Self.list(app, op, "status=reported")
            XCTAssertEqual(mine.total, 0, "a case of 叉镇 is not in 下划线镇's queue")
            XCTAssertEqual(mine.cases.count, 0)
            let all = try await Self.list(app, county, "status=reported")
            XCTAssertEqual(all.total, 1, "the control: the county sees it")
            let filtered = try await Self.list(app, county, "status=reported&area=C9_1")
            XCTAssertEqual(filtered.total, 0, "filtering the county's queue by 下划线镇 leaves 叉镇 out")
        }
    }

    func testAnImportedCodeStaysTextInTheMapsMarkup() async throws {
        try await withApp { app, _ in
            try await Setup.importAreas(app, geojson: Self.wildcardCounty)
            try await Setup.createUser(app, username: "admin9", password: "Orchard-lantern-42", role: .admin, areaCode: "C9",
                                       departmentCode: nil, displayName: "管理员")
            let browser = Browser(app)
            try await browser.signIn("admin9")
            let page = try await browser.get("/areas")
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            XCTAssertFalse(html.contains("<script>alert(1)"), "a code from an import is escaped in every attribute")
            XCTAssertTrue(html.contains("C9X1-V-G&quot;&gt;&lt;script&gt;"), "the control: the grid is on the map, escaped")
        }
    }

    func testSearchWordsMatchPercentAndUnderscoreAsThemselves() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            for words in ["商场打折100%促销", "商场打折1000元促销", "路牌写着 A_B"] {
                var body: [String: Any] = ["category_code": Loop.marketCategory, "description": words, "lat": 30.1, "lon": 120.25]
                body["reporter"] = ["name": "张三", "phone": "13800138000"]
                let (status, data) = try await Loop.report(app, body: body)
                XCTAssertEqual(status, .created, String(decoding: data, as: UTF8.self))
            }
            let op = try await app.token("countyop")
            let percent = try await Self.list(app, op, "q=100%25")
            XCTAssertEqual(percent.total, 1, "“100%” is those four characters, not “100” and anything")
            let underscore = try await Self.list(app, op, "q=A_B")
            XCTAssertEqual(underscore.total, 1)
            let lone = try await Self.list(app, op, "q=_")
            XCTAssertEqual(lone.total, 1, "“_” alone matches the one description that has it, not every case")
            let control = try await Self.list(app, op, "q=打折")
            XCTAssertEqual(control.total, 2)
        }
    }

    struct CreatedWithCount: Decodable {
        var id: UUID
        var code: String
        var likelyDuplicates: [Dup]
        var likelyDuplicateCount: Int
        var likelyDuplicateCountCapped: Bool
        struct Dup: Decodable { var code: String; var distanceMetres: Double }
    }

    func testAHotSpotAnswersTheNearestFewAndHowManyThereAreInAll() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            // 40 open reports of one category around a spot, k metres east of it for k = 1…40 (about), and one
            // 900 m away that is not a duplicate.
            let metresPerDegree = DuplicateFinder.earthRadius * .pi / 180 * cos(30.1 * .pi / 180)
            var codeAt: [Int: String] = [:]
            for k in 1...40 {
                let (status, data) = try await Loop.report(app, lat: 30.1, lon: 120.25 + Double(k) / metresPerDegree)
                XCTAssertEqual(status, .created)
                codeAt[k] = try Loop.decoder.decode(CreatedWithCount.self, from: data).code
            }
            _ = try await Loop.report(app, lat: 30.1, lon: 120.25 + 900 / metresPerDegree)
            let (status, data) = try await Loop.report(app, lat: 30.1, lon: 120.25)
            XCTAssertEqual(status, .created)
            XCTAssertLessThan(data.count, 2_000, "the answer stays small")
            let created = try Loop.decoder.decode(CreatedWithCount.self, from: data)
            XCTAssertEqual(created.likelyDuplicateCount, 40)
            XCTAssertFalse(created.likelyDuplicateCountCapped)
            XCTAssertEqual(created.likelyDuplicates.map(\.code), (1...5).map { codeAt[$0]! }, "the nearest five, nearest first")
            for (i, d) in created.likelyDuplicates.enumerated() { XCTAssertEqual(d.distanceMetres, Double(i + 1), accuracy: 0.2) }

            // Its case page names the same five and says how many there are.
            let browser = Browser(app)
            try await browser.signIn("countyop")
            let page = try await browser.get("/cases/\(created.id)")
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            for k in 1...5 { XCTAssertTrue(html.contains(codeAt[k]!)) }
            XCTAssertFalse(html.contains(codeAt[6]!), "only the nearest few are listed")
            XCTAssertTrue(html.contains("共 40"), "and how many there are in all")
        }
    }

    func testPastTwoHundredTheCountSaysMoreThanTwoHundred() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            for _ in 0..<(DuplicateFinder.countCap + 1) {
                let (status, _) = try await Loop.report(app, lat: 30.1, lon: 120.25)
                XCTAssertEqual(status, .created)
            }
            let (_, data) = try await Loop.report(app, lat: 30.1, lon: 120.25)
            let created = try Loop.decoder.decode(CreatedWithCount.self, from: data)
            XCTAssertEqual(created.likelyDuplicateCount, DuplicateFinder.countCap)
            XCTAssertTrue(created.likelyDuplicateCountCapped)
            XCTAssertEqual(created.likelyDuplicates.count, DuplicateFinder.nearestShown)
            XCTAssertTrue(created.likelyDuplicates.allSatisfy { $0.distanceMetres < 0.1 })
        }
    }

    func testTheCaseCodePrefixIsTheCountysSetting() async throws {
        XCTAssertThrowsError(try AppConfig.fromEnvironment(["CASE_CODE_PREFIX": "al-1"])) { error in
            XCTAssertTrue("\(error)".contains("CASE_CODE_PREFIX"))
        }
        XCTAssertEqual(try AppConfig.fromEnvironment(["CASE_CODE_PREFIX": "DQ"]).caseCodePrefix, "DQ")
        try await withApp(configure: { $0.caseCodePrefix = "DQ" }) { app, _ in
            try await SmallCounty.load(app)
            let (status, data) = try await Loop.report(app)
            XCTAssertEqual(status, .created)
            let created = try Loop.decoder.decode(CreatedWithCount.self, from: data)
            XCTAssertTrue(created.code.hasPrefix("DQ-"), created.code)
        }
    }

    /// Markup typed into every field a resident or a member of staff fills stays text on every page that shows it.
    func testMarkupTypedIntoAnyFieldStaysTextOnEveryPage() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let attack = "<img src=x onerror=alert(1)>\"'"
            let escaped = "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;"
            let body: [String: Any] = ["category_code": Loop.marketCategory, "description": "描述" + attack, "lat": 30.1, "lon": 120.25,
                                       "address": "地址" + attack, "reporter": ["name": "名" + attack, "phone": "13800138000"]]
            let (status, data) = try await Loop.report(app, body: body)
            XCTAssertEqual(status, .created, String(decoding: data, as: UTF8.self))
            let created = try Loop.decoder.decode(Loop.Created.self, from: data)
            let op = try await app.token("westop"), handler = try await app.token("westmarket"), worker = try await app.token("westworker")
            let steps: [(String, [String: Any])] = [
                (op, ["action": "accept", "note": "受理" + attack]),
                (op, ["action": "dispatch", "department_code": "3301002-market_regulation", "note": "派遣" + attack]),
                (handler, ["action": "sign"]),
                (handler, ["action": "resolve", "note": "处置" + attack]),
                (worker, ["action": "verify_pass", "note": "核查" + attack]),
                (op, ["action": "close", "note": "结案" + attack]),
                (op, ["action": "feedback", "note": "反馈" + attack]),
            ]
            for (token, step) in steps {
                let (s, d) = try await Loop.act(app, token, created.id, step)
                XCTAssertEqual(s, .ok, "\(step["action"]!): \(String(decoding: d, as: UTF8.self).prefix(200))")
            }
            try await app.test(.POST, "/api/v1/track/\(created.trackingCode)/rating", headers: ["Content-Type": "application/json"],
                               body: ByteBuffer(string: #"{"rating": "satisfied", "comment": "评价<img src=x onerror=alert(1)>\"'"}"#)) { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            let staff = Browser(app)
            try await staff.signIn("westop")
            let pages: [(String, Browser?, [String])] = [
                ("/workbench?tab=all", staff, ["描述"]),
                ("/cases/\(created.id)", staff, ["描述", "地址", "名", "受理", "处置", "核查", "结案", "反馈", "评价"]),
                ("/track/\(created.trackingCode)", nil, ["处置", "反馈"]),
            ]
            for (path, browser, shown) in pages {
                let page = try await (browser ?? Browser(app)).get(path)
                XCTAssertEqual(page.status, .ok, path)
                let html = page.body.string
                XCTAssertFalse(html.contains("<img src=x"), "\(path) carries the markup as markup")
                for label in shown {
                    XCTAssertTrue(html.contains(label + escaped), "\(path) shows \(label)… as text")
                }
            }
        }
    }
}
