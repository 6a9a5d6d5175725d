import Fluent
import Foundation
import SQLKit
import XCTVapor
import XCTest
import WanggeCore
@testable import WanggeServer
@testable import WanggeStore

/// The measures counted with SQL from `case_outcomes` equal the replay of the stored histories (`Measures`), for
/// every grouping, for periods of a week, a month and most of a year, as of now and as of past instants (counted
/// from the fact versions kept, with cases changed since); a past count stands after later actions (superseded
/// versions are kept); and a change to a case and what it raises commit or fail together.
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
            // The dashboard's road: pieces kept between requests (one cache for every period and instant below, so
            // pieces counted as of one instant are reused or recounted for others) plus SQL for the rest.
            let cache = PieceCache()
            func pieced(_ scope: String, _ period: DateInterval, _ asOf: Date, _ grouping: MeasureQueries.Grouping,
                        weeks: [DateInterval]) async throws -> [String: MeasureCounts] {
                let s = MeasureScope(path: scope, period: period, asOf: asOf, context: context)
                let pieces = try await s.pieces(weeks: weeks, cache: cache, on: app.db)
                return try await s.counts(grouping, keeping: pieces, on: app.db).filter { !$0.value.isEmpty }
            }
            for period in periods {
                // As of the period's end (or now), and as of instants before later changes to many cases (the
                // clock job's actions, and the year's own): past facts come from the versions kept, by SQL alone.
                for asOf in [min(now, period.end), period.end.addingTimeInterval(-3 * 86_400), period.start.addingTimeInterval(period.duration / 2)] {
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
                            let weeks = MeasureBreakdown.weeks(from: period.start, to: period.end, timeZone: ref.calendar.timeZone, limit: 8)
                            let viaPieces = try await pieced(scope, period, asOf, grouping, weeks: weeks)
                            XCTAssertEqual(viaPieces, replay(key), "pieces: \(grouping) \(period) as of \(asOf)")
                            compared += 1
                        }
                        // Weeks: the same rule per consecutive week.
                        let weeks = MeasureBreakdown.weeks(from: period.start, to: period.end, timeZone: ref.calendar.timeZone, limit: 8)
                        var series = MeasureSeries(periods: weeks, asOf: asOf)
                        for m in inScope { if let h = histories[m.id!] { series.add(Measures.outcomes(of: h, upTo: asOf, calendar: ref.calendar)) } }
                        let stored = try await MeasureQueries.counts(scopePath: scope, period: period, asOf: asOf, by: .periods(weeks), context: context, on: app.db)
                        let viaPieces = try await pieced(scope, period, asOf, .periods(weeks), weeks: weeks)
                        for (i, expected) in series.counts.enumerated() {
                            XCTAssertEqual(stored["\(i)"] ?? MeasureCounts(), expected, "week \(i) of \(period)")
                            XCTAssertEqual(viaPieces["\(i)"] ?? MeasureCounts(), expected, "pieces: week \(i) of \(period)")
                        }
                    }
                }
            }
            XCTAssertEqual(compared, 72)

            // A change to a case of an old month after its pieces were kept: they are recounted, not added twice.
            let year = DateInterval(start: now.addingTimeInterval(-330 * 86_400), end: now.addingTimeInterval(86_400))
            let weeks = MeasureBreakdown.weeks(from: year.start, to: year.end, timeZone: ref.calendar.timeZone)
            _ = try await pieced(path, year, now, .area, weeks: weeks)
            let old = try await CaseModel.query(on: app.db).filter(\.$reportedAt < now.addingTimeInterval(-40 * 86_400))
                .filter(\.$state ~~ CaseState.allCases.filter(\.isOpen).map(\.rawValue)).first()
            let target = try XCTUnwrap(old, "an open case more than 40 days old")
            try await Setup.createUser(app, username: "leader1", password: "Orchard-lantern-42", role: .leader, areaCode: county.code, departmentCode: nil, displayName: "领导")
            clock.advance(3_600)
            let (status, body) = try await CaseLoopTests.act(app, try await app.token("leader1"), target.id!, ["action": "supervise", "note": "请加快"])
            XCTAssertEqual(status, .ok, String(decoding: body, as: UTF8.self))
            let later = clock.now()
            let after = try await CaseModel.query(on: app.db).all()
            let afterHistories = try await CaseIndexQueries.histories(ids: after.map { $0.id! }, on: app.db)
            for (grouping, key) in [(MeasureQueries.Grouping.area, { (m: CaseModel) in m.areaCode }), (.total, { _ in "" })] {
                var expected: [String: MeasureCounts] = [:]
                for m in after {
                    let c = MeasureBreakdown.counts(Measures.outcomes(of: afterHistories[m.id!]!, upTo: later, calendar: ref.calendar), period: year, asOf: later)
                    if !c.isEmpty { expected[key(m), default: MeasureCounts()].add(c) }
                }
                let viaPieces = try await pieced(path, year, later, grouping, weeks: weeks)
                XCTAssertEqual(viaPieces, expected, "pieces after a change to an old case: \(grouping)")
            }
        }
    }

    /// A case open past its closure deadline counts as not completed as of then; closing it later must not change
    /// what was known then (its superseded facts are kept, with when they were replaced), while counts as of now
    /// see it closed. Both equal the replay, with SQL alone and through the dashboard's pieces.
    func testAPastCountStandsAfterLaterActionsBecauseSupersededVersionsAreKept() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            let created = try CaseLoopTests.decoder.decode(CaseLoopTests.Created.self, from: try await CaseLoopTests.report(app).1)
            let op = try await app.token("westop"), handler = try await app.token("westmarket")
            let start = clock.now()
            for (token, body) in [(op, ["action": "accept"]), (op, ["action": "dispatch", "department_code": "3301002-market_regulation"]),
                                  (handler, ["action": "sign"]), (handler, ["action": "resolve", "note": "已处理"])] as [(String, [String: Any])] {
                clock.advance(600)
                let (s, d) = try await CaseLoopTests.act(app, token, created.id, body)
                XCTAssertEqual(s, .ok, String(decoding: d, as: UTF8.self))
            }
            // Past the closure deadline, still open.
            clock.advance(20 * 86_400)
            let then = clock.now()
            let ref = try await app.wangge.reference.current(on: app.db, now: then)
            let period = DateInterval(start: start.addingTimeInterval(-86_400), end: then.addingTimeInterval(86_400))
            let path = "3301/"
            let cache = PieceCache()
            func counts(asOf: Date) async throws -> (sql: MeasureCounts, pieced: MeasureCounts, replay: MeasureCounts) {
                let sql = try await MeasureQueries.counts(scopePath: path, period: period, asOf: asOf, by: .total, context: ref.measureContext, on: app.db)[""] ?? MeasureCounts()
                let scope = MeasureScope(path: path, period: period, asOf: asOf, context: ref.measureContext)
                let pieces = try await scope.pieces(weeks: [period], cache: cache, on: app.db)
                let pieced = try await scope.counts(.area, keeping: pieces, on: app.db).values.reduce(into: MeasureCounts()) { $0.add($1) }
                let history = CaseHistory(actions: try await CaseQueries.actions(caseID: created.id, on: app.db).map(\.record))
                let replay = MeasureBreakdown.counts(Measures.outcomes(of: history, upTo: asOf, calendar: ref.calendar), period: period, asOf: asOf)
                return (sql, pieced, replay)
            }
            let before = try await counts(asOf: then)
            XCTAssertEqual(before.sql[.effectiveCompletion], Measure(numerator: 0, denominator: 1), "due and not closed")
            XCTAssertEqual(before.sql, before.replay)
            XCTAssertEqual(before.pieced, before.replay)
            // (Tokens of 20 days ago have expired.)
            let (op2, worker2) = (try await app.token("westop"), try await app.token("westworker"))
            for (token, body) in [(worker2, ["action": "verify_pass", "note": "已核实"]), (op2, ["action": "close"])] as [(String, [String: Any])] {
                clock.advance(600)
                let (s, d) = try await CaseLoopTests.act(app, token, created.id, body)
                XCTAssertEqual(s, .ok, String(decoding: d, as: UTF8.self))
            }
            let past = try await counts(asOf: then)
            XCTAssertEqual(past.sql, before.sql, "as of before the close, the counts are what they were then")
            XCTAssertEqual(past.sql, past.replay)
            XCTAssertEqual(past.pieced, past.replay)
            let now = try await counts(asOf: clock.now())
            XCTAssertEqual(now.sql[.effectiveCompletion], Measure(numerator: 1, denominator: 1), "closed (late) now")
            XCTAssertEqual(now.sql, now.replay)
            XCTAssertEqual(now.pieced, now.replay)
            // And again as of then, after the pieces were counted as of now.
            let again = try await counts(asOf: then)
            XCTAssertEqual(again.pieced, before.replay)
            let replaced = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM case_outcomes WHERE case_id = \(bind: created.id) AND replaced_at < \(bind: MeasureQueries.forever)")
                .first()!.decode(column: "n", as: Int.self)
            XCTAssertGreaterThan(replaced, 0, "the superseded facts are kept")
        }
    }

    func testAnActionAndTheSupervisionItRaisesCommitOrFailTogether() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            try await Setup.createUser(app, username: "leader1", password: "Orchard-lantern-42", role: .leader, areaCode: "3301", departmentCode: nil, displayName: "领导")
            let created = try CaseLoopTests.decoder.decode(CaseLoopTests.Created.self, from: try await CaseLoopTests.report(app).1)
            let op = try await app.token("westop")
            _ = try await CaseLoopTests.act(app, op, created.id, ["action": "accept"])
            _ = try await CaseLoopTests.act(app, op, created.id, ["action": "dispatch", "department_code": "3301002-market_regulation"])
            let before = try await CaseQueries.actions(caseID: created.id, on: app.db).count
            // The failure between them: the supervisions table refuses every row.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("ALTER TABLE record_supervisions RENAME TO supervisions_away").run()
            let leader = try await app.token("leader1")
            let (status, _) = try await CaseLoopTests.act(app, leader, created.id, ["action": "supervise", "note": "请加快办理"])
            XCTAssertEqual(status.code / 100, 5, "the supervision could not be written, so the request fails")
            let after = try await CaseQueries.actions(caseID: created.id, on: app.db).count
            XCTAssertEqual(after, before, "and the supervise action was not stored without it")
            let stored = try await CaseQueries.find(id: created.id, on: app.db)
            XCTAssertEqual(stored?.version, before, "nor the snapshot")
            // The control: with the table back, the same request stores both.
            try await sql.raw("ALTER TABLE supervisions_away RENAME TO record_supervisions").run()
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
