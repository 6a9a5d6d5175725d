import Foundation
import Testing

@testable import WanggeCore

/// Shared by the risk tests: the people who act, a registration in a village of township C01, and a life that
/// checks after every step that the snapshot is the replay of its records.
enum RiskFixture {
    static let calendar = CalendarFixture.calendar
    static func at(_ text: String) -> Date { CalendarFixture.instant(text) }

    static let op = RecordActor.staff(ActingStaff(username: "op", role: .operator, areaCode: "C01"))
    static let leader = RecordActor.staff(ActingStaff(username: "lead", role: .leader, areaCode: "C"))
    static let handler = RecordActor.staff(ActingStaff(username: "h-fire", role: .handler, areaCode: "C", departmentCode: "XF01"))
    static let otherHandler = RecordActor.staff(ActingStaff(username: "h-water", role: .handler, areaCode: "C", departmentCode: "SL01"))
    static let gridWorker = RecordActor.staff(ActingStaff(username: "gw", role: .gridWorker, areaCode: "C01001001"))
    static let owners = RiskOwners(departmentCode: "XF01", leader: RiskOwner(username: "xf-chief", name: "王局长"),
                                   personInCharge: RiskOwner(username: "h-fire", name: "赵科长"))

    static func registration(_ assessment: RiskAssessment = .matrix(likelihood: 3, severity: 3), category: String = "fire",
                             areaPath: String = "C/C01/C01001/") -> RiskRegistration {
        RiskRegistration(code: "FX-20261116-000001", categoryCode: category, title: "某厂消防通道堵塞",
                         description: "厂区东侧消防通道被货物堵塞，约200名工人在岗", areaCode: String(areaPath.split(separator: "/").last!),
                         areaPath: areaPath, point: GeoPoint(lon: 119.68, lat: 30.64), assessment: assessment, caseCodes: ["AJ-20261110-000123"])
    }

    struct Life {
        var snapshot: RiskSnapshot
        var records: [RiskRecord]
        var steps: [LifecycleStep<RiskLifecycle>]

        mutating func take(_ step: LifecycleStep<RiskLifecycle>) throws {
            snapshot = step.snapshot
            records.append(step.record)
            steps.append(step)
            #expect(try RiskLifecycle.replay(records) == snapshot, "the snapshot is the replay of its records")
        }

        mutating func act(_ command: RiskCommand, by actor: RecordActor, _ when: String) throws {
            try take(try RiskLifecycle.apply(command, to: snapshot, actor: actor, at: RiskFixture.at(when), calendar: RiskFixture.calendar))
        }
    }

    static func registered(_ r: RiskRegistration = registration(), policy: RiskPolicy = RiskPolicy(), when: String = "2026-11-16 09:00") throws -> Life {
        let step = try RiskLifecycle.register(r, policy: policy, actor: gridWorker, at: at(when), calendar: calendar)
        return Life(snapshot: step.snapshot, records: [step.record], steps: [step])
    }

    /// A risk taken through review, approval and transfer: active, with the fire brigade responsible.
    static func active(_ r: RiskRegistration = registration(), when day: String = "2026-11-16") throws -> Life {
        var life = try registered(r, when: "\(day) 09:00")
        try life.act(.review(assessment: r.assessment, decision: .keep, note: nil, policy: RiskPolicy()), by: op, "\(day) 10:00")
        try life.act(.approve(note: nil), by: leader, "\(day) 11:00")
        try life.act(.transfer(owners: owners, note: "请消防大队督促整改"), by: op, "\(day) 14:00")
        return life
    }

    static func review(_ l: Int, _ s: Int, _ decision: RiskDecision, note: String? = nil, policy: RiskPolicy = RiskPolicy()) -> RiskCommand {
        .review(assessment: .matrix(likelihood: l, severity: s), decision: decision, note: note, policy: policy)
    }
}

