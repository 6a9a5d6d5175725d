import Fluent
import Foundation
import SQLKit
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// The risk register's store is the shared one given the register's table (`RiskKind`, M035): a registration is
/// numbered from the kind's own counter, a review is a numbered action, a second writer of the same version gets a
/// conflict, the clock job's late-review supervision is recorded once per review stage, and the list columns follow
/// the snapshot (level, responsible department). On SQLite and, in the suite's second pass, PostgreSQL.
final class RiskStoreTests: XCTestCase {
    func testARiskIsNumberedReviewedSupervisedOnceAndConflictsOnARace() async throws {
        try await withApp { app, clock in
            let now = clock.now()
            let calendar = try await app.wangge.reference.current(on: app.db, now: now).calendar
            let worker = RecordActor.staff(ActingStaff(username: "gw", role: .gridWorker, areaCode: "3301001001"))
            let op = RecordActor.staff(ActingStaff(username: "op", role: .operator, areaCode: "3301"))
            let prefix = RecordCodes.dayPrefix(RiskKind.prefix, at: now, calendar: calendar)
            func register(_ title: String) async throws -> StoredRisk {
                try await RecordStore<RiskKind>.create(prefix: prefix, make: { n in
                    let r = RiskRegistration(code: RecordCodes.code(prefix, n), categoryCode: "fire", title: title,
                                             description: "厂区东侧消防通道被货物堵塞", areaCode: "3301001001", areaPath: "3301/3301001/3301001001/",
                                             assessment: .matrix(likelihood: 4, severity: 5))
                    return try RiskLifecycle.register(r, policy: RiskPolicy(), actor: worker, at: now, calendar: calendar)
                }, areaPath: "3301/3301001/3301001001/", place: NoPlace(), key: nil, calendar: calendar, on: app.db)
            }
            let first = try await register("某厂消防通道堵塞")
            let second = try await register("某市场电线私拉乱接")
            XCTAssertEqual(first.code, prefix + "-000001")
            XCTAssertEqual(second.code, prefix + "-000002", "numbered from the risk register's own counter")
            XCTAssertEqual(first.snapshot.level, 1, "4 × 5 = 20 proposes red")
            let found = try await RecordStore<RiskKind>.find(id: first.id, on: app.db)
            XCTAssertEqual(found?.snapshot, first.snapshot)

            // A review lowers it: a numbered action, the row's level follows.
            clock.advance(3_600)
            let review = try RiskLifecycle.apply(.review(assessment: .matrix(likelihood: 2, severity: 4), decision: .lower, note: "通道已清理一半", policy: RiskPolicy()),
                                                 to: first.snapshot, actor: op, at: clock.now(), calendar: calendar)
            let (reviewed, _) = try await RecordStore<RiskKind>.append(review, to: first, place: NoPlace(), calendar: calendar, on: app.db)
            XCTAssertEqual(reviewed.version, 2)
            let sql = app.db as! any SQLDatabase
            let row = try await sql.select().columns("level", "state", "next_deadline_at").from("risks").where("id", .equal, first.id).first()
            XCTAssertEqual(try row?.decode(column: "level", as: Int.self), 3, "2 × 4 = 8 proposes blue")
            XCTAssertEqual(try row?.decode(column: "state", as: String.self), RiskState.reviewed.rawValue)
            let actions = try await RecordStore<RiskKind>.actions(id: first.id, on: app.db)
            XCTAssertEqual(actions.map(\.kind), [.register, .review])

            // The same version written twice: the second writer gets a conflict, nothing of it is kept.
            let again = try RiskLifecycle.apply(.review(assessment: .matrix(likelihood: 2, severity: 4), decision: .keep, note: "仍按红色管控", policy: RiskPolicy()),
                                                to: first.snapshot, actor: op, at: clock.now(), calendar: calendar)
            do {
                _ = try await RecordStore<RiskKind>.append(again, to: first, place: NoPlace(), calendar: calendar, on: app.db)
                XCTFail("a second writer of version 1 must get a conflict")
            } catch is RecordConflict {}
            let afterRace = try await RecordStore<RiskKind>.actions(id: first.id, on: app.db)
            XCTAssertEqual(afterRace.count, 2)

            // Its review falls due and passes: the clock job's supervision is recorded once, however often it runs.
            let due = try XCTUnwrap(reviewed.snapshot.nextReviewDue)
            clock.advance(due.timeIntervalSince(clock.now()) + 3_600)
            var stored = reviewed
            for _ in 0..<3 {
                for step in RiskLifecycle.clockSteps(stored.snapshot, now: clock.now(), calendar: calendar, policy: RiskPolicy()) {
                    stored = try await RecordStore<RiskKind>.append(step, to: stored, place: NoPlace(), calendar: calendar, on: app.db).0
                }
            }
            let raised = try await RecordSupervisions.of(kind: RiskLifecycle.recordKind, recordID: first.id, on: app.db)
            XCTAssertEqual(raised.map(\.reason), [SupervisionReason.lateReview.rawValue])
        }
    }
}
