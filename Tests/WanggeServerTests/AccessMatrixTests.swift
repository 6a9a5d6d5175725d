import Foundation
import NIOCore
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// Tests generated from the route table (`Site.routes`): every route × every role × in scope / out of scope, and
/// anonymous; then every parameter of every route with extreme values.
final class AccessMatrixTests: XCTestCase {
    /// A county with one account of every role in the east township (grid roles in its first grid), a case on each
    /// side with a photo, and the west side's personal data that no east account may ever see.
    struct World {
        var east: CaseLoopTests.Created
        var west: CaseLoopTests.Created
        var eastPhoto: String
        var westPhoto: String
        var eastMediation: UUID
        var westMediation: UUID
        var eastRisk: UUID
        var westRisk: UUID
        var eastWarning: UUID
        var westWarning: UUID
        var eastPeriod: UUID
        var westPeriod: UUID
        var eastGrave: UUID
        var westGrave: UUID
        var eastPlace: UUID
        var westPlace: UUID
        var eastPatrol: UUID
        var westPatrol: UUID
        /// Care plans: one shared on each side, and one for each role to withdraw (a DELETE removes it).
        var eastCare: UUID
        var westCare: UUID
        var eastCareToWithdraw: [String: UUID]
        var tokens: [Role: String]
        var browsers: [Role: Browser]
        /// An Open311 key of the east township (the Open311 routes' scope is the key's, whatever the role).
        var apiKey: String
        static let users: [Role: String] = [.admin: "m_admin", .leader: "m_leader", .operator: "m_operator", .handler: "m_handler",
                                            .mediator: "m_mediator", .gridLeader: "m_gridleader", .gridWorker: "m_gridworker"]
        static let westSecrets = ["西镇王五", "13911112222", "西镇秘密描述", "13700001111", "矩阵关爱需求西"]