/// The risk register's rules: the whole life from registration to archive, who may act and what a refusal lists,
/// what reviews may decide about the level, which steps tell the leaders, bad input named by field, and replay.
@Suite("Risk register")
struct RiskLifecycleTests {
    typealias F = RiskFixture

    @Test func aRiskIsRegisteredReviewedApprovedTransferredReportedOnClearedAndArchived() throws {
        var life = try F.registered()
        #expect(life.snapshot.state == .registered && life.snapshot.level == 2, "3 × 3 = 9 is orange")
        #expect(life.snapshot.nextReviewDue == F.at("2026-11-23 09:00"), "orange: a week after registration")
        try life.act(F.review(3, 3, .keep), by: F.op, "2026-11-16 10:00")
        #expect(life.snapshot.state == .reviewed && life.snapshot.reviews.count == 1 && life.snapshot.lastReviewAt == F.at("2026-11-16 10:00"))
        #expect(life.snapshot.nextReviewDue == F.at("2026-11-23 10:00"), "the cadence counts from the last review")
        try life.act(.approve(note: "同意列入清单"), by: F.leader, "2026-11-16 11:00")
        #expect(life.snapshot.state == .approved)
        try life.act(.transfer(owners: F.owners, note: nil), by: F.op, "2026-11-16 14:00")
        #expect(life.snapshot.state == .active && life.snapshot.owners?.departmentCode == "XF01" && life.snapshot.transfers.count == 1)
        let measures = [MitigationMeasure(description: "清理通道货物", dueOn: CivilDate("2026-11-18")!),
                        MitigationMeasure(description: "增设消防通道标识", dueOn: CivilDate("2026-11-30")!)]
        try life.act(.plan(measures), by: F.handler, "2026-11-16 15:00")
        try life.act(.feedback(text: "通道货物已清理", measuresDone: [0]), by: F.handler, "2026-11-18 10:00")
        #expect(life.snapshot.plan[0].doneOn == CivilDate("2026-11-18") && life.snapshot.plan[1].doneOn == nil)
        #expect(life.snapshot.overdueMeasures(on: CivilDate("2026-12-01")!) == [1])
        try life.act(.linkCases(["AJ-20261117-000456"]), by: F.handler, "2026-11-18 10:30")
        #expect(life.snapshot.caseCodes == ["AJ-20261110-000123", "AJ-20261117-000456"])
        try life.act(F.review(2, 3, .lower), by: F.handler, "2026-11-18 11:00")
        #expect(life.snapshot.level == 3 && life.snapshot.state == .active, "2 × 3 = 6 is blue")
        try life.act(.feedback(text: "标识已设置", measuresDone: [1]), by: F.handler, "2026-11-20 10:00")
        try life.act(F.review(1, 2, .clear), by: F.op, "2026-11-20 11:00")
        #expect(life.snapshot.clearProposed && life.snapshot.state == .active && life.snapshot.level == 3, "a clear decision clears nothing by itself")
        try life.act(.clear(note: "隐患已消除"), by: F.leader, "2026-11-20 15:00")
        #expect(life.snapshot.state == .cleared && life.snapshot.clearedAt == F.at("2026-11-20 15:00"))
        #expect(life.snapshot.nextReviewDue == nil && RiskLifecycle.clock(of: life.snapshot) == nil)
        try life.act(.archive(note: nil), by: F.op, "2026-11-21 09:00")
        #expect(life.snapshot.state == .archived && life.snapshot.actionCount == 12)
        #expect(RiskLifecycle.allowedActions(for: life.snapshot, actor: F.op).isEmpty)
        #expect(life.records.map(\.kind) == [.register, .review, .approve, .transfer, .plan, .feedback, .linkCases, .review, .feedback, .review, .clear, .archive])
    }

