import Foundation
import Testing

@testable import WanggeCore

/// The measures of November 2026 over a hand-built history of twelve cases, against numbers worked out by hand.
/// Limits: sign 2 h, resolve 21 h, verify 7 h, so the closure clock is 30 working hours; working days are
/// 08:30–12:00 and 14:00–17:30.
@Suite struct CaseMeasuresTests {
    typealias F = CaseFixture
    typealias Driver = CaseFixture.Driver

    static let op = F.villageOperator

    static func accepted(_ code: String, _ time: String, hasReporter: Bool = true) throws -> Driver {
        var d = try Driver(F.intake(code: code, hasReporter: hasReporter), at: time)
        try d.apply(.accept(), by: op, at: time)
        return d
    }

    /// name → history, each annotated with what it contributes.
    static func histories() throws -> [String: Driver] {
        var result: [String: Driver] = [:]

        // A: all on time. Closure deadline Fri 11-06 11:00. Feedback within a working day. Satisfied.
        var a = try accepted("A", "2026-11-02 09:00")
        try a.apply(.dispatch(to: F.market), by: op, at: "2026-11-02 09:00")
        try a.apply(.sign(), by: F.handler, at: "2026-11-02 10:00")
        try a.apply(.resolve(result: "ok"), by: F.handler, at: "2026-11-03 10:00")
        try a.apply(.verifyPass(), by: F.gridWorker, at: "2026-11-03 14:00")
        try a.apply(.close(), by: op, at: "2026-11-03 15:00")
        try a.apply(.feedback("已处理"), by: op, at: "2026-11-04 09:00")
        try a.apply(.rate(.satisfied), by: .reporter, at: "2026-11-04 10:00")
        result["A"] = a

        // B: signed late (deadline 11:00, signed 14:30), reworked once, feedback late (due Thu 10:00, given 14:00),
        // closed on time (deadline Fri 11-13 11:00), basically satisfied.
        var b = try accepted("B", "2026-11-09 09:00")
        try b.apply(.dispatch(to: F.market), by: op, at: "2026-11-09 09:00")
        try b.apply(.sign(), by: F.handler, at: "2026-11-09 14:30")
        try b.apply(.resolve(result: "ok"), by: F.handler, at: "2026-11-10 09:00")
        try b.apply(.verifyFail(reason: "未到位"), by: F.gridWorker, at: "2026-11-10 10:00")
        try b.apply(.resolve(result: "ok"), by: F.handler, at: "2026-11-10 15:00")
        try b.apply(.verifyPass(), by: F.gridWorker, at: "2026-11-11 09:00")
        try b.apply(.close(), by: op, at: "2026-11-11 10:00")
        try b.apply(.feedback("已处理"), by: op, at: "2026-11-12 14:00")
        try b.apply(.rate(.basicallySatisfied), by: .reporter, at: "2026-11-12 15:00")
        result["B"] = b

        // C: a wrong dispatch returned within its limit (not counted), re-dispatched and signed in time; never
        // resolved, so due (Fri 11-20 11:00) and not completed.
        var c = try accepted("C", "2026-11-16 09:00")
        try c.apply(.dispatch(to: F.police), by: op, at: "2026-11-16 09:00")
        try c.apply(.return(reason: "非本部门"), by: F.policeHandler, at: "2026-11-16 09:30")
        try c.apply(.dispatch(to: F.market), by: op, at: "2026-11-16 10:00")
        try c.apply(.sign(), by: F.handler, at: "2026-11-16 11:00")
        result["C"] = c

        // D: no reporter. Suspended Mon 10:00 – Tue 10:00 (7 working hours) while waiting to be signed: the sign
        // deadline moves from Mon 11:00 to Tue 11:00, so signing at 10:45 is in time. Closure deadline 30 + 7 h
        // from Mon 11-23 09:00 = Mon 11-30 11:00; closed on time.
        var d = try accepted("D", "2026-11-23 09:00", hasReporter: false)
        try d.apply(.dispatch(to: F.market), by: op, at: "2026-11-23 09:00")
        try d.apply(.suspend(reason: "等待"), by: op, at: "2026-11-23 10:00")
        try d.apply(.resume(), by: op, at: "2026-11-24 10:00")
        try d.apply(.sign(), by: F.handler, at: "2026-11-24 10:45")
        try d.apply(.resolve(result: "ok"), by: F.handler, at: "2026-11-24 14:00")
        try d.apply(.verifyPass(), by: F.gridWorker, at: "2026-11-25 09:00")
        try d.apply(.close(), by: op, at: "2026-11-25 09:30")
        result["D"] = d

        // E: accepted then rejected: its closure deadline falls in November, but rejected cases are not due.
        var e = try accepted("E", "2026-11-02 10:00")
        try e.apply(.reject(reason: "不属于受理范围"), by: op, at: "2026-11-02 10:30")
        result["E"] = e

        // F: merged straight away: counts nowhere.
        var f = try Driver(F.intake(code: "F"), at: "2026-11-02 11:00")
        try f.apply(.merge(into: MergeTarget(code: "A", state: .dispatched)), by: op, at: "2026-11-02 11:05")
        result["F"] = f

        // G: closed Tue 11-03 with feedback, rated unsatisfied → reopened, closed again Mon 11-09 11:30 (after the
        // closure deadline Fri 11-06 11:00) with no feedback since; finally rated satisfied.
        var g = try accepted("G", "2026-11-02 09:00")
        try g.apply(.dispatch(to: F.market), by: op, at: "2026-11-02 09:00")
        try g.apply(.sign(), by: F.handler, at: "2026-11-02 09:30")
        try g.apply(.resolve(result: "ok"), by: F.handler, at: "2026-11-02 16:00")
        try g.apply(.verifyPass(), by: F.gridWorker, at: "2026-11-03 09:00")
        try g.apply(.close(), by: op, at: "2026-11-03 09:30")
        try g.apply(.feedback("已处理"), by: op, at: "2026-11-03 10:00")
        try g.apply(.rate(.unsatisfied), by: .reporter, at: "2026-11-03 11:00")
        try g.apply(.resolve(result: "再处理"), by: F.handler, at: "2026-11-09 10:00")
        try g.apply(.verifyPass(), by: F.gridWorker, at: "2026-11-09 11:00")
        try g.apply(.close(), by: op, at: "2026-11-09 11:30")
        try g.apply(.rate(.satisfied), by: .reporter, at: "2026-11-10 09:00")
        result["G"] = g

        // H: dispatched Fri 11-27 09:00 and never signed: late at 11:00. Closure deadline in December.
        var h = try accepted("H", "2026-11-27 09:00")
        try h.apply(.dispatch(to: F.market), by: op, at: "2026-11-27 09:00")
        result["H"] = h

        // I: dispatched Mon 11-30 16:00; its sign deadline is Tue 12-01 09:00, after the period: not decided.
        var i = try accepted("I", "2026-11-30 16:00")
        try i.apply(.dispatch(to: F.market), by: op, at: "2026-11-30 16:00")
        result["I"] = i

        // J: from October (dispatch, sign and first resolve in October); closed Mon 11-02, rated unsatisfied →
        // reopened, closed again Tue 11-03 16:00 after its closure deadline (Tue 11-03 11:00), fed back in time,
        // rated unsatisfied again (no second reopening).
        var j = try accepted("J", "2026-10-28 09:00")
        try j.apply(.dispatch(to: F.market), by: op, at: "2026-10-28 09:00")
        try j.apply(.sign(), by: F.handler, at: "2026-10-28 10:00")
        try j.apply(.resolve(result: "ok"), by: F.handler, at: "2026-10-30 10:00")
        try j.apply(.verifyPass(), by: F.gridWorker, at: "2026-11-02 09:00")
        try j.apply(.close(), by: op, at: "2026-11-02 10:00")
        try j.apply(.feedback("已处理"), by: op, at: "2026-11-02 11:00")
        try j.apply(.rate(.unsatisfied), by: .reporter, at: "2026-11-03 09:00")
        try j.apply(.resolve(result: "再处理"), by: F.handler, at: "2026-11-03 14:00")
        try j.apply(.verifyPass(), by: F.gridWorker, at: "2026-11-03 15:00")
        try j.apply(.close(), by: op, at: "2026-11-03 16:00")
        try j.apply(.feedback("再次处理"), by: op, at: "2026-11-04 09:00")
        try j.apply(.rate(.unsatisfied), by: .reporter, at: "2026-11-04 10:00")
        result["J"] = j

        // K: fixed on the spot by a grid worker (no reporter); closure clock from the report: Mon 11-23 11:00.
        var k = try Driver(F.intake(code: "K", hasReporter: false), at: "2026-11-17 09:00", by: F.gridWorker)
        try k.apply(.selfResolve(result: "已现场处理"), by: F.gridWorker, at: "2026-11-17 09:10")
        try k.apply(.verifyPass(), by: F.gridLeader, at: "2026-11-17 10:00")
        try k.apply(.close(), by: op, at: "2026-11-17 10:30")
        result["K"] = k

        // L: a 2-day extension moves the closure deadline from Fri 11-20 11:00 to Tue 11-24 11:00; closed Tue
        // 10:00, in time; fed back in time; not rated.
        var l = try accepted("L", "2026-11-16 09:00")
        try l.apply(.dispatch(to: F.market), by: op, at: "2026-11-16 09:00")
        try l.apply(.sign(), by: F.handler, at: "2026-11-16 09:30")
        try l.apply(.requestExtension(.days(2), reason: "需检测"), by: F.handler, at: "2026-11-18 10:00")
        try l.apply(.approveExtension(), by: op, at: "2026-11-18 10:30")
        try l.apply(.resolve(result: "ok"), by: F.handler, at: "2026-11-23 10:00")
        try l.apply(.verifyPass(), by: F.gridWorker, at: "2026-11-23 15:00")
        try l.apply(.close(), by: op, at: "2026-11-24 10:00")
        try l.apply(.feedback("已处理"), by: op, at: "2026-11-24 10:30")
        result["L"] = l
        return result
    }

