import Fluent
import Foundation
import SQLKit
import XCTVapor
import XCTest
import WanggeCore
@testable import WanggeServer
@testable import WanggeStore

/// The measures counted with SQL from `case_outcomes` equal the replay of the stored histories (`Measures`), for
/// every grouping, for periods of a week, a month and most of a year, as of now and as of a past instant (when
/// cases changed after it are replayed); and a change to a case and what it raises commit or fail together.
final class MeasureFactsStoreTests: XCTestCase {
    func testCountsFromTheStoreEqualTheReplayOfEveryHistory() async throws {
        try await withApp { app, clock in
            _ = try await Setup.loadDemo(app, history: true, casesPerYear: 1_500)
            // Changes after the load, through the service (the clock job's supervisions and escalations), so facts
            // and the monthly rollup are rewritten by actions too.
            clock.advance(2 * 86_400)
            let job = try await ClockRunner.runOnce(app)
            XCTAssertGreaterThan(job.supervisions + job.escalations, 0)
            let ref = try await app.wangge.reference.current(on: app.db, now: clock.now())
            let context = ref.measureContext
            let j = try await app.wangge.jurisdictions.current(on: app.db, now: clock.now()).jurisdiction
            let county = j.areas.first { $0.level == .county }!
            let path = j.path(of: county.code)
            let township = j.children(of: county.code).first!
            let ids = try await CaseModel.query(on: app.db).all().map { try $0.requireID() }
            let histories = try await CaseIndexQueries.histories(ids: ids, on: app.db)
            let rows = try await CaseModel.query(on: app.db).all()
            XCTAssertGreaterThan(rows.count, 1_000)
            let facts = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM case_outcomes").first()!.decode(column: "n", as: Int.self)
            XCTAssertGreaterThan(facts, rows.count, "the bulk load wrote the facts")

            let now = clock.now()
            let periods = [DateInterval(start: now.addingTimeInterval(-7 * 86_400), end: now),
                           DateInterval(start: now.addingTimeInterval(-60 * 86_400), end: now.addingTimeInterval(-30 * 86_400)),
                           DateInterval(start: now.addingTimeInterval(-330 * 86_400), end: now.addingTimeInterval(-10 * 86_400))]
            var compared = 0
            for period in periods {
                for asOf in [min(now, period.end), period.end.addingTimeInterval(-3 * 86_400)] {
                    for scope in [path, j.path(of: township.code)] {
                        let inScope = rows.filter { $0.areaPath.hasPrefix(scope) }
                        func replay(_ key: (CaseModel) -> String?) -> [String: MeasureCounts] {
                            var out: [String: MeasureCounts] = [:]
                            for m in inScope {
                                guard let h = histories[m.id!], let k = key(m) else { continue }
                                let c = MeasureBreakdown.counts(Measures.outcomes(of: h, upTo: asOf, calendar: ref.calendar), period: period, asOf: asOf)
                                if !c.isEmpty { out[k, default: MeasureCounts()].add(c) }
                            }
                            return out
                        }
                        let groupings: [(MeasureQueries.Grouping, (CaseModel) -> String?)] = [
                            (.total, { _ in "" }), (.area, { $0.areaCode }),
                            (.majorCategory, { ref.catalogue.majorCode(of: $0.categoryCode) }), (.department, { $0.departmentCode }),
                        ]
                        for (grouping, key) in groupings {
                            let stored = try await MeasureQueries.counts(scopePath: scope, period: period, asOf: asOf, by: grouping, context: context, on: app.db)
                                .filter { !$0.value.isEmpty }
                            XCTAssertEqual(stored, replay(key), "\(grouping) \(period) as of \(asOf)")
                            compared += 1
                        }
                        // Weeks: the same rule per consecutive week.
                        let weeks = MeasureBreakdown.weeks(from: period.start, to: period.end, timeZone: ref.calendar.timeZone, limit: 8)
                        var series = MeasureSeries(periods: weeks, asOf: asOf)
                        for m in inScope { if let h = histories[m.id!] { series.add(Measures.outcomes(of: h, upTo: asOf, calendar: ref.calendar)) } }
                        let stored = try await MeasureQueries.counts(scopePath: scope, period: period, asOf: asOf, by: .periods(weeks), context: context, on: app.db)
                        for (i, expected) in series.counts.enumerated() {
                            XCTAssertEqual(stored["\(i)"] ?? MeasureCounts(), expected, "week \(i) of \(period)")
                        }
                    }
                }
            }
            XCTAssertEqual(compared, 48)
        }
    }

    func testAnActionAndTheSupervisionItRaisesCommitOrFailTogether() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            try await Setup.createUser(app, username: "leader1", password: "password1", role: .leader, areaCode: "3301", departmentCode: nil, displayName: "领导")
            let created = try CaseLoopTests.decoder.decode(CaseLoopTests.Created.self, from: try await CaseLoopTests.report(app).1)
            let op = try await app.token("westop")
            _ = try await CaseLoopTests.act(app, op, created.id, ["action": "accept"])
            _ = try await CaseLoopTests.act(app, op, created.id, ["action": "dispatch", "department_code": "3301002-market_regulation"])
            let before = try await CaseQueries.actions(caseID: created.id, on: app.db).count
            // The failure between them: the supervisions table refuses every row.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("ALTER TABLE supervisions RENAME TO supervisions_away").run()
            let leader = try await app.token("leader1")
            let (status, _) = try await CaseLoopTests.act(app, leader, created.id, ["action": "supervise", "note": "请加快办理"])
            XCTAssertEqual(status.code / 100, 5, "the supervision could not be written, so the request fails")
            let after = try await CaseQueries.actions(caseID: created.id, on: app.db).count
            XCTAssertEqual(after, before, "and the supervise action was not stored without it")
            let stored = try await CaseQueries.find(id: created.id, on: app.db)
            XCTAssertEqual(stored?.version, before, "nor the snapshot")
            // The control: with the table back, the same request stores both.
            try await sql.raw("ALTER TABLE supervisions_away RENAME TO supervisions").run()
            let (again, _) = try await CaseLoopTests.act(app, leader, created.id, ["action": "supervise", "note": "请加快办理"])
            XCTAssertEqual(again, .ok)
            let raised = try await CaseIndexQueries.openSupervisions(scopePath: "3301/", limit: 10, on: app.db)
            XCTAssertEqual(raised.map(\.code), [created.code])
            let actions = try await CaseQueries.actions(caseID: created.id, on: app.db).count
            XCTAssertEqual(actions, before + 1)
            _ = clock
        }
    }
}
