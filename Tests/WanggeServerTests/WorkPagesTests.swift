import Foundation
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// The working pages: what each user sees, scope, the dashboard's figures and exports, the resident's pages.
final class WorkPagesTests: XCTestCase {
    typealias Loop = CaseLoopTests

    func testPagesShowOnlyWhatTheUserMaySee() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            // a report in the west township
            let created = try Loop.decoder.decode(Loop.Created.self, from: try await Loop.report(app).1)
            let west = try await app.token("westop"), east = try await app.token("eastop")
            try await app.test(.GET, "/workbench", headers: ["Authorization": "Bearer \(west)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains(created.code))
                XCTAssertFalse(res.body.string.contains("name=\"case\""), "a reported case cannot be dispatched before it is accepted")
            }
            _ = try await Loop.act(app, west, created.id, ["action": "accept"])
            try await app.test(.GET, "/workbench?fragment=1", headers: ["Authorization": "Bearer \(west)"]) { res async throws in
                XCTAssertTrue(res.body.string.contains("value=\"\(created.id.uuidString)\""), "an accepted case has a checkbox for bulk dispatch")
                XCTAssertFalse(res.body.string.contains("<html"), "the fragment is the table alone")
            }
            try await app.test(.GET, "/workbench?tab=all&q=\(created.code)", headers: ["Authorization": "Bearer \(east)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertFalse(res.body.string.contains("/cases/\(created.id.uuidString)"))
            }
            try await app.test(.GET, "/cases/\(created.id)", headers: ["Authorization": "Bearer \(east)"]) { res async throws in
                XCTAssertEqual(res.status, .notFound)
            }
            try await app.test(.GET, "/cases/\(created.id)", headers: ["Authorization": "Bearer \(west)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                let html = res.body.string
                XCTAssertTrue(html.contains("data-kind=\"dispatch\""), "the operator is offered dispatch")
                XCTAssertFalse(html.contains("data-kind=\"sign\""), "but not a handler's action")
                XCTAssertTrue(html.contains("13800138000"), "operators call reporters back, so they see the phone")
            }
            try await app.test(.GET, "/dashboard?area=3301002", headers: ["Authorization": "Bearer \(east)"]) { res async throws in
                XCTAssertEqual(res.status, .notFound)
            }
            // the handler of the west market office sees the case once dispatched to it, with sign offered
            _ = try await Loop.act(app, west, created.id, ["action": "dispatch", "department_code": "3301002-market_regulation"])
            try await app.test(.GET, "/cases/\(created.id)", headers: ["Authorization": "Bearer \(try await app.token("westmarket"))"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("data-kind=\"sign\""))
                XCTAssertFalse(res.body.string.contains("13800138000"), "a handler sees the phone masked")
            }
        }
    }

    /// The queue's clock filter: red is the work whose deadline has passed; a case suspended before its deadline
    /// is paused, never red, however long it waits; the other colours hold the rest of the running work.
    func testTheClockFilterFindsLateWorkAndLeavesPausedWorkOut() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            let west = try await app.token("westop"), handler = try await app.token("westmarket")
            var cases: [Loop.Created] = []
            for i in 0..<4 {
                let c = try Loop.decoder.decode(Loop.Created.self, from: try await Loop.report(app, lat: 30.05 + Double(i) * 0.01).1)
                _ = try await Loop.act(app, west, c.id, ["action": "accept"])
                _ = try await Loop.act(app, west, c.id, ["action": "dispatch", "department_code": "3301002-market_regulation"])
                cases.append(c)
            }
            clock.advance(600)
            let signed = try await Loop.act(app, handler, cases[0].id, ["action": "sign"]).0
            let suspended = try await Loop.act(app, west, cases[3].id, ["action": "suspend", "note": "等待天晴施工"]).0
            XCTAssertEqual([signed, suspended], [.ok, .ok])
            clock.advance(3 * 86_400)  // the sign clocks of the two left alone run out
            let operatorNow = try await app.token("westop")  // the first session has expired meanwhile
            func codes(_ colour: String) async throws -> Set<String> {
                var found: Set<String> = []
                try await app.test(.GET, "/api/v1/cases?clock=\(colour)", headers: ["Authorization": "Bearer \(operatorNow)"]) { res async throws in
                    XCTAssertEqual(res.status, .ok)
                    struct List: Decodable { struct C: Decodable { var code: String }; var cases: [C]; var total: Int }
                    let list = try JSONDecoder().decode(List.self, from: Data(res.body.readableBytesView))
                    found = Set(list.cases.map(\.code))
                    XCTAssertEqual(list.total, found.count)
                }
                return found
            }
            let red = try await codes("red")
            XCTAssertEqual(red, [cases[1].code, cases[2].code])
            let yellow = try await codes("yellow"), green = try await codes("green")
            let others = yellow.union(green)
            XCTAssertEqual(others, [cases[0].code, cases[3].code], "the signed case and the paused one")
            try await app.test(.GET, "/workbench?tab=all&clock=red", headers: ["Authorization": "Bearer \(operatorNow)"]) { res async throws in
                let html = res.body.string
                XCTAssertTrue(html.contains(cases[1].code) && html.contains(cases[2].code))
                XCTAssertFalse(html.contains(cases[0].code) || html.contains(cases[3].code))
            }
            // A state's tab with a clock colour: both tests hold (the state is tested on the rows the clock finds).
            try await app.test(.GET, "/workbench?tab=dispatched&clock=red", headers: ["Authorization": "Bearer \(operatorNow)"]) { res async throws in
                let html = res.body.string
                XCTAssertTrue(html.contains(cases[1].code) && html.contains(cases[2].code))
            }
            try await app.test(.GET, "/workbench?tab=signed&clock=red", headers: ["Authorization": "Bearer \(operatorNow)"]) { res async throws in
                let html = res.body.string
                XCTAssertFalse(html.contains(cases[1].code) || html.contains(cases[2].code) || html.contains(cases[0].code))
            }
        }
    }

    func testTheDashboardCountsLikeTheMeasuresAPIAndExportsCSVWithABOM() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            let west = try await app.token("westop"), handler = try await app.token("westmarket")
            var ids: [UUID] = []
            for i in 0..<3 {
                let c = try Loop.decoder.decode(Loop.Created.self, from: try await Loop.report(app, lat: 30.05 + Double(i) * 0.01).1)
                ids.append(c.id)
                _ = try await Loop.act(app, west, c.id, ["action": "accept"])
                _ = try await Loop.act(app, west, c.id, ["action": "dispatch", "department_code": "3301002-market_regulation"])
            }
            clock.advance(600)
            _ = try await Loop.act(app, handler, ids[0], ["action": "sign"])
            clock.advance(3 * 86_400)  // the others' sign clocks run out
            let county = try await app.token("countyop")
            let day = Format.day(clock.now())
            var api = ""
            try await app.test(.GET, "/api/v1/measures?from=2026-11-01&to=\(day)", headers: ["Authorization": "Bearer \(county)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                api = res.body.string
            }
            struct M: Decodable { var measures: [String: Part]; struct Part: Decodable { var numerator: Int; var denominator: Int } }
            let measures = try JSONDecoder().decode(M.self, from: Data(api.utf8)).measures
            let response = try XCTUnwrap(measures["instant_response"])
            XCTAssertEqual(response.denominator, 3)
            XCTAssertEqual(response.numerator, 1)
            try await app.test(.GET, "/dashboard?from=2026-11-01&to=\(day)", headers: ["Authorization": "Bearer \(county)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("1 / 3"), "the response card shows the same parts as the API")
            }
            // The heat map's grids are projected once per tree version; the second page draws them from the cache.
            for _ in 0..<2 {
                try await app.test(.GET, "/dashboard?from=2026-11-01&to=\(day)&m=instant_response", headers: ["Authorization": "Bearer \(county)"]) { res async throws in
                    let page = res.body.string
                    let map = try XCTUnwrap(page.range(of: "<svg class=\"map heat\"").map { String(page[$0.lowerBound...].prefix { $0 != "§" }) })
                    XCTAssertGreaterThan(map.components(separatedBy: "<path d=\"M").count - 1, 1, "the grids are drawn")
                    XCTAssertTrue(map.contains("<polygon points="), "the period's reports as hexagons")
                }
            }
            try await app.test(.GET, "/dashboard?from=2026-11-01&to=\(day)&export=areas", headers: ["Authorization": "Bearer \(county)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType?.description.hasPrefix("text/csv"), true)
                let bytes = Array(res.body.readableBytesView)
                XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 byte-order mark for Excel")
                let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
                XCTAssertTrue(text.contains("3301002,西镇,3,"), text)
                XCTAssertTrue(text.contains("0.3333,1,3"), text)
            }
            try await app.test(.GET, "/dashboard?from=2026-11-30&to=2026-11-01", headers: ["Authorization": "Bearer \(county)"]) { res async throws in
                XCTAssertEqual(res.status, .badRequest)
            }
        }
    }

    func testResidentPagesNeedNoAccountAndTheFollowPageRates() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await app.test(.GET, "/report") { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("id=\"categories\""))
                XCTAssertTrue(res.body.string.contains("data-kx="), "the tap map carries its projection")
            }
            let created = try Loop.decoder.decode(Loop.Created.self, from: try await Loop.report(app).1)
            try await app.test(.GET, "/track?code=NOPE12") { res async throws in XCTAssertEqual(res.status, .notFound) }
            try await app.test(.GET, "/track?code=\(created.trackingCode.lowercased())") { res async throws in
                XCTAssertEqual(res.status, .seeOther)
            }
            let browser = Browser(app)
            let page = try await browser.get("/track/\(created.trackingCode)")
            XCTAssertEqual(page.status, .ok)
            XCTAssertFalse(page.body.string.contains("name=\"rating\""), "no rating before closing")
            XCTAssertFalse(page.body.string.contains("张三"), "no personal data on the public page")
            // rating an open case through the form is refused and says so, writing nothing
            let res = try await browser.post("/track/\(created.trackingCode)/rating", form: ["rating": "satisfied"])
            XCTAssertEqual(res.status, .conflict)
        }
    }

    func testTheGridWorkersPageAndItsServiceWorker() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await app.test(.GET, "/worker", headers: ["Authorization": "Bearer \(try await app.token("westworker"))"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                let html = res.body.string
                XCTAssertTrue(html.contains("id=\"outbox-count\""))
                XCTAssertTrue(html.contains("value=\"3301002001001\""), "the worker's grid is pre-filled")
                XCTAssertTrue(html.contains("rel=\"manifest\""))
            }
            try await app.test(.GET, "/sw.js") { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType?.description.hasPrefix("application/javascript"), true)
            }
            try await app.test(.GET, "/worker") { res async throws in XCTAssertEqual(res.status, .seeOther) }
        }
    }
}