    static let november = DateInterval(start: F.at("2026-11-01 00:00"), end: F.at("2026-12-01 00:00"))

    @Test func novemberMatchesTheHandCount() throws {
        let cases = try Self.histories().values.map(\.history)
        let report = Measures.compute(cases: cases, period: Self.november, calendar: F.calendar)
        func parts(_ kind: MeasureKind) -> [Int] { [report[kind].numerator, report[kind].denominator] }
        // dispatches decided in November: A ✓, B ✗, C ✓ (its returned dispatch not counted), D ✓, G ✓, H ✗, L ✓
        #expect(parts(.instantResponse) == [5, 7])
        // closed in November with a reporter: A ✓, B ✗, G ✗ (its last closing had no feedback), J ✓, L ✓
        #expect(parts(.timelyFeedback) == [3, 5])
        // due in November: A, B, C, D, G, J, K, L (E rejected, F merged, H and I due in December)
        #expect(parts(.effectiveCompletion) == [7, 8])  // all but C
        #expect(parts(.onTimeClosure) == [5, 8])  // not C, G, J
        // first resolved in November: A, B, D, G, K, L; reworked: B (verification), G (reopened)
        #expect(parts(.rework) == [2, 6])
        // rated in November: A satisfied, B basically, G finally satisfied, J finally unsatisfied
        #expect(parts(.satisfaction) == [3, 4])
        #expect(report[.onTimeClosure].rate == 0.625)
    }

