import Foundation
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// The one registry through the API (issue 20, first slice): a place entered at a point lands in its grid, with its
/// type's attributes checked and its contact masked for those who do not call people; another township sees
/// nothing of it; a household holds an address and a size only and may take its building's point; a change sends
/// only what changed, needs the version read and is kept as history; a retry with the same key makes one entry.
final class RegistryAPITests: XCTestCase {
    func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: [String: Any]? = nil,
              key: String? = nil) async throws -> (HTTPStatus, [String: Any]) {
        try await ThirdKindTests.send(app, method, path, token: token, body: body, key: key)
    }

    func field(_ r: [String: Any]) -> String? { (r["error"] as? [String: Any])?["field"] as? String }

    func testAPlaceLandsInItsGridWithItsTypesAttributesAndIsKeptWithItsHistory() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker"), west = try await app.token("westop"), east = try await app.token("eastop")
            let place: [String: Any] = ["name": "老街面馆", "address": "西村老街 12 号", "lat": 30.1, "lon": 120.25, "type_code": "restaurant",
                                        "attributes": ["gas": "cylinder", "seats": "24"], "contact_name": "王老板", "contact_phone": "13912345678"]
            let (s, made) = try await send(app, .POST, "/api/v1/registry/places", token: worker, body: place, key: "place-1")
            XCTAssertEqual(s, .created, "\(made)")
            let entry = try XCTUnwrap(made["entry"] as? [String: Any])
            let id = try XCTUnwrap(entry["id"] as? String)
            XCTAssertEqual((entry["grid"] as? [String: Any])?["code"] as? String, "3301002001001", "placed in its grid by its point")
            XCTAssertEqual(entry["contact_phone"] as? String, "139****5678", "a grid worker sees the contact masked")
            XCTAssertEqual(entry["version"] as? Int, 1)
            let (again, same) = try await send(app, .POST, "/api/v1/registry/places", token: worker, body: place, key: "place-1")
            XCTAssertEqual(again, .ok)
            XCTAssertEqual((same["entry"] as? [String: Any])?["id"] as? String, id, "the same key and body answer the first entry")
            var other = place
            other["name"] = "另一家"
            let (reused, _) = try await send(app, .POST, "/api/v1/registry/places", token: worker, body: other, key: "place-1")
            XCTAssertEqual(reused, .conflict)

            // Bad entries: a 400 naming the field, nothing written.
            for (change, name) in [(["type_code": "casino"], "type_code"), (["attributes": ["seats": "24"]], "attributes.gas"),
                                   (["attributes": ["gas": "cylinder", "owner_id": "x"]], "attributes.owner_id"),
                                   (["attributes": ["gas": "coal"]], "attributes.gas"), (["lat": 31.5], "lat"), (["lon": 120.05], "lat"),
                                   (["name": ""], "name"), (["contact_phone": "call me"], "contact_phone")] as [([String: Any], String)] {
                let (bad, e) = try await send(app, .POST, "/api/v1/registry/places", token: worker, body: place.merging(change) { _, new in new })
                XCTAssertEqual(bad, .badRequest, "\(change) \(e)")
                XCTAssertEqual(field(e), name, "\(change)")
            }
            let (_, listed) = try await send(app, .GET, "/api/v1/registry/places?type=restaurant", token: west)
            XCTAssertEqual(listed["total"] as? Int, 1, "nothing of the bad requests was written")
            let shown = try XCTUnwrap((listed["entries"] as? [[String: Any]])?.first)
            XCTAssertEqual(shown["contact_phone"] as? String, "13912345678", "the township's operator calls people: unmasked, and audited")
            let audited = try await AuditQueries.search(AuditQueries.Filter(recordID: id), page: 1, per: 50, on: app.db)
            XCTAssertTrue(audited.events.contains { $0.view.recordKind == "registry" && $0.username == "westop" }, "\(audited.events.map(\.view))")

            // Another township sees nothing of it.
            let (_, eastList) = try await send(app, .GET, "/api/v1/registry/places", token: east)
            XCTAssertEqual(eastList["total"] as? Int, 0)
            let (hidden, _) = try await send(app, .GET, "/api/v1/registry/places/\(id)", token: east)
            XCTAssertEqual(hidden, .notFound)
            let (wrongKind, _) = try await send(app, .GET, "/api/v1/registry/households/\(id)", token: west)
            XCTAssertEqual(wrongKind, .notFound)
            let (unknownKind, _) = try await send(app, .GET, "/api/v1/registry/people", token: west)
            XCTAssertEqual(unknownKind, .notFound)

            // A change sends only what changed, with the version read.
            let (p1, changed) = try await send(app, .PATCH, "/api/v1/registry/places/\(id)", token: west,
                                               body: ["version": 1, "attributes": ["gas": "pipeline"], "contact_phone": "13900001111"])
            XCTAssertEqual(p1, .ok, "\(changed)")
            XCTAssertEqual((changed["entry"] as? [String: Any])?["version"] as? Int, 2)
            XCTAssertEqual(((changed["entry"] as? [String: Any])?["attributes"] as? [String: String])?["seats"], "24", "what was not sent stays")
            let history = try XCTUnwrap(changed["history"] as? [[String: Any]])
            XCTAssertEqual(history.count, 2)
            let fields = (history[1]["changes"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            XCTAssertEqual(fields, ["contact_phone", "attributes.gas"])
            let (stale, _) = try await send(app, .PATCH, "/api/v1/registry/places/\(id)", token: west, body: ["version": 1, "name": "新名字"])
            XCTAssertEqual(stale, .conflict, "the entry moved on since version 1")
            let (moved, e) = try await send(app, .PATCH, "/api/v1/registry/places/\(id)", token: west, body: ["version": 2, "lat": 30.1, "lon": 120.05])
            XCTAssertEqual(moved, .badRequest, "moved into the east township: outside the west operator's scope")
            XCTAssertEqual(field(e), "lat")
            let (_, masked) = try await send(app, .GET, "/api/v1/registry/places/\(id)", token: worker)
            let maskedChanges = ((masked["history"] as? [[String: Any]])?[1]["changes"] as? [[String: Any]]) ?? []
            XCTAssertEqual(maskedChanges.first?["to"] as? String, "139****1111", "history masks contacts like the entry")
        }
    }

    func testAHouseholdHoldsAnAddressAndASizeAndMayTakeItsBuildingsPoint() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker")
            let (b, building) = try await send(app, .POST, "/api/v1/registry/buildings", token: worker,
                                                body: ["name": "西村 3 幢", "address": "西村新村 3 幢", "lat": 30.05, "lon": 120.35])
            XCTAssertEqual(b, .badRequest, "the point lies in the west's second grid, outside the worker's grid")
            XCTAssertEqual(field(building), "lat")
            let (b2, building2) = try await send(app, .POST, "/api/v1/registry/buildings", token: worker,
                                                  body: ["name": "西村 3 幢", "address": "西村新村 3 幢", "lat": 30.05, "lon": 120.25])
            XCTAssertEqual(b2, .created, "\(building2)")
            let buildingID = try XCTUnwrap((building2["entry"] as? [String: Any])?["id"] as? String)
            let (h, household) = try await send(app, .POST, "/api/v1/registry/households", token: worker,
                                                 body: ["address": "西村新村 3 幢 201", "size": 3, "building_id": buildingID])
            XCTAssertEqual(h, .created, "\(household)")
            let entry = try XCTUnwrap(household["entry"] as? [String: Any])
            XCTAssertEqual(entry["lat"] as? Double, 30.05, "the building's point")
            XCTAssertEqual((entry["grid"] as? [String: Any])?["code"] as? String, "3301002001001")
            for (body, name) in [(["address": "西村 1 号", "size": 0, "lat": 30.1, "lon": 120.25], "size"),
                                 (["address": "西村 1 号", "size": 2, "lat": 30.1, "lon": 120.25, "name": "张三家"], "name"),
                                 (["address": "西村 1 号", "size": 2, "lat": 30.1, "lon": 120.25, "contact_phone": "13900000000"], "contact_phone"),
                                 (["address": "西村 1 号", "size": 2], "lat"),
                                 (["address": "西村 1 号", "size": 2, "building_id": UUID().uuidString], "building_id")] as [([String: Any], String)] {
                let (bad, e) = try await send(app, .POST, "/api/v1/registry/households", token: worker, body: body)
                XCTAssertEqual(bad, .badRequest, "\(body) \(e)")
                XCTAssertEqual(field(e), name, "\(body)")
            }
            let (_, types) = try await send(app, .GET, "/api/v1/place-types", token: worker)
            XCTAssertTrue((types["place_types"] as? [[String: Any]])?.contains { $0["code"] as? String == "restaurant" } == true)
            let (_, lists) = try await send(app, .GET, "/api/v1/checklists", token: worker)
            XCTAssertTrue((lists["checklists"] as? [[String: Any]])?.contains { $0["code"] as? String == "fire_small" } == true)
        }
    }

    func testAnInspectionsFailedItemsRaiseOneCaseEachRoutedLikeAnyReportEvenWhenSentTwice() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker"), east = try await app.token("eastop")
            let (_, made) = try await send(app, .POST, "/api/v1/registry/places", token: worker, body: [
                "name": "老街面馆", "address": "西村老街 12 号", "lat": 30.1, "lon": 120.25, "type_code": "restaurant", "attributes": ["gas": "cylinder"]])
            let placeID = try XCTUnwrap((made["entry"] as? [String: Any])?["id"] as? String)
            let (up, uploaded) = try await TrustRoundTwoTests.upload(app, token: worker, [TrustRoundTwoTests.jpeg(2_000, seed: 7)])
            XCTAssertEqual(up, .ok, uploaded)
            let sha = try XCTUnwrap(((try JSONSerialization.jsonObject(with: Data(uploaded.utf8)) as? [[String: Any]])?.first)?["sha256"] as? String)
            func results(failing: [String: [String]]) -> [[String: Any]] {
                ["licence", "kitchen", "expiry"].map { code in
                    if let photos = failing[code] { return ["item_code": code, "passed": false, "note": "未见食品经营许可证", "photo_ids": photos] }
                    return ["item_code": code, "passed": true]
                }
            }
            let body: [String: Any] = ["place_id": placeID, "checklist_code": "food", "results": results(failing: ["licence": [sha]])]

            // Bad inspections: a 400 naming the field, nothing written and no case raised.
            var extra = body
            extra["results"] = results(failing: [:]) + [["item_code": "roof", "passed": true]]
            for (bad, name) in [(extra, "results[3].item_code"), (body.merging(["checklist_code": "work_safety"]) { _, n in n }, "checklist_code"),
                                (body.merging(["results": results(failing: ["kitchen": []])]) { _, n in n }, "results[1].photo_ids"),
                                (body.merging(["results": results(failing: ["licence": [(sha.first == "0" ? "1" : "0") + String(sha.dropFirst())]])]) { _, n in n }, "results[0].photo_ids"),
                                (body.merging(["place_id": UUID().uuidString]) { _, n in n }, "place_id")] as [([String: Any], String)] {
                let (s, e) = try await send(app, .POST, "/api/v1/inspections", token: worker, body: bad, key: UUID().uuidString)
                XCTAssertEqual(s, .badRequest, "\(name) \(e)")
                XCTAssertEqual(field(e), name)
            }
            let (outside, _) = try await send(app, .POST, "/api/v1/inspections", token: east, body: body)
            XCTAssertEqual(outside, .badRequest, "the west's place is outside the east's scope")
            let before = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(before, 0, "no bad inspection raised a case")

            // The failed item raises one hazard case, routed as a report of its category at the place would be.
            let (s1, first) = try await send(app, .POST, "/api/v1/inspections", token: worker, body: body, key: "insp-1")
            XCTAssertEqual(s1, .created, "\(first)")
            let cases = try XCTUnwrap(first["cases"] as? [[String: Any]])
            XCTAssertEqual(cases.count, 1)
            XCTAssertEqual(cases.first?["item_code"] as? String, "licence")
            let ref = try await app.wangge.reference.current(on: app.db, now: Date())
            let j = try await app.wangge.jurisdictions.current(on: app.db).jurisdiction
            let routed = try CaseRouter.route(category: try XCTUnwrap(ref.catalogue["0302"]), location: j.locate(GeoPoint(lon: 120.25, lat: 30.1)),
                                              departments: ref.departments, jurisdiction: j)
            XCTAssertNotNil(routed.assigneeDepartment)
            XCTAssertEqual((cases.first?["department"] as? [String: Any])?["id"] as? String, routed.assigneeDepartment?.code,
                           "routed like any report of the category at that point")
            let caseID = try XCTUnwrap(cases.first?["id"] as? String)
            let stored = try await CaseQueries.find(id: try XCTUnwrap(UUID(uuidString: caseID)), on: app.db)
            XCTAssertEqual(stored?.snapshot.intake.areas.first?.code, "3301002001001")
            XCTAssertEqual(stored?.report.categoryCode, "0302")
            XCTAssertTrue(stored?.report.description.contains("老街面馆") == true)

            // Sent again from the outbox with the same key: the same inspection and case, nothing new.
            let (s2, again) = try await send(app, .POST, "/api/v1/inspections", token: worker, body: body, key: "insp-1")
            XCTAssertEqual(s2, .ok, "\(again)")
            XCTAssertEqual(again["id"] as? String, first["id"] as? String)
            XCTAssertEqual((again["cases"] as? [[String: Any]])?.first?["id"] as? String, caseID)
            let after = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(after, 1, "one case for the failed item")
            let (reused, _) = try await send(app, .POST, "/api/v1/inspections", token: worker,
                                              body: body.merging(["results": results(failing: [:])]) { _, n in n }, key: "insp-1")
            XCTAssertEqual(reused, .conflict)
            let (clean, passed) = try await send(app, .POST, "/api/v1/inspections", token: worker,
                                                 body: body.merging(["results": results(failing: [:])]) { _, n in n })
            XCTAssertEqual(clean, .created)
            XCTAssertEqual(passed["passed"] as? Bool, true)
            XCTAssertEqual((passed["cases"] as? [Any])?.count, 0)
        }
    }

    func testAGridsOwnVisitTargetDecidesWhatIsDueItsCoverageAndItsAssessment() async throws {
        // The county visits the west's second grid every month; everyone else once a quarter.
        var catalogue = FieldCatalogue.standard
        catalogue.visitTargets = VisitTargets(period: .quarter, areas: [.init(areaCode: "3301002001002", period: .month)])
        let file = try JSONEncoder().encode(catalogue)
        try await withApp(configure: { config in
            try? FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: config.dataDirectory + "/field.json", contents: file)
        }) { app, _ in
            try await SmallCounty.load(app)
            let west = try await app.token("westop")
            var ids: [String] = []
            for (i, lon) in [120.25, 120.26, 120.35, 120.36].enumerated() {
                let (_, made) = try await send(app, .POST, "/api/v1/registry/households", token: west, body: ["address": "西村 \(i) 号", "size": 2, "lat": 30.1, "lon": lon])
                ids.append(try XCTUnwrap((made["entry"] as? [String: Any])?["id"] as? String))
            }
            // Met on 25 October: this quarter (the first grid's period) but not this month (the second's).
            for h in [ids[0], ids[2]] {
                let (s, v) = try await send(app, .POST, "/api/v1/visits", token: west, body: ["household_id": h, "outcome": "met", "day": "2026-10-25"])
                XCTAssertEqual(s, .created, "\(v)")
            }
            let (_, today) = try await send(app, .GET, "/api/v1/field/today", token: west)
            XCTAssertEqual(Set((today["households"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []), Set([ids[1], ids[2], ids[3]]),
                           "the monthly grid's household met in October is due again; the quarterly one's is not")
            XCTAssertEqual(today["period"] as? String, "2026-11,2026-Q4")
            let (_, coverage) = try await send(app, .GET, "/api/v1/coverage?area=3301002", token: west)
            let targets = (coverage["grids"] as? [[String: Any]])?.map { (($0["grid"] as? [String: Any])?["code"] as? String ?? "", $0["target"] as? String ?? "") }
            XCTAssertEqual(targets?.map(\.1), ["quarter", "month"])
            // Quarterly: 1 met of a target of ⌈2 × 54/92⌉ = 2. Monthly: none met this month of ⌈2 × 23/30⌉ = 2. The village
            // (the standard formula scores a part with 3 or more behind it): 1 of 4.
            let (_, villages) = try await send(app, .GET, "/api/v1/assessments?level=village&area=3301002&month=2026-11", token: west)
            let part = ((villages["results"] as? [[String: Any]])?.first?["parts"] as? [[String: Any]])?.first { $0["measure"] as? String == "visit_coverage" }
            XCTAssertEqual(part?["numerator"] as? Int, 1, "\(villages)")
            XCTAssertEqual(part?["denominator"] as? Int, 4)
        }
        var bad = FieldCatalogue.standard
        bad.visitTargets = VisitTargets(period: .quarter, areas: [.init(areaCode: "330 1", period: .month)])
        XCTAssertEqual(bad.problems.map(\.field), ["visit_targets.areas[0].area_code"])
    }

    func testAFailedItemThatSaysSoAlsoEntersTheRiskRegisterOnce() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker"), west = try await app.token("westop")
            let (_, made) = try await send(app, .POST, "/api/v1/registry/places", token: worker, body: [
                "name": "夜宵排档", "address": "西村老街 20 号", "lat": 30.1, "lon": 120.25, "type_code": "restaurant", "attributes": ["gas": "cylinder"]])
            let placeID = try XCTUnwrap((made["entry"] as? [String: Any])?["id"] as? String)
            let (_, uploaded) = try await TrustRoundTwoTests.upload(app, token: worker, [TrustRoundTwoTests.jpeg(2_000, seed: 11)])
            let sha = try XCTUnwrap(((try JSONSerialization.jsonObject(with: Data(uploaded.utf8)) as? [[String: Any]])?.first)?["sha256"] as? String)
            // 经营场所住人 fails into a fire hazard case and, as the item says, a fire risk; 电动车 into a case only.
            let results: [[String: Any]] = ["extinguishers", "exits", "wiring", "ebikes", "no_sleeping"].map { code in
                ["ebikes", "no_sleeping"].contains(code) ? ["item_code": code, "passed": false, "note": "后厨住人", "photo_ids": [sha]] : ["item_code": code, "passed": true]
            }
            let body: [String: Any] = ["place_id": placeID, "checklist_code": "fire_small", "results": results]
            let (s1, first) = try await send(app, .POST, "/api/v1/inspections", token: worker, body: body, key: "insp-risk-1")
            XCTAssertEqual(s1, .created, "\(first)")
            let cases = try XCTUnwrap(first["cases"] as? [[String: Any]])
            XCTAssertEqual(cases.count, 2)
            let sleeping = try XCTUnwrap(cases.first { $0["item_code"] as? String == "no_sleeping" })
            XCTAssertNil(cases.first { $0["item_code"] as? String == "ebikes" }?["risk_code"] as? String, "this item enters no risk")
            let riskCode = try XCTUnwrap(sleeping["risk_code"] as? String)
            let (_, again) = try await send(app, .POST, "/api/v1/inspections", token: worker, body: body, key: "insp-risk-1")
            XCTAssertEqual((again["cases"] as? [[String: Any]])?.first { $0["item_code"] as? String == "no_sleeping" }?["risk_code"] as? String, riskCode,
                           "sent twice: one risk")
            let (_, risks) = try await send(app, .GET, "/api/v1/risks", token: west)
            let listed = try XCTUnwrap(risks["risks"] as? [[String: Any]])
            XCTAssertEqual(listed.count, 1)
            XCTAssertEqual(listed.first?["code"] as? String, riskCode)
            XCTAssertEqual(listed.first?["category_code"] as? String, "fire")
            XCTAssertEqual((listed.first?["area"] as? [String: Any])?["code"] as? String, "3301002001001", "in the place's grid")
            let (_, detail) = try await send(app, .GET, "/api/v1/risks/\(try XCTUnwrap(listed.first?["id"] as? String))", token: west)
            XCTAssertEqual(detail["case_codes"] as? [String], [try XCTUnwrap(sleeping["code"] as? String)], "linked to the case that raised it")
        }
    }

    func testAClosedHazardCaseMakesItsPlaceDueAgainAndCountsAsRectifiedOnTime() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker"), op = try await app.token("westop"), handler = try await app.token("westmarket")
            let admin = try await Setup.createUser(app, username: "countyadmin", password: "Orchard-lantern-42", role: .admin, areaCode: "3301",
                                                   departmentCode: nil, displayName: "县管理员")
            _ = admin
            let (_, made) = try await send(app, .POST, "/api/v1/registry/places", token: worker, body: [
                "name": "老街面馆", "address": "西村老街 12 号", "lat": 30.1, "lon": 120.25, "type_code": "restaurant", "attributes": ["gas": "cylinder"]])
            let placeID = try XCTUnwrap((made["entry"] as? [String: Any])?["id"] as? String)
            let (_, uploaded) = try await TrustRoundTwoTests.upload(app, token: worker, [TrustRoundTwoTests.jpeg(2_000, seed: 9)])
            let sha = try XCTUnwrap(((try JSONSerialization.jsonObject(with: Data(uploaded.utf8)) as? [[String: Any]])?.first)?["sha256"] as? String)
            let results: [[String: Any]] = [["item_code": "licence", "passed": false, "note": "未见食品经营许可证", "photo_ids": [sha]],
                                            ["item_code": "kitchen", "passed": true], ["item_code": "expiry", "passed": true]]
            let (s, inspected) = try await send(app, .POST, "/api/v1/inspections", token: worker,
                                                body: ["place_id": placeID, "checklist_code": "food", "results": results], key: "insp-again-1")
            XCTAssertEqual(s, .created, "\(inspected)")
            let raised = try XCTUnwrap((inspected["cases"] as? [[String: Any]])?.first)
            let caseID = try XCTUnwrap(UUID(uuidString: try XCTUnwrap(raised["id"] as? String)))
            let department = try XCTUnwrap((raised["department"] as? [String: Any])?["id"] as? String)
            XCTAssertEqual(department, "3301002-market_regulation")

            func due() async throws -> [[String: Any]] {
                let (_, today) = try await send(app, .GET, "/api/v1/field/today", token: worker)
                return try XCTUnwrap(today["reinspections_due"] as? [[String: Any]])
            }
            var waiting = try await due()
            XCTAssertTrue(waiting.isEmpty, "not while the hazard case is open")

            for (token, body) in [(op, ["action": "accept"]), (op, ["action": "dispatch", "department_code": department]), (handler, ["action": "sign"]),
                                  (handler, ["action": "resolve", "note": "已办证"]), (worker, ["action": "verify_pass", "note": "现场核实已整改"]),
                                  (op, ["action": "close"])] as [(String, [String: Any])] {
                clock.advance(60)
                let (st, d) = try await CaseLoopTests.act(app, token, caseID, body)
                XCTAssertEqual(st, .ok, "\(body): \(String(decoding: d, as: UTF8.self))")
            }
            waiting = try await due()
            XCTAssertEqual(waiting.map { $0["place_id"] as? String }, [placeID], "due again once the case is closed")
            XCTAssertEqual(waiting.first?["case_codes"] as? [String], [try XCTUnwrap(raised["code"] as? String)])
            let page = try await Self.text(app, "/worker", token: worker).body
            XCTAssertTrue(page.contains("reinspect-act") && page.contains("老街面馆"), "the worker's page lists it")

            // Inspected again (all passed): no longer due.
            let passed: [[String: Any]] = ["licence", "kitchen", "expiry"].map { ["item_code": $0, "passed": true] }
            let (again, _) = try await send(app, .POST, "/api/v1/inspections", token: worker, body: ["place_id": placeID, "checklist_code": "food", "results": passed])
            XCTAssertEqual(again, .created)
            waiting = try await due()
            XCTAssertTrue(waiting.isEmpty)

            // The case was closed within its limit: once the limit has passed (the fact is known from then), the hazard
            // counts as rectified on time in the month of its limit.
            clock.advance(45 * 86_400)
            let formula: [String: Any] = ["version": 1, "minimum_denominator": 1, "grades": ["a": 90, "b": 75, "c": 60], "parts": [
                ["code": "rectified", "name": "隐患按期整改", "name_en": "Rectified", "measure": "inspections_rectified", "weight": 1]]]
            let adminToken = try await app.token("countyadmin"), later = try await app.token("westop")
            let (saved, doc) = try await send(app, .PUT, "/api/v1/assessments/formula", token: adminToken, body: formula)
            XCTAssertEqual(saved, .ok, "\(doc)")
            var counted = (0, 0)
            for month in ["2026-11", "2026-12"] {
                let (_, grids) = try await send(app, .GET, "/api/v1/assessments?level=grid&area=3301002&month=\(month)", token: later)
                for r in grids["results"] as? [[String: Any]] ?? [] {
                    let part = (r["parts"] as? [[String: Any]])?.first
                    XCTAssertEqual((r["subject"] as? [String: Any])?["code"] as? String, "3301002001001")
                    XCTAssertEqual(r["score"] as? Double, 100)
                    counted.0 += part?["numerator"] as? Int ?? 0
                    counted.1 += part?["denominator"] as? Int ?? 0
                }
            }
            XCTAssertEqual(counted.0, 1)
            XCTAssertEqual(counted.1, 1)
        }
    }

    static func text(_ app: Application, _ path: String, token: String) async throws -> (status: HTTPStatus, body: String, headers: HTTPHeaders) {
        var out: (HTTPStatus, String, HTTPHeaders) = (.ok, "", [:])
        try await app.test(.GET, path, headers: ["Authorization": "Bearer \(token)"]) { res async throws in
            out = (res.status, String(decoding: res.body.readableBytesView, as: UTF8.self), res.headers)
        }
        return out
    }

    func testTheRegistryPagesListExportAndShowHistoryAndTheLeagueTableExports() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker"), west = try await app.token("westop"), east = try await app.token("eastop")
            // A hostile name: a spreadsheet must not run it; the page must not run it either.
            let (_, made) = try await send(app, .POST, "/api/v1/registry/places", token: worker, body: [
                "name": "=HYPERLINK(\"http://x\")<b>", "address": "西村老街 3 号", "lat": 30.1, "lon": 120.25, "type_code": "other",
                "contact_name": "王小明", "contact_phone": "13912345678"])
            let id = try XCTUnwrap((made["entry"] as? [String: Any])?["id"] as? String)
            let _ = try await send(app, .PATCH, "/api/v1/registry/places/\(id)", token: worker, body: ["version": 1, "address": "西村老街 5 号"])

            let list = try await Self.text(app, "/registry?kind=places", token: west)
            XCTAssertEqual(list.status, .ok)
            XCTAssertTrue(list.body.contains("=HYPERLINK(&quot;http://x&quot;)&lt;b&gt;"), "escaped on the page")
            XCTAssertTrue(list.body.contains("共 1 条") || list.body.contains(">1<"), "says its total")
            XCTAssertTrue(list.body.contains("13912345678"), "the command centre sees the contact")
            let masked = try await Self.text(app, "/registry?kind=places", token: try await app.token("westmarket"))
            XCTAssertEqual(masked.status, .ok)
            XCTAssertFalse(masked.body.contains("13912345678"), "a department's handler sees it masked")
            let entry = try await Self.text(app, "/registry/places/\(id)", token: west)
            XCTAssertEqual(entry.status, .ok)
            XCTAssertTrue(entry.body.contains("西村老街 3 号") && entry.body.contains("西村老街 5 号"), "the history shows the change")
            let (hidden, _, _) = try await Self.text(app, "/registry/places/\(id)", token: east)
            XCTAssertEqual(hidden, .notFound, "another township's staff do not see it")
            let (badKind, _, _) = try await Self.text(app, "/registry?kind=people", token: west)
            XCTAssertEqual(badKind, .badRequest)

            let csv = try await Self.text(app, "/api/v1/registry/places/export?format=csv", token: try await app.token("westmarket"))
            XCTAssertEqual(csv.status, .ok)
            XCTAssertEqual(csv.headers.first(name: .contentType), "text/csv; charset=utf-8")
            let lines = csv.body.split(separator: "\r\n").map(String.init)
            XCTAssertEqual(lines.first, "\u{FEFF}名称,类型,地址,纬度,经度,联系人,联系电话,属性,网格")
            XCTAssertEqual(lines.count, 2)
            XCTAssertTrue(lines[1].hasPrefix("\"'=HYPERLINK(\"\"http://x\"\")<b>\",other,西村老街 5 号,30.100000,120.250000,"), lines[1])
            XCTAssertFalse(lines[1].contains("13912345678"), "masked in the export too")
            XCTAssertTrue(lines[1].hasSuffix(",3301002001001"))
            // Read back by the import: the same columns (the grid ignored).
            let table = try TableText.parse(TableText.decode(Data(csv.body.utf8)))
            let back = RegistryImport.read(table, kind: .place, catalogue: .standard, locate: { _ in ("3301002001001", "3301/3301002/3301002001/3301002001001") },
                                           existing: { _ in [] })
            XCTAssertTrue(back.problems.allSatisfy { ($0.column ?? "").hasPrefix("contact") }, "only the masked contact is not a contact: \(back.problems)")
            let xlsx = try await Self.text(app, "/api/v1/registry/households/export?format=xlsx", token: west)
            XCTAssertEqual(xlsx.status, .ok)
            let (badFormat, _, _) = try await Self.text(app, "/api/v1/registry/places/export?format=pdf", token: west)
            XCTAssertEqual(badFormat, .badRequest)

            // The league table as a page and as CSV, for the command centre; not for a grid worker.
            let league = try await Self.text(app, "/assessments?level=grid&area=3301002&month=2026-11", token: west)
            XCTAssertEqual(league.status, .ok)
            XCTAssertTrue(league.body.contains("考核排名"))
            let leagueCSV = try await Self.text(app, "/assessments?level=grid&area=3301002&month=2026-11&export=csv", token: west)
            XCTAssertEqual(leagueCSV.status, .ok)
            XCTAssertTrue(leagueCSV.body.hasPrefix("\u{FEFF}排名,编码,名称,得分,等级,按期结案率,"), String(leagueCSV.body.prefix(80)))
            let (notWorkers, _, _) = try await Self.text(app, "/assessments", token: worker)
            XCTAssertEqual(notWorkers, .forbidden)
            let (future, _, _) = try await Self.text(app, "/assessments?month=2027-01", token: west)
            XCTAssertEqual(future, .badRequest)
        }
    }

    func testVisitsCoverageEqualsCountingByHandAndTheTodayListIsWhatIsStillDue() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker"), west = try await app.token("westop")
            func household(_ token: String, _ address: String, lon: Double) async throws -> String {
                let (s, made) = try await send(app, .POST, "/api/v1/registry/households", token: token,
                                               body: ["address": address, "size": 2, "lat": 30.1, "lon": lon])
                XCTAssertEqual(s, .created, "\(made)")
                return try XCTUnwrap((made["entry"] as? [String: Any])?["id"] as? String)
            }
            let h1 = try await household(worker, "西村 1 号", lon: 120.25), h2 = try await household(worker, "西村 2 号", lon: 120.25)
            let h3 = try await household(worker, "西村 3 号", lon: 120.26), h4 = try await household(west, "西村 9 号", lon: 120.35)
            let (v1, first) = try await send(app, .POST, "/api/v1/visits", token: worker, body: ["household_id": h1, "outcome": "met", "note": "老人独居，身体尚可"], key: "v-1")
            XCTAssertEqual(v1, .created, "\(first)")
            let (again, same) = try await send(app, .POST, "/api/v1/visits", token: worker, body: ["household_id": h1, "outcome": "met", "note": "老人独居，身体尚可"], key: "v-1")
            XCTAssertEqual(again, .ok)
            XCTAssertEqual(same["id"] as? String, first["id"] as? String, "a retry from the outbox is the same visit")
            _ = try await send(app, .POST, "/api/v1/visits", token: worker, body: ["household_id": h1, "outcome": "met"])
            _ = try await send(app, .POST, "/api/v1/visits", token: worker, body: ["household_id": h2, "outcome": "not_home"])
            for (body, name) in [(["household_id": h4, "outcome": "met"], "household_id"), (["household_id": h3, "outcome": "checked_in"], "outcome"),
                                 (["household_id": h3, "outcome": "met", "day": "2026-12-24"], "day"),
                                 (["household_id": h3, "outcome": "met", "day": "2026-10-01"], "day")] as [([String: Any], String)] {
                let (bad, e) = try await send(app, .POST, "/api/v1/visits", token: worker, body: body)
                XCTAssertEqual(bad, .badRequest, "\(body) \(e)")
                XCTAssertEqual(field(e), name, "\(body)")
            }

            // Coverage of the west township this quarter, against the core counting the same by hand.
            let (c, coverage) = try await send(app, .GET, "/api/v1/coverage?area=3301002", token: west)
            XCTAssertEqual(c, .ok, "\(coverage)")
            XCTAssertEqual(coverage["period"] as? String, "2026-Q4")
            let grids = try XCTUnwrap(coverage["grids"] as? [[String: Any]])
            let shown = grids.map { GridCoverage(gridCode: ($0["grid"] as? [String: Any])?["code"] as? String ?? "", households: $0["households"] as? Int ?? -1,
                                                 visited: $0["visited"] as? Int ?? -1) }
            let today = CivilDate("2026-11-23")!
            let hand = VisitCoverage.byGrid(households: [h1: "3301002001001", h2: "3301002001001", h3: "3301002001001", h4: "3301002001002"],
                                            visits: [(h1, today), (h1, today)], period: .quarter, day: today)
            XCTAssertEqual(shown, hand)
            XCTAssertEqual(shown.first, GridCoverage(gridCode: "3301002001001", households: 3, visited: 1), "h2 was not at home: still due")
            XCTAssertEqual(coverage["visited"] as? Int, 1)
            XCTAssertEqual(coverage["households"] as? Int, 4)
            let (_, earlier) = try await send(app, .GET, "/api/v1/coverage?area=3301002&period=2026-Q3", token: west)
            XCTAssertEqual(earlier["visited"] as? Int, 0)
            let (bad, e) = try await send(app, .GET, "/api/v1/coverage?period=2026-Q5", token: west)
            XCTAssertEqual(bad, .badRequest)
            XCTAssertEqual(field(e), "period")

            // What is due: the worker's grid's households not yet met this quarter.
            let (_, due) = try await send(app, .GET, "/api/v1/field/today", token: worker)
            XCTAssertEqual(due["households_due"] as? Int, 2)
            XCTAssertEqual((due["households"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted(), [h2, h3].sorted())
            let (_, township) = try await send(app, .GET, "/api/v1/field/today", token: west)
            XCTAssertEqual(township["households_due"] as? Int, 3)

            // Coverage by the township's villages on the dashboard, and as CSV.
            let dashboard = try await Self.text(app, "/dashboard?area=3301002", token: west)
            XCTAssertEqual(dashboard.status, .ok)
            XCTAssertTrue(dashboard.body.contains("coverage-panel"))
            let csv = try await Self.text(app, "/dashboard?area=3301002&export=coverage", token: west)
            XCTAssertEqual(csv.status, .ok)
            XCTAssertEqual(csv.body.split(separator: "\r\n").dropFirst().map(String.init), ["3301002001,西村,4,1,0.2500"])
        }
    }

    func testTheAssessmentScoresOutcomesWithItsFormulaAndTheLeagueTableAddsUp() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await Setup.createUser(app, username: "countyadmin", password: "Orchard-lantern-42", role: .admin, areaCode: "3301",
                                       departmentCode: nil, displayName: "县管理员")
            let admin = try await app.token("countyadmin"), west = try await app.token("westop"), worker = try await app.token("westworker")
            var ids: [String] = []
            for (i, lon) in [120.25, 120.25, 120.26, 120.27, 120.35, 120.36].enumerated() {
                let (_, made) = try await send(app, .POST, "/api/v1/registry/households", token: west, body: ["address": "西村 \(i) 号", "size": 2, "lat": 30.1, "lon": lon])
                ids.append(try XCTUnwrap((made["entry"] as? [String: Any])?["id"] as? String))
            }
            for h in [ids[0], ids[1], ids[2], ids[4]] {
                let (s, v) = try await send(app, .POST, "/api/v1/visits", token: west, body: ["household_id": h, "outcome": "met"])
                XCTAssertEqual(s, .created, "\(v)")
            }
            // A formula of visit coverage and satisfaction, equal weights; satisfaction has nothing behind it this month.
            let (g, standard) = try await send(app, .GET, "/api/v1/assessments/formula", token: admin)
            XCTAssertEqual(g, .ok)
            XCTAssertEqual(standard["version"] as? Int, 1)
            let formula: [String: Any] = ["version": 1, "minimum_denominator": 1, "grades": ["a": 90, "b": 75, "c": 60], "parts": [
                ["code": "visits", "name": "走访覆盖", "name_en": "Visits", "measure": "visit_coverage", "weight": 1],
                ["code": "satisfied", "name": "满意", "name_en": "Satisfied", "measure": "satisfaction", "weight": 1]]]
            var bad = formula
            bad["grades"] = ["a": 60, "b": 75, "c": 90]
            let (refused, e) = try await send(app, .PUT, "/api/v1/assessments/formula", token: admin, body: bad)
            XCTAssertEqual(refused, .badRequest)
            XCTAssertEqual(field(e), "grades")
            let (forbidden, _) = try await send(app, .PUT, "/api/v1/assessments/formula", token: west, body: formula)
            XCTAssertEqual(forbidden, .forbidden)
            let (saved, doc) = try await send(app, .PUT, "/api/v1/assessments/formula", token: admin, body: formula)
            XCTAssertEqual(saved, .ok, "\(doc)")
            XCTAssertEqual(doc["version"] as? Int, 2)

            let (s1, grids) = try await send(app, .GET, "/api/v1/assessments?level=grid&area=3301002&month=2026-11", token: west)
            XCTAssertEqual(s1, .ok, "\(grids)")
            XCTAssertEqual(grids["formula_version"] as? Int, 2)
            let results = try XCTUnwrap(grids["results"] as? [[String: Any]])
            XCTAssertEqual(results.map { ($0["subject"] as? [String: Any])?["code"] as? String }, ["3301002001001", "3301002001002"], "ranked by score")
            // On 23 November, 54 of the quarter's 92 days have passed: the target is ⌈4 × 54/92⌉ = 3 and ⌈2 × 54/92⌉ = 2.
            XCTAssertEqual(results.map { $0["score"] as? Double }, [100, 50], "3 of a target of 3 and 1 of 2 households met; satisfaction not scored")
            XCTAssertEqual(results.map { $0["grade"] as? String }, ["A", "D"])
            for r in results {
                let parts = try XCTUnwrap(r["parts"] as? [[String: Any]])
                XCTAssertEqual(parts.compactMap { $0["contribution"] as? Double }.reduce(0, +), r["score"] as? Double ?? -1, accuracy: 0.001)
                XCTAssertNil(parts.first { $0["code"] as? String == "satisfied" }?["points"] as? Double)
            }
            let (_, villages) = try await send(app, .GET, "/api/v1/assessments?level=village&area=3301002&month=2026-11", token: west)
            XCTAssertEqual(((villages["results"] as? [[String: Any]])?.first?["score"] as? Double) ?? 0, 80, accuracy: 0.001, "4 of a target of 5 up the tree")
            let (_, october) = try await send(app, .GET, "/api/v1/assessments?level=grid&area=3301002&month=2026-10", token: west)
            XCTAssertEqual((october["results"] as? [[String: Any]])?.map { $0["score"] as? Double }, [0, 0], "October: none of a target of 2 and 1 met yet")
            let (_, county) = try await send(app, .GET, "/api/v1/assessments?level=grid&month=2026-11", token: admin)
            XCTAssertEqual((county["unscored"] as? [[String: Any]])?.count, 2, "the east's grids have nothing to score")
            let (_, departments) = try await send(app, .GET, "/api/v1/assessments?level=department&month=2026-11", token: admin)
            XCTAssertNotNil(departments["results"])
            // A grid worker is scored by the grids in their charge: westworker's grid met 3 of a target of 3.
            let (_, workers) = try await send(app, .GET, "/api/v1/assessments?level=worker&area=3301002&month=2026-11", token: west)
            let scoredWorkers = try XCTUnwrap(workers["results"] as? [[String: Any]])
            XCTAssertEqual(scoredWorkers.map { ($0["subject"] as? [String: Any])?["code"] as? String }, ["westworker"])
            XCTAssertEqual(scoredWorkers.first?["score"] as? Double, 100)
            for (query, name) in [("level=person", "level"), ("level=grid&month=2027-01", "month"), ("month=2026-11", "level")] {
                let (b, err) = try await send(app, .GET, "/api/v1/assessments?\(query)", token: admin)
                XCTAssertEqual(b, .badRequest, query)
                XCTAssertEqual(field(err), name, query)
            }
            let (notForWorkers, _) = try await send(app, .GET, "/api/v1/assessments?level=grid", token: worker)
            XCTAssertEqual(notForWorkers, .forbidden)
        }
    }

    func testAPatrolKeepsPointsOnlyWhereSomethingWasFoundAndAFindingBecomesOneCase() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker"), west = try await app.token("westop"), east = try await app.token("eastop")
            let (_, made) = try await send(app, .POST, "/api/v1/registry/places", token: worker, body: [
                "name": "健康讲座点", "address": "西村礼堂", "lat": 30.1, "lon": 120.25, "type_code": "other"])
            let placeID = try XCTUnwrap((made["entry"] as? [String: Any])?["id"] as? String)
            let (wrongGrid, e0) = try await send(app, .POST, "/api/v1/patrols", token: worker, body: ["grid_code": "3301001001001"])
            XCTAssertEqual(wrongGrid, .badRequest)
            XCTAssertEqual(field(e0), "grid_code")
            let (s, started) = try await send(app, .POST, "/api/v1/patrols", token: worker, body: [:], key: "patrol-1")
            XCTAssertEqual(s, .created, "\(started)")
            XCTAssertEqual((started["grid"] as? [String: Any])?["code"] as? String, "3301002001001")
            let id = try XCTUnwrap(started["id"] as? String)

            let (f1, one) = try await send(app, .POST, "/api/v1/patrols/\(id)/findings", token: worker, body: ["note": "路灯一处不亮，已记下", "lat": 30.11, "lon": 120.26])
            XCTAssertEqual(f1, .created, "\(one)")
            let finding: [String: Any] = ["note": "有人向老人推销保健品", "place_id": placeID, "category_code": "0306"]
            let (f2, two) = try await send(app, .POST, "/api/v1/patrols/\(id)/findings", token: worker, body: finding, key: "finding-2")
            XCTAssertEqual(f2, .created, "\(two)")
            let findings = try XCTUnwrap(two["findings"] as? [[String: Any]])
            XCTAssertEqual(findings.count, 2)
            XCTAssertEqual(findings[1]["lat"] as? Double, 30.1, "the place's point, the only point kept")
            let caseCode = try XCTUnwrap(findings[1]["case_code"] as? String)
            XCTAssertNil(findings[0]["case_code"] as? String)
            let (again, same) = try await send(app, .POST, "/api/v1/patrols/\(id)/findings", token: worker, body: finding, key: "finding-2")
            XCTAssertEqual(again, .ok)
            XCTAssertEqual((same["findings"] as? [[String: Any]])?.count, 2, "a retry adds nothing")
            let cases = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(cases, 1, "one case for the finding")
            let stored = try await CaseQueries.find(code: caseCode, on: app.db)
            XCTAssertEqual(stored?.snapshot.intake.areas.first?.code, "3301002001001")
            XCTAssertTrue(stored?.report.description.hasPrefix("健康讲座点") == true)

            let (bad, e1) = try await send(app, .POST, "/api/v1/patrols/\(id)/findings", token: worker, body: ["note": " "])
            XCTAssertEqual(bad, .badRequest)
            XCTAssertEqual(field(e1), "note")
            let (hidden, _) = try await send(app, .POST, "/api/v1/patrols/\(id)/findings", token: east, body: ["note": "东镇看不见"])
            XCTAssertEqual(hidden, .notFound)
            let (notTheirs, _) = try await send(app, .POST, "/api/v1/patrols/\(id)/findings", token: west, body: ["note": "不是我的巡查"])
            XCTAssertEqual(notTheirs, .conflict)
            let (ended, done) = try await send(app, .POST, "/api/v1/patrols/\(id)/end", token: worker, body: ["summary": "一切正常，发现两处问题"])
            XCTAssertEqual(ended, .ok, "\(done)")
            XCTAssertNotNil(done["ended_at"] as? String)
            let (late, _) = try await send(app, .POST, "/api/v1/patrols/\(id)/findings", token: worker, body: ["note": "结束后"])
            XCTAssertEqual(late, .conflict)
        }
    }

    func testACarePlanNeedsConsentAndWithdrawingItDeletesTheCareData() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker"), east = try await app.token("eastop"), west = try await app.token("westop")
            let (_, made) = try await send(app, .POST, "/api/v1/registry/households", token: worker, body: ["address": "西村 5 号", "size": 1, "lat": 30.1, "lon": 120.25])
            let household = try XCTUnwrap((made["entry"] as? [String: Any])?["id"] as? String)
            let plan: [String: Any] = ["household_id": household, "consent": ["given_on": "2026-11-20", "how": "本人口头同意，女儿在场"],
                                       "needs": "独居，腿脚不便，希望每周有人来看看", "every": "7d"]
            for (change, name) in [(["every": "12h"], "every"), (["needs": ""], "needs"), (["consent": ["given_on": "2027-01-01", "how": "同意"]], "consent.given_on"),
                                   (["every": "weekly"], "every")] as [([String: Any], String)] {
                let (bad, e) = try await send(app, .POST, "/api/v1/care-plans", token: worker, body: plan.merging(change) { _, n in n })
                XCTAssertEqual(bad, .badRequest, "\(change) \(e)")
                XCTAssertEqual(field(e), name)
            }
            let (s, created) = try await send(app, .POST, "/api/v1/care-plans", token: worker, body: plan, key: "care-1")
            XCTAssertEqual(s, .created, "\(created)")
            let id = try XCTUnwrap(created["id"] as? String)
            XCTAssertEqual(created["next_due"] as? String, "2026-11-23", "due at once")
            let (twice, _) = try await send(app, .POST, "/api/v1/care-plans", token: worker, body: plan.merging(["every": "14d"]) { _, n in n })
            XCTAssertEqual(twice, .conflict, "one plan a household")
            let (_, today) = try await send(app, .GET, "/api/v1/field/today", token: worker)
            XCTAssertEqual((today["care_due"] as? [[String: Any]])?.first?["plan_id"] as? String, id, "due on the worker's list")
            let (hidden, _) = try await send(app, .GET, "/api/v1/care-plans/\(id)", token: east)
            XCTAssertEqual(hidden, .notFound)

            // A visit with help needed raises a follow-up case at the household.
            let (v, visited) = try await send(app, .POST, "/api/v1/care-plans/\(id)/visits", token: worker,
                                              body: ["note": "家中燃气灶打不着火，需要帮助检修", "help_category_code": "0306"], key: "care-visit-1")
            XCTAssertEqual(v, .created, "\(visited)")
            XCTAssertEqual(visited["next_due"] as? String, "2026-11-30")
            let caseCode = try XCTUnwrap((visited["visits"] as? [[String: Any]])?.first?["case_code"] as? String)
            let (again, _) = try await send(app, .POST, "/api/v1/care-plans/\(id)/visits", token: worker,
                                            body: ["note": "家中燃气灶打不着火，需要帮助检修", "help_category_code": "0306"], key: "care-visit-1")
            XCTAssertEqual(again, .ok)
            let count = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(count, 1)
            let (_, listed) = try await send(app, .GET, "/api/v1/care-plans", token: west)
            XCTAssertEqual((listed["plans"] as? [[String: Any]])?.count, 1)
            let audited = try await AuditQueries.search(AuditQueries.Filter(recordID: id), page: 1, per: 20, on: app.db)
            XCTAssertFalse(audited.events.isEmpty, "a view of care data is audited")

            // Consent withdrawn: the plan and its visits are gone; the case raised stays (it names no one).
            let hid = try XCTUnwrap(UUID(uuidString: household))
            let before = try await CareQueries.careRows(household: hid, on: app.db)
            XCTAssertEqual(before, 2)
            var status = HTTPStatus.ok
            try await app.test(.DELETE, "/api/v1/care-plans/\(id)", headers: ["Authorization": "Bearer \(worker)"]) { res async in status = res.status }
            XCTAssertEqual(status, .noContent)
            let after = try await CareQueries.careRows(household: hid, on: app.db)
            XCTAssertEqual(after, 0, "withdrawing consent deletes the care data")
            let (gone, _) = try await send(app, .GET, "/api/v1/care-plans/\(id)", token: worker)
            XCTAssertEqual(gone, .notFound)
            let kept = try await CaseQueries.find(code: caseCode, on: app.db)
            XCTAssertNotNil(kept)
        }
    }

    func testAnImportedListIsAllOrNothingWithEveryProblemByRow() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let west = try await app.token("westop")
            _ = try await send(app, .POST, "/api/v1/registry/households", token: west, body: ["address": "西村老街 9 号", "size": 2, "lat": 30.1, "lon": 120.25])
            func upload(_ csv: String) async throws -> (HTTPStatus, [String: Any]) {
                var out: (HTTPStatus, [String: Any]) = (.ok, [:])
                try await app.test(.POST, "/api/v1/registry/households/import", headers: ["Authorization": "Bearer \(west)", "Content-Type": "text/csv"],
                                   body: ByteBuffer(string: csv)) { res async throws in
                    out = (res.status, (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]) ?? [:])
                }
                return out
            }
            let (bad, refused) = try await upload("地址,人数,纬度,经度\n西村新村 1 幢 101,3,30.1,120.25\n西村老街 9 号,2,30.1,120.25\n东村 1 号,2,30.1,120.05\n西村新村 1 幢 101,4,30.1,120.25\n")
            XCTAssertEqual(bad, .badRequest)
            let problems = try XCTUnwrap(refused["problems"] as? [[String: Any]])
            XCTAssertEqual(problems.compactMap { $0["row"] as? Int }, [3, 4, 5], "registered already; outside the scope; twice in the file")
            let (_, before) = try await send(app, .GET, "/api/v1/registry/households", token: west)
            XCTAssertEqual(before["total"] as? Int, 1, "nothing of the bad file was written")
            let (ok, imported) = try await upload("address,size,lat,lon\n西村新村 1 幢 101,3,30.1,120.25\n西村新村 1 幢 102,2,30.1,120.35\n")
            XCTAssertEqual(ok, .created, "\(imported)")
            XCTAssertEqual(imported["imported"] as? Int, 2)
            let (_, after) = try await send(app, .GET, "/api/v1/coverage?area=3301002", token: west)
            XCTAssertEqual(after["households"] as? Int, 3)
        }
    }
}
