import Foundation
import Testing

@testable import WanggeCore

/// The review cadence: calendar time (a weekend or a holiday does not postpone a review), a heightened period over
/// a weekend that tightens the reviews of the areas it covers, and the clock job, which reschedules once and
/// supervises a late review exactly once per review stage however often it runs.
@Suite("Risk review cadence")
struct RiskCadenceTests {
    typealias F = RiskFixture
    let village = "C/C01/C01001/"
    /// Friday 18:00 to Monday 08:00 over township C01 (2026-11-20 is a Friday).
    let weekend = HeightenedPeriod(name: "周末安保", start: RiskFixture.at("2026-11-20 18:00"), end: RiskFixture.at("2026-11-23 08:00"), areaCodes: ["C01"])
    var heightened: RiskPolicy { RiskPolicy(heightenedPeriods: [weekend]) }

    func next(_ policy: RiskPolicy, after last: String, level: Int, path: String? = nil) -> Date {
        policy.nextReview(after: F.at(last), level: level, areaPath: path ?? village, calendar: F.calendar)
    }

    @Test func theCadenceCountsCalendarTimeSoAWeekendOrHolidayDoesNotPostponeAReview() {
        let normal = RiskPolicy()
        #expect(next(normal, after: "2026-11-20 10:00", level: 1) == F.at("2026-11-21 10:00"), "red: Saturday, not Monday")
        #expect(!F.calendar.isWorkday(F.calendar.civilDate(of: next(normal, after: "2026-11-20 10:00", level: 1))))
        #expect(next(normal, after: "2026-11-20 10:00", level: 2) == F.at("2026-11-27 10:00"))
        #expect(next(normal, after: "2026-11-20 10:00", level: 3) == F.at("2026-11-27 10:00"))
        #expect(next(normal, after: "2026-11-20 10:00", level: 4) == F.at("2026-12-20 10:00"))
        #expect(next(normal, after: "2026-09-30 10:00", level: 1) == F.at("2026-10-01 10:00"), "National Day is no day off for a red hazard")
    }

    @Test func aHeightenedPeriodAcrossAWeekendTightensTheReviewsOfTheAreasItCovers() {
        // Red twice a day inside the period, from the last review…
        #expect(next(heightened, after: "2026-11-21 08:00", level: 1) == F.at("2026-11-21 20:00"))
        #expect(next(heightened, after: "2026-11-22 19:00", level: 1) == F.at("2026-11-23 07:00"))
        // …but a review the period would ask for after it ends is not asked for: back to daily.
        #expect(next(heightened, after: "2026-11-22 21:00", level: 1) == F.at("2026-11-23 21:00"))
        // Orange reviewed on Friday morning: daily from the period's start, not weekly from the review.
        #expect(next(heightened, after: "2026-11-20 10:00", level: 2) == F.at("2026-11-21 18:00"))
        // Blue and green have no heightened cadence; another township is not covered.
        #expect(next(heightened, after: "2026-11-20 10:00", level: 3) == F.at("2026-11-27 10:00"))
        #expect(next(heightened, after: "2026-11-21 08:00", level: 1, path: "C/C02/C02001/") == F.at("2026-11-22 08:00"))
        #expect(heightened.heightenedPeriods(at: F.at("2026-11-22 12:00"), areaPath: village).map(\.name) == ["周末安保"])
        #expect(heightened.heightenedPeriods(at: F.at("2026-11-23 08:00"), areaPath: village).isEmpty, "the end is not in the period")
    }

