import Foundation
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// Issue 18: the mediation pages' views rendered without HTTP (`PageContext.mock`), with markup typed into every
/// field a person fills: it stays text everywhere, and the forms' selects list their options.
final class MediationViewTests: XCTestCase {
    typealias M = MediationAPITests
    static let evil = "<script>alert(1)</script><b onmouseover=x>\"'&"

    func testMarkupInEveryMediationFieldStaysText() async throws {
        try await withApp { app, clock in
            try await M.world(app)
            let op = try await app.token("eastop"), grid = try await app.token("m_grid"), county = try await app.token("countyop")
            var body = M.direct()
            body["description"] = "描述" + Self.evil
            body["parties"] = [["role": "applicant", "kind": "person", "name": "张" + Self.evil, "phone": "13812345678"],
                               ["role": "respondent", "kind": "organisation", "name": "公司" + Self.evil]]
            let (s, d) = try await M.send(app, .POST, "/api/v1/mediations", token: op, body: body)
            XCTAssertEqual(s, .created, String(decoding: d, as: UTF8.self))
            let id = try CaseLoopTests.decoder.decode(M.Summary.self, from: d).id
            let at = ISO8601DateFormatter().string(from: clock.now().addingTimeInterval(3_600))
            for step: [String: Any] in [
                ["action": "accept", "complexity": "general"],
                ["action": "assign", "mediator_ids": ["m_grid"]],
                ["action": "schedule_session", "at": at, "place": "地点" + Self.evil],
                ["action": "record_session", "notes": "笔录" + Self.evil, "participants": ["参加人" + Self.evil]],
                ["action": "schedule_session", "at": at, "place": "再约" + Self.evil],
                ["action": "agree", "terms": [["obligor": "义务人" + Self.evil, "description": "条款" + Self.evil, "amount_yuan": 100, "due_date": "2026-12-31"],
                                              ["obligor": "第二" + Self.evil, "description": "道歉" + Self.evil, "amount_yuan": 0, "due_date": "2026-12-31"]]],
                ["action": "record_performance", "term": 0, "amount_yuan": 50, "performed_on": "2026-11-23"],
                ["action": "apply_confirmation", "applied_on": "2026-11-23", "court": "法院" + Self.evil],
                ["action": "refuse_confirmation", "reason": "理由" + Self.evil],
                ["action": "follow_up", "result": "settled", "notes": "回访" + Self.evil],
            ] {
                clock.advance(60)
                let r = try await M.act(app, grid, id, step)
                XCTAssertEqual(r.0, .ok, "\(step["action"]!): \(String(decoding: r.1, as: UTF8.self))")
            }
            _ = county
            // `guard let`, not XCTUnwrap: a large struct unwrapped in an async test crashed Swift 6.3 (see the notes).
            guard let m = try await RecordStore<MediationKind>.find(id: id, on: app.db) else { return XCTFail("stored") }
            let records = try await RecordStore<MediationKind>.actions(id: id, on: app.db)
            let ref = try await app.wangge.reference.current(on: app.db, now: clock.now())
            let j = try await app.wangge.jurisdictions.current(on: app.db, now: clock.now()).jurisdiction
            let catalogue = app.mediationService.catalogue
            let row = MediationView.Row(m, now: clock.now(), calendar: ref.calendar, j: j, catalogue: catalogue)
            let suggested = [MediatorDTO(id: "m" + Self.evil, name: "调解员" + Self.evil, phone: nil, specialities: ["lawyer"], areaCodes: [], load: 1, score: 3)]
            for viewer in [Role.operator, .mediator, .leader] {
                var ctx = PageContext.mock
                ctx.staff = StaffAccount(id: UUID(), username: "v", displayName: "查看人" + Self.evil, role: viewer, scope: Scope(areaCode: "3301", departmentCode: nil))
                let pages = [
                    MediationView.page(row, records: records, allowed: MediationActionKind.allCases, suggested: suggested, viewer: viewer,
                                       linkedCase: "AL-1" + Self.evil, catalogue: catalogue, ctx),
                    MediationView.agreement(m, committee: "委员会" + Self.evil, place: "地方" + Self.evil, viewer: viewer, ctx),
                    MediationView.workbench(mine: [row], mineTotal: 1, page: 1, per: 50, sessions: [(row, m.snapshot.sessions.last!)], due: [row], dueTotal: 1, ctx),
                ]
                for html in pages {
                    XCTAssertFalse(html.contains("<script>alert"), "script kept as markup for \(viewer)")
                    XCTAssertFalse(html.contains("<b onmouseover"), "markup kept for \(viewer)")
                    XCTAssertFalse(html.contains("[<option") || html.contains("HTML(text:"), "a Swift value printed into the page")
                }
                let page = pages[0]
                XCTAssertTrue(page.contains("&lt;script&gt;"), "the text is there, escaped")
                // The performance form's select lists the terms as options.
                XCTAssertTrue(page.contains("<select name=\"term\"><option value=\"0\">1. 义务人&lt;script&gt;"), "the select renders its options")
            }
        }
    }
}
