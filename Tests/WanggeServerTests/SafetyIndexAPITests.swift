import Foundation
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// The safety index and warnings through the store and the API (issue 19): a month computed from stored cases equals
/// the core's computation on hand-counted input, its contributions add up, a weight change shows in the next
/// revision while the earlier one stays as published, three red months raise one rectification lifted only by the
/// three reviews in order, and early warning finds a spike and stays quiet on a steady series.
final class SafetyIndexAPITests: XCTestCase {
    func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: [String: Any]? = nil) async throws -> (HTTPStatus, [String: Any]) {
        try await ThirdKindTests.send(app, method, path, token: token, body: body)
    }

    /// 2026-08-03 10:00 in Shanghai.
    static let august = Date(timeIntervalSince1970: 1_785_722_400)
    static let day: TimeInterval = 86_400

    /// One incidence indicator of the market category (weight 3) and the on-time closure rate (weight 1), so a
    /// month's score is checked against the core on input counted by hand.
    static func formula(weight: Double = 3, bands: (Double, Double, Double) = (90, 80, 70)) -> [String: Any] {
        [
            "formula": [
                "version": 1,
                "groups": [
                    ["code": "market", "name": "市场秩序", "name_en": "Market order", "indicators": [
                        ["code": "market_cases", "name": "市场类事件发案率", "name_en": "Market cases", "kind": "incidence",
                         "category_codes": [CaseLoopTests.marketCategory], "direction": "lower_is_better",
                         "baseline": "own_previous_12_months", "weight": weight],
                    ]],
                ],
                "deductions": [] as [Any],
                "bands": ["green": bands.0, "blue": bands.1, "orange": bands.2],
                "normalisation": ["at_baseline": 90, "zero_at_ratio": 3, "per_residents_floor": 0.5, "rate_floor": 0.01],
                "small_areas": ["prior_events": 4, "prior_cases": 20],
            ] as [String: Any],
            "ladder": ["red_months_for_rectification": 3, "rectification_days": 30, "extra_steps": [] as [Any]],
        ]
    }

    func testAMonthComputedFromTheStoreEqualsTheCoreOnHandCountedInputAndItsPartsAddUp() async throws {
        let clock = TestClock(Self.august)
        try await withApp(clock: clock) { app, clock in
            try await SmallCounty.load(app)
            var admin = try await adminToken(app)
            let (saved, doc) = try await send(app, .PUT, "/api/v1/safety-index/formula", token: admin, body: Self.formula())
            XCTAssertEqual(saved, .ok, "\(doc)")
            XCTAssertEqual(doc["version"] as? Int, 2, "the standard is version 1, the first save version 2")
            // August: 2 market cases in the west village; September: 5, and 1 in the east village.
            for _ in 0..<2 { _ = try await CaseLoopTests.report(app) }
            clock.advance(31 * Self.day)
            for _ in 0..<5 { _ = try await CaseLoopTests.report(app) }
            _ = try await CaseLoopTests.report(app, lon: 120.05)
            clock.advance(31 * Self.day)  // 2026-10-04: September has ended
            admin = try await app.token("countyadmin")

            // The monthly job publishes September once, however often it runs.
            try await ClockRunner.runOnce(app)
            try await ClockRunner.runOnce(app)
            app.wangge.lastSafetyIndexMonth.withLockedValue { $0 = nil }
            try await ClockRunner.runOnce(app)
            let revisions = try await SafetyIndexQueries.revisions(month: "2026-09", on: app.db)
            XCTAssertEqual(revisions.map(\.revision), [1], "one revision, by the job")
            XCTAssertEqual(revisions.first?.formulaVersion, 2)

            let (status, shown) = try await send(app, .GET, "/api/v1/safety-index?area=3301002001&month=2026-09", token: admin)
            XCTAssertEqual(status, .ok, "\(shown)")
            // By hand: the west village had 5 cases for 100 residents in September; of its own 12 months before, only
            // August is on record (the county's first case came then: earlier months are no record, not zero), with
            // 2 cases over 100 resident-months; its township the same.
            let formula = try JSONDecoder().decode(SafetyIndexSettings.self, from: JSONSerialization.data(withJSONObject: Self.camel(Self.formula()))).formula
            var f = formula
            f.version = 2
            let village = SafetyIndexObservations(residents: 100, counts: ["market_cases": 5])
            let input = SafetyIndexInput(area: "3301002001", month: SafetyIndexMonth("2026-09")!, observed: village,
                                         baselines: ["market_cases": Measure(numerator: 2, denominator: 100)],
                                         parent: SafetyIndexParent(area: "3301002", observed: village, baselines: ["market_cases": Measure(numerator: 2, denominator: 100)]))
            let expected = try SafetyIndex.compute(input, formula: f)
            XCTAssertEqual(shown["score"] as? Double, expected.score)
            XCTAssertEqual(shown["band"] as? String, expected.band.rawValue)
            XCTAssertEqual(shown["formula_version"] as? Int, 2)
            let indicators = try XCTUnwrap(shown["indicators"] as? [[String: Any]])
            XCTAssertEqual(indicators.count, 1)
            XCTAssertEqual(indicators.first?["events"] as? Int, 5)
            let sum = indicators.compactMap { $0["contribution"] as? Double }.reduce(0, +)
            XCTAssertEqual((sum * 100).rounded(), ((shown["score"] as? Double ?? -1) * 100).rounded(), "the contributions add up to the score")
            XCTAssertLessThan(expected.score, 90, "more than twice its own baseline is not green")


            // The ranking of the county's townships, best first.
            let (_, ranking) = try await send(app, .GET, "/api/v1/safety-index/ranking?parent=3301&month=2026-09", token: admin)
            let ranked = try XCTUnwrap(ranking["areas"] as? [[String: Any]])
            XCTAssertEqual(ranked.map { ($0["area"] as? [String: Any])?["code"] as? String }, ["3301001", "3301002"])

            // The public page: no sign-in, the month's score, Open Graph tags, no names; the monthly report and the
            // index pages for staff; switched off, the public page is gone.
            var publicPage = ""
            try await app.test(.GET, "/safety/3301002001") { res async throws in
                XCTAssertEqual(res.status, .ok)
                publicPage = res.body.string
            }
            XCTAssertTrue(publicPage.contains("og:title") && publicPage.contains(String(format: "%.2f", expected.score)), publicPage)
            XCTAssertFalse(publicPage.contains("西镇受理员") || publicPage.contains("countyadmin"), "no names")
            let browser = Browser(app)
            try await browser.signIn("countyadmin")
            for path in ["/reports/monthly?area=3301002&month=2026-09", "/safety-index?area=3301&month=2026-09",
                         "/safety-index/areas/3301002001?month=2026-09", "/safety-index/formula", "/warnings"] {
                let res = try await browser.get(path)
                XCTAssertEqual(res.status, .ok, path)
            }
            let report = try await browser.get("/reports/monthly?area=3301002&month=2026-09")
            XCTAssertTrue(report.body.string.contains("研判报告") && report.body.string.contains("本月共受理事件 5 件"), report.body.string)
            var off = Self.formula()
            off["public_page"] = false
            _ = try await send(app, .PUT, "/api/v1/safety-index/formula", token: admin, body: off)
            try await app.test(.GET, "/safety/3301002001") { res async throws in XCTAssertEqual(res.status, .notFound) }

            // Scope: the east township's operator does not read the west village; a month not ended is a 400.
            let eastOp = try await app.token("eastop")
            let (hidden, _) = try await send(app, .GET, "/api/v1/safety-index?area=3301002001&month=2026-09", token: eastOp)
            XCTAssertEqual(hidden, .notFound)
            let (future, e) = try await send(app, .GET, "/api/v1/safety-index?area=3301002001&month=2026-10", token: admin)
            XCTAssertEqual(future, .badRequest)
            XCTAssertEqual((e["error"] as? [String: Any])?["field"] as? String, "month")
        }
    }

    func testAWeightChangeShowsInTheNextRevisionWhileThePublishedOneStays() async throws {
        let clock = TestClock(Self.august)
        try await withApp(clock: clock) { app, clock in
            try await SmallCounty.load(app)
            var admin = try await adminToken(app)
            var doc = Self.formula()
            _ = try await send(app, .PUT, "/api/v1/safety-index/formula", token: admin, body: doc)
            _ = try await CaseLoopTests.report(app)
            clock.advance(31 * Self.day)
            for _ in 0..<4 { _ = try await CaseLoopTests.report(app) }
            clock.advance(31 * Self.day)
            admin = try await app.token("countyadmin")
            let (c1, r1) = try await send(app, .POST, "/api/v1/safety-index/compute?month=2026-09", token: admin)
            XCTAssertEqual(c1, .created, "\(r1)")
            let (_, before) = try await send(app, .GET, "/api/v1/safety-index?area=3301002001&month=2026-09", token: admin)

            // Bad weights change nothing and name the field.
            var bad = doc
            var f = bad["formula"] as! [String: Any]
            var groups = f["groups"] as! [[String: Any]]
            var inds = groups[0]["indicators"] as! [[String: Any]]
            inds[0]["weight"] = -1
            groups[0]["indicators"] = inds
            f["groups"] = groups
            bad["formula"] = f
            let (refused, err) = try await send(app, .PUT, "/api/v1/safety-index/formula", token: admin, body: bad)
            XCTAssertEqual(refused, .badRequest)
            XCTAssertEqual((err["error"] as? [String: Any])?["field"] as? String, "groups[0].indicators[0].weight")
            var overlap = Self.formula(bands: (80, 85, 70))
            overlap["ladder"] = doc["ladder"]
            let (refused2, err2) = try await send(app, .PUT, "/api/v1/safety-index/formula", token: admin, body: overlap)
            XCTAssertEqual(refused2, .badRequest, "\(err2)")
            let (_, current) = try await send(app, .GET, "/api/v1/safety-index/formula", token: admin)
            XCTAssertEqual(current["version"] as? Int, 2, "nothing was saved")

            // A second indicator, weighted, with a new version: the next revision uses it, the first stays.
            doc = Self.formula()
            f = doc["formula"] as! [String: Any]
            groups = f["groups"] as! [[String: Any]]
            groups.append(["code": "governance", "name": "治理成效", "name_en": "Governance", "indicators": [
                ["code": "on_time", "name": "按期结案率", "name_en": "On time", "kind": "on_time_closure", "category_codes": [] as [String],
                 "direction": "higher_is_better", "baseline": "county_average", "weight": 7],
            ]])
            f["groups"] = groups
            doc["formula"] = f
            let (s2, saved) = try await send(app, .PUT, "/api/v1/safety-index/formula", token: admin, body: doc)
            XCTAssertEqual(s2, .ok, "\(saved)")
            XCTAssertEqual(saved["version"] as? Int, 3)
            // Preview on the month: nothing is published by it.
            let (p, preview) = try await send(app, .POST, "/api/v1/safety-index/formula/preview?month=2026-09", token: admin, body: doc)
            XCTAssertEqual(p, .ok, "\(preview)")
            let stillOne = try await SafetyIndexQueries.revisions(month: "2026-09", on: app.db).count
            XCTAssertEqual(stillOne, 1)
            let (c2, r2) = try await send(app, .POST, "/api/v1/safety-index/compute?month=2026-09", token: admin)
            XCTAssertEqual(c2, .created)
            XCTAssertEqual(r2["revision"] as? Int, 2)
            XCTAssertEqual(r2["formula_version"] as? Int, 3)
            let (_, after) = try await send(app, .GET, "/api/v1/safety-index?area=3301002001&month=2026-09", token: admin)
            XCTAssertEqual(after["revision"] as? Int, 2)
            XCTAssertEqual(after["revisions"] as? [Int], [1, 2])
            let weights = (after["indicators"] as? [[String: Any]])?.map { $0["weight"] as? Double }
            XCTAssertEqual(weights, [3, 7], "the explanation shows the new weights")
            let (_, first) = try await send(app, .GET, "/api/v1/safety-index?area=3301002001&month=2026-09&revision=1", token: admin)
            XCTAssertEqual(first["score"] as? Double, before["score"] as? Double, "the published revision is not rewritten")
            XCTAssertEqual(first["formula_version"] as? Int, 2)
            XCTAssertEqual((first["indicators"] as? [[String: Any]])?.count, 1)
            let (missing, _) = try await send(app, .GET, "/api/v1/safety-index?area=3301002001&month=2026-09&revision=9", token: admin)
            XCTAssertEqual(missing, .notFound)
            // Only an administrator edits or recomputes.
            let op = try await app.token("countyop")
            let (forbidden, _) = try await send(app, .POST, "/api/v1/safety-index/compute?month=2026-09", token: op)
            XCTAssertEqual(forbidden, .forbidden)
        }
    }

    func testThreeRedMonthsRaiseOneRectificationLiftedOnlyByTheThreeReviewsInOrder() async throws {
        let clock = TestClock(Self.august)
        try await withApp(clock: clock) { app, clock in
            try await SmallCounty.load(app)
            var admin = try await adminToken(app)
            // Any case at all makes a month red; a month without one scores 100.
            _ = try await send(app, .PUT, "/api/v1/safety-index/formula", token: admin, body: Self.formula(bands: (100, 99.99, 99.98)))
            clock.advance(-31 * Self.day)  // July: the baseline month
            for _ in 0..<4 {
                _ = try await CaseLoopTests.report(app)
                clock.advance(31 * Self.day)
            }
            admin = try await app.token("countyadmin")
            for month in ["2026-08", "2026-09", "2026-10", "2026-10"] {
                let (s, r) = try await send(app, .POST, "/api/v1/safety-index/compute?month=\(month)", token: admin)
                XCTAssertEqual(s, .created, "\(r)")
            }
            let (_, list) = try await send(app, .GET, "/api/v1/warnings?area=3301002001&kind=rectification", token: admin)
            let rectifications = try XCTUnwrap(list["warnings"] as? [[String: Any]])
            XCTAssertEqual(rectifications.filter { ($0["area"] as? [String: Any])?["code"] as? String == "3301002001" }.count, 1,
                           "three red months raise one rectification, however often a month is computed")
            let (_, notices) = try await send(app, .GET, "/api/v1/warnings?area=3301002001&kind=index_warning", token: admin)
            XCTAssertEqual((notices["warnings"] as? [[String: Any]])?.filter { ($0["area"] as? [String: Any])?["code"] as? String == "3301002001" }.count, 3,
                           "a warning notice per red month")
            let (_, east) = try await send(app, .GET, "/api/v1/warnings?area=3301001001", token: admin)
            XCTAssertEqual(east["total"] as? Int, 0, "the east village had no case and is green")
            let rect = try XCTUnwrap(rectifications.first { ($0["area"] as? [String: Any])?["code"] as? String == "3301002001" })
            let id = try XCTUnwrap(rect["id"] as? String)
            XCTAssertEqual(rect["due_on"] as? String, "2026-12-01", "30 days from 1 November, the first day after the third month")

            let worker = try await app.token("westworker"), township = try await app.token("westop"), county = try await app.token("countyop")
            let path = "/api/v1/warnings/\(id)/actions"
            let (early, e1) = try await send(app, .POST, path, token: township, body: ["action": "review", "note": "镇级复核"])
            XCTAssertEqual(early, .badRequest, "the village review comes first: \(e1)")
            let (noNote, _) = try await send(app, .POST, path, token: worker, body: ["action": "review"])
            XCTAssertEqual(noNote, .badRequest, "each review records a note")
            let (v, afterVillage) = try await send(app, .POST, path, token: worker, body: ["action": "review", "note": "村级自查整改完成"])
            XCTAssertEqual(v, .ok, "\(afterVillage)")
            XCTAssertEqual(afterVillage["status"] as? String, "acknowledged")
            let (skip, _) = try await send(app, .POST, path, token: county, body: ["action": "review", "note": "县级复核"])
            XCTAssertEqual(skip, .badRequest, "the township's review comes before the county's")
            let (t, _) = try await send(app, .POST, path, token: township, body: ["action": "review", "note": "镇级复核通过"])
            XCTAssertEqual(t, .ok)
            let (c, lifted) = try await send(app, .POST, path, token: county, body: ["action": "review", "note": "县委政法委复核通过"])
            XCTAssertEqual(c, .ok, "\(lifted)")
            XCTAssertEqual(lifted["status"] as? String, "lifted")
            XCTAssertEqual((lifted["reviews"] as? [[String: Any]])?.map { $0["level"] as? String }, ["village", "township", "county"])
            let (again, refused) = try await send(app, .POST, path, token: county, body: ["action": "review", "note": "再次"])
            XCTAssertEqual(again, .conflict)
            XCTAssertEqual((refused["error"] as? [String: Any])?["code"] as? String, "action_not_allowed")
            let eastOp = try await app.token("eastop")
            let (hidden, _) = try await send(app, .POST, path, token: eastOp, body: ["action": "acknowledge"])
            XCTAssertEqual(hidden, .notFound, "another township's warning is not found")
        }
    }

    func testEarlyWarningFindsASpikeAndStaysQuietOnASteadySeries() async throws {
        // 2026-05-04, a Monday: 26 weeks of one case a week in the west village, then a week of 7.
        let clock = TestClock(Date(timeIntervalSince1970: 1_777_860_000))
        try await withApp(clock: clock) { app, clock in
            try await SmallCounty.load(app)
            var admin = try await adminToken(app)
            let calendar = try await app.wangge.reference.current(on: app.db, now: clock.now()).calendar
            var mondays: [CivilDate] = []
            for _ in 0..<26 {
                mondays.append(WarningService.monday(of: calendar.civilDate(of: clock.now())))
                _ = try await CaseLoopTests.report(app)
                clock.advance(7 * Self.day)
            }
            let steady = try await WarningService(app: app).scan(weeks: Array(mondays.suffix(8)), calendar: calendar)
            XCTAssertEqual(steady.raised, 0, "a steady case a week is no news")
            let spikeWeek = WarningService.monday(of: calendar.civilDate(of: clock.now()))
            for _ in 0..<7 { _ = try await CaseLoopTests.report(app) }
            clock.advance(7 * Self.day)
            admin = try await app.token("countyadmin")
            let found = try await WarningService(app: app).scan(weeks: [spikeWeek], calendar: calendar)
            XCTAssertGreaterThanOrEqual(found.raised, 1)
            let again = try await WarningService(app: app).scan(weeks: [spikeWeek], calendar: calendar)
            XCTAssertEqual(again.raised, 0, "once per key")
            let (_, list) = try await send(app, .GET, "/api/v1/warnings?kind=spike&status=open", token: admin)
            let spikes = try XCTUnwrap(list["warnings"] as? [[String: Any]])
            let village = try XCTUnwrap(spikes.first { ($0["area"] as? [String: Any])?["code"] as? String == "3301002001" })
            XCTAssertEqual(village["level"] as? String, "red")
            XCTAssertEqual(village["category_code"] as? String, CaseLoopTests.marketCategory)
            let evidence = try XCTUnwrap(village["evidence"] as? [String: Any])
            XCTAssertEqual(evidence["count"] as? Double, 7)
            XCTAssertEqual((evidence["recent"] as? [Double])?.last, 7)
            XCTAssertNil(spikes.first { ($0["area"] as? [String: Any])?["code"] as? String == "3301001001" }, "the quiet east has none")
            // Dismissing needs a note; acknowledging closes it.
            let id = try XCTUnwrap(village["id"] as? String)
            let (noNote, e) = try await send(app, .POST, "/api/v1/warnings/\(id)/actions", token: admin, body: ["action": "dismiss"])
            XCTAssertEqual(noNote, .badRequest)
            XCTAssertEqual((e["error"] as? [String: Any])?["field"] as? String, "note")
            let (ok, acked) = try await send(app, .POST, "/api/v1/warnings/\(id)/actions", token: admin, body: ["action": "acknowledge", "note": "已安排市场监管所排查"])
            XCTAssertEqual(ok, .ok)
            XCTAssertEqual(acked["status"] as? String, "acknowledged")
        }
    }

    func adminToken(_ app: Application) async throws -> String {
        try await Setup.createUser(app, username: "countyadmin", password: "Orchard-lantern-42", role: .admin, areaCode: "3301",
                                   departmentCode: nil, displayName: "县管理员")
        return try await app.token("countyadmin")
    }

    /// The snake_case document as the core's camelCase Codable reads it.
    static func camel(_ v: Any) -> Any {
        if let d = v as? [String: Any] {
            var out: [String: Any] = [:]
            for (k, x) in d {
                let parts = k.split(separator: "_")
                let key = parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }.joined()
                out[key] = camel(x)
            }
            return out
        }
        if let a = v as? [Any] { return a.map(camel) }
        return v
    }
}