        static func make(_ app: Application) async throws -> World {
            try await SmallCounty.load(app)
            for (role, name) in users {
                let grid = role == .gridLeader || role == .gridWorker
                try await Setup.createUser(app, username: name, password: "Orchard-lantern-42", role: role, areaCode: grid ? "3301001001001" : "3301001",
                                           departmentCode: role == .handler ? "3301001-market_regulation" : nil, displayName: "矩阵\(role.rawValue)")
            }
            try await OrganisationQueries.insert([GridTeamMember(gridCode: "3301002001001", position: .fullTimeWorker, name: "西网格员", phone: "13700001111")], on: app.db)
            func report(lon: Double, name: String, phone: String, description: String) async throws -> (CaseLoopTests.Created, String) {
                let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDB, 0, 4, UInt8(Int(lon * 10) & 0xff), 2, 0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xDA, 0, 4, 1, 2, 9, 9, 0xFF, 0xD9]
                let json = #"{"category_code": "\#(CaseLoopTests.marketCategory)", "description": "\#(description)", "lat": 30.1, "lon": \#(lon), "reporter": {"name": "\#(name)", "phone": "\#(phone)"}}"#
                var body = Array("--B\r\nContent-Disposition: form-data; name=\"case\"\r\n\r\n\(json)\r\n--B\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\n\r\n".utf8)
                body += jpeg + Array("\r\n--B--\r\n".utf8)
                var created: CaseLoopTests.Created? = nil
                try await app.test(.POST, "/api/v1/cases", headers: ["Content-Type": "multipart/form-data; boundary=B"], body: ByteBuffer(bytes: body)) { res async throws in
                    XCTAssertEqual(res.status, .created, res.body.string)
                    created = try CaseLoopTests.decoder.decode(CaseLoopTests.Created.self, from: Data(res.body.readableBytesView))
                }
                let c = try XCTUnwrap(created)
                let sha = try await CaseQueries.actions(caseID: c.id, on: app.db)[0].record.attachmentIDs[0]
                return (c, sha)
            }
            let (east, eastPhoto) = try await report(lon: 120.05, name: "东镇李四", phone: "13800001234", description: "东镇描述")
            let (west, westPhoto) = try await report(lon: 120.25, name: "西镇王五", phone: "13911112222", description: "西镇秘密描述")
            // A mediation on each side; the west one's parties are west secrets too.
            func mediation(area: String, name: String, phone: String) async throws -> UUID {
                var body = MediationAPITests.direct(area: area)
                body["parties"] = [["role": "applicant", "kind": "person", "name": name, "phone": phone]]
                let (status, data) = try await MediationAPITests.send(app, .POST, "/api/v1/mediations", token: try await app.token("countyop"), body: body)
                XCTAssertEqual(status, .created, String(decoding: data, as: UTF8.self))
                return try CaseLoopTests.decoder.decode(MediationAPITests.Summary.self, from: data).id
            }
            let eastMediation = try await mediation(area: "3301001001001", name: "东镇调解申请人", phone: "13800005555")
            let westMediation = try await mediation(area: "3301002001001", name: "西镇王五", phone: "13911112222")
            // A hazard on each side of the risk register.
            func risk(area: String) async throws -> UUID {
                let (status, data) = try await MediationAPITests.send(app, .POST, "/api/v1/risks", token: try await app.token("countyop"), body: Self.riskBody(area: area))
                XCTAssertEqual(status, .created, String(decoding: data, as: UTF8.self))
                let made = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                return try XCTUnwrap(((made?["summary"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:)))
            }
            let eastRisk = try await risk(area: "3301001001001"), westRisk = try await risk(area: "3301002001001")
            // A published month of the index for every area, and a warning on each side.
            var scores: [SafetyIndexQueries.NewScore] = []
            let j = try await app.wangge.jurisdictions.current(on: app.db).jurisdiction
            for area in j.areas {
                let observed = SafetyIndexObservations(residents: 1_000, counts: ["public_order": 1])
                let r = try SafetyIndex.compute(SafetyIndexInput(area: area.code, month: SafetyIndexMonth("2026-10")!, observed: observed,
                                                                 baselines: ["public_order": Measure(numerator: 12, denominator: 12_000)], parent: nil),
                                                formula: .standard)
                scores.append(SafetyIndexQueries.NewScore(areaCode: area.code, areaPath: j.path(of: area.code), scoreHundredths: r.scoreHundredths,
                                                          band: r.band.rawValue, explanation: String(decoding: try JSONEncoder().encode(r), as: UTF8.self)))
            }
            _ = try await SafetyIndexQueries.saveRevision(month: "2026-10", formulaVersion: 1, by: nil, at: Date(), scores: scores, on: app.db)
            func warning(_ area: String) async throws -> UUID {
                let id = try await WarningQueries.raise(NewWarning(key: "matrix:\(area)", kind: .spike, level: "red", areaCode: area, areaPath: j.path(of: area),
                                                                  categoryCode: CaseLoopTests.marketCategory, period: "2026-11-16", evidence: "{}"),
                                                       at: Date(), on: app.db)
                return try XCTUnwrap(id)
            }
            let eastWarning = try await warning("3301001001"), westWarning = try await warning("3301002001")
            // A heightened period and a grave event on each side.
            func period(_ area: String) async throws -> UUID {
                try await SafetyRegisterQueries.insert(HeightenedPeriod(name: "矩阵时段", start: Date(), end: Date().addingTimeInterval(86_400 * 400), areaCodes: [area]),
                                                       by: "matrix", at: Date(), on: app.db)
            }
            func grave(_ area: String) async throws -> UUID {
                try await SafetyRegisterQueries.insert(GraveEvent(areaCode: area, occurredOn: CivilDate("2026-11-01")!, code: "death", summary: "矩阵"),
                                                       areaPath: j.path(of: area), by: "matrix", at: Date(), on: app.db)
            }
            let eastPeriod = try await period("3301001"), westPeriod = try await period("3301002")
            let eastGrave = try await grave("3301001001"), westGrave = try await grave("3301002001")
            // A place of the registry on each side.
            func place(_ lon: Double, _ grid: String) async throws -> UUID {
                try await RegistryQueries.insert(RegistryEntry(kind: .place, name: "矩阵场所", address: "矩阵", point: GeoPoint(lon: lon, lat: 30.1), typeCode: "other"),
                                                 gridCode: grid, areaPath: j.path(of: grid), by: "matrix", at: Date(), key: nil, on: app.db)
            }
            let eastPlace = try await place(120.05, "3301001001001"), westPlace = try await place(120.25, "3301002001001")
            let eastPatrol = try await PatrolQueries.start(gridCode: "3301001001001", areaPath: j.path(of: "3301001001001"), worker: "m_gridworker", at: Date(), key: nil, on: app.db)
            func care(_ lon: Double, _ grid: String, needs: String = "矩阵关爱需求") async throws -> UUID {
                let h = try await RegistryQueries.insert(RegistryEntry(kind: .household, address: "矩阵住户", point: GeoPoint(lon: lon, lat: 30.1), size: 1),
                                                         gridCode: grid, areaPath: j.path(of: grid), by: "matrix", at: Date(), key: nil, on: app.db)
                return try await CareQueries.insert(householdID: h, gridCode: grid, areaPath: j.path(of: grid),
                                                    draft: CarePlanDraft(consentOn: CivilDate("2026-11-20")!, consentHow: "同意", needs: needs, every: .days(7)),
                                                    nextDue: CivilDate("2026-11-20")!, by: "matrix", at: Date(), key: nil, on: app.db)
            }
            let eastCare = try await care(120.05, "3301001001001"), westCare = try await care(120.25, "3301002001001", needs: "矩阵关爱需求西")
            var eastCareToWithdraw: [String: UUID] = [:]
            for role in ["anonymous"] + Role.allCases.map(\.rawValue) { eastCareToWithdraw[role] = try await care(120.05, "3301001001001") }
            let westPatrol = try await PatrolQueries.start(gridCode: "3301002001001", areaPath: j.path(of: "3301002001001"), worker: "westworker", at: Date(), key: nil, on: app.db)
            let apiKey = try await Setup.createAPIKey(app, name: "matrix-east", areaCode: "3301001", rate: 100_000, by: "matrix").key
            _ = try await Setup.createAPIKey(app, name: "matrix-revocable", areaCode: "3301001", rate: 10, by: "matrix")
            var tokens: [Role: String] = [:], browsers: [Role: Browser] = [:]
            for (role, name) in users {
                tokens[role] = try await app.token(name)
                let b = Browser(app)
                try await b.signIn(name)
                browsers[role] = b
            }
            return World(east: east, west: west, eastPhoto: eastPhoto, westPhoto: westPhoto, eastMediation: eastMediation,
                         westMediation: westMediation, eastRisk: eastRisk, westRisk: westRisk, eastWarning: eastWarning, westWarning: westWarning,
                         eastPeriod: eastPeriod, westPeriod: westPeriod, eastGrave: eastGrave, westGrave: westGrave,
                         eastPlace: eastPlace, westPlace: westPlace, eastPatrol: eastPatrol, westPatrol: westPatrol,
                         eastCare: eastCare, westCare: westCare, eastCareToWithdraw: eastCareToWithdraw,
                         tokens: tokens, browsers: browsers, apiKey: apiKey)
        }