    @Test func theClockJobReschedulesForAHeightenedWeekendAndSupervisesEachLateReviewExactlyOnce() throws {
        var life = try F.registered(when: "2026-11-20 10:00")
        #expect(life.snapshot.level == 2 && life.snapshot.nextReviewDue == F.at("2026-11-27 10:00"))
        var raised: [SupervisionRaise] = []
        func job(_ when: String) throws -> [RiskActionKind] {
            let steps = RiskLifecycle.clockSteps(life.snapshot, now: F.at(when), calendar: F.calendar, policy: heightened)
            for step in steps {
                try life.take(step)
                raised += SupervisionRaise(step).map { [$0] } ?? []
            }
            return steps.map(\.record.kind)
        }
        // The period is announced: the next review moves to a day after it starts, once.
        #expect(try job("2026-11-20 17:00") == [.reschedule])
        #expect(life.snapshot.nextReviewDue == F.at("2026-11-21 18:00") && life.records.last?.note == "周末安保")
        #expect(try job("2026-11-20 17:30") == [])
        #expect(try job("2026-11-21 18:00") == [], "due is not late")
        #expect(RiskLifecycle.clockStatus(of: life.snapshot, at: F.at("2026-11-21 18:00"), calendar: F.calendar)?.colour != .red)
        // One minute late on Saturday: the clock is red and the job supervises, once.
        #expect(RiskLifecycle.clockStatus(of: life.snapshot, at: F.at("2026-11-21 18:01"), calendar: F.calendar)?.colour == .red)
        #expect(try job("2026-11-21 18:01") == [.supervise])
        #expect(try job("2026-11-21 18:30") == [])
        #expect(try job("2026-11-21 18:45") == [])
        #expect(RiskLifecycle.due(life.snapshot, now: F.at("2026-11-21 18:45"), calendar: F.calendar, policy: heightened).isEmpty, "the snapshot records what was done")
        #expect(RiskLifecycle.due(life.snapshot, now: F.at("2026-11-21 18:45"), calendar: F.calendar).isEmpty, "the policy-free job agrees")
        try #require(raised.count == 1)
        #expect(raised[0].reason == .lateReview && raised[0].by == nil)
        #expect(raised[0].stageKey == SupervisionRaise.stageKey(state: "review", since: F.at("2026-11-20 10:00")))
        // The late review, done on Saturday evening, opens a new stage: due on Sunday evening, inside the period.
        try life.act(F.review(3, 3, .keep, policy: heightened), by: F.op, "2026-11-21 19:00")
        #expect(life.snapshot.nextReviewDue == F.at("2026-11-22 19:00"))
        #expect(try job("2026-11-22 19:00") == [])
        #expect(try job("2026-11-22 19:01") == [.supervise], "the next stage is supervised when it is late in its turn")
        #expect(try job("2026-11-22 20:00") == [])
        // A review on Sunday night would next fall due after the period ends: the weekly cadence resumes.
        try life.act(F.review(3, 3, .keep, policy: heightened), by: F.op, "2026-11-22 21:00")
        #expect(life.snapshot.nextReviewDue == F.at("2026-11-29 21:00"))
        #expect(try job("2026-11-23 09:00") == [])
        #expect(raised.count == 2 && Set(raised.map(\.stageKey)).count == 2)
    }

    @Test func aRedRiskRegisteredOnAHeightenedSaturdayIsDueThatEvening() throws {
        let red = F.registration(.matrix(likelihood: 5, severity: 4))
        let life = try F.registered(red, policy: heightened, when: "2026-11-21 08:00")
        #expect(life.snapshot.level == 1 && life.snapshot.nextReviewDue == F.at("2026-11-21 20:00"))
        #expect(RiskLifecycle.clockSteps(life.snapshot, now: F.at("2026-11-21 19:59"), calendar: F.calendar, policy: heightened).isEmpty)
        #expect(RiskLifecycle.clockSteps(life.snapshot, now: F.at("2026-11-21 20:01"), calendar: F.calendar, policy: heightened).map(\.record.kind) == [.supervise])
        // When the period is called off, the job puts the review back to daily and it is not late yet.
        #expect(RiskLifecycle.clockSteps(life.snapshot, now: F.at("2026-11-21 20:01"), calendar: F.calendar, policy: RiskPolicy()).map(\.record.kind) == [.reschedule])
    }

    @Test func onlyTheClockJobReschedulesOnlyWhenSomethingMovesAndALeaderMaySuperviseAnyTime() throws {
        var life = try F.registered(when: "2026-11-20 10:00")
        func refusal(_ c: RiskCommand, by actor: RecordActor, _ when: String) -> RiskRuleError? {
            do { _ = try RiskLifecycle.apply(c, to: life.snapshot, actor: actor, at: F.at(when), calendar: F.calendar); return nil } catch { return error }
        }
        #expect(refusal(.reschedule(policy: RiskPolicy()), by: .system, "2026-11-20 11:00") == .notDue)
        #expect(refusal(.reschedule(policy: heightened), by: F.op, "2026-11-20 11:00")?.refusal == .notAllowed(allowed: ["review", "plan", "link_cases", "archive"]))
        #expect(refusal(.supervise(.lateReview, note: nil), by: .system, "2026-11-27 10:00") == .notDue, "due, not late")
        try life.act(.supervise(.leader, note: "请尽快研判"), by: F.leader, "2026-11-20 12:00")
        try life.act(.supervise(.leader, note: "再次督办"), by: F.leader, "2026-11-20 13:00")
        let keys = life.steps.compactMap { SupervisionRaise($0) }.map(\.stageKey)
        #expect(keys == ["2", "3"], "each leader's push is its own")
        #expect(life.steps.compactMap { SupervisionRaise($0) }.allSatisfy { $0.reason == .leader && $0.by == "lead" })
        // A cleared risk has no clock and nothing is due.
        var cleared = try F.active()
        try cleared.act(F.review(1, 1, .clear), by: F.op, "2026-11-17 09:00")
        try cleared.act(.clear(note: nil), by: F.leader, "2026-11-17 10:00")
        #expect(RiskLifecycle.clockSteps(cleared.snapshot, now: F.at("2027-01-01 00:00"), calendar: F.calendar, policy: heightened).isEmpty)
        #expect(RiskLifecycle.clockSteps(cleared.snapshot, now: F.at("2027-01-01 00:00"), calendar: F.calendar).isEmpty)
    }
}
