import Foundation
import Testing

@testable import WanggeCore

/// A second kind of record, made up for the test, with its own state table — the way mediation cases and risk
/// entries use the lifecycle pieces: a ticket is opened, taken (a one-working-day clock starts), finished; the
/// clock job reminds once per stage when it is late, and a reminder raises a supervision keyed by the stage.
enum Ticket: Lifecycle {
    enum State: String, Hashable, Sendable, Codable { case open, taken, done }
    enum Kind: String, Hashable, Sendable, Codable { case open, take, finish, remind }
    struct Record: Hashable, Sendable, Codable {
        var kind: Kind
        var at: Date
        var from: State?
        var to: State
        var by: String
        /// The deadline the action sets (a record carries what it decided, so replay needs no calendar).
        var due: Date? = nil
    }
    struct Snapshot: Hashable, Sendable {
        var state: State
        var openedAt: Date
        var takenAt: Date?
        var due: Date?
        var remindedStage: Date?
        var actions: Int
    }
    enum Command: Sendable { case take, finish, remind }
    enum RuleError: RefusalError, Equatable {
        case brokenHistory(String), notAllowed(Kind, State)
        var refusal: Refusal { if case .brokenHistory = self { .brokenHistory } else { .notAllowed(allowed: []) } }
        var description: String {
            switch self {
            case .brokenHistory(let why): "broken ticket history: \(why)"
            case let .notAllowed(kind, state): "\(kind.rawValue) is not allowed on a \(state.rawValue) ticket"
            }
        }
    }

    static let recordKind = "ticket"
    static let system = "system"

    static func start(_ first: Record) throws(RuleError) -> Snapshot {
        guard first.kind == .open, first.from == nil, first.to == .open else { throw .brokenHistory("a ticket starts open") }
        return Snapshot(state: .open, openedAt: first.at, actions: 1)
    }

    static func applying(_ r: Record, to s: Snapshot) throws(RuleError) -> Snapshot {
        guard r.kind != .open, r.from == s.state else { throw .brokenHistory("\(r.kind) from \(String(describing: r.from)) on \(s.state)") }
        var n = s
        n.state = r.to
        n.actions += 1
        switch r.kind {
        case .take: n.takenAt = r.at; n.due = r.due
        case .remind: n.remindedStage = s.takenAt
        case .finish, .open: break
        }
        return n
    }

    static func apply(_ command: Command, to s: Snapshot, actor: String, at: Date,
                      calendar: WorkingCalendar) throws(RuleError) -> LifecycleStep<Ticket> {
        let record: Record
        switch (command, s.state) {
        case (.take, .open): record = Record(kind: .take, at: at, from: .open, to: .taken, by: actor, due: calendar.adding(.days(1), to: at))
        case (.finish, .taken): record = Record(kind: .finish, at: at, from: .taken, to: .done, by: actor)
        case (.remind, .taken) where actor == system && s.remindedStage != s.takenAt:
            record = Record(kind: .remind, at: at, from: .taken, to: .taken, by: actor)
        case (.take, _): throw .notAllowed(.take, s.state)
        case (.finish, _): throw .notAllowed(.finish, s.state)
        case (.remind, _): throw .notAllowed(.remind, s.state)
        }
        return LifecycleStep(snapshot: try applying(record, to: s), record: record)
    }

    static func clock(of s: Snapshot) -> RunningClock? {
        guard s.state == .taken, let start = s.takenAt, let due = s.due else { return nil }
        return RunningClock(start: start, deadline: due)
    }

    static func due(_ s: Snapshot, now: Date, calendar: WorkingCalendar) -> [Command] {
        guard let c = clock(of: s), c.status(at: now, calendar: calendar).colour == .red, s.remindedStage != s.takenAt else { return [] }
        return [.remind]
    }