    @Test func theMeasuresClosureDeadlineIsTheStateMachines() throws {
        for (name, d) in try Self.histories() {
            let measured = Measures.closureDeadline(of: d.history, asOf: Self.november.end, calendar: F.calendar)
            #expect(measured == d.snapshot.deadlines.closure, "case \(name)")
        }
        let expected = ["A": "2026-11-06 11:00", "D": "2026-11-30 11:00", "J": "2026-11-03 11:00",
                        "K": "2026-11-23 11:00", "L": "2026-11-24 11:00"]
        let all = try Self.histories()
        for (name, time) in expected { #expect(all[name]?.snapshot.deadlines.closure == F.at(time), "case \(name)") }
    }

    @Test func undecidedThingsAreLeftOutAndAnEmptyMeasureHasNoRate() throws {
        let all = try Self.histories()
        // As of Friday 11-27 10:00, H's dispatch (due 11:00) is still in time: not counted yet.
        let early = Measures.compute(cases: [all["H"]!.history], period: Self.november, asOf: F.at("2026-11-27 10:00"),
                                     calendar: F.calendar)
        #expect(early[.instantResponse].denominator == 0)
        #expect(early[.instantResponse].rate == nil)
        let later = Measures.compute(cases: [all["H"]!.history], period: Self.november, asOf: F.at("2026-11-27 11:01"),
                                     calendar: F.calendar)
        #expect(later[.instantResponse] == Measure(numerator: 0, denominator: 1))
        // A's feedback window: closed Tue 15:00, looked at on Tue 16:00 without feedback yet → not counted.
        var a = try Driver(F.intake(code: "A2"), at: "2026-11-02 09:00")
        for (command, actor, time) in [
            (CaseCommand.accept(), Self.op, "2026-11-02 09:00"), (.dispatch(to: F.market), Self.op, "2026-11-02 09:00"),
            (.sign(), F.handler, "2026-11-02 10:00"), (.resolve(result: "ok"), F.handler, "2026-11-03 10:00"),
            (.verifyPass(), F.gridWorker, "2026-11-03 14:00"), (.close(), Self.op, "2026-11-03 15:00"),
        ] { try a.apply(command, by: actor, at: time) }
        let pending = Measures.compute(cases: [a.history], period: Self.november, asOf: F.at("2026-11-03 16:00"),
                                       calendar: F.calendar)
        #expect(pending[.timelyFeedback].denominator == 0)
        let missed = Measures.compute(cases: [a.history], period: Self.november, asOf: F.at("2026-11-04 15:01"),
                                      calendar: F.calendar)
        #expect(missed[.timelyFeedback] == Measure(numerator: 0, denominator: 1))
    }

    @Test func everyMeasureHasADefinition() {
        for kind in MeasureKind.allCases {
            #expect(!kind.definitionZH.isEmpty && !kind.definitionEN.isEmpty && !kind.nameZH.isEmpty)
        }
    }
}