        static func riskBody(area: String) -> [String: Any] {
            ["category_code": "fire", "title": "矩阵隐患", "description": "矩阵", "area_code": area, "assessment": ["likelihood": 3, "severity": 3]]
        }
    }

    enum Side: String { case inScope = "in", outOfScope = "out" }

    /// Who may use each route, written out here from DESIGN §1 rather than read from the route table, so that a
    /// route opened up in the table by mistake fails this test. nil: anyone; an empty set would be no one.
    static let expected: [String: Set<Role>?] = {
        let all = Set(Role.allCases), dashboards: Set<Role> = [.leader, .operator, .admin], admin: Set<Role> = [.admin]
        let mediation: Set<Role> = [.mediator, .operator, .admin, .leader]
        // The risk register: hazards are registered by grid staff too; mediators have no part in it.
        let risks: Set<Role> = [.operator, .admin, .leader, .handler, .gridLeader, .gridWorker]
        let registrars: Set<Role> = [.mediator, .operator, .admin]
        return [
            "GET /healthz": nil, "GET /metrics": nil, "POST /api/v1/auth/token": nil, "DELETE /api/v1/auth/token": all,
            "GET /api/v1/areas": all, "GET /api/v1/areas/:code/team": all, "GET /api/v1/locate": nil, "GET /api/v1/categories": nil,
            "POST /api/v1/cases": nil, "GET /api/v1/cases": all, "GET /api/v1/cases/:id": all, "POST /api/v1/cases/:id/actions": all,
            "POST /api/v1/cases/:id/tracking-code": [.operator, .admin],
            "GET /api/v1/track/:code": nil, "POST /api/v1/track/:code/rating": nil, "GET /api/v1/track/:code/photos/:sha": nil,
            "GET /api/v1/measures": dashboards, "GET /api/v1/photos/:sha": all, "POST /api/v1/photos": all, "GET /api/v1/events": all,
            "GET /api/v1/calendar": all, "PUT /api/v1/calendar/:year": admin, "GET /api/v1/audit": admin,
            "GET /": nil, "GET /login": nil, "POST /login": nil, "POST /logout": nil, "GET /areas": all, "GET /workbench": all,
            "GET /dashboard": dashboards, "GET /screen": dashboards, "GET /report": nil, "GET /worker": [.gridWorker, .gridLeader],
            "GET /sw.js": nil, "GET /track": nil, "GET /track/:code": nil, "POST /track/:code/rating": nil, "GET /cases/:id": all,
            "GET /audit": admin,
            "GET /api/v1/mediation-types": mediation, "GET /api/v1/mediators": mediation, "GET /api/v1/mediations": mediation,
            "POST /api/v1/mediations": registrars, "GET /api/v1/mediations/measures": mediation, "GET /api/v1/mediations/:id": mediation,
            "GET /api/v1/mediations/:id/suggested-mediators": mediation, "POST /api/v1/mediations/:id/actions": mediation,
            "GET /mediations": mediation, "GET /mediations/:id": mediation, "GET /mediations/:id/agreement": mediation,
            "GET /api/v1/risk-categories": risks, "GET /api/v1/risks": risks, "POST /api/v1/risks": risks,
            "GET /api/v1/risks/:id": risks, "POST /api/v1/risks/:id/actions": risks,
            "GET /api/v1/safety-index": all, "GET /api/v1/safety-index/ranking": all, "GET /api/v1/safety-index/formula": all,
            "PUT /api/v1/safety-index/formula": admin, "POST /api/v1/safety-index/formula/preview": admin, "POST /api/v1/safety-index/compute": admin,
            "GET /api/v1/warnings": all, "POST /api/v1/warnings/:id/actions": all,
            "GET /safety-index": all, "GET /safety-index/areas/:code": all, "GET /safety-index/formula": admin, "GET /reports/monthly": all,
            "GET /warnings": all, "GET /safety/:code": nil,
            "GET /api/v1/heightened-periods": risks, "POST /api/v1/heightened-periods": [.operator, .admin],
            "POST /api/v1/heightened-periods/:id/call-off": [.operator, .admin],
            "GET /api/v1/grave-events": all, "POST /api/v1/grave-events": [.operator, .admin], "POST /api/v1/grave-events/:id/withdraw": [.operator, .admin],
            "GET /api/v1/place-types": all, "GET /api/v1/checklists": all, "GET /api/v1/registry/:kind": all,
            "POST /api/v1/registry/:kind": [.gridWorker, .gridLeader, .operator, .admin], "GET /api/v1/registry/:kind/:id": all,
            "PATCH /api/v1/registry/:kind/:id": [.gridWorker, .gridLeader, .operator, .admin],
            "POST /api/v1/inspections": [.gridWorker, .gridLeader, .operator, .admin],
            "POST /api/v1/registry/:kind/import": [.gridWorker, .gridLeader, .operator, .admin],
            "POST /api/v1/visits": [.gridWorker, .gridLeader, .operator, .admin], "GET /api/v1/coverage": all, "GET /api/v1/field/today": all,
            "POST /api/v1/patrols": [.gridWorker, .gridLeader, .operator, .admin],
            "POST /api/v1/patrols/:id/findings": [.gridWorker, .gridLeader, .operator, .admin],
            "POST /api/v1/patrols/:id/end": [.gridWorker, .gridLeader, .operator, .admin],
            "GET /api/v1/care-plans": [.gridWorker, .gridLeader, .operator, .admin], "POST /api/v1/care-plans": [.gridWorker, .gridLeader, .operator, .admin],
            "GET /api/v1/care-plans/:id": [.gridWorker, .gridLeader, .operator, .admin], "DELETE /api/v1/care-plans/:id": [.gridWorker, .gridLeader, .operator, .admin],
            "POST /api/v1/care-plans/:id/visits": [.gridWorker, .gridLeader, .operator, .admin],
            "GET /api/v1/assessments": dashboards, "GET /api/v1/assessments/formula": dashboards, "PUT /api/v1/assessments/formula": admin,
            "POST /api/v1/risks/import": [.operator, .admin], "GET /api/v1/risks/export": risks, "GET /risks": risks, "GET /risks/:id": risks,
            "GET /api/v1/registry/:kind/export": all, "GET /registry": all, "GET /registry/:kind/:id": all, "GET /assessments": dashboards,
            "GET /api-keys": admin, "POST /api-keys": admin, "POST /api-keys/:name/revoke": admin,
            // Open311: anyone at the door; its key decides (each route checks it, tested in Open311Tests).
            "GET /open311/v2/discovery.json": nil, "GET /open311/v2/discovery.xml": nil, "GET /open311/v2/services.json": nil,
            "GET /open311/v2/services.xml": nil, "POST /open311/v2/requests.json": nil, "POST /open311/v2/requests.xml": nil,
            "GET /open311/v2/requests.json": nil, "GET /open311/v2/requests.xml": nil, "GET /open311/v2/servicerequestupdates.json": nil,
            "GET /open311/v2/servicerequestupdates.xml": nil, "GET /open311/v2/services/:code": nil, "GET /open311/v2/requests/:id": nil,
            "GET /open311/v2/tokens/:token": nil, "GET /open311/v2/media/:sha": nil,
        ]
    }()

