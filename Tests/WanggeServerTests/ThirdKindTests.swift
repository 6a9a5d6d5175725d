import Fluent
import Foundation
import SQLKit
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// A made-up third kind of record, an errand: it gives only its rules (`Errand`, a `Lifecycle`), its table (made
/// here) and its routes, and gets the store (numbering, numbered actions, conflicts, supervision once, idempotent
/// creation), the service, the API's door, live events and the clock job from the shared plumbing (issue 18).
enum Errand: Lifecycle {
    enum State: String, Hashable, Sendable, Codable { case open, taken, done }
    struct Record: Hashable, Sendable, Codable {
        var kind: String
        var at: Date
        var from: State?
        var to: State
        var by: RecordActor
        var due: Date? = nil
        var title: String? = nil
    }
    struct Snapshot: Hashable, Sendable, Codable {
        var code: String
        var title: String
        var areas: [String]
        var state: State
        var openedAt: Date
        var lastAt: Date
        var takenAt: Date?
        var due: Date?
        var remindedStage: Date?
        var actions: Int
    }
    enum Command: Sendable { case take, finish, remind }
    enum RuleError: RefusalError, Equatable {
        case broken(String), notAllowed(String, State, allowed: [String])
        var refusal: Refusal {
            switch self {
            case .broken: .brokenHistory
            case .notAllowed(_, _, let allowed): .notAllowed(allowed: allowed)
            }
        }
        var description: String {
            switch self {
            case .broken(let why): "broken errand history: \(why)"
            case let .notAllowed(action, state, _): "\(action) is not allowed on a \(state.rawValue) errand"
            }
        }
    }

    static let recordKind = "errand"
    static let system = RecordActor.system

    static func open(code: String, title: String, areas: [String], by actor: RecordActor, at: Date) throws(RuleError) -> LifecycleStep<Errand> {
        let r = Record(kind: "open", at: at, from: nil, to: .open, by: actor, title: title)
        let s = try start(r)
        return LifecycleStep(snapshot: Snapshot(code: code, title: title, areas: areas, state: s.state, openedAt: at, lastAt: at, actions: 1), record: r)
    }

    static func start(_ first: Record) throws(RuleError) -> Snapshot {
        guard first.kind == "open", first.to == .open else { throw .broken("an errand starts open") }
        return Snapshot(code: "", title: first.title ?? "", areas: [], state: .open, openedAt: first.at, lastAt: first.at, actions: 1)
    }

    static func applying(_ r: Record, to s: Snapshot) throws(RuleError) -> Snapshot {
        guard r.kind != "open", r.from == s.state, r.at >= s.lastAt else { throw .broken("\(r.kind) on \(s.state)") }
        var n = s
        n.state = r.to
        n.lastAt = r.at
        n.actions += 1
        switch r.kind {
        case "take": n.takenAt = r.at; n.due = r.due
        case "remind": n.remindedStage = s.takenAt
        default: break
        }
        return n
    }

    static func allowed(_ s: Snapshot) -> [String] {
        switch s.state { case .open: ["take"]; case .taken: ["finish"]; case .done: [] }
    }

