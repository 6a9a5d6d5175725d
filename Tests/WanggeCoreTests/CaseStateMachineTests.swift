import Foundation
import Testing

@testable import WanggeCore

/// Shared by the case tests: a case in grid G1 of `Fixture.jurisdiction` (G1 → 一村 → 一镇 → 县), received by the
/// village centre, with the 2026 holiday calendar and one member of staff of every role.
enum CaseFixture {
    static let calendar = CalendarFixture.calendar
    static func at(_ text: String) -> Date { CalendarFixture.instant(text) }

    static let grid = AreaRef(code: "C01001001", level: .grid)
    static let village = AreaRef(code: "C01001", level: .village)
    static let township = AreaRef(code: "C01", level: .township)
    static let county = AreaRef(code: "C", level: .county)
    /// sign 2 working hours, resolve 3 working days (21 h), verify 1 working day (7 h).
    static let limits = StageLimits(sign: .hours(2), resolve: .days(3), verify: .days(1))

    static let market = Department(code: "C01-market_regulation", name: "一镇市场监管所", kind: .marketRegulation, areaCode: "C01")
    static let police = Department(code: "C01-public_security", name: "一镇派出所", kind: .publicSecurity, areaCode: "C01")
    static let otherTownshipMarket = Department(code: "C02-market_regulation", name: "二镇市场监管所",
                                                kind: .marketRegulation, areaCode: "C02")

    static func staff(_ role: Role, _ area: String, _ department: String? = nil) -> RecordActor {
        .staff(ActingStaff(username: "\(role.rawValue)-\(area)", role: role, areaCode: area, departmentCode: department))
    }

    static let villageOperator = staff(.operator, "C01001")
    static let townshipOperator = staff(.operator, "C01")
    static let admin = staff(.admin, "C")
    static let leader = staff(.leader, "C01")
    static let handler = staff(.handler, "C01", market.code)
    static let policeHandler = staff(.handler, "C01", police.code)
    static let mediator = staff(.mediator, "C01")
    static let gridLeader = staff(.gridLeader, "C01001001")
    static let gridWorker = staff(.gridWorker, "C01001001")

    static func intake(code: String = "AJ-20261116-000001", centre: CaseCentre = village, hasReporter: Bool = true,
                       limits: StageLimits = limits, category: String = "0301",
                       point: GeoPoint? = GeoPoint(lon: 0.5, lat: 1)) -> CaseIntake {
        CaseIntake(code: code, categoryCode: category, limits: limits, areas: [grid, village, township, county],
                   point: point, source: hasReporter ? .resident : .gridWorker, hasReporter: hasReporter,
                   centre: centre, routedDepartmentCode: market.code, routingReason: "test")
    }

    /// A case being driven through the state machine, keeping its history.
    struct Driver {
        var snapshot: CaseSnapshot
        var records: [CaseActionRecord]

        init(_ intake: CaseIntake = CaseFixture.intake(), at time: String = "2026-11-16 09:00",
             by actor: RecordActor = .reporter) throws {
            let t = try CaseStateMachine.report(intake, actor: actor, at: CaseFixture.at(time))
            snapshot = t.snapshot
            records = [t.record]
        }

        @discardableResult
        mutating func apply(_ command: CaseCommand, by actor: RecordActor, at time: String) throws -> CaseActionRecord {
            try apply(command, by: actor, at: CaseFixture.at(time))
        }

        @discardableResult
        mutating func apply(_ command: CaseCommand, by actor: RecordActor, at time: Date) throws -> CaseActionRecord {
            let t = try CaseStateMachine.apply(command, to: snapshot, actor: actor, at: time, calendar: CaseFixture.calendar)
            snapshot = t.snapshot
            records.append(t.record)
            return t.record
        }

        var history: CaseHistory { CaseHistory(actions: records) }
    }

    /// A case brought to `state` on Monday 2026-11-16 morning by the usual path.
    static func driver(in state: CaseState, intake: CaseIntake = intake(),
                       operator op: RecordActor = villageOperator) throws -> Driver {
        let villageOperator = op
        var d = try Driver(intake)
        switch state {
        case .reported: break
        case .rejected: try d.apply(.reject(reason: "不属于受理范围"), by: villageOperator, at: "2026-11-16 09:05")
        case .merged:
            try d.apply(.merge(into: MergeTarget(code: "AJ-OTHER", state: .accepted)), by: villageOperator, at: "2026-11-16 09:05")
        default:
            try d.apply(.accept(), by: villageOperator, at: "2026-11-16 09:05")
            let path: [(CaseState, CaseCommand, RecordActor)] = [
                (.dispatched, .dispatch(to: market), villageOperator),
                (.signed, .sign(), handler),
                (.resolved, .resolve(result: "已下架问题食品"), handler),
                (.verified, .verifyPass(), gridWorker),
                (.closed, .close(), villageOperator),
            ]
            var minute = 10
            for (reached, command, actor) in path where d.snapshot.state != state {
                try d.apply(command, by: actor, at: "2026-11-16 09:\(minute)")
                minute += 5
                if reached == state { break }
            }
        }
        return d
    }