    /// A concrete request for a route: its path with parameters filled in, its query and body.
    static func request(_ route: SiteRoute, _ w: World, side: Side, role: Role?) -> (path: String, query: String, body: String?) {
        let c = side == .inScope ? w.east : w.west
        var path = route.path
        let isTracking = route.path.contains("/track/")
        for p in route.parameters {
            let value: String
            switch p {
            case "id" where route.path.hasPrefix("/api/v1/mediations/") || route.path.hasPrefix("/mediations/"): value = (side == .inScope ? w.eastMediation : w.westMediation).uuidString
            case "id" where route.path.hasPrefix("/api/v1/risks/") || route.path.hasPrefix("/risks/"): value = (side == .inScope ? w.eastRisk : w.westRisk).uuidString
            case "id" where route.path.hasPrefix("/api/v1/warnings/"): value = (side == .inScope ? w.eastWarning : w.westWarning).uuidString
            case "id" where route.path.hasPrefix("/api/v1/heightened-periods/"): value = (side == .inScope ? w.eastPeriod : w.westPeriod).uuidString
            case "id" where route.path.hasPrefix("/api/v1/grave-events/"): value = (side == .inScope ? w.eastGrave : w.westGrave).uuidString
            case "id" where route.path.hasPrefix("/api/v1/registry/") || route.path.hasPrefix("/registry/"): value = (side == .inScope ? w.eastPlace : w.westPlace).uuidString
            case "id" where route.path.hasPrefix("/api/v1/patrols/"): value = (side == .inScope ? w.eastPatrol : w.westPatrol).uuidString
            case "id" where route.path == "/api/v1/care-plans/:id" && route.method == .DELETE:
                value = (side == .inScope ? w.eastCareToWithdraw[role?.rawValue ?? "anonymous"]! : w.westCare).uuidString
            case "id" where route.path.hasPrefix("/api/v1/care-plans/"): value = (side == .inScope ? w.eastCare : w.westCare).uuidString
            case "kind": value = "places"
            case "id" where route.isOpen311: value = c.code + ".json"
            case "token": value = c.id.uuidString.lowercased() + ".xml"
            case "code" where route.isOpen311: value = CaseLoopTests.marketCategory + ".json"
            case "name": value = "matrix-revocable"
            case "id": value = c.id.uuidString
            case "code": value = isTracking ? c.trackingCode : (side == .inScope ? "3301001001001" : "3301002001001")
            case "sha": value = side == .inScope ? w.eastPhoto : w.westPhoto
            case "year": value = "2027"
            default: value = "x"
            }
            path = path.replacingOccurrences(of: ":\(p)", with: value)
        }
        var query: [String] = []
        let scopeArea = role.map { [.gridLeader, .gridWorker].contains($0) ? "3301001001001" : "3301001" } ?? "3301001"
        if route.query.contains("area") { query.append("area=\(side == .inScope ? scopeArea : "3301002")") }
        if route.query.contains("parent") { query.append("parent=\(side == .inScope ? scopeArea : "3301002")") }
        if route.path == "/api/v1/measures" || route.path == "/api/v1/mediations/measures" { query += ["from=2026-11-01", "to=2026-11-30"] }
        if route.path == "/api/v1/assessments" { query.append("level=grid") }
        if route.query.contains("api_key") { query.append("api_key=\(w.apiKey)") }
        var body: String? = nil
        switch (route.method, route.path) {
        case (.POST, "/api/v1/auth/token"): body = #"{"username": "m_operator", "password": "Orchard-lantern-42"}"#
        case (.POST, "/api/v1/cases"):
            body = #"{"category_code": "\#(CaseLoopTests.marketCategory)", "description": "矩阵上报", "lat": 30.1, "lon": 120.05, "source": "hotline"}"#
        case (.POST, "/api/v1/cases/:id/actions"): body = #"{"action": "comment", "note": "矩阵"}"#
        case (.POST, "/open311/v2/requests.json"), (.POST, "/open311/v2/requests.xml"):
            body = "service_code=\(CaseLoopTests.marketCategory)&description=%E7%9F%A9%E9%98%B5&lat=30.1&long=\(side == .inScope ? "120.05" : "120.25")" 
        case (.POST, "/api/v1/track/:code/rating"): body = #"{"rating": "satisfied"}"#
        case (.POST, "/api/v1/mediations"):
            body = String(decoding: try! JSONSerialization.data(withJSONObject: MediationAPITests.direct(area: "3301001001001")), as: UTF8.self)
        case (.POST, "/api/v1/mediations/:id/actions"): body = #"{"action": "supervise", "note": "矩阵"}"#
        case (.POST, "/api/v1/risks"):
            body = String(decoding: try! JSONSerialization.data(withJSONObject: World.riskBody(area: "3301001001001")), as: UTF8.self)
        case (.POST, "/api/v1/risks/:id/actions"): body = #"{"action": "approve", "note": "矩阵"}"#
        case (.POST, "/api/v1/warnings/:id/actions"): body = #"{"action": "acknowledge", "note": "矩阵"}"#
        case (.POST, "/api/v1/registry/:kind"):
            body = #"{"name": "矩阵新场所", "address": "矩阵", "lat": 30.1, "lon": 120.05, "type_code": "other"}"#
        case (.PATCH, "/api/v1/registry/:kind/:id"): body = #"{"version": 1, "name": "矩阵改名"}"#
        case (.POST, "/api/v1/patrols"): body = "{}"
        case (.POST, "/api/v1/registry/:kind/import"): body = "name,address,type_code,lat,lon\n矩阵导入,矩阵,other,30.1,120.05\n"
        case (.POST, "/api/v1/care-plans"):
            body = #"{"household_id": "\#(w.eastPlace.uuidString)", "consent": {"given_on": "2026-11-20", "how": "同意"}, "needs": "矩阵", "every": "7d"}"#
        case (.POST, "/api/v1/care-plans/:id/visits"): body = #"{"note": "矩阵走访"}"#
        case (.POST, "/api/v1/patrols/:id/findings"): body = #"{"note": "矩阵发现"}"#
        case (.POST, "/api/v1/patrols/:id/end"): body = #"{"summary": "矩阵"}"#
        case (.POST, "/api/v1/visits"): body = #"{"household_id": "\#(w.eastPlace.uuidString)", "outcome": "met"}"#
        case (.POST, "/api/v1/inspections"): body = #"{"place_id": "\#(w.eastPlace.uuidString)", "checklist_code": "fire_small", "results": []}"#
        case (.POST, "/api/v1/heightened-periods"):
            body = #"{"name": "矩阵时段", "start": "2026-12-20T00:00:00+08:00", "end": "2026-12-21T00:00:00+08:00", "area_codes": ["3301001"]}"#
        case (.POST, "/api/v1/grave-events"): body = #"{"area_code": "3301001001", "occurred_on": "2026-11-01", "code": "death", "summary": "矩阵"}"#
        case (.POST, "/api/v1/heightened-periods/:id/call-off"), (.POST, "/api/v1/grave-events/:id/withdraw"): body = #"{"note": "矩阵"}"#
        case (.POST, "/api/v1/risks/import"): body = "类别,标题,描述,区域代码,可能性,严重性\nfire,矩阵导入,矩阵,3301001001001,2,2\n"
        case (.PUT, "/api/v1/safety-index/formula"), (.POST, "/api/v1/safety-index/formula/preview"):
            let e = JSONEncoder()
            e.keyEncodingStrategy = .convertToSnakeCase
            body = String(decoding: try! e.encode(SafetyFormulaDocumentDTO(version: nil, savedAt: nil, formula: .standard, ladder: .standard, publicPage: true)), as: UTF8.self)
        case (.PUT, "/api/v1/assessments/formula"):
            let e = JSONEncoder()
            e.keyEncodingStrategy = .convertToSnakeCase
            body = String(decoding: try! e.encode(AssessmentFormula.standard), as: UTF8.self)
        case (.PUT, "/api/v1/calendar/:year"): body = #"{"off": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}], "work": []}"#
        default: break
        }
        return (path, query.joined(separator: "&"), body)
    }