    static func supervision(raisedBy step: LifecycleStep<Ticket>) -> SupervisionRaise? {
        guard step.record.kind == .remind, let since = step.snapshot.takenAt else { return nil }
        return SupervisionRaise(reason: .resolveLate, stageKey: SupervisionRaise.stageKey(state: step.snapshot.state.rawValue, since: since),
                                at: step.record.at, by: nil, note: nil)
    }
}

@Suite("Lifecycle pieces")
struct LifecycleTests {
    let calendar = CalendarFixture.calendar
    func at(_ text: String) -> Date { CalendarFixture.instant(text) }

    func opened(_ text: String) -> (Ticket.Snapshot, [Ticket.Record]) {
        let first = Ticket.Record(kind: .open, at: at(text), from: nil, to: .open, by: "resident")
        return (try! Ticket.start(first), [first])
    }

    @Test func replayRebuildsEverySnapshotAndRefusesABrokenHistory() throws {
        var (s, records) = opened("2026-11-16 09:00")
        for (command, when) in [(Ticket.Command.take, "2026-11-16 10:00"), (.finish, "2026-11-17 11:00")] {
            let step = try Ticket.apply(command, to: s, actor: "worker", at: at(when), calendar: calendar)
            s = step.snapshot
            records.append(step.record)
            #expect(try Ticket.replay(records) == s)
        }
        #expect(s.state == .done && s.actions == 3)
        #expect(throws: Ticket.RuleError.self) { try Ticket.replay([records[0], records[2]]) }
        #expect(throws: Ticket.RuleError.self) { try Ticket.replay(Array(records.dropFirst())) }
        #expect(try Ticket.replay([Ticket.Record]()) == nil)
        #expect(throws: Ticket.RuleError.notAllowed(.finish, .open)) {
            try Ticket.apply(.finish, to: opened("2026-11-16 09:00").0, actor: "worker", at: at("2026-11-16 09:30"), calendar: calendar)
        }
    }

    @Test func theClockJobRemindsOncePerLateStageAndTheReminderIsSupervisedByStage() throws {
        let (s0, _) = opened("2026-11-16 09:00")
        let taken = try Ticket.apply(.take, to: s0, actor: "worker", at: at("2026-11-16 09:00"), calendar: calendar).snapshot
        // One working day (7 h) from Monday 09:00 is due Tuesday 09:00: nothing before, a reminder after.
        #expect(Ticket.clockSteps(taken, now: at("2026-11-16 17:00"), calendar: calendar).isEmpty)
        let steps = Ticket.clockSteps(taken, now: at("2026-11-17 09:30"), calendar: calendar)
        #expect(steps.map(\.record.kind) == [.remind])
        let reminded = try #require(steps.last).snapshot
        #expect(Ticket.clockSteps(reminded, now: at("2026-11-20 09:30"), calendar: calendar).isEmpty, "once per stage, however often the job runs")
        let first = try #require(steps.first)
        let raise = try #require(SupervisionRaise(first))
        #expect(raise.stageKey == SupervisionRaise.stageKey(state: "taken", since: at("2026-11-16 09:00")) && raise.by == nil)
        let finished = try Ticket.apply(.finish, to: reminded, actor: "worker", at: at("2026-11-20 10:00"), calendar: calendar)
        #expect(SupervisionRaise(finished) == nil)
        #expect(Ticket.clockStatus(of: finished.snapshot, at: at("2026-11-20 10:00"), calendar: calendar) == nil, "no clock once done")
    }

    @Test func theClockTurnsYellowAtEightyPercentAndRedPastTheDeadlineAndItsThresholdsAgree() {
        // Monday 09:00 to Tuesday 09:00 is 7 working hours: yellow from 5 h 36 min used (Monday 15:06 with the
        // 12:00–13:30 lunch break of the fixture's hours… whatever the hours, the thresholds must agree).
        let clock = RunningClock(start: at("2026-11-16 09:00"), deadline: at("2026-11-17 09:00"))
        let t = clock.thresholds(calendar: calendar)
        #expect(t.pausedColour == nil && t.deadline == clock.deadline)
        for offset in stride(from: -7_200.0, through: 7_200, by: 60) {
            for pivot in [t.yellowAt, t.deadline] {
                let now = pivot.addingTimeInterval(offset)
                guard now >= clock.start else { continue }
                #expect(t.colour(at: now) == clock.status(at: now, calendar: calendar).colour, "at \(now)")
            }
        }
        #expect(clock.status(at: at("2026-11-16 09:00"), calendar: calendar).colour == .green)
        #expect(clock.status(at: at("2026-11-17 09:01"), calendar: calendar).colour == .red)
        // Paused at 80 %+: stands yellow however late it gets, and its thresholds say so.
        var paused = clock
        paused.pausedSince = t.yellowAt.addingTimeInterval(60)
        #expect(paused.status(at: at("2026-11-30 09:00"), calendar: calendar).colour == .yellow)
        #expect(paused.thresholds(calendar: calendar).colour(at: at("2026-11-30 09:00")) == .yellow)
        // A suspension moves the thresholds by its working time.
        var suspended = clock
        suspended.suspensions = [DateInterval(start: at("2026-11-16 09:00"), end: at("2026-11-16 10:00"))]
        suspended.deadline = at("2026-11-17 10:00")
        #expect(suspended.thresholds(calendar: calendar).yellowAt > t.yellowAt)
    }

    @Test func aCalendarTimeClockTurnsYellowAtEightyPercentOfItsHoursEvenAtAWeekend() {
        // Saturday 00:00 to 12:00: no working time at all, so a working-time clock is yellow from its start; in
        // calendar time it is green until 09:36 (80 % of 12 h), yellow until noon, red after.
        let working = RunningClock(start: at("2026-11-21 00:00"), deadline: at("2026-11-21 12:00"))
        #expect(working.status(at: at("2026-11-21 01:00"), calendar: calendar).colour == .yellow)
        let clock = RunningClock(start: at("2026-11-21 00:00"), deadline: at("2026-11-21 12:00"), basis: .calendarTime)
        let t = clock.thresholds(calendar: calendar)
        #expect(t.yellowAt == at("2026-11-21 09:36"))
        for (when, colour) in [("2026-11-21 09:35", ClockColour.green), ("2026-11-21 09:36", .yellow), ("2026-11-21 12:00", .yellow), ("2026-11-21 12:01", .red)] {
            #expect(clock.status(at: at(when), calendar: calendar).colour == colour, "\(when)")
            #expect(t.colour(at: at(when)) == colour, "\(when)")
        }
        // A suspension of an hour moves yellow by the hour, and two overlapping ones are not counted twice.
        var suspended = clock
        suspended.suspensions = [DateInterval(start: at("2026-11-21 01:00"), end: at("2026-11-21 02:00")),
                                 DateInterval(start: at("2026-11-21 01:30"), end: at("2026-11-21 02:00"))]
        suspended.deadline = at("2026-11-21 13:00")
        #expect(suspended.thresholds(calendar: calendar).yellowAt == at("2026-11-21 10:36"))
    }

    @Test func theCaseLoopIsTheFirstKind() throws {
        let d = try CaseFixture.driver(in: .dispatched)
        // Its replay, clock and clock job are the generic pieces'.
        #expect(try CaseLifecycle.replay(d.records) == d.snapshot)
        #expect(CaseLifecycle.clock(of: d.snapshot)?.deadline == d.snapshot.deadlines.sign)
        let late = CaseFixture.at("2026-12-31 10:00")
        #expect(CaseLifecycle.clockSteps(d.snapshot, now: late, calendar: CaseFixture.calendar).map(\.record.kind)
                == ClockJob.run(d.snapshot, now: late, calendar: CaseFixture.calendar).map(\.record.kind))
    }
}