    @Test func aRefusalSaysWhatIsNotAllowedAndListsWhatIs() throws {
        let life = try F.registered()
        func refusal(_ c: RiskCommand, by actor: RecordActor, on s: RiskSnapshot) -> RiskRuleError? {
            do { _ = try RiskLifecycle.apply(c, to: s, actor: actor, at: F.at("2026-11-16 12:00"), calendar: F.calendar); return nil } catch { return error }
        }
        // Nothing is approved before it is reviewed; the operator is told what it may do instead.
        let early = refusal(.transfer(owners: F.owners, note: nil), by: F.op, on: life.snapshot)
        #expect(early?.refusal == .notAllowed(allowed: ["review", "plan", "link_cases", "archive"]))
        guard case let .notAllowed(action, state, _, allowed)? = refusal(.approve(note: nil), by: F.leader, on: life.snapshot) else {
            Issue.record("approved an unreviewed risk")
            return
        }
        #expect(action == .approve && state == .registered && allowed == [.supervise])
        #expect(RiskLifecycle.allowedActions(for: life.snapshot, actor: F.gridWorker).isEmpty, "grid workers register; the risk office works the register")
        #expect(RiskLifecycle.allowedActions(for: life.snapshot, actor: .system) == [.reschedule, .supervise])
        #expect(RiskLifecycle.allowedActions(for: life.snapshot, actor: .reporter).isEmpty)

        let active = try F.active().snapshot
        #expect(RiskLifecycle.allowedActions(for: active, actor: F.handler) == [.review, .feedback, .plan, .linkCases])
        #expect(RiskLifecycle.allowedActions(for: active, actor: F.otherHandler).isEmpty, "not their department's risk")
        #expect(RiskLifecycle.allowedActions(for: active, actor: F.leader) == [.supervise], "nothing to clear before a review finds the hazard gone")
        if case let .notAllowed(_, _, reason, _)? = refusal(.clear(note: nil), by: F.leader, on: active) {
            #expect(reason == "no review has found the hazard gone")
        } else {
            Issue.record("cleared a risk no review found gone")
        }
        #expect(refusal(.feedback(text: "已整改", measuresDone: []), by: F.otherHandler, on: active)?.refusal == .notAllowed(allowed: []))
        // Owners are staff accounts, named by user name.
        var owners = F.owners
        owners.leader.username = "王局长"
        #expect(refusal(.transfer(owners: owners, note: nil), by: F.op, on: active)?.field == "owners.leader.username")
        owners.leader.username = "wang.ju"
        owners.personInCharge.name = ""
        #expect(refusal(.transfer(owners: owners, note: nil), by: F.op, on: active)?.field == "owners.person_in_charge.name")
        #expect(refusal(.transfer(owners: F.owners, note: nil), by: F.op, on: active)?.field == "owners", "already theirs")
        owners.personInCharge.name = "李股长"
        #expect(refusal(.transfer(owners: owners, note: "更换责任领导"), by: F.op, on: active) == nil)
        #expect(refusal(.approve(note: nil), by: .system, on: life.snapshot)?.refusal == .notAllowed(allowed: [RiskActionKind.reschedule.rawValue, "supervise"]))
        // An entry that is not a risk is archived before approval, with a reason.
        #expect(refusal(.archive(note: " "), by: F.op, on: life.snapshot) == .missingField(field: "note"))
        var withdrawn = life
        try withdrawn.act(.archive(note: "经核实不构成风险"), by: F.op, "2026-11-16 12:00")
        #expect(withdrawn.snapshot.state == .archived && withdrawn.snapshot.nextReviewDue == nil)
    }