    /// Routes whose parameters name something inside a scope: out of scope they answer 404.
    static func isScoped(_ route: SiteRoute) -> Bool {
        !route.path.contains("/track/") && route.path != "/open311/v2/media/:sha" && (route.parameters.contains { ["id", "sha", "token"].contains($0) } || route.path.hasSuffix("/team")
            || route.path.hasPrefix("/safety-index/areas/")
            || route.query.contains("area") || route.query.contains("parent"))
    }

    func testEveryRouteByEveryRoleInAndOutOfScopeAndAnonymous() async throws {
        try await withApp { app, _ in
            let w = try await World.make(app)
            var checked = 0
            for route in Site.routes {
                // The live stream never ends by itself; its access is checked for anonymous callers only (the stream's
                // scope is tested in LiveEventsTests and its ending in TrustTests).
                let streams = route.path == "/api/v1/events"
                for role in [nil] + Role.allCases.map(Optional.some) {
                    for side in [Side.inScope, .outOfScope] {
                        if streams && role != nil { continue }
                        let (path, query, body) = Self.request(route, w, side: side, role: role)
                        let res = try await send(app, route, w, role: role, path: path, query: query, body: body)
                        checked += 1
                        let label = "\(route.method.rawValue) \(route.path) as \(role?.rawValue ?? "anonymous"), \(side.rawValue) of scope → \(res.status.code)"
                        XCTAssertLessThan(res.status.code, 500, label)
                        let text = res.body.string
                        // Nothing of the west side ever reaches an east account or a stranger (the west tracking code
                        // holder sees the west case's public view, which names no person).
                        for secret in World.westSecrets { XCTAssertFalse(text.contains(secret), "\(label): shows \(secret)") }
                        if !route.path.contains("/track/") {
                            XCTAssertFalse(text.contains(w.west.code), "\(label): shows the west case's code")
                            XCTAssertFalse(text.contains(w.west.trackingCode), "\(label): shows the west case's tracking code")
                        }
                        guard let spec = Self.expected["\(route.method.rawValue) \(route.path)"] else {
                            XCTFail("\(route.method.rawValue) \(route.path) is not in this test's table of who may use what")
                            continue
                        }
                        switch spec {
                        case nil:
                            XCTAssertNotEqual(res.status, .forbidden, label)
                        case let roles?:
                            guard let role else {
                                XCTAssertEqual(res.status, route.isPage ? .seeOther : .unauthorized, label)
                                if route.isPage { XCTAssertTrue(res.headers.first(name: .location)?.hasPrefix("/login") == true, label) }
                                continue
                            }
                            if !roles.contains(role) {
                                XCTAssertEqual(res.status, .forbidden, label)
                            } else if side == .outOfScope && Self.isScoped(route) {
                                XCTAssertEqual(res.status, .notFound, label)
                            } else {
                                XCTAssertFalse([.unauthorized, .forbidden, .notFound].contains(res.status), "\(label): \(text.prefix(200))")
                            }
                        }
                    }
                }
            }
            print("access matrix: \(Site.routes.count) routes, \(checked) requests")
            XCTAssertGreaterThan(checked, Site.routes.count * 14)
        }
    }