    static func apply(_ command: Command, to s: Snapshot, actor: RecordActor, at: Date, calendar: WorkingCalendar) throws(RuleError) -> LifecycleStep<Errand> {
        let record: Record
        switch (command, s.state) {
        case (.take, .open): record = Record(kind: "take", at: at, from: .open, to: .taken, by: actor, due: calendar.adding(.days(1), to: at))
        case (.finish, .taken): record = Record(kind: "finish", at: at, from: .taken, to: .done, by: actor)
        case (.remind, .taken) where actor == system && s.remindedStage != s.takenAt:
            record = Record(kind: "remind", at: at, from: .taken, to: .taken, by: actor)
        case (.take, _): throw .notAllowed("take", s.state, allowed: allowed(s))
        case (.finish, _): throw .notAllowed("finish", s.state, allowed: allowed(s))
        case (.remind, _): throw .notAllowed("remind", s.state, allowed: allowed(s))
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

    static func supervision(raisedBy step: LifecycleStep<Errand>) -> SupervisionRaise? {
        guard step.record.kind == "remind", let since = step.snapshot.takenAt else { return nil }
        return SupervisionRaise(reason: .late, stageKey: SupervisionRaise.stageKey(state: "taken", since: since), at: step.record.at, by: nil, note: nil)
    }
}

/// The errand's table and routes: all it gives besides its rules.
enum ErrandKind: CreatableKind {
    typealias L = Errand
    typealias Place = NoPlace
    static let table = "errands", actionsTable = "errand_actions", recordColumn = "errand_id"
    static func code(of s: Errand.Snapshot) -> String { s.code }
    static func state(of s: Errand.Snapshot) -> String { s.state.rawValue }
    static func openedAt(_ s: Errand.Snapshot) -> Date { s.openedAt }
    static func lastActionAt(_ s: Errand.Snapshot) -> Date { s.lastAt }
    static func actionCount(_ s: Errand.Snapshot) -> Int { s.actions }
    static func nextDeadline(_ s: Errand.Snapshot) -> Date? { s.due }
    static let clockStates = ["taken"]
    static func action(_ r: Errand.Record) -> (kind: String, actor: String?, at: Date) { (r.kind, r.by.staff?.username, r.at) }
    static let placeColumns: [String] = []
    static func place(from row: any SQLRow) throws -> NoPlace { NoPlace() }
    static func columns(_ s: Errand.Snapshot, place: NoPlace) throws -> [(String, any SQLExpression)] { [("title", SQLBind(s.title))] }

    static func isVisible(_ r: StoredRecord<ErrandKind>, to staff: StaffAccount, in j: Jurisdiction) -> Bool {
        r.areaPath.hasPrefix(j.path(of: staff.scope.areaCode))
    }
    static func audience(_ r: StoredRecord<ErrandKind>) -> RecordEvent.Audience { .init(areas: r.snapshot.areas) }
    static func stateNames(_ s: Errand.Snapshot) -> (zh: String, en: String) { (s.state.rawValue, s.state.rawValue) }

    struct ActionBody: Codable { var action: String }
    struct Detail: Content { var id: UUID; var code: String; var state: String; var title: String; var version: Int }
    struct CreateBody: Codable, Sendable { var title: String; var areaCode: String }

    static func command(_ body: ActionBody, staff: StaffAccount, req: Request) async throws -> Errand.Command {
        switch body.action {
        case "take": .take
        case "finish": .finish
        default: throw APIError.badRequest("action is take or finish", field: "action")
        }
    }

    static func detail(_ r: StoredRecord<ErrandKind>, staff: StaffAccount, req: Request) async throws -> Detail {
        Detail(id: r.id, code: r.code, state: r.snapshot.state.rawValue, title: r.snapshot.title, version: r.version)
    }

    static func opening(_ body: CreateBody, staff: StaffAccount, req: Request) async throws -> Opening<ErrandKind> {
        let title = body.title.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty, title.count <= 100, TextInput.isClean(title) else { throw APIError.badRequest("title is 1 to 100 characters", field: "title") }
        let j = try await req.jurisdiction()
        guard body.areaCode.utf8.count <= 64, j[body.areaCode] != nil, staff.scope.covers(body.areaCode, in: j) else {
            throw APIError(.notFound, "not_found", "no area \(body.areaCode.prefix(64)) in your scope", field: "area_code")
        }
        let areas = j.chain(from: body.areaCode).map(\.code), actor = RecordActor(staff), at = req.now
        return Opening(letters: "EA", areaPath: j.path(of: body.areaCode), place: NoPlace()) { code in
            try Errand.open(code: code, title: title, areas: areas, by: actor, at: at)
        }
    }

    /// The kind's table (a migration in a real kind).
    static func createTables(on db: any Database) async throws {
        try await db.schema("errands").id()
            .field("code", .string, .required).field("state", .string, .required).field("area_path", .string, .required)
            .field("snapshot", .string, .required).field("version", .int, .required).field("registered_at", .datetime, .required)
            .field("updated_at", .datetime, .required).field("next_deadline_at", .datetime).field("clock_yellow_at", .datetime)
            .field("title", .string, .required).unique(on: "code").create()
        try await db.schema("errand_actions").id()
            .field("errand_id", .uuid, .required).field("seq", .int, .required).field("kind", .string, .required)
            .field("actor", .string).field("at", .datetime, .required).field("record", .string, .required)
            .unique(on: "errand_id", "seq").create()
    }
}

final class ThirdKindTests: XCTestCase {
    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: [String: Any]? = nil,
                     key: String? = nil) async throws -> (HTTPStatus, [String: Any]) {
        var headers: HTTPHeaders = [:]
        if let key { headers.add(name: "Idempotency-Key", value: key) }
        let (status, data) = try await MediationAPITests.send(app, method, path, token: token, body: body, headers: headers)
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    func testAThirdKindGetsEverythingFromItsRulesTableAndRoutes() async throws {
        try await withApp { app, clock in
            for route in RecordDoor<ErrandKind>.routes(base: "/api/v1/errands", roles: [.operator]) { Site.register(route, on: app) }
            app.wangge.clockedKinds.add(ErrandKind.self)
            try await app.asyncBoot()  // starts the PostgreSQL listener when the suite runs there
            try await ErrandKind.createTables(on: app.db)
            try await SmallCounty.load(app)
            try await Task.sleep(for: .milliseconds(300))
            let west = try await app.token("westop"), east = try await app.token("eastop"), county = try await app.token("countyop")
            let body: [String: Any] = ["title": "送还失物", "area_code": "3301002001001"]

            // Creation through the door: numbered from its own sequence, published, idempotent by key.
            var made: (HTTPStatus, [String: Any]) = (.ok, [:])
            let event = try await LiveEventsTests.next(app.wangge.events, within: 5) {
                made = try await Self.send(app, .POST, "/api/v1/errands", token: west, body: body, key: "errand-1")
            }
            XCTAssertEqual(made.0, .created, "\(made.1)")
            let id = try XCTUnwrap(made.1["id"] as? String)
            XCTAssertEqual(made.1["code"] as? String, "EA-20261123-000001")
            XCTAssertEqual(event?.record, "errand")
            XCTAssertEqual(event?.kind, "created")
            XCTAssertEqual(event?.code, "EA-20261123-000001")
            let westStaff = StaffAccount(id: UUID(), username: "w", displayName: "w", role: .operator, scope: Scope(areaCode: "3301002"))
            let eastStaff = StaffAccount(id: UUID(), username: "e", displayName: "e", role: .operator, scope: Scope(areaCode: "3301001"))
            XCTAssertEqual(event?.isVisible(to: westStaff), true)
            XCTAssertEqual(event?.isVisible(to: eastStaff), false, "another township's live pages never get it")
            let again = try await Self.send(app, .POST, "/api/v1/errands", token: west, body: body, key: "errand-1")
            XCTAssertEqual(again.0, .ok)
            XCTAssertEqual(again.1["id"] as? String, id, "the same key and body answer the first errand")
            let reused = try await Self.send(app, .POST, "/api/v1/errands", token: west, body: ["title": "别的事", "area_code": "3301002001001"], key: "errand-1")
            XCTAssertEqual(reused.0, .conflict)
            XCTAssertEqual((reused.1["error"] as? [String: Any])?["code"] as? String, "idempotency_key_reused")
            let long = try await Self.send(app, .POST, "/api/v1/errands", token: west, body: body, key: String(repeating: "键", count: 67))
            XCTAssertEqual(long.0, .badRequest, "201 bytes of key are refused, as for every kind")
            let second = try await Self.send(app, .POST, "/api/v1/errands", token: county, body: body, key: "errand-1")
            XCTAssertEqual(second.0, .created, "another account's key is its own")
            XCTAssertEqual(second.1["code"] as? String, "EA-20261123-000002")
            let outside = try await Self.send(app, .POST, "/api/v1/errands", token: east, body: body)
            XCTAssertEqual(outside.0, .notFound, "an area outside the caller's scope")

            // Scope at the door: another township's operator gets 404, as for none.
            let (hidden, _) = try await Self.send(app, .GET, "/api/v1/errands/\(id)", token: east)
            XCTAssertEqual(hidden, .notFound)
            let (shown, detail) = try await Self.send(app, .GET, "/api/v1/errands/\(id)", token: west)
            XCTAssertEqual(shown, .ok)
            XCTAssertEqual(detail["state"] as? String, "open")

            // The rules through the service; a refusal answered like every kind's.
            let refused = try await Self.send(app, .POST, "/api/v1/errands/\(id)/actions", token: west, body: ["action": "finish"])
            XCTAssertEqual(refused.0, .conflict)
            let error = try XCTUnwrap(refused.1["error"] as? [String: Any])
            XCTAssertEqual(error["code"] as? String, "action_not_allowed")
            XCTAssertEqual(error["allowed_actions"] as? [String], ["take"])
            let stale = try await RecordStore<ErrandKind>.find(id: UUID(uuidString: id)!, on: app.db)
            let taken = try await Self.send(app, .POST, "/api/v1/errands/\(id)/actions", token: west, body: ["action": "take"])
            XCTAssertEqual(taken.0, .ok)
            XCTAssertEqual(taken.1["state"] as? String, "taken")
            XCTAssertEqual(taken.1["version"] as? Int, 2)

            // A second writer with what it read before: one wins, the other gets the conflict.
            guard let stale else { return XCTFail("stored") }
            do {
                _ = try await RecordService<ErrandKind>(app: app).act(.take, on: stale, by: .staff(ActingStaff(username: "westop", role: .operator, areaCode: "3301002")), at: clock.now())
                XCTFail("a stale write must conflict")
            } catch let e as RecordConflict {
                XCTAssertEqual(e.kind, "errand")
            }

            // The clock job: late work is supervised once per stage, however often the job runs.
            clock.advance(4 * 86_400)
            let first = try await ClockRunner.runOnce(app)
            XCTAssertEqual(first.supervisions, 1)
            let secondRun = try await ClockRunner.runOnce(app)
            XCTAssertEqual(secondRun.supervisions, 0)
            let raised = try await RecordSupervisions.of(kind: "errand", recordID: UUID(uuidString: id)!, on: app.db)
            XCTAssertEqual(raised.map(\.reason), [SupervisionReason.late.rawValue])
            let actions = try await RecordStore<ErrandKind>.actions(id: UUID(uuidString: id)!, on: app.db)
            XCTAssertEqual(actions.map(\.kind), ["open", "take", "remind"])
        }
    }

    /// Every kind's refusals and conflicts are answered in one place, alike: a broken history is the server's
    /// fault (500) for a case as for a mediation (it was 400 for a case and 500 for a mediation).
    func testEveryKindsErrorsAreAnsweredAlike() {
        let errors: [any Error] = [CaseRuleError.invalidHistory("x"), MediationRuleError.invalidHistory("x"), Errand.RuleError.broken("x")]
        for e in errors {
            let api = ErrorRendering.apiError(e)
            XCTAssertEqual(api.status, .internalServerError, "\(e)")
            XCTAssertEqual(api.code, "broken_history")
        }
        let refused: [any Error] = [CaseRuleError.notAllowed(action: .close, state: .reported, suspended: false, reason: "r", allowed: [.accept]),
                                    MediationRuleError.notAllowed(action: .accept, state: .closed, reason: "r", allowed: []),
                                    Errand.RuleError.notAllowed("take", .done, allowed: [])]
        for e in refused {
            XCTAssertEqual(ErrorRendering.apiError(e).status, .conflict)
            XCTAssertEqual(ErrorRendering.apiError(e).code, "action_not_allowed")
        }
        for e in [RecordConflict(kind: "case", code: "A"), RecordConflict(kind: "mediation", code: "B")] {
            XCTAssertEqual(ErrorRendering.apiError(e).status, .conflict)
            XCTAssertEqual(ErrorRendering.apiError(e).code, "conflict")
        }
        XCTAssertEqual(ErrorRendering.apiError(CaseRuleError.missingField(action: .dispatch, field: "department_code")).field, "department_code")
        XCTAssertEqual(ErrorRendering.apiError(MediationRuleError.invalidField(field: "days", reason: "r")).field, "days")
    }

    /// Mediation on the shared plumbing: the drifts between the copies each have one answer now.
    func testMediationOnTheSharedPlumbingAnswersAsTheCaseLoopDoes() async throws {
        try await withApp { app, _ in
            try await app.asyncBoot()  // starts the PostgreSQL listener when the suite runs there
            try await MediationAPITests.world(app)
            try await Task.sleep(for: .milliseconds(300))
            let op = try await app.token("eastop")
            // An Idempotency-Key is counted in bytes for every kind: 67 Chinese characters are 201 bytes.
            let long = String(repeating: "键", count: 67), fits = String(repeating: "键", count: 66)
            let (m1, _) = try await MediationAPITests.send(app, .POST, "/api/v1/mediations", token: op, body: MediationAPITests.direct(), headers: ["Idempotency-Key": long])
            XCTAssertEqual(m1, .badRequest)
            let (c1, _) = try await CaseLoopTests.report(app, key: long)
            XCTAssertEqual(c1, .badRequest)
            let (m2, _) = try await MediationAPITests.send(app, .POST, "/api/v1/mediations", token: op, body: MediationAPITests.direct(), headers: ["Idempotency-Key": fits])
            XCTAssertEqual(m2, .created)
            let (c2, _) = try await CaseLoopTests.report(app, key: fits)
            XCTAssertEqual(c2, .created)

            // A phone of separators only is no phone, as at intake (it was 400 for a party).
            var noPhone = MediationAPITests.direct()
            noPhone["parties"] = [["role": "applicant", "kind": "person", "name": "张三", "phone": "---"]]
            let (m3, d3) = try await MediationAPITests.send(app, .POST, "/api/v1/mediations", token: op, body: noPhone)
            XCTAssertEqual(m3, .created, String(decoding: d3, as: UTF8.self))

            // A raced key answers with the first record, for a direct registration as for a report.
            let results = try await withThrowingTaskGroup(of: (HTTPStatus, Data).self) { group in
                for _ in 0..<4 {
                    group.addTask { try await MediationAPITests.send(app, .POST, "/api/v1/mediations", token: op, body: MediationAPITests.direct(people: 5), headers: ["Idempotency-Key": "raced"]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            XCTAssertEqual(results.filter { $0.0 == .created }.count, 1, "\(results.map(\.0))")
            XCTAssertEqual(results.filter { $0.0 == .ok }.count, 3, "\(results.map(\.0))")
            let ids = Set(results.compactMap { (try? JSONSerialization.jsonObject(with: $0.1) as? [String: Any])?["id"] as? String })
            XCTAssertEqual(ids.count, 1, "one mediation")

            // Mediations publish live events, seen by the dispute's area and by the mediators of its committee.
            let event = try await LiveEventsTests.next(app.wangge.events, within: 5) {
                _ = try await MediationAPITests.send(app, .POST, "/api/v1/mediations", token: op, body: MediationAPITests.direct(people: 7))
            }
            XCTAssertEqual(event?.record, "mediation")
            XCTAssertEqual(event?.kind, "created")
            XCTAssertEqual(event?.state, "registered")
            func staff(_ role: Role, _ area: String) -> StaffAccount { StaffAccount(id: UUID(), username: "x", displayName: "x", role: role, scope: Scope(areaCode: area)) }
            XCTAssertEqual(event?.isVisible(to: staff(.operator, "3301001")), true)
            XCTAssertEqual(event?.isVisible(to: staff(.operator, "3301002")), false)
            XCTAssertEqual(event?.isVisible(to: staff(.mediator, "3301001001001")), true, "the grid committee's mediator")
            XCTAssertEqual(event?.isVisible(to: staff(.mediator, "3301002")), false)
        }
    }
}
