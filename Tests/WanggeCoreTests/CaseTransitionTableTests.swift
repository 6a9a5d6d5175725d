import Foundation
import Testing

@testable import WanggeCore

/// Every state × every action kind × every kind of actor, against a table written out by hand from DESIGN §4 and
/// the issue (not derived from the code). Each case is in its ordinary condition: not suspended, no extension
/// pending, a reporter, not yet fed back or rated, received by a village centre, the actors in scope (the handler
/// of the assigned department, the grid worker of its grid), and all deadlines long past.
@Suite struct CaseTransitionTableTests {
    typealias F = CaseFixture

    static let actors: [(String, RecordActor)] = [
        ("operator", F.villageOperator), ("admin", F.admin), ("leader", F.leader), ("handler", F.handler),
        ("mediator", F.mediator), ("grid_leader", F.gridLeader), ("grid_worker", F.gridWorker),
        ("reporter", .reporter), ("system", .system),
    ]

    /// state → actor → what that actor may do. Staff left out of a state may only comment.
    static let expected: [CaseState: [String: Set<CaseActionKind>]] = [
        .reported: [
            "operator": [.accept, .reject, .merge, .comment],
            "admin": [.accept, .reject, .merge, .comment],
            "leader": [.supervise, .comment],
            "grid_leader": [.selfResolve, .comment],
            "grid_worker": [.selfResolve, .comment],
        ],
        .accepted: [
            "operator": [.reject, .merge, .dispatch, .escalate, .suspend, .comment],
            "admin": [.reject, .merge, .dispatch, .escalate, .suspend, .comment],
            "leader": [.supervise, .comment],
        ],
        .rejected: [:],
        .merged: [:],
        .dispatched: [
            "operator": [.transfer, .escalate, .suspend, .comment],
            "admin": [.transfer, .escalate, .suspend, .comment],
            "leader": [.supervise, .comment],
            "handler": [.sign, .return, .comment],
            "system": [.supervise, .autoEscalate],
        ],
        .signed: [
            "operator": [.transfer, .suspend, .comment],
            "admin": [.transfer, .suspend, .comment],
            "leader": [.supervise, .comment],
            "handler": [.return, .resolve, .requestExtension, .comment],
            "system": [.supervise],
        ],
        .resolved: [
            "operator": [.suspend, .comment],
            "admin": [.suspend, .comment],
            "leader": [.supervise, .comment],
            "grid_leader": [.verifyPass, .verifyFail, .comment],
            "grid_worker": [.verifyPass, .verifyFail, .comment],
        ],
        .verified: [
            "operator": [.suspend, .close, .comment],
            "admin": [.suspend, .close, .comment],
            "leader": [.supervise, .comment],
        ],
        .closed: [
            "operator": [.feedback, .comment],
            "admin": [.feedback, .comment],
            "reporter": [.rate],
        ],
    ]

    static func expectedActions(_ state: CaseState, _ actor: String) -> Set<CaseActionKind> {
        if let set = expected[state]?[actor] { return set }
        return actor == "reporter" || actor == "system" ? [] : [.comment]
    }

    /// A well-formed command of each kind, so that only state, role and scope decide.
    static func command(_ kind: CaseActionKind, state: CaseState, actor: RecordActor) -> CaseCommand {
        switch kind {
        case .report: CaseCommand(kind: .report)
        case .accept: .accept()
        case .reject: .reject(reason: "不属于受理范围")
        case .merge: .merge(into: MergeTarget(code: "AJ-OTHER", state: .accepted))
        case .dispatch: .dispatch(to: F.market)
        case .sign: .sign()
        case .return: .return(reason: "非本部门职责")
        case .transfer: .transfer(to: F.police)
        case .escalate: .escalate(reason: "涉及多个村")
        case .requestExtension: .requestExtension(.days(2), reason: "需检测")
        case .approveExtension: .approveExtension()
        case .refuseExtension: .refuseExtension(reason: "不予延期")
        case .suspend: .suspend(reason: "待汛期后处理")
        case .resume: .resume()
        case .resolve: .resolve(result: "已处理")
        case .verifyPass: .verifyPass()
        case .verifyFail: .verifyFail(reason: "未整改到位")
        case .close: .close()
        case .feedback: .feedback("已处理完毕")
        case .comment: .comment("补充说明")
        case .selfResolve: .selfResolve(result: "已现场处理")
        case .rate: .rate(.satisfied)
        case .supervise: actor == .system ? .supervise(state == .signed ? .resolveLate : .unsignedLate) : .supervise(.leader)
        case .autoEscalate: .autoEscalate
        }
    }

