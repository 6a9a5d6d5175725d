import Foundation
import Testing

@testable import WanggeCore

/// The database keeps both the case row (snapshot) and the actions; replaying the actions must give the row.
@Suite struct CaseReplayTests {
    typealias F = CaseFixture

    /// A long life touching every kind of step that changes the books.
    static func eventfulCase() throws -> CaseFixture.Driver {
        var d = try F.Driver(at: "2026-11-16 09:00")
        try d.apply(.comment("群众来电补充"), by: F.mediator, at: "2026-11-16 09:01")
        try d.apply(.supervise(.leader), by: F.leader, at: "2026-11-16 09:02")
        try d.apply(.accept(), by: F.villageOperator, at: "2026-11-16 09:05")
        try d.apply(.escalate(reason: "需乡镇协调"), by: F.villageOperator, at: "2026-11-16 09:06")
        try d.apply(.dispatch(to: F.police), by: F.townshipOperator, at: "2026-11-16 09:10")
        try d.apply(.return(reason: "非本部门职责"), by: F.policeHandler, at: "2026-11-16 09:20")
        try d.apply(.dispatch(to: F.police), by: F.townshipOperator, at: "2026-11-16 09:30")
        try d.apply(.transfer(to: F.market), by: F.townshipOperator, at: "2026-11-16 10:00")
        for t in ClockJob.run(d.snapshot, now: F.at("2026-11-16 12:30"), calendar: F.calendar) {
            d.snapshot = t.snapshot
            d.records.append(t.record)
        }
        try d.apply(.sign(), by: F.handler, at: "2026-11-16 14:00")
        try d.apply(.requestExtension(.days(2), reason: "需检测"), by: F.handler, at: "2026-11-16 15:00")
        try d.apply(.approveExtension(), by: F.townshipOperator, at: "2026-11-16 15:10")
        try d.apply(.suspend(reason: "等待检测"), by: F.townshipOperator, at: "2026-11-17 09:00")
        try d.apply(.resume(), by: F.townshipOperator, at: "2026-11-18 09:00")
        try d.apply(.requestExtension(.days(1), reason: "再延"), by: F.handler, at: "2026-11-18 10:00")
        try d.apply(.refuseExtension(reason: "不予延期"), by: F.townshipOperator, at: "2026-11-18 10:10")
        try d.apply(.resolve(result: "已处理", attachmentIDs: ["p1", "p2"]), by: F.handler, at: "2026-11-18 11:00")
        try d.apply(.verifyFail(reason: "未到位"), by: F.gridWorker, at: "2026-11-18 14:00")
        try d.apply(.resolve(result: "已整改"), by: F.handler, at: "2026-11-18 16:00")
        try d.apply(.verifyPass(attachmentIDs: ["p3"]), by: F.gridLeader, at: "2026-11-19 09:00")
        try d.apply(.close(), by: F.townshipOperator, at: "2026-11-19 10:00")
        try d.apply(.rate(.unsatisfied, comment: "还有异味"), by: .reporter, at: "2026-11-19 11:00")
        try d.apply(.resolve(result: "彻底清理"), by: F.handler, at: "2026-11-19 15:00")
        try d.apply(.verifyPass(), by: F.gridWorker, at: "2026-11-20 09:00")
        try d.apply(.close(), by: F.townshipOperator, at: "2026-11-20 10:00")
        try d.apply(.feedback("已彻底处理"), by: F.townshipOperator, at: "2026-11-20 10:30")
        try d.apply(.rate(.satisfied), by: .reporter, at: "2026-11-20 12:00")
        return d
    }

    @Test func replayingTheActionsRebuildsTheSnapshotAfterEveryStep() throws {
        let d = try Self.eventfulCase()
        #expect(d.records.count == 28)
        #expect(d.records.contains { $0.kind == .supervise && $0.actor == .system })
        #expect(try CaseSnapshot.replay(d.records) == d.snapshot)
        // and every prefix is the snapshot after that step, as the state machine produced it
        var snapshot = try CaseSnapshot.replay(d.records.prefix(1))
        for (i, record) in d.records.enumerated().dropFirst() {
            let next = try CaseStateMachine.apply(Self.command(replaying: record), to: snapshot, actor: record.actor,
                                                  at: record.at, calendar: F.calendar)
            #expect(next.record == record, "step \(i) \(record.kind.rawValue)")
            snapshot = next.snapshot
            #expect(try CaseSnapshot.replay(d.records.prefix(i + 1)) == snapshot)
        }
        #expect(d.snapshot.state == .closed && d.snapshot.reopened && d.snapshot.reworkCount == 2)
        #expect(d.snapshot.returnCount == 1 && d.snapshot.transferCount == 1 && d.snapshot.escalationCount == 1)
        #expect(d.snapshot.lastRating == .satisfied)
    }

    @Test func snapshotsAndRecordsSurviveJSON() throws {
        let d = try Self.eventfulCase()
        let encoder = JSONEncoder()
        let records = try JSONDecoder().decode([CaseActionRecord].self, from: encoder.encode(d.records))
        #expect(records == d.records)
        let snapshot = try JSONDecoder().decode(CaseSnapshot.self, from: encoder.encode(d.snapshot))
        #expect(snapshot == d.snapshot)
        #expect(try CaseSnapshot.replay(records) == d.snapshot)
        for record in d.records {
            #expect(CaseAssignee(rawValue: record.toAssignee.rawValue) == record.toAssignee)
        }
    }

    @Test func aBrokenHistoryIsRefused() throws {
        let d = try Self.eventfulCase()
        #expect(throws: CaseRuleError.self) { try CaseSnapshot.replay(d.records.dropFirst()) }
        var skipped = d.records
        skipped.remove(at: 3)  // the accept: the escalation then starts from "reported"
        #expect(throws: CaseRuleError.self) { try CaseSnapshot.replay(skipped) }
        #expect(throws: CaseRuleError.self) { try CaseSnapshot.replay([CaseActionRecord]()) }
    }

    /// The command a record came from (for re-running the state machine step by step).
    static func command(replaying r: CaseActionRecord) -> CaseCommand {
        var c = CaseCommand(kind: r.kind, note: r.note, attachmentIDs: r.attachmentIDs)
        if case .department(let code) = r.toAssignee, r.kind == .dispatch || r.kind == .transfer {
            c.department = [F.market, F.police].first { $0.code == code }
        }
        switch r.detail {
        case .extensionRequest(let duration)?: c.extensionDuration = duration
        case .rating(let rating, _)?: c.rating = rating
        case .supervision(let reason)?: c.supervisionReason = reason
        case .mergedInto(let code)?: c.mergeTarget = MergeTarget(code: code, state: .accepted)
        default: break
        }
        return c
    }
}
