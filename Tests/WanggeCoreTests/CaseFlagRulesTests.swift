import Foundation
import Testing

@testable import WanggeCore

/// The rules that depend on flags, scope and fields rather than on the state alone.
@Suite struct CaseFlagRulesTests {
    typealias F = CaseFixture

    func allowed(_ d: CaseFixture.Driver, _ actor: RecordActor) -> Set<CaseActionKind> {
        Set(CaseStateMachine.allowedActions(for: d.snapshot, actor: actor))
    }

    @Test func whileSuspendedOnlyResumeAndCommentArePossible() throws {
        var d = try F.driver(in: .signed)
        try d.apply(.suspend(reason: "等待汛期结束"), by: F.villageOperator, at: "2026-11-16 10:00")
        #expect(d.snapshot.isSuspended)
        #expect(d.snapshot.state == .signed)
        #expect(allowed(d, F.villageOperator) == [.resume, .comment])
        #expect(allowed(d, F.admin) == [.resume, .comment])
        #expect(allowed(d, F.handler) == [.comment])
        #expect(allowed(d, F.leader) == [.comment])
        #expect(allowed(d, .system) == [])
        #expect(ClockJob.evaluate(d.snapshot, now: F.at("2026-12-31 10:00"), calendar: F.calendar).isEmpty)
        #expect(throws: CaseRuleError.self) { try d.apply(.resolve(result: "x"), by: F.handler, at: "2026-11-16 10:30") }
        #expect(throws: CaseRuleError.self) { try d.apply(.suspend(reason: "again"), by: F.villageOperator, at: "2026-11-16 10:30") }
        try d.apply(.resume(), by: F.villageOperator, at: "2026-11-16 11:00")
        #expect(!d.snapshot.isSuspended)
        #expect(d.snapshot.suspensions == [DateInterval(start: F.at("2026-11-16 10:00"), end: F.at("2026-11-16 11:00"))])
        #expect(!allowed(d, F.villageOperator).contains(.resume))
    }

    @Test func extensionRequestAndDecisionDependOnAPendingRequest() throws {
        var d = try F.driver(in: .signed)
        try d.apply(.requestExtension(.days(1), reason: "等配件"), by: F.handler, at: "2026-11-16 10:00")
        #expect(allowed(d, F.handler) == [.return, .resolve, .comment])
        #expect(allowed(d, F.villageOperator) == [.transfer, .approveExtension, .refuseExtension, .suspend, .comment])
        // resolving while a request waits drops the request
        try d.apply(.resolve(result: "已修复"), by: F.handler, at: "2026-11-16 11:00")
        #expect(d.snapshot.pendingExtension == nil)
    }

    @Test func feedbackAndRatingHappenOncePerClosing() throws {
        var d = try F.driver(in: .closed)
        try d.apply(.feedback("已处理"), by: F.villageOperator, at: "2026-11-16 10:00")
        #expect(allowed(d, F.villageOperator) == [.comment])
        try d.apply(.rate(.basicallySatisfied), by: .reporter, at: "2026-11-16 11:00")
        #expect(allowed(d, .reporter) == [])
        let noReporter = try F.driver(in: .closed, intake: F.intake(hasReporter: false))
        #expect(allowed(noReporter, .reporter) == [])
        #expect(allowed(noReporter, F.villageOperator) == [.feedback, .comment])
    }