    @Test(arguments: CaseState.allCases)
    func everyActionOfEveryActorInThisState(state: CaseState) throws {
        let snapshot = try F.driver(in: state).snapshot
        #expect(snapshot.state == state)
        let later = F.at("2026-12-31 10:00")
        for (name, actor) in Self.actors {
            let expected = Self.expectedActions(state, name)
            let allowed = CaseStateMachine.allowedActions(for: snapshot, actor: actor)
            #expect(Set(allowed) == expected, "\(state.rawValue) × \(name)")
            for kind in CaseActionKind.allCases {
                let command = Self.command(kind, state: state, actor: actor)
                do {
                    let t = try CaseStateMachine.apply(command, to: snapshot, actor: actor, at: later, calendar: F.calendar)
                    #expect(expected.contains(kind), "\(kind.rawValue) by \(name) on \(state.rawValue) was accepted")
                    #expect(t.record.kind == kind && t.record.fromState == state)
                } catch {
                    #expect(!expected.contains(kind), "\(kind.rawValue) by \(name) on \(state.rawValue): \(error)")
                    guard case let .notAllowed(action, errorState, _, _, listed) = error else {
                        Issue.record("\(kind.rawValue) by \(name) on \(state.rawValue): \(error)")
                        continue
                    }
                    #expect(action == kind && errorState == state && Set(listed) == expected)
                }
            }
        }
    }

    /// Where each accepted action leads from each state (the "to" side of the table).
    @Test func targetStates() throws {
        let later = F.at("2026-12-31 10:00")
        let table: [(CaseState, CaseActionKind, RecordActor, CaseState)] = [
            (.reported, .accept, F.villageOperator, .accepted),
            (.reported, .reject, F.villageOperator, .rejected),
            (.reported, .merge, F.villageOperator, .merged),
            (.reported, .selfResolve, F.gridWorker, .resolved),
            (.reported, .supervise, F.leader, .reported),
            (.accepted, .reject, F.villageOperator, .rejected),
            (.accepted, .merge, F.villageOperator, .merged),
            (.accepted, .dispatch, F.villageOperator, .dispatched),
            (.accepted, .escalate, F.villageOperator, .accepted),
            (.accepted, .suspend, F.villageOperator, .accepted),
            (.dispatched, .sign, F.handler, .signed),
            (.dispatched, .return, F.handler, .accepted),
            (.dispatched, .transfer, F.villageOperator, .dispatched),
            (.dispatched, .escalate, F.villageOperator, .accepted),
            (.dispatched, .autoEscalate, .system, .accepted),
            (.dispatched, .supervise, .system, .dispatched),
            (.signed, .return, F.handler, .accepted),
            (.signed, .transfer, F.villageOperator, .dispatched),
            (.signed, .resolve, F.handler, .resolved),
            (.signed, .requestExtension, F.handler, .signed),
            (.signed, .supervise, .system, .signed),
            (.resolved, .verifyPass, F.gridWorker, .verified),
            (.resolved, .verifyFail, F.gridLeader, .signed),
            (.verified, .close, F.villageOperator, .closed),
            (.closed, .feedback, F.villageOperator, .closed),
            (.closed, .rate, .reporter, .closed),
            (.closed, .comment, F.mediator, .closed),
        ]
        for (from, kind, actor, to) in table {
            let snapshot = try F.driver(in: from).snapshot
            let t = try CaseStateMachine.apply(Self.command(kind, state: from, actor: actor), to: snapshot, actor: actor,
                                               at: later, calendar: F.calendar)
            #expect(t.snapshot.state == to, "\(from.rawValue) —\(kind.rawValue)→ \(t.snapshot.state.rawValue), expected \(to.rawValue)")
        }
    }
}
