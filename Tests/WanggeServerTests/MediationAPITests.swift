import Foundation
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// Mediation through the HTTP API (issue 12), on whichever database the suite runs on.
final class MediationAPITests: XCTestCase {
    struct Summary: Decodable { var id: UUID; var code: String; var status: String; var tier: String; var caseId: UUID?; var risk: Bool }
    struct Detail: Decodable {
        var mediation: Summary; var allowedActions: [String]; var timeline: [Step]; var parties: [Party]; var agreedOn: String?
        struct Step: Decodable { var action: String }
        struct Party: Decodable { var name: String; var phone: String? }
    }
    struct Failure: Decodable { struct E: Decodable { var code: String; var field: String?; var allowedActions: [String]? }; var error: E }

    static let disputeCategory = "0603"  // 邻里纠纷

    /// The test county with a mediator for the east grid, one for the east township, one for the west, and a leader.
    static func world(_ app: Application) async throws {
        try await SmallCounty.load(app)
        for (name, role, area) in [("m_grid", Role.mediator, "3301001001001"), ("m_east", .mediator, "3301001"), ("m_west", .mediator, "3301002"),
                                   ("lead", .leader, "3301"), ("eastgrid", .gridWorker, "3301001001001")] {
            try await Setup.createUser(app, username: name, password: "Orchard-lantern-42", role: role, areaCode: area, departmentCode: nil, displayName: name)
        }
        try await MediationQueries.insert([
            Mediator(id: "m_grid", name: "网格调解员", phone: "13800000001", specialities: ["village_cadre"], areaCodes: ["3301001001001"]),
            Mediator(id: "m_east", name: "东镇律师", phone: "13800000002", specialities: ["lawyer", "retired_judge"], areaCodes: ["3301001"]),
            Mediator(id: "m_west", name: "西镇调解员", phone: nil, specialities: ["volunteer"], areaCodes: ["3301002"]),
        ], on: app.db)
    }

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: [String: Any]? = nil,
                     headers extra: HTTPHeaders = [:]) async throws -> (HTTPStatus, Data) {
        var headers = extra
        headers.add(name: .authorization, value: "Bearer \(token)")
        if body != nil { headers.add(name: .contentType, value: "application/json") }
        var out: (HTTPStatus, Data) = (.ok, Data())
        try await app.test(method, path, headers: headers, body: try body.map { ByteBuffer(data: try JSONSerialization.data(withJSONObject: $0)) }) { res async throws in
            out = (res.status, Data(res.body.readableBytesView))
        }
        return out
    }

    static func act(_ app: Application, _ token: String, _ id: UUID, _ body: [String: Any]) async throws -> (HTTPStatus, Data) {
        try await send(app, .POST, "/api/v1/mediations/\(id)/actions", token: token, body: body)
    }

    static func direct(people: Int = 2, threat: Bool = false, area: String = "3301001001001") -> [String: Any] {
        ["type_code": "neighbour", "description": "两户因排水沟起争执", "area_code": area, "source": "walk_in", "channel": "people",
         "amount_yuan": 5000, "people_count": people, "threat_of_violence": threat,
         "parties": [["role": "applicant", "kind": "person", "name": "张三", "phone": "13812345678"],
                     ["role": "respondent", "kind": "person", "name": "李四"]]]
    }

    func testADisputeCaseOpensAsOneMediationAndClimbsTheTiersToAnAgreement() async throws {
        try await withApp { app, clock in
            try await Self.world(app)
            let op = try await app.token("eastop"), grid = try await app.token("m_grid"), east = try await app.token("m_east")
            // A resident reports a neighbours' dispute in the east grid.
            let (s0, d0) = try await CaseLoopTests.report(app, lon: 120.05, body: ["category_code": Self.disputeCategory, "description": "邻居堆放杂物堵路",
                                                                                 "lat": 30.1, "lon": 120.05, "reporter": ["name": "王五", "phone": "13900001111"]])
            XCTAssertEqual(s0, .created, String(decoding: d0, as: UTF8.self))
            let reported = try CaseLoopTests.decoder.decode(CaseLoopTests.Created.self, from: d0)
            let casesBefore = try await CaseQueries.count(on: app.db)
            let (s1, d1) = try await Self.send(app, .POST, "/api/v1/mediations", token: op, body: ["case_id": reported.id.uuidString], headers: ["Idempotency-Key": "open-1"])
            XCTAssertEqual(s1, .created, String(decoding: d1, as: UTF8.self))
            let m = try CaseLoopTests.decoder.decode(Summary.self, from: d1)
            XCTAssertEqual(m.caseId, reported.id)
            XCTAssertEqual(m.tier, "grid")
            XCTAssertTrue(m.code.hasPrefix("TJ-"))
            // Opening the same case again (by the code this time, another member of staff) answers the same mediation.
            let (s2, d2) = try await Self.send(app, .POST, "/api/v1/mediations", token: try await app.token("countyop"), body: ["case_id": reported.code])
            XCTAssertEqual(s2, .ok)
            XCTAssertEqual(try CaseLoopTests.decoder.decode(Summary.self, from: d2).id, m.id)
            let casesAfter = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(casesAfter, casesBefore, "one identity: no second report")
            // The reporter is the applicant; a mediator sees the contact masked, an operator in full.
            let (_, dm) = try await Self.send(app, .GET, "/api/v1/mediations/\(m.id)", token: grid)
            XCTAssertEqual(try CaseLoopTests.decoder.decode(Detail.self, from: dm).parties.first?.phone, "139****1111")
            let (_, dop) = try await Self.send(app, .GET, "/api/v1/mediations/\(m.id)", token: op)
            XCTAssertEqual(try CaseLoopTests.decoder.decode(Detail.self, from: dop).parties.first?.phone, "13900001111")

            func step(_ token: String, _ body: [String: Any], _ expected: HTTPStatus = .ok, file: StaticString = #filePath, line: UInt = #line) async throws -> Data {
                let (s, d) = try await Self.act(app, token, m.id, body)
                XCTAssertEqual(s, expected, String(decoding: d, as: UTF8.self), file: file, line: line)
                return d
            }
            _ = try await step(grid, ["action": "accept", "complexity": "simple"])
            let (_, suggested) = try await Self.send(app, .GET, "/api/v1/mediations/\(m.id)/suggested-mediators", token: grid)
            struct Suggested: Decodable { var id: String }
            XCTAssertEqual(try CaseLoopTests.decoder.decode([Suggested].self, from: suggested).first?.id, "m_grid", "village cadre, serving the grid")
            _ = try await step(grid, ["action": "assign", "mediator_ids": ["m_grid"]])
            clock.advance(600)
            _ = try await step(grid, ["action": "schedule_session", "at": ISO8601DateFormatter().string(from: clock.now().addingTimeInterval(3_600)), "place": "村委会"])
            _ = try await step(grid, ["action": "record_session", "notes": "未达成一致", "participants": ["张三", "李四"]])
            _ = try await step(grid, ["action": "escalate", "reason": "需村调委会"])
            _ = try await step(op, ["action": "escalate", "reason": "需镇调委会"])
            // The grid mediator no longer has it (nor sees it: it is the township's now); the township's takes it on.
            let gone = try await step(grid, ["action": "assign", "mediator_ids": ["m_grid"]], .notFound)
            XCTAssertEqual(try CaseLoopTests.decoder.decode(Failure.self, from: gone).error.code, "not_found")
            let notYet = try await step(try await app.token("lead"), ["action": "assign", "mediator_ids": ["m_east"]], .conflict)
            XCTAssertEqual(try CaseLoopTests.decoder.decode(Failure.self, from: notYet).error.allowedActions, ["supervise"], "a leader only supervises")
            _ = try await step(east, ["action": "assign", "mediator_ids": ["m_east"]])
            let noConsent = try await step(east, ["action": "extend", "days": 10, "consent": ["applicant": true]], .badRequest)
            XCTAssertEqual(try CaseLoopTests.decoder.decode(Failure.self, from: noConsent).error.field, "consent")
            _ = try await step(east, ["action": "extend", "days": 10, "consent": ["applicant": true, "respondent": true]])
            let today = try await app.wangge.reference.current(on: app.db, now: clock.now()).calendar.civilDate(of: clock.now())
            let agreed = try await step(east, ["action": "agree", "terms": [["obligor": "李四", "description": "清理杂物并赔偿", "amount_yuan": 800.5, "due_date": today.adding(days: 10).description]]])
            XCTAssertEqual(try CaseLoopTests.decoder.decode(Detail.self, from: agreed).agreedOn, today.description)
            _ = try await step(east, ["action": "record_performance", "term": 0, "amount_yuan": 800.5, "performed_on": today.description])
            _ = try await step(op, ["action": "apply_confirmation", "applied_on": today.description, "court": "测试县人民法院"])
            _ = try await step(op, ["action": "confirm"])
            _ = try await step(east, ["action": "follow_up", "result": "settled", "notes": "已清理"])
            let closed = try CaseLoopTests.decoder.decode(Detail.self, from: try await step(op, ["action": "close"]))
            XCTAssertEqual(closed.mediation.status, "closed")
            XCTAssertEqual(closed.timeline.map(\.action), ["register", "accept", "assign", "schedule_session", "record_session", "escalate", "escalate",
                                                           "assign", "extend", "agree", "record_performance", "apply_confirmation", "confirm", "follow_up", "close"])
            // The measures: one received, concluded, agreed, not at its first tier, confirmed; paid 800.50.
            let (sm, dmeas) = try await Self.send(app, .GET, "/api/v1/mediations/measures?from=\(today.adding(days: -1))&to=\(today)", token: try await app.token("lead"))
            XCTAssertEqual(sm, .ok, String(decoding: dmeas, as: UTF8.self))
            struct Rate: Decodable { var numerator: Int; var denominator: Int }
            struct Counts: Decodable { var received: Int; var agreements: Int; var success: Rate; var settledAtFirstTier: Rate; var confirmation: Rate; var amountPaidYuan: Double }
            struct Measures: Decodable { var total: Counts }
            let totals = try CaseLoopTests.decoder.decode(Measures.self, from: dmeas).total
            XCTAssertEqual(totals.received, 1)
            XCTAssertEqual(totals.success.numerator, 1); XCTAssertEqual(totals.success.denominator, 1)
            XCTAssertEqual(totals.settledAtFirstTier.numerator, 0)
            XCTAssertEqual(totals.confirmation.numerator, 1)
            XCTAssertEqual(totals.amountPaidYuan, 800.5)
            // DESIGN §5's measure list gains the mediation success rate.
            let (_, dm5) = try await Self.send(app, .GET, "/api/v1/measures?from=\(today.adding(days: -1))&to=\(today)", token: try await app.token("lead"))
            struct M5: Decodable { var measures: [String: Rate] }
            XCTAssertEqual(try CaseLoopTests.decoder.decode(M5.self, from: dm5).measures["mediation_success"]?.denominator, 1)
            // The SQL count of the success rate equals the records' count, for this history and a failed and a
            // withdrawn one besides, over periods around them.
            let (_, df) = try await Self.send(app, .POST, "/api/v1/mediations", token: op, body: Self.direct())
            let failing = try CaseLoopTests.decoder.decode(Summary.self, from: df)
            for body in [["action": "accept"], ["action": "assign", "mediator_ids": ["m_grid"]], ["action": "fail", "route": "court"]] as [[String: Any]] {
                let (s, d) = try await Self.act(app, op, failing.id, body); XCTAssertEqual(s, .ok, String(decoding: d, as: UTF8.self))
            }
            let (_, dw) = try await Self.send(app, .POST, "/api/v1/mediations", token: op, body: Self.direct())
            let (sw, _) = try await Self.act(app, op, try CaseLoopTests.decoder.decode(Summary.self, from: dw).id, ["action": "withdraw"])
            XCTAssertEqual(sw, .ok)
            let cal = try await app.wangge.reference.current(on: app.db, now: clock.now()).calendar
            for (from, to) in [(-1, 0), (0, 0), (-30, -1), (1, 2)] {
                let period = DateInterval(start: cal.start(of: today.adding(days: from)), end: cal.start(of: today.adding(days: to + 1)))
                var byRecords = MediationCounts()
                for m in try await MediationQueries.counted(scopePath: "3301/", from: .distantPast, to: .distantFuture, on: app.db) {
                    byRecords.add(MediationMeasures.counts(m.snapshot, period: period, calendar: cal))
                }
                let bySQL = try await MediationsAPI.counts(scopePath: "3301/", period: period, calendar: cal, cache: PieceCache(), on: app.db).total.success
                XCTAssertEqual(bySQL, byRecords.success, "\(from)…\(to)")
            }
        }
    }

    func testAMediatorOutsideTheAreaGets404AndSeesNothingOfIt() async throws {
        try await withApp { app, _ in
            try await Self.world(app)
            let op = try await app.token("eastop"), west = try await app.token("m_west"), grid = try await app.token("m_grid")
            let (s, d) = try await Self.send(app, .POST, "/api/v1/mediations", token: op, body: Self.direct())
            XCTAssertEqual(s, .created, String(decoding: d, as: UTF8.self))
            let m = try CaseLoopTests.decoder.decode(Summary.self, from: d)
            let (g, _) = try await Self.send(app, .GET, "/api/v1/mediations/\(m.id)", token: west)
            XCTAssertEqual(g, .notFound)
            let (a, _) = try await Self.act(app, west, m.id, ["action": "accept"])
            XCTAssertEqual(a, .notFound)
            let (_, list) = try await Self.send(app, .GET, "/api/v1/mediations", token: west)
            XCTAssertFalse(String(decoding: list, as: UTF8.self).contains(m.code))
            // The grid's own mediator sees it in their list and may take it on.
            let (_, mine) = try await Self.send(app, .GET, "/api/v1/mediations?status=registered", token: grid)
            XCTAssertTrue(String(decoding: mine, as: UTF8.self).contains(m.code))
            let (ok, _) = try await Self.act(app, grid, m.id, ["action": "accept"])
            XCTAssertEqual(ok, .ok)
            // Grid workers report disputes; they do not work mediations.
            let (forbidden, _) = try await Self.send(app, .GET, "/api/v1/mediations", token: try await app.token("eastgrid"))
            XCTAssertEqual(forbidden, .forbidden)
        }
    }

    func testBadInputNamesTheFieldAndWritesNothing() async throws {
        try await withApp { app, clock in
            try await Self.world(app)
            let op = try await app.token("countyop")
            func refusal(_ body: [String: Any]) async throws -> (HTTPStatus, String?) {
                let (s, d) = try await Self.send(app, .POST, "/api/v1/mediations", token: op, body: body)
                return (s, try? CaseLoopTests.decoder.decode(Failure.self, from: d).error.field)
            }
            var b = Self.direct(); b["type_code"] = "astrology"
            var r = try await refusal(b); XCTAssertEqual(r.0, .badRequest); XCTAssertEqual(r.1, "type_code")
            b = Self.direct(); b["parties"] = []
            r = try await refusal(b); XCTAssertEqual(r.1, "parties")
            b = Self.direct(); b["parties"] = [["role": "respondent", "kind": "person", "name": "李四"]]
            r = try await refusal(b); XCTAssertEqual(r.1, "parties")
            b = Self.direct(); b["amount_yuan"] = -5
            r = try await refusal(b); XCTAssertEqual(r.1, "amount_yuan")
            let count = try await MediationQueries.list(MediationFilter(scopePath: "3301/"), page: 1, per: 10, on: app.db).total
            XCTAssertEqual(count, 0, "nothing written")

            let (_, d) = try await Self.send(app, .POST, "/api/v1/mediations", token: op, body: Self.direct())
            let m = try CaseLoopTests.decoder.decode(Summary.self, from: d)
            for (body, field) in [(["action": "accept"], nil), (["action": "assign", "mediator_ids": ["m_grid"]], nil)] as [([String: Any], String?)] {
                let (s, dd) = try await Self.act(app, op, m.id, body)
                XCTAssertEqual(s, .ok, String(decoding: dd, as: UTF8.self)); _ = field
            }
            let today = try await app.wangge.reference.current(on: app.db, now: clock.now()).calendar.civilDate(of: clock.now())
            let before = try await RecordStore<MediationKind>.actions(id: m.id, on: app.db).count
            let cases: [([String: Any], String)] = [
                (["action": "agree", "terms": []], "terms"),
                (["action": "agree", "terms": [["obligor": "李四", "description": "赔偿", "amount_yuan": 10, "due_date": today.adding(days: -1).description]]], "terms[0].due_date"),
                (["action": "extend", "days": 5, "consent": ["applicant": true, "respondent": false]], "consent"),
                (["action": "extend", "days": 500, "consent": ["applicant": true, "respondent": true]], "days"),
                (["action": "fail", "route": "duel"], "route"),
                (["action": "fly"], "action"),
            ]
            for (body, field) in cases {
                let (s, dd) = try await Self.act(app, op, m.id, body)
                XCTAssertEqual(s, .badRequest, "\(body): \(String(decoding: dd, as: UTF8.self))")
                XCTAssertEqual(try CaseLoopTests.decoder.decode(Failure.self, from: dd).error.field, field)
            }
            let after = try await RecordStore<MediationKind>.actions(id: m.id, on: app.db).count
            XCTAssertEqual(after, before, "nothing written")
            // The confirmation window: an agreement, then an application 31 days after it.
            let (sa, _) = try await Self.act(app, op, m.id, ["action": "agree", "terms": [["obligor": "李四", "description": "赔偿", "amount_yuan": 10, "due_date": today.adding(days: 5).description]]])
            XCTAssertEqual(sa, .ok)
            clock.advance(40 * 86_400)
            let op2 = try await app.token("countyop")
            let (late, dl) = try await Self.act(app, op2, m.id, ["action": "apply_confirmation", "applied_on": today.adding(days: 31).description, "court": "法院"])
            XCTAssertEqual(late, .badRequest)
            XCTAssertEqual(try CaseLoopTests.decoder.decode(Failure.self, from: dl).error.field, "applied_on")
            // Escalation above the county.
            let (_, d2) = try await Self.send(app, .POST, "/api/v1/mediations", token: op2, body: Self.direct())
            let top = try CaseLoopTests.decoder.decode(Summary.self, from: d2)
            for _ in 0..<3 { let (s, _) = try await Self.act(app, op2, top.id, ["action": "escalate", "reason": "上交"]); XCTAssertEqual(s, .ok) }
            let (over, dov) = try await Self.act(app, op2, top.id, ["action": "escalate", "reason": "再上交"])
            XCTAssertEqual(over, .conflict)
            XCTAssertEqual(try CaseLoopTests.decoder.decode(Failure.self, from: dov).error.allowedActions?.contains("escalate"), false)
        }
    }

    func testACountyKeepsItsOwnCatalogueOfTypes() async throws {
        try await withApp(configure: { config in
            let file = #"{"types": [{"code": "water", "name": "用水纠纷", "name_en": "Water", "category_codes": ["0603"], "specialities": ["elder"]}], "specialities": [{"code": "elder", "name": "老党员", "name_en": "Veteran member"}]}"#
            try? FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: config.dataDirectory + "/mediation.json", contents: Data(file.utf8))
        }) { app, _ in
            try await Self.world(app)
            let op = try await app.token("eastop")
            let (_, types) = try await Self.send(app, .GET, "/api/v1/mediation-types", token: op)
            struct T: Decodable { var code: String }
            XCTAssertEqual(try CaseLoopTests.decoder.decode([T].self, from: types).map(\.code), ["water"])
            var body = Self.direct()
            let (refused, d) = try await Self.send(app, .POST, "/api/v1/mediations", token: op, body: body)
            XCTAssertEqual(refused, .badRequest, "neighbour is not this county's type")
            XCTAssertEqual(try CaseLoopTests.decoder.decode(Failure.self, from: d).error.field, "type_code")
            body["type_code"] = "water"
            let (ok, _) = try await Self.send(app, .POST, "/api/v1/mediations", token: op, body: body)
            XCTAssertEqual(ok, .created)
        }
    }

    func testTwoMediatorsAtOnceOneWinsTheOtherGets409AndLateWorkIsSupervised() async throws {
        try await withApp { app, clock in
            try await Self.world(app)
            let op = try await app.token("eastop")
            let (_, d) = try await Self.send(app, .POST, "/api/v1/mediations", token: op, body: Self.direct(people: 8))
            let created = try CaseLoopTests.decoder.decode(Summary.self, from: d)
            XCTAssertTrue(created.risk, "eight people: a risk of escalation")
            let notices = try await MediationQueries.notices(scopePath: "3301/3301001/", limit: 10, on: app.db)
            XCTAssertEqual(notices.map(\.kind), [MediationQueries.escalationRisk], "the township's leaders are told")
            // …on their dashboard.
            let (ds, dash) = try await Self.send(app, .GET, "/dashboard", token: try await app.token("lead"))
            XCTAssertEqual(ds, .ok)
            XCTAssertTrue(String(decoding: dash, as: UTF8.self).contains(created.code), "the notice is listed on the dashboard")
            guard let stale = try await RecordStore<MediationKind>.find(id: created.id, on: app.db) else { return XCTFail("no mediation") }
            let service = app.mediationService
            let a = RecordActor.staff(ActingStaff(username: "m_grid", role: .mediator, areaCode: "3301001001001"))
            let b = RecordActor.staff(ActingStaff(username: "m_east", role: .mediator, areaCode: "3301001"))
            _ = try await service.act(.accept(complexity: .simple), on: stale, by: a, at: clock.now())
            do {
                _ = try await service.act(.accept(complexity: .general), on: stale, by: b, at: clock.now())
                XCTFail("the second writer on the same version must lose")
            } catch is RecordConflict {}
            // Through the API the loser hears 409 (the state moved on, so accept is no longer allowed).
            let (s, _) = try await Self.act(app, try await app.token("m_east"), created.id, ["action": "accept"])
            XCTAssertEqual(s, .conflict)
            // A simple dispute has one working day: past it, the clock job supervises once.
            clock.advance(3 * 86_400)
            let first = try await ClockRunner.runOnce(app)
            XCTAssertEqual(s, .conflict)
            let second = try await ClockRunner.runOnce(app)
            XCTAssertEqual(first.supervisions, 1)
            XCTAssertEqual(second.supervisions, 0)
        }
    }
}