    @Test func raiseAndLowerFollowTheAssessmentAndKeepingAnotherLevelNeedsAReason() throws {
        var life = try F.active()
        func refusal(_ c: RiskCommand) -> RiskRuleError? {
            do { _ = try RiskLifecycle.apply(c, to: life.snapshot, actor: F.op, at: F.at("2026-11-17 09:00"), calendar: F.calendar); return nil } catch { return error }
        }
        #expect(life.snapshot.level == 2)
        #expect(refusal(F.review(3, 3, .raise))?.field == "decision", "the assessment proposes orange still: nothing to raise to")
        #expect(refusal(F.review(5, 5, .lower))?.field == "decision", "an assessment proposing red cannot lower")
        #expect(refusal(F.review(1, 2, .keep)) == .missingField(field: "note"), "keeping orange against a green assessment needs a reason")
        #expect(refusal(F.review(6, 1, .keep))?.field == "assessment.likelihood")
        try life.act(F.review(1, 2, .keep, note: "汛期临近，暂不降级"), by: F.op, "2026-11-17 09:00")
        #expect(life.snapshot.level == 2 && life.snapshot.reviews.last?.proposedLevel == 4)
        // Raise goes to the proposed level, however many steps: orange → red in one review.
        try life.act(F.review(4, 5, .raise), by: F.op, "2026-11-17 10:00")
        #expect(life.snapshot.level == 1 && life.snapshot.reviews.last?.fromLevel == 2)
        #expect(life.snapshot.nextReviewDue == F.at("2026-11-18 10:00"), "red is reviewed daily")
        try life.act(F.review(1, 1, .lower), by: F.op, "2026-11-18 09:00")
        #expect(life.snapshot.level == 4 && life.snapshot.nextReviewDue == F.at("2026-12-18 09:00"), "green monthly")
        var registered = try F.registered()
        #expect(throws: RiskRuleError.invalidField(field: "decision", reason: "clears only an active risk (archive an entry that is not a risk)")) {
            try RiskLifecycle.apply(F.review(1, 1, .clear), to: registered.snapshot, actor: F.op, at: F.at("2026-11-16 10:00"), calendar: F.calendar)
        }
        try registered.act(F.review(1, 1, .lower), by: F.op, "2026-11-16 10:00")
        #expect(registered.snapshot.state == .reviewed && registered.snapshot.level == 4)
    }

    @Test func reachingOrangeOrRedTellsTheLeadersAndNothingElseDoes() throws {
        // Registered orange: told at once.
        var life = try F.registered(F.registration(.matrix(likelihood: 1, severity: 1)))
        #expect(life.snapshot.level == 4 && life.steps.last?.notifiesLeaders == false, "registered green")
        try life.act(F.review(2, 2, .raise), by: F.op, "2026-11-16 10:00")
        #expect(life.snapshot.level == 3 && life.steps.last?.notifiesLeaders == false, "green → blue")
        try life.act(F.review(3, 3, .raise), by: F.op, "2026-11-16 11:00")
        #expect(life.snapshot.level == 2 && life.steps.last?.notifiesLeaders == true, "blue → orange")
        try life.act(F.review(3, 4, .keep), by: F.op, "2026-11-16 12:00")
        #expect(life.steps.last?.notifiesLeaders == false, "orange kept")
        try life.act(F.review(5, 4, .raise), by: F.op, "2026-11-16 13:00")
        #expect(life.snapshot.level == 1 && life.steps.last?.notifiesLeaders == true, "orange → red")
        try life.act(.approve(note: nil), by: F.leader, "2026-11-16 14:00")
        #expect(life.steps.last?.notifiesLeaders == false, "still red, nothing new")
        try life.act(F.review(3, 3, .lower), by: F.op, "2026-11-16 15:00")
        #expect(life.steps.last?.notifiesLeaders == false, "red → orange is a lowering")
        #expect(try F.registered(F.registration(.lec(likelihood: 6, exposure: 6, consequence: 7))).steps[0].notifiesLeaders, "LEC 252 registers orange")
        #expect(life.steps.filter(\.notifiesLeaders).count == 2)
        // The facts are on the records, so a history tells the same.
        #expect(life.records.filter(\.notifiesLeaders).map(\.level) == [2, 1])
    }

    @Test func aBadRegistrationIsRefusedNamingTheField() {
        func field(_ r: RiskRegistration) -> String? {
            do { _ = try RiskLifecycle.register(r, policy: RiskPolicy(), actor: F.gridWorker, at: F.at("2026-11-16 09:00"), calendar: F.calendar); return nil } catch { return error.field }
        }
        #expect(field(F.registration()) == nil)
        #expect(field(F.registration(category: "astrology")) == "category_code")
        #expect(field(F.registration(.matrix(likelihood: 3, severity: 0))) == "assessment.severity")
        #expect(field(F.registration(.lec(likelihood: 6, exposure: 4, consequence: 7))) == "assessment.exposure")
        var r = F.registration()
        r.title = "  "
        #expect(field(r) == "title")
        r = F.registration(); r.description = String(repeating: "危", count: RiskLimits.textLength + 1)
        #expect(field(r) == "description")
        r = F.registration(); r.areaPath = "C/C01/"
        #expect(field(r) == "area_path")
        r = F.registration(); r.point = GeoPoint(lon: 119.68, lat: 91)
        #expect(field(r) == "point")
        r = F.registration(); r.caseCodes = ["AJ-1", "AJ-1"]
        #expect(field(r) == "case_codes[1]")
        r = F.registration(); r.title = "通道\u{202E}堵塞"
        #expect(field(r) == "title")
    }

    @Test func replayRefusesAHistoryThatDoesNotFollow() throws {
        let life = try F.active()
        #expect(try RiskLifecycle.replay(life.records) == life.snapshot)
        #expect(try RiskLifecycle.replay([RiskRecord]()) == nil)
        #expect(throws: RiskRuleError.self) { try RiskLifecycle.replay([life.records[0], life.records[2]]) }
        #expect(throws: RiskRuleError.self) { try RiskLifecycle.replay(Array(life.records.dropFirst())) }
        var tampered = life.records
        tampered[tampered.count - 1].level = 1  // a transfer may not change the level
        #expect(throws: RiskRuleError.self) { try RiskLifecycle.replay(tampered) }
        tampered = life.records
        tampered[3].at = F.at("2026-11-15 09:00")
        #expect(throws: RiskRuleError.self) { try RiskLifecycle.replay(tampered) }
        #expect(RiskRuleError.invalidHistory("x").refusal == .brokenHistory)
    }
}

