import Foundation
import Testing

@testable import WanggeCore

/// The clock job raises each supervision once per stage and escalates once per level, however often it runs.
@Suite struct CaseClockJobTests {
    typealias F = CaseFixture

    /// Runs the job `times` times, `step` apart from `start`, applying what it returns; `between` may act on the
    /// case after each run (a person doing their work).
    func runJob(_ d: inout CaseFixture.Driver, from start: String, times: Int, step: TimeInterval,
                between: (inout CaseFixture.Driver, Date) throws -> Void = { _, _ in }) throws {
        var now = F.at(start)
        for _ in 0..<times {
            for t in ClockJob.run(d.snapshot, now: now, calendar: F.calendar) {
                d.snapshot = t.snapshot
                d.records.append(t.record)
            }
            try between(&d, now)
            now += step
        }
    }

    func supervisions(_ d: CaseFixture.Driver) -> [SupervisionReason] {
        d.records.compactMap { if case .supervision(let r)? = $0.detail { r } else { nil } }
    }

    @Test func unsignedWorkIsSupervisedOnceThenEscalatedOncePerLevel() throws {
        var d = try F.Driver(at: "2026-11-16 08:30")
        try d.apply(.accept(), by: F.villageOperator, at: "2026-11-16 08:30")
        try d.apply(.dispatch(to: F.market), by: F.villageOperator, at: "2026-11-16 09:00")  // sign by 11:00
        // 50 runs, hourly from Monday 09:00 to Wednesday 10:00; the township re-dispatches what reaches it.
        try runJob(&d, from: "2026-11-16 09:00", times: 50, step: 3600) { d, now in
            if d.snapshot.state == .accepted, d.snapshot.centre == F.township {
                try d.apply(.dispatch(to: F.police), by: F.townshipOperator, at: now)
            }
        }
        #expect(supervisions(d) == [.unsignedLate, .unsignedLate])
        let kinds = F.kinds(d.records).filter { $0 == .supervise || $0 == .autoEscalate || $0 == .dispatch }
        #expect(kinds == [.dispatch, .supervise, .autoEscalate, .dispatch, .supervise, .autoEscalate])
        // The first supervision at the first run after 11:00, the escalation at the first run after 11:00 + 4
        // working hours (= 17:00).
        let supervise = try #require(d.records.first { $0.kind == .supervise })
        #expect(supervise.at == F.at("2026-11-16 12:00"))
        #expect(supervise.actor == .system && supervise.toState == .dispatched)
        let escalate = try #require(d.records.first { $0.kind == .autoEscalate })
        #expect(escalate.at == F.at("2026-11-16 18:00"))
        #expect(escalate.toAssignee == .centre(F.township))
        #expect(d.snapshot.centre == F.county)
        #expect(d.snapshot.state == .accepted)
        #expect(d.snapshot.autoEscalatedFrom == ["C01001", "C01"])
        // once at the county, nothing more however long it waits
        #expect(ClockJob.evaluate(d.snapshot, now: F.at("2026-12-31 10:00"), calendar: F.calendar).isEmpty)
    }

    @Test func lateResolutionIsSupervisedExactlyOnce() throws {
        var d = try F.driver(in: .signed)  // signed Monday 09:15, resolve by Thursday 09:15
        try runJob(&d, from: "2026-11-16 10:00", times: 50, step: 4 * 3600)
        #expect(supervisions(d) == [.resolveLate])
        #expect(d.snapshot.state == .signed)
        let raised = try #require(d.records.first { $0.kind == .supervise })
        #expect(raised.at == F.at("2026-11-19 10:00"))
        #expect(throws: CaseRuleError.self) {
            try CaseStateMachine.apply(.supervise(.resolveLate), to: d.snapshot, actor: .system,
                                       at: F.at("2026-11-30 10:00"), calendar: F.calendar)
        }
    }

    @Test func aNewStageMayBeSupervisedAgainAndLeadersAreNotCounted() throws {
        var d = try F.driver(in: .dispatched)
        try d.apply(.supervise(.leader, note: "请尽快签收"), by: F.leader, at: "2026-11-16 09:30")
        try runJob(&d, from: "2026-11-16 12:00", times: 3, step: 600)
        try d.apply(.sign(), by: F.handler, at: "2026-11-16 14:00")
        try runJob(&d, from: "2026-11-20 10:00", times: 3, step: 600)
        #expect(supervisions(d) == [.leader, .unsignedLate, .resolveLate])
        #expect(d.snapshot.supervisionCount == 3)
    }

    @Test func theEscalationDelayIsConfigurable() throws {
        let d = try F.driver(in: .dispatched)  // sign by 11:10
        let policy = ClockPolicy(autoEscalateAfter: .days(1))
        #expect(ClockJob.evaluate(d.snapshot, now: F.at("2026-11-17 11:10"), calendar: F.calendar, policy: policy)
                    == [.supervise(.unsignedLate)])
        #expect(ClockJob.evaluate(d.snapshot, now: F.at("2026-11-17 11:11"), calendar: F.calendar, policy: policy)
                    == [.supervise(.unsignedLate), .autoEscalate])
        #expect(ClockJob.evaluate(d.snapshot, now: F.at("2026-11-16 11:10"), calendar: F.calendar).isEmpty)
    }
}
