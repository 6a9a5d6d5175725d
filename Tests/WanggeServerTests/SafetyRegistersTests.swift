import Foundation
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// The registers beside the risk register and the index (issue 19): a heightened period set at the API tightens
/// the reviews of the risks it covers across a weekend (the clock job reschedules them, supervises a late one once,
/// and puts them back when the period is called off); a grave event is deducted from the month's next computation
/// of its area and the areas above, never from a published revision, and withdrawing it takes the deduction away;
/// a county's own `risk.json` gives the register its levels. Bad input is a 400 naming the field, nothing written.
final class SafetyRegistersTests: XCTestCase {
    func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: [String: Any]? = nil) async throws -> (HTTPStatus, [String: Any]) {
        try await ThirdKindTests.send(app, method, path, token: token, body: body)
    }

    /// Friday 2026-11-27 10:00 in Shanghai.
    static let friday = Date(timeIntervalSince1970: 1_795_744_800)
    static let hour: TimeInterval = 3_600

    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    func due(_ app: Application, _ id: String, token: String) async throws -> String? {
        let (_, r) = try await send(app, .GET, "/api/v1/risks/\(id)", token: token)
        return (r["summary"] as? [String: Any])?["next_review_due"] as? String
    }

    func testAHeightenedWeekendTightensTheCoveredReviewsAndCallingItOffPutsThemBack() async throws {
        let clock = TestClock(Self.friday)
        try await withApp(clock: clock) { app, clock in
            try await SmallCounty.load(app)
            let west = try await app.token("westop"), east = try await app.token("eastop"), county = try await app.token("countyop")
            let worker = try await app.token("westworker")
            // Two orange risks (3 × 4 = 12), reviewed weekly: one in each township.
            func register(_ token: String, _ area: String) async throws -> String {
                let (s, made) = try await send(app, .POST, "/api/v1/risks", token: token, body: [
                    "category_code": "fire", "title": "仓库堆放易燃物", "description": "仓库内堆放大量纸箱", "area_code": area,
                    "assessment": ["likelihood": 3, "severity": 4]])
                XCTAssertEqual(s, .created, "\(made)")
                let summary = try XCTUnwrap(made["summary"] as? [String: Any])
                XCTAssertEqual(summary["level"] as? Int, 2)
                return try XCTUnwrap(summary["id"] as? String)
            }
            let westRisk = try await register(west, "3301002001"), eastRisk = try await register(east, "3301001001")
            let weekLater = Self.iso(Self.friday.addingTimeInterval(7 * 86_400))
            let dueWestBefore = try await due(app, westRisk, token: west)
            XCTAssertEqual(dueWestBefore, weekLater)

            // Bad periods: a 400 naming the field, nothing written; a grid worker may not set one; another township's
            // operator may not cover the west.
            let saturday = Self.friday.addingTimeInterval(14 * Self.hour)          // Sat 00:00
            let monday = saturday.addingTimeInterval(56 * Self.hour)                // Mon 08:00
            let good: [String: Any] = ["name": "周末安保", "start": "2026-11-28T00:00:00+08:00", "end": "2026-11-30T08:00:00+08:00", "area_codes": ["3301002"]]
            for (change, field) in [(["end": "2026-11-27T00:00:00+08:00"], "end"), (["area_codes": ["3309"]], "area_codes[0]"),
                                    (["area_codes": [] as [String]], "area_codes"), (["name": ""], "name"), (["start": "Saturday"], "start"),
                                    (["start": "2026-01-01T00:00:00+08:00", "end": "2027-06-01T00:00:00+08:00"], "end")] as [([String: Any], String)] {
                let body = good.merging(change) { _, new in new }
                let (s, e) = try await send(app, .POST, "/api/v1/heightened-periods", token: county, body: body)
                XCTAssertEqual(s, .badRequest, "\(change) \(e)")
                XCTAssertEqual((e["error"] as? [String: Any])?["field"] as? String, field, "\(change)")
            }
            let (outside, eOutside) = try await send(app, .POST, "/api/v1/heightened-periods", token: east, body: good)
            XCTAssertEqual(outside, .badRequest)
            XCTAssertEqual((eOutside["error"] as? [String: Any])?["field"] as? String, "area_codes[0]")
            let (forbidden, _) = try await send(app, .POST, "/api/v1/heightened-periods", token: worker, body: good)
            XCTAssertEqual(forbidden, .forbidden)
            let (_, none) = try await send(app, .GET, "/api/v1/heightened-periods?withdrawn=true", token: west)
            XCTAssertEqual((none["periods"] as? [[String: Any]])?.count, 0, "nothing of the bad requests was written")

            // The county's operator sets a heightened weekend over the west township.
            let (made, period) = try await send(app, .POST, "/api/v1/heightened-periods", token: county, body: good)
            XCTAssertEqual(made, .created, "\(period)")
            XCTAssertEqual(period["in_force"] as? Bool, false)
            XCTAssertEqual(period["start"] as? String, Self.iso(saturday))
            let periodID = try XCTUnwrap(period["id"] as? String)

            // The clock job reschedules the west's orange review to a day after the period starts; the east's stays.
            try await ClockRunner.runOnce(app)
            let dueWest = try await due(app, westRisk, token: west), dueEast = try await due(app, eastRisk, token: east)
            XCTAssertEqual(dueWest, Self.iso(saturday.addingTimeInterval(24 * Self.hour)))
            XCTAssertEqual(dueEast, weekLater)
            let id = try XCTUnwrap(UUID(uuidString: westRisk))
            let kinds = try await RecordStore<RiskKind>.actions(id: id, on: app.db).map(\.kind)
            XCTAssertEqual(kinds.filter { $0 == .reschedule }.count, 1)
            try await ClockRunner.runOnce(app)
            let again = try await RecordStore<RiskKind>.actions(id: id, on: app.db).count
            XCTAssertEqual(again, kinds.count, "running the job again writes nothing")

            // Saturday 09:00: reviewed and kept; in the period the next review is a day later, not a week.
            clock.advance(23 * Self.hour)
            let reviewer = try await app.token("westop")
            let (r, reviewed) = try await send(app, .POST, "/api/v1/risks/\(westRisk)/actions", token: reviewer,
                                               body: ["action": "review", "assessment": ["likelihood": 3, "severity": 4], "decision": "keep"])
            XCTAssertEqual(r, .ok, "\(reviewed)")
            XCTAssertEqual((reviewed["summary"] as? [String: Any])?["next_review_due"] as? String, Self.iso(clock.now().addingTimeInterval(24 * Self.hour)))

            // Sunday 09:01, nobody has reviewed it: the clock job supervises the late review once, on a weekend.
            clock.advance(24 * Self.hour + 60)
            try await ClockRunner.runOnce(app)
            try await ClockRunner.runOnce(app)
            let supervised = try await RecordSupervisions.of(kind: RiskKind.kindName, recordID: id, on: app.db)
            XCTAssertEqual(supervised.count, 1, "one supervision for the late review")
            let reader = try await app.token("westop")
            let (_, late) = try await send(app, .GET, "/api/v1/risks/\(westRisk)", token: reader)
            XCTAssertEqual((late["summary"] as? [String: Any])?["clock"] as? String, "red")

            // Called off: the review goes back on its weekly cadence from Saturday's review.
            let countyAgain = try await app.token("countyop")
            let (c, off) = try await send(app, .POST, "/api/v1/heightened-periods/\(periodID)/call-off", token: countyAgain, body: ["note": "提前解除"])
            XCTAssertEqual(c, .ok, "\(off)")
            XCTAssertNotNil(off["called_off_at"] as? String)
            let (twice, _) = try await send(app, .POST, "/api/v1/heightened-periods/\(periodID)/call-off", token: countyAgain, body: [:])
            XCTAssertEqual(twice, .conflict)
            try await ClockRunner.runOnce(app)
            let back = try await due(app, westRisk, token: reader)
            XCTAssertEqual(back, Self.iso(Self.friday.addingTimeInterval(23 * Self.hour + 7 * 86_400)))
            let (_, listed) = try await send(app, .GET, "/api/v1/heightened-periods", token: reader)
            XCTAssertEqual((listed["periods"] as? [[String: Any]])?.count, 0, "a called-off period is listed only when asked")
            _ = monday
        }
    }

    /// A formula with the market incidence indicator and one deduction: 10 points an event with a death.
    static func formulaWithDeduction() -> [String: Any] {
        var doc = SafetyIndexAPITests.formula()
        var f = doc["formula"] as! [String: Any]
        f["deductions"] = [["code": "death", "name": "亡人事件", "name_en": "Event with a death", "points_per_event": 10, "maximum_points": 30]]
        doc["formula"] = f
        return doc
    }

    func score(_ app: Application, _ area: String, revision: Int? = nil, token: String) async throws -> (Double, [String: Any]) {
        let (s, r) = try await send(app, .GET, "/api/v1/safety-index?area=\(area)&month=2026-09" + (revision.map { "&revision=\($0)" } ?? ""), token: token)
        XCTAssertEqual(s, .ok, "\(r)")
        return (try XCTUnwrap(r["score"] as? Double), r)
    }

    func testAGraveEventIsDeductedFromTheNextComputationOfItsAreaAndAboveAndWithdrawnWithANote() async throws {
        let clock = TestClock(SafetyIndexAPITests.august)
        try await withApp(clock: clock) { app, clock in
            try await SmallCounty.load(app)
            try await Setup.createUser(app, username: "countyadmin", password: "Orchard-lantern-42", role: .admin, areaCode: "3301",
                                       departmentCode: nil, displayName: "县管理员")
            var admin = try await app.token("countyadmin")
            let (saved, doc) = try await send(app, .PUT, "/api/v1/safety-index/formula", token: admin, body: Self.formulaWithDeduction())
            XCTAssertEqual(saved, .ok, "\(doc)")
            _ = try await CaseLoopTests.report(app)
            clock.advance(31 * SafetyIndexAPITests.day)
            for _ in 0..<4 { _ = try await CaseLoopTests.report(app) }
            clock.advance(31 * SafetyIndexAPITests.day)
            admin = try await app.token("countyadmin")
            let op = try await app.token("countyop"), east = try await app.token("eastop"), worker = try await app.token("westworker")
            let (c1, _) = try await send(app, .POST, "/api/v1/safety-index/compute?month=2026-09", token: admin)
            XCTAssertEqual(c1, .created)
            let (villageBefore, _) = try await score(app, "3301002001", token: admin)
            let (townBefore, _) = try await score(app, "3301002", token: admin)
            let (eastBefore, _) = try await score(app, "3301001001", token: admin)

            // Bad events: a 400 naming the field, nothing written.
            let good: [String: Any] = ["area_code": "3301002001", "occurred_on": "2026-09-20", "code": "death", "summary": "村道发生一起交通事故，造成一人死亡。"]
            for (change, field) in [(["occurred_on": "2026-10-30"], "occurred_on"), (["occurred_on": "20 August"], "occurred_on"),
                                    (["code": "suspect"], "code"), (["summary": "  "], "summary"), (["area_code": "3309"], "area_code")] as [([String: Any], String)] {
                let (s, e) = try await send(app, .POST, "/api/v1/grave-events", token: op, body: good.merging(change) { _, new in new })
                XCTAssertEqual(s, .badRequest, "\(change) \(e)")
                XCTAssertEqual((e["error"] as? [String: Any])?["field"] as? String, field, "\(change)")
            }
            let (outside, _) = try await send(app, .POST, "/api/v1/grave-events", token: east, body: good)
            XCTAssertEqual(outside, .badRequest, "the west's village is outside the east's scope")
            let (forbidden, _) = try await send(app, .POST, "/api/v1/grave-events", token: worker, body: good)
            XCTAssertEqual(forbidden, .forbidden)

            let (made, event) = try await send(app, .POST, "/api/v1/grave-events", token: op, body: good)
            XCTAssertEqual(made, .created, "\(event)")
            XCTAssertEqual(event["month"] as? String, "2026-09")
            let eventID = try XCTUnwrap(event["id"] as? String)
            let (_, listed) = try await send(app, .GET, "/api/v1/grave-events?month=2026-09", token: admin)
            XCTAssertEqual((listed["events"] as? [[String: Any]])?.count, 1)
            let (_, eastList) = try await send(app, .GET, "/api/v1/grave-events", token: east)
            XCTAssertEqual((eastList["events"] as? [[String: Any]])?.count, 0, "another township does not see it")

            // The published revision stays; the next computation deducts 10 points in the village and above only.
            let (stays, _) = try await score(app, "3301002001", token: admin)
            XCTAssertEqual(stays, villageBefore)
            let (c2, _) = try await send(app, .POST, "/api/v1/safety-index/compute?month=2026-09", token: admin)
            XCTAssertEqual(c2, .created)
            let (village, shown) = try await score(app, "3301002001", token: admin)
            XCTAssertEqual(village, villageBefore - 10, accuracy: 0.011)
            let deductions = try XCTUnwrap(shown["deductions"] as? [[String: Any]])
            XCTAssertEqual(deductions.first { $0["code"] as? String == "death" }?["events"] as? Int, 1, "the explanation shows it")
            let (town, _) = try await score(app, "3301002", token: admin)
            XCTAssertEqual(town, townBefore - 10, accuracy: 0.011)
            let (eastAfter, _) = try await score(app, "3301001001", token: admin)
            XCTAssertEqual(eastAfter, eastBefore)
            let (first, _) = try await score(app, "3301002001", revision: 1, token: admin)
            XCTAssertEqual(first, villageBefore, "revision 1 reads as published")

            // Withdrawn with a note (one without a note is refused), the next computation no longer deducts it.
            let (noNote, e) = try await send(app, .POST, "/api/v1/grave-events/\(eventID)/withdraw", token: op, body: [:])
            XCTAssertEqual(noNote, .badRequest)
            XCTAssertEqual((e["error"] as? [String: Any])?["field"] as? String, "note")
            let (w, withdrawn) = try await send(app, .POST, "/api/v1/grave-events/\(eventID)/withdraw", token: op, body: ["note": "经核实为自然死亡，不属重大事项"])
            XCTAssertEqual(w, .ok, "\(withdrawn)")
            let (twice, _) = try await send(app, .POST, "/api/v1/grave-events/\(eventID)/withdraw", token: op, body: ["note": "again"])
            XCTAssertEqual(twice, .conflict)
            let (c3, _) = try await send(app, .POST, "/api/v1/safety-index/compute?month=2026-09", token: admin)
            XCTAssertEqual(c3, .created)
            let (restored, _) = try await score(app, "3301002001", token: admin)
            XCTAssertEqual(restored, villageBefore)
        }
    }

    func testACountysRiskFileGivesTheRegisterItsLevelsAndABadOneStopsTheStart() async throws {
        var catalogue = RiskCatalogue.standard
        catalogue.levels[2].name = "黄"
        catalogue.levels[2].nameEN = "Yellow"
        catalogue.levels[2].colour = "#F9A825"
        catalogue.levels[3].name = "蓝"
        catalogue.levels[3].nameEN = "Blue"
        let file = try JSONEncoder().encode(catalogue)
        try await withApp(configure: { config in
            try? FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: config.dataDirectory + "/risk.json", contents: file)
        }) { app, _ in
            try await SmallCounty.load(app)
            let op = try await app.token("westop")
            let (s, shown) = try await send(app, .GET, "/api/v1/risk-categories", token: op)
            XCTAssertEqual(s, .ok)
            let names = try XCTUnwrap(shown["levels"] as? [[String: Any]]).compactMap { $0["name"] as? String }
            XCTAssertEqual(names, ["红", "橙", "黄", "蓝"])
        }
        var bad = catalogue
        bad.levels[0].colour = "red"
        let config = testConfig()
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
        _ = FileManager.default.createFile(atPath: config.dataDirectory + "/risk.json", contents: try JSONEncoder().encode(bad))
        do {
            let app = try await AppFactory.make(config, clock: TestClock(), environment: .testing)
            try? await app.asyncShutdown()
            XCTFail("a bad risk.json must stop the start")
        } catch {
            XCTAssertTrue(String(describing: error).contains("levels[0].colour"), "\(error)")
        }
    }
}
