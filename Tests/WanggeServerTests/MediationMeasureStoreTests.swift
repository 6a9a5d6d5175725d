import Fluent
import Foundation
import SQLKit
import XCTVapor
import XCTest
import WanggeCore
@testable import WanggeServer
@testable import WanggeStore

/// The mediation measures counted with one GROUP BY from `mediation_facts` equal the counts of the snapshots
/// (`MediationMeasures.counts(snapshot, …)`, what the endpoint counted before), in total and by type, tier and
/// mediator, for periods of a day, 17 odd days, a month, a quarter and a year, over the demo's disputes (written by
/// the bulk load) and after actions through the service; and sums too large for 64 bits saturate as before.
final class MediationMeasureStoreTests: XCTestCase {
    func testMediationMeasuresFromTheStoreEqualTheSnapshots() async throws {
        try await withApp { app, clock in
            _ = try await Setup.loadDemo(app, history: true, casesPerYear: 1_500)
            let now = clock.now()
            let ref = try await app.wangge.reference.current(on: app.db, now: now)
            let cal = ref.calendar
            let j = try await app.wangge.jurisdictions.current(on: app.db, now: now).jurisdiction
            let county = j.areas.first { $0.level == .county }!
            let scopes = [j.path(of: county.code), j.path(of: j.children(of: county.code).first!.code)]
            func expected(_ scope: String, _ period: DateInterval) async throws -> MediationMeasureQueries.Groups {
                var g = MediationMeasureQueries.Groups()
                for m in try await MediationQueries.counted(scopePath: scope, from: .distantPast, to: .distantFuture, on: app.db) {
                    let s = m.snapshot
                    g.add(MediationMeasures.counts(s, period: period, calendar: cal), type: s.registration.typeCode, tier: s.tier.rawValue, mediators: s.mediators)
                }
                return g
            }
            let cache = PieceCache()
            func compare(_ label: String) async throws {
                let day = 86_400.0
                let periods = [DateInterval(start: now.addingTimeInterval(-365 * day), end: now),
                               DateInterval(start: now.addingTimeInterval(-40 * day - 5_000), end: now.addingTimeInterval(-23 * day + 7_000)),
                               DateInterval(start: now.addingTimeInterval(-31 * day), end: now.addingTimeInterval(-day)),
                               DateInterval(start: now.addingTimeInterval(-100 * day), end: now.addingTimeInterval(-10 * day)),
                               DateInterval(start: now.addingTimeInterval(-2 * day), end: now.addingTimeInterval(day))]
                var nonEmpty = 0
                for scope in scopes {
                    for period in periods {
                        let stored = try await MediationMeasureQueries.counts(scopePath: scope, period: period, calendar: cal, on: app.db)
                        let want = try await expected(scope, period)
                        // The sum of the pieces a server keeps between requests (stale once a write touched their month).
                        let kept = try await MediationsAPI.counts(scopePath: scope, period: period, calendar: cal, cache: cache, on: app.db)
                        XCTAssertEqual(kept, want, "\(label): kept pieces \(scope) \(period)")
                        XCTAssertEqual(stored.total, want.total, "\(label): total \(scope) \(period)")
                        XCTAssertEqual(stored.byType, want.byType, "\(label): by type \(scope) \(period)")
                        XCTAssertEqual(stored.byTier, want.byTier, "\(label): by tier \(scope) \(period)")
                        XCTAssertEqual(stored.byMediator, want.byMediator, "\(label): by mediator \(scope) \(period)")
                        if want.total.concluded > 0 && want.total.amountPaid > 0 { nonEmpty += 1 }
                    }
                }
                XCTAssertGreaterThan(nonEmpty, 4, "\(label): the comparison counts something")
            }
            try await compare("after the bulk load")

            // Actions through the service rewrite the facts in their transaction: the clock job's supervisions and
            // escalations (mediations late after two more days).
            clock.advance(2 * 86_400)
            _ = try await ClockRunner.runOnce(app)
            try await compare("after the clock job")

            // Amounts beyond 64 bits: saturated, as the snapshots' counts saturate.
            let some = try await MediationQueries.counted(scopePath: scopes[0], from: now.addingTimeInterval(-60 * 86_400), to: now, on: app.db).prefix(3)
            XCTAssertEqual(some.count, 3)
            try await app.db.transaction { db in
                for m in some {
                    var s = m.snapshot
                    s.registration.amount = .max - 7
                    s.registration.peopleCount = 2_000_000_000_000
                    try await (db as! any SQLDatabase).raw("UPDATE mediations SET snapshot = \(bind: try CaseQueries.json(s)) WHERE id = \(bind: m.id)").run()
                    try await MediationMeasureQueries.replace(id: m.id, snapshot: s, areaPath: m.areaPath, calendar: cal, on: db as! any SQLDatabase)
                }
            }
            let year = DateInterval(start: now.addingTimeInterval(-365 * 86_400), end: clock.now())
            let stored = try await MediationMeasureQueries.counts(scopePath: scopes[0], period: year, calendar: cal, on: app.db)
            XCTAssertEqual(stored.total.amountInvolved, .max)
            let saturated = try await expected(scopes[0], year)
            XCTAssertEqual(stored.total, saturated.total)
            try await compare("with amounts too large to add")
        }
    }
}