    @Test func handlersActOnlyForTheirOwnDepartmentAndStaffOnlyInScope() throws {
        let d = try F.driver(in: .dispatched)
        #expect(allowed(d, F.policeHandler) == [.comment])
        #expect(allowed(d, F.staff(.handler, "C02", F.otherTownshipMarket.code)) == [])
        #expect(allowed(d, F.staff(.operator, "C02")) == [])
        #expect(allowed(d, F.staff(.operator, "C02001")) == [])
        #expect(allowed(d, F.staff(.leader, "C02")) == [])
        let resolved = try F.driver(in: .resolved)
        #expect(allowed(resolved, F.staff(.gridWorker, "C01001002")) == [])
        #expect(allowed(resolved, F.staff(.gridWorker, "C01001")) == [.verifyPass, .verifyFail, .comment])
        // the county and township operators cover the village centre
        #expect(allowed(d, F.staff(.operator, "C")).contains(.transfer))
        #expect(allowed(d, F.townshipOperator).contains(.transfer))
        #expect(CasePermissions.isInScope(d.snapshot, of: ActingStaff(username: "h", role: .handler, areaCode: "C",
                                                                    departmentCode: "x")))
        #expect(!CasePermissions.isInScope(d.snapshot, of: ActingStaff(username: "h", role: .handler, areaCode: "C02",
                                                                     departmentCode: "C02-x")))
    }

    @Test func aCaseAtTheCountyCentreCannotGoHigher() throws {
        let d = try F.driver(in: .dispatched, intake: F.intake(centre: F.county), operator: F.admin)
        #expect(!allowed(d, F.admin).contains(.escalate))
        #expect(allowed(d, .system) == [.supervise])
        #expect(allowed(d, F.villageOperator) == [.comment])  // in scope, but not the owner of a county case
    }

    @Test func aRefusalNamesTheActionTheStateAndWhatIsAllowed() throws {
        var d = try F.driver(in: .dispatched)
        do {
            try d.apply(.close(), by: F.villageOperator, at: "2026-11-16 10:00")
            Issue.record("close on a dispatched case was accepted")
        } catch let error as CaseRuleError {
            guard case let .notAllowed(action, state, suspended, reason, allowed) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(action == .close && state == .dispatched && !suspended)
            #expect(reason.contains("verified"))
            #expect(allowed == [.transfer, .escalate, .suspend, .comment])
            #expect(error.description.contains("close is not allowed on a dispatched case"))
            #expect(error.description.contains("transfer, escalate, suspend, comment"))
        }
    }

    @Test func missingAndInvalidFieldsAreNamed() throws {
        var accepted = try F.driver(in: .accepted)
        func expectError(_ expected: CaseRuleError, _ command: CaseCommand, _ actor: RecordActor,
                         on d: inout CaseFixture.Driver) {
            #expect(throws: expected) { try d.apply(command, by: actor, at: "2026-11-16 10:00") }
        }
        expectError(.missingField(action: .reject, field: "note"), .reject(reason: "  "), F.villageOperator, on: &accepted)
        expectError(.missingField(action: .dispatch, field: "department"), CaseCommand(kind: .dispatch),
                    F.villageOperator, on: &accepted)
        expectError(.invalidField(action: .dispatch, field: "department",
                                  reason: "C02-market_regulation does not serve the case's area C01001001"),
                    .dispatch(to: F.otherTownshipMarket), F.villageOperator, on: &accepted)
        expectError(.invalidField(action: .merge, field: "target", reason: "is this case itself"),
                    .merge(into: MergeTarget(code: "AJ-20261116-000001", state: .accepted)), F.villageOperator,
                    on: &accepted)
        expectError(.invalidField(action: .merge, field: "target", reason: "AJ-9 is closed, not open"),
                    .merge(into: MergeTarget(code: "AJ-9", state: .closed)), F.villageOperator, on: &accepted)
        var dispatched = try F.driver(in: .dispatched)
        expectError(.invalidField(action: .transfer, field: "department", reason: "is the department that has the case"),
                    .transfer(to: F.market), F.villageOperator, on: &dispatched)
        // the clock job's supervision before the sign deadline (09:10 + 2 h) is not due
        #expect(throws: CaseRuleError.notDue(action: .supervise, reason: "the sign deadline has not passed")) {
            try dispatched.apply(.supervise(.unsignedLate), by: .system, at: "2026-11-16 11:10")
        }
        var signed = try F.driver(in: .signed)
        expectError(.missingField(action: .requestExtension, field: "duration"),
                    CaseCommand(kind: .requestExtension, note: "x"), F.handler, on: &signed)
        expectError(.invalidField(action: .supervise, field: "reason", reason: "must be leader here"),
                    .supervise(.resolveLate), F.leader, on: &signed)
    }
}