    /// The kinds recorded in a history, in order.
    static func kinds(_ records: [CaseActionRecord]) -> [CaseActionKind] { records.map(\.kind) }
}

@Suite struct CaseStateMachineTests {
    typealias F = CaseFixture

    @Test func theUsualPathEndsClosedWithTheHandlersDepartmentKept() throws {
        let d = try F.driver(in: .closed)
        #expect(d.snapshot.state == .closed)
        #expect(F.kinds(d.records) == [.report, .accept, .dispatch, .sign, .resolve, .verifyPass, .close])
        #expect(d.snapshot.assignee == .department(F.market.code))
        #expect(d.records[2].fromAssignee == .centre(F.village))
        #expect(d.records[2].toAssignee == .department(F.market.code))
        #expect(d.snapshot.closedAt == F.at("2026-11-16 09:30"))
    }

    @Test func reworkGoesBackToTheSameHandlerAndIsCounted() throws {
        var d = try F.driver(in: .resolved)
        let r = try d.apply(.verifyFail(reason: "仍有过期食品在售"), by: F.gridWorker, at: "2026-11-16 10:00")
        #expect(r.toState == .signed)
        #expect(d.snapshot.assignee == .department(F.market.code))
        #expect(d.snapshot.reworkCount == 1)
        // a fresh resolve clock from the rework: 10:00 + 21 working hours = Thursday 10:00
        #expect(d.snapshot.deadlines.resolve == F.at("2026-11-19 10:00"))
        #expect(d.snapshot.deadlines.verify == nil)
        try d.apply(.resolve(result: "已全部下架"), by: F.handler, at: "2026-11-16 11:00")
        #expect(d.snapshot.state == .resolved)
    }

    @Test func anUnsatisfiedRatingReopensOnceOnly() throws {
        var d = try F.driver(in: .closed)
        try d.apply(.feedback("已处理"), by: F.villageOperator, at: "2026-11-16 10:00")
        let first = try d.apply(.rate(.unsatisfied), by: .reporter, at: "2026-11-16 11:00")
        #expect(first.toState == .signed)
        #expect(first.detail == .rating(.unsatisfied, reopened: true))
        #expect(d.snapshot.assignee == .department(F.market.code))
        #expect(d.snapshot.reworkCount == 1)
        #expect(d.snapshot.reopened)
        try d.apply(.resolve(result: "再次处理"), by: F.handler, at: "2026-11-16 14:30")
        try d.apply(.verifyPass(), by: F.gridLeader, at: "2026-11-16 15:00")
        try d.apply(.close(), by: F.villageOperator, at: "2026-11-16 15:10")
        try d.apply(.feedback("再次处理完毕"), by: F.villageOperator, at: "2026-11-16 15:20")
        let second = try d.apply(.rate(.unsatisfied), by: .reporter, at: "2026-11-16 16:00")
        #expect(second.toState == .closed)
        #expect(second.detail == .rating(.unsatisfied, reopened: false))
        #expect(d.snapshot.state == .closed)
        #expect(d.snapshot.reworkCount == 1)
        #expect(throws: CaseRuleError.self) { try d.apply(.rate(.satisfied), by: .reporter, at: "2026-11-16 16:10") }
    }

    @Test func selfResolvedWorkIsStillVerifiedAndReworkGoesToTheCentre() throws {
        var d = try F.Driver(F.intake(hasReporter: false), by: F.gridWorker)
        try d.apply(.selfResolve(result: "已现场劝离占道摊贩"), by: F.gridWorker, at: "2026-11-16 09:20")
        #expect(d.snapshot.state == .resolved)
        #expect(d.snapshot.deadlines.verify == F.at("2026-11-17 09:20"))
        // the closure clock runs from the report: 09:00 + 30 working hours = Friday 11:00
        #expect(d.snapshot.deadlines.closure == F.at("2026-11-20 11:00"))
        try d.apply(.verifyFail(reason: "摊贩又回来了"), by: F.gridLeader, at: "2026-11-16 10:00")
        #expect(d.snapshot.state == .accepted)
        #expect(d.snapshot.assignee == .centre(F.village))
        #expect(d.snapshot.reworkCount == 1)
        try d.apply(.dispatch(to: F.police), by: F.villageOperator, at: "2026-11-16 10:10")
        #expect(d.snapshot.state == .dispatched)
    }