@Suite("Risk owners")
struct RiskOwnersTests {
    let market = Department(code: "T1-market", name: "市场监管所", kind: .marketRegulation, areaCode: "T1")
    func staff(_ name: String, _ role: Role, department: String? = nil) -> StaffAccount {
        StaffAccount(id: UUID(), username: name, displayName: name + "（姓名）", role: role, scope: Scope(areaCode: "T1", departmentCode: department))
    }

    @Test func aTransferNamesALeaderAndAPersonOfTheDepartmentWithTheirAccountsNames() throws {
        let ok = RiskOwners.owners(departmentCode: "T1-market", department: market, leader: staff("lead", .leader),
                                   personInCharge: staff("clerk", .handler, department: "T1-market"))
        let owners = try ok.get()
        #expect(owners.leader.name == "lead（姓名）")
        #expect(owners.personInCharge.username == "clerk")
        func field(_ r: Result<RiskOwners, RiskRuleError>) -> String? {
            if case .failure(.invalidField(let f, _)) = r { return f }
            return nil
        }
        #expect(field(RiskOwners.owners(departmentCode: "T1-market", department: nil, leader: staff("lead", .leader),
                                        personInCharge: staff("clerk", .handler, department: "T1-market"))) == "department_code")
        #expect(field(RiskOwners.owners(departmentCode: "T1-market", department: market, leader: staff("op", .operator),
                                        personInCharge: staff("clerk", .handler, department: "T1-market"))) == "leader")
        #expect(field(RiskOwners.owners(departmentCode: "T1-market", department: market, leader: nil,
                                        personInCharge: staff("clerk", .handler, department: "T1-market"))) == "leader")
        #expect(field(RiskOwners.owners(departmentCode: "T1-market", department: market, leader: staff("lead", .leader),
                                        personInCharge: staff("other", .handler, department: "T2-market"))) == "person_in_charge")
    }
}