    /// Sends a request as a role: bearer token for the API, the signed-in browser for pages (forms carry the token).
    func send(_ app: Application, _ route: SiteRoute, _ w: World, role: Role?, path: String, query: String, body: String?) async throws -> XCTHTTPResponse {
        let target = query.isEmpty ? path : path + "?" + query
        if route.isPage {
            let browser: Browser
            if route.method == .POST {
                // A fresh session for every form: signing out must not end the shared one.
                browser = Browser(app)
                if let role { try await browser.signIn(World.users[role]!) } else { try await browser.get("/login") }
                let form: [String: String] = route.path == "/login" ? ["username": "m_operator", "password": "Orchard-lantern-42"]
                    : route.path.hasSuffix("/rating") ? ["rating": "satisfied"] : [:]
                return try await browser.post(target, form: form)
            }
            browser = role.map { w.browsers[$0]! } ?? Browser(app)
            return try await browser.get(target)
        }
        var headers: HTTPHeaders = [:]
        // Revoking a token ends it: a fresh one each time, so the shared ones stay.
        let revokes = route.method == .DELETE && route.sitePath == .apiToken
        if let role { headers.add(name: .authorization, value: "Bearer \(revokes ? try await app.token(World.users[role]!) : w.tokens[role]!)") }
        var out: XCTHTTPResponse? = nil
        if route.path == "/api/v1/photos" && route.method == .POST {
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 7, 7, 0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xDA, 0, 4, 1, 2, 9, 9, 0xFF, 0xD9]
            var b = Array("--B\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\n\r\n".utf8) + jpeg
            b += Array("\r\n--B--\r\n".utf8)
            headers.add(name: .contentType, value: "multipart/form-data; boundary=B")
            try await app.test(route.method, target, headers: headers, body: ByteBuffer(bytes: b)) { res async throws in out = res }
            return out!
        }
        if body != nil {
            headers.add(name: .contentType, value: route.body == .table ? "text/csv" : route.body == .open311 ? "application/x-www-form-urlencoded" : "application/json")
        }
        try await app.test(route.method, target, headers: headers, body: body.map { ByteBuffer(string: $0) }) { res async throws in out = res }
        return out!
    }

    /// Every path and query parameter of every route with extreme values: never a 5xx, and the server answers after each.
    func testEveryParameterOfEveryRouteWithExtremeValues() async throws {
        try await withApp { app, _ in
            let w = try await World.make(app)
            try await Setup.createUser(app, username: "fuzzadmin", password: "Orchard-lantern-42", role: .admin, areaCode: "3301", departmentCode: nil, displayName: nil)
            let admin = try await app.token("fuzzadmin")
            let extremes = ["0", "-1", "9223372036854775808", "-9223372036854775809", "1e308", "-1e308", "NaN", "Infinity",
                            String(repeating: "9", count: 400), String(repeating: "長", count: 10_000), "\u{0}\r\n\t\u{7}\u{1B}", "%00%0d%0a",
                            "../../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "%", "_", "\u{FEFF}\u{202E}", ""]
            var sent = 0
            for route in Site.routes where route.path != "/api/v1/events" {
                for parameter in route.parameters + route.query.map { "?" + $0 } {
                    for value in extremes {
                        let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                        var (path, query, body) = Self.request(route, w, side: .inScope, role: .admin)
                        if parameter.hasPrefix("?") {
                            query = (query.isEmpty ? "" : query + "&") + "\(parameter.dropFirst())=\(encoded)"
                        } else {
                            // Put the extreme value where the parameter stood.
                            let filled = Self.request(route, w, side: .inScope, role: .admin).path.split(separator: "/", omittingEmptySubsequences: false)
                            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: false)
                            path = zip(pattern, filled).map { $0 == ":\(parameter)" ? (encoded.isEmpty ? "%20" : encoded) : String($1) }.joined(separator: "/")
                        }
                        for token in [admin, nil] as [String?] {
                            var headers: HTTPHeaders = [:]
                            if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
                            if body != nil { headers.add(name: .contentType, value: "application/json") }
                            let target = query.isEmpty ? path : path + "?" + query
                            try await app.test(route.method, target, headers: headers, body: body.map { ByteBuffer(string: $0) }) { res async throws in
                                XCTAssertLessThan(res.status.code, 500, "\(route.method.rawValue) \(route.path) \(parameter)=\(value.prefix(20).debugDescription): \(res.status) \(res.body.string.prefix(200))")
                            }
                            sent += 1
                        }
                        body = nil
                    }
                }
                try await app.test(.GET, "/healthz") { res async throws in XCTAssertEqual(res.status, .ok, "alive after \(route.path)") }
            }
            print("parameter fuzz: \(sent) requests")
            XCTAssertGreaterThan(sent, 1_000)
        }
    }
}