    @Test func returnGoesBackToTheSameCentreAndEscalationToTheCentreAbove() throws {
        var d = try F.driver(in: .dispatched)
        let back = try d.apply(.return(reason: "非本部门职责"), by: F.handler, at: "2026-11-16 10:00")
        #expect(back.toState == .accepted)
        #expect(back.toAssignee == .centre(F.village))
        #expect(d.snapshot.deadlines.sign == nil)
        let up = try d.apply(.escalate(reason: "涉及多个村"), by: F.villageOperator, at: "2026-11-16 10:10")
        #expect(up.toState == .accepted)
        #expect(up.toAssignee == .centre(F.township))
        #expect(d.snapshot.centre == F.township)
        #expect(d.snapshot.escalationCount == 1)
        // the village operator no longer owns it; the township's does
        #expect(CaseStateMachine.allowedActions(for: d.snapshot, actor: F.villageOperator) == [.comment])
        #expect(CaseStateMachine.allowedActions(for: d.snapshot, actor: F.townshipOperator).contains(.dispatch))
        try d.apply(.escalate(reason: "需县级协调"), by: F.townshipOperator, at: "2026-11-16 10:20")
        #expect(d.snapshot.centre == F.county)
        #expect(!CaseStateMachine.allowedActions(for: d.snapshot, actor: F.admin).contains(.escalate))
    }

    @Test func transferRestartsTheSignClockAtTheNewDepartment() throws {
        var d = try F.driver(in: .signed)
        try d.apply(.transfer(to: F.police, note: "涉及治安"), by: F.villageOperator, at: "2026-11-16 14:00")
        #expect(d.snapshot.state == .dispatched)
        #expect(d.snapshot.assignee == .department(F.police.code))
        #expect(d.snapshot.deadlines.sign == F.at("2026-11-16 16:00"))
        #expect(d.snapshot.deadlines.resolve == nil)
        #expect(d.snapshot.transferCount == 1)
        #expect(!CaseStateMachine.allowedActions(for: d.snapshot, actor: F.handler).contains(.sign))
        #expect(CaseStateMachine.allowedActions(for: d.snapshot, actor: F.policeHandler).contains(.sign))
    }

    @Test func anApprovedExtensionMovesTheResolveAndClosureDeadlinesByTheWorkingTimeAsked() throws {
        var d = try F.driver(in: .signed)
        let resolve = try #require(d.snapshot.deadlines.resolve)
        let closure = try #require(d.snapshot.deadlines.closure)
        try d.apply(.requestExtension(.days(2), reason: "需检测报告"), by: F.handler, at: "2026-11-16 10:00")
        #expect(d.snapshot.pendingExtension?.duration == .days(2))
        try d.apply(.approveExtension(), by: F.villageOperator, at: "2026-11-16 10:30")
        #expect(d.snapshot.pendingExtension == nil)
        #expect(F.calendar.workingSeconds(from: resolve, to: d.snapshot.deadlines.resolve!) == 14 * 3600)
        #expect(F.calendar.workingSeconds(from: closure, to: d.snapshot.deadlines.closure!) == 14 * 3600)
        try d.apply(.requestExtension(.days(1), reason: "再延"), by: F.handler, at: "2026-11-16 11:00")
        let moved = d.snapshot.deadlines
        try d.apply(.refuseExtension(reason: "不予延期"), by: F.villageOperator, at: "2026-11-16 11:30")
        #expect(d.snapshot.deadlines == moved)
        #expect(d.snapshot.approvedExtensions == [.days(2)])
    }

    @Test func aMergedCaseKeepsItsTarget() throws {
        let d = try F.driver(in: .merged)
        #expect(d.snapshot.mergedInto == "AJ-OTHER")
        #expect(d.records.last?.detail == .mergedInto("AJ-OTHER"))
        #expect(!d.snapshot.state.isOpen)
    }

    @Test func timeNeverRunsBackwardsInTheHistory() throws {
        var d = try F.driver(in: .accepted)
        let r = try d.apply(.comment("补充情况"), by: F.leader, at: "2026-11-16 08:00")
        #expect(r.at == F.at("2026-11-16 09:05"))
    }
}
