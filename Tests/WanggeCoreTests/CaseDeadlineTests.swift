import Foundation
import Testing

@testable import WanggeCore

/// Deadlines on the working calendar (08:30–12:00, 14:00–17:30; 2026 holidays), worked out by hand.
@Suite struct CaseDeadlineTests {
    typealias F = CaseFixture

    /// A case accepted and dispatched at `time`.
    func dispatched(at time: String) throws -> CaseFixture.Driver {
        var d = try F.Driver(at: time)
        try d.apply(.accept(), by: F.villageOperator, at: time)
        try d.apply(.dispatch(to: F.market), by: F.villageOperator, at: time)
        return d
    }

    @Test func theSignDeadlineRunsOverTheWeekend() throws {
        // Friday 16:00 + 2 h: 1.5 h on Friday, 0.5 h on Monday morning.
        let d = try dispatched(at: "2026-11-20 16:00")
        #expect(d.snapshot.deadlines.sign == F.at("2026-11-23 09:00"))
        // closure: 30 working hours from Friday 16:00 = Fri 1.5 + Mon–Wed 21 + Thu 7 → Friday 11-27 08:30 + 0.5 h
        #expect(d.snapshot.deadlines.closure == F.at("2026-11-27 09:00"))
    }

    @Test func theResolveDeadlineSkipsTheNationalDayHolidayAndUsesTheMakeUpSaturday() throws {
        // Signed Wednesday 09-30 10:00: 5.5 h that day, 10-01..07 off, Thu 10-08 7 h, Fri 10-09 7 h,
        // Saturday 10-10 is a make-up workday: the last 1.5 h end at 10:00.
        var d = try dispatched(at: "2026-09-30 09:00")
        try d.apply(.sign(), by: F.handler, at: "2026-09-30 10:00")
        #expect(d.snapshot.deadlines.resolve == F.at("2026-10-10 10:00"))
        // resolved on 10-10 at 17:00: verify 7 h = 0.5 h on Saturday, Sunday off, Monday 10-12 until 17:00
        try d.apply(.resolve(result: "已处理"), by: F.handler, at: "2026-10-10 17:00")
        #expect(d.snapshot.deadlines.verify == F.at("2026-10-12 17:00"))
    }

    @Test func theMakeUpSundayCounts() throws {
        // Friday 09-18 17:00 + 2 h: 0.5 h on Friday, Saturday off, Sunday 09-20 is a make-up workday.
        let d = try dispatched(at: "2026-09-18 17:00")
        #expect(d.snapshot.deadlines.sign == F.at("2026-09-20 10:00"))
    }

    @Test func aSuspensionMovesTheRunningDeadlineAndTheClosureByItsWorkingTime() throws {
        var d = try F.Driver(at: "2026-11-16 09:00")
        try d.apply(.accept(), by: F.villageOperator, at: "2026-11-16 09:00")
        #expect(d.snapshot.deadlines.closure == F.at("2026-11-20 11:00"))
        try d.apply(.dispatch(to: F.market), by: F.villageOperator, at: "2026-11-16 09:00")
        try d.apply(.sign(), by: F.handler, at: "2026-11-16 09:00")
        // 21 h from Monday 09:00: Mon 6.5, Tue 7, Wed 7, Thu 0.5 → Thursday 09:00
        #expect(d.snapshot.deadlines.resolve == F.at("2026-11-19 09:00"))
        try d.apply(.suspend(reason: "等待检测结果"), by: F.villageOperator, at: "2026-11-17 14:00")
        // paused: the clock stands at Tuesday 14:00 whenever we look
        let paused = try #require(CaseClock.status(of: d.snapshot, at: F.at("2026-11-25 10:00"), calendar: F.calendar))
        #expect(paused.isPaused && paused.colour == .green)
        #expect(paused.usedFraction == 10.0 / 21.0)  // Mon 6.5 h + Tue 3.5 h
        try d.apply(.resume(), by: F.villageOperator, at: "2026-11-18 14:00")
        // suspended Tue 14:00–17:30 and Wed 08:30–12:00: 7 working hours; Thursday 09:00 + 7 h = Friday 09:00
        #expect(d.snapshot.deadlines.resolve == F.at("2026-11-20 09:00"))
        #expect(d.snapshot.deadlines.closure == F.at("2026-11-23 11:00"))
        #expect(d.snapshot.deadlines.sign == F.at("2026-11-16 11:00"))  // a finished stage keeps its deadline
        let running = try #require(CaseClock.status(of: d.snapshot, at: F.at("2026-11-18 14:00"), calendar: F.calendar))
        #expect(running.usedFraction == 10.0 / 21.0)
        #expect(running.deadline == F.at("2026-11-20 09:00"))
    }

    @Test func aSuspensionOverAWeekendOnlyMovesNothing() throws {
        var d = try dispatched(at: "2026-11-20 16:00")
        try d.apply(.suspend(reason: "x"), by: F.villageOperator, at: "2026-11-20 17:45")
        let r = try d.apply(.resume(), by: F.villageOperator, at: "2026-11-23 08:00")
        #expect(r.deadlines == nil)
        #expect(d.snapshot.deadlines.sign == F.at("2026-11-23 09:00"))
    }

    @Test func clockColoursAtEightyAndAHundredPercent() throws {
        let d = try dispatched(at: "2026-11-16 09:00")  // sign deadline 11:00
        func colour(_ time: String) -> ClockColour? {
            CaseClock.status(of: d.snapshot, at: F.at(time), calendar: F.calendar)?.colour
        }
        #expect(colour("2026-11-16 10:30") == .green)  // 75 %
        #expect(colour("2026-11-16 10:35") == .green)  // 79.2 %
        #expect(colour("2026-11-16 10:36") == .yellow)  // 80 %
        #expect(colour("2026-11-16 11:00") == .yellow)  // 100 %, not past
        #expect(colour("2026-11-16 11:00:01") == .red)
        let status = try #require(CaseClock.status(of: d.snapshot, at: F.at("2026-11-16 12:00"), calendar: F.calendar))
        #expect(status.stage == .sign && status.usedFraction == 1.5)
    }

    @Test func aDeadlinePassedOnFridayIsRedOverTheWeekend() throws {
        let late = try dispatched(at: "2026-11-20 15:30")  // deadline Friday 17:30
        let saturday = try #require(CaseClock.status(of: late.snapshot, at: F.at("2026-11-21 10:00"), calendar: F.calendar))
        #expect(saturday.colour == .red && saturday.usedFraction == 1)
        let early = try dispatched(at: "2026-11-20 16:00")  // deadline Monday 09:00
        let status = try #require(CaseClock.status(of: early.snapshot, at: F.at("2026-11-21 10:00"), calendar: F.calendar))
        #expect(status.colour == .green && status.usedFraction == 0.75)
    }

    @Test func acceptedAndVerifiedCasesShowTheClosureClockAndReportedOnesNone() throws {
        let accepted = try F.driver(in: .accepted)
        let status = try #require(CaseClock.status(of: accepted.snapshot, at: F.at("2026-11-20 10:00"), calendar: F.calendar))
        #expect(status.stage == .closure && status.colour == .yellow)  // 28 h 55 min of 30 h since Monday 09:05
        #expect(CaseClock.status(of: try F.driver(in: .reported).snapshot, at: F.at("2026-11-20 10:00"),
                                 calendar: F.calendar) == nil)
        #expect(CaseClock.status(of: try F.driver(in: .closed).snapshot, at: F.at("2026-11-20 10:00"),
                                 calendar: F.calendar) == nil)
    }
}
