import Fluent
import SQLKit
import Vapor
import WanggeCore
import WanggeStore

/// The risk register at the API (issue 19): registration, lists, an entry and its actions through the shared door
/// (`RecordDoor<RiskKind>`), under the county's policy (`RiskPolicies`: `risk.json` and the heightened periods).
/// Risks are hazards and situations, never people: no field holds a resident.
enum RisksAPI {
    /// `GET /api/v1/risk-categories`: the categories, the levels (names, colours, review intervals) and the
    /// assessment methods' bands.
    static func categories(_ req: Request) async throws -> RiskCatalogueDTO {
        _ = try req.requireStaff()
        return RiskCatalogueDTO(req.riskCatalogue)
    }

    /// `GET /api/v1/risks?area=&level=&status=&category=&page=&per=`: the caller's scope, highest level first, then
    /// the next review due first.
    static func list(_ req: Request) async throws -> RiskListDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let path = j.path(of: try req.areaQuery(staff, j) ?? staff.scope.areaCode)
        let states = try req.listQuery("status", of: RiskState.self, maxLength: 200)
        let level = try req.intQuery("level", RiskLevel.numbers)
        var category: String?
        if let c = try req.textQuery("category", maxLength: 64) {
            guard req.riskCatalogue.category(c) != nil else { throw APIError.badRequest("unknown category \(c)", field: "category") }
            category = c
        }
        let (page, per) = try req.paging()
        let found = try await RiskQueries.list(RiskFilter(scopePath: path, states: states, level: level, categoryCode: category),
                                               page: page, per: per, on: req.db)
        let calendar = try await req.reference().calendar
        return RiskListDTO(risks: found.items.map { summary($0, j: j, now: req.now, calendar: calendar, catalogue: req.riskCatalogue) }, total: found.total, page: page, per: per)
    }

    /// `POST /api/v1/risks/import`: an existing list as CSV (UTF-8 or GB18030) or XLSX. Every problem is listed by
    /// row and nothing is written if there is one; otherwise every row is registered in one transaction.
    static func importTable(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let data = Data(req.body.data.map { Array($0.readableBytesView) } ?? [])
        let rows: [[String]]
        do {
            rows = try TableFile.rows(data)
        } catch {
            throw APIError.badRequest("the file does not read: \(error)", field: "file")
        }
        let policy = try await req.riskPolicy()
        let result = RiskImport.read(rows, catalogue: policy.catalogue) { code in
            guard code.utf8.count <= 64, j[code] != nil, staff.scope.covers(code, in: j) else { return nil }
            return (code, j.path(of: code))
        }
        guard result.problems.isEmpty else {
            let response = Response(status: .badRequest)
            try response.content.encode(RiskImportRefusalDTO(error: .init(code: "invalid_input", message: "\(result.problems.count) problems; nothing was imported",
                                                                          field: "file"),
                                                             problems: result.problems.prefix(500).map { RiskImportProblemDTO(row: $0.row, column: $0.column, reason: $0.reason) }),
                                        as: .json)
            return response
        }
        guard !result.rows.isEmpty else { throw APIError.badRequest("the file has a header and no rows", field: "file") }
        let actor = RecordActor(staff), at = req.now, calendar = try await req.reference().calendar
        let prefix = RecordCodes.dayPrefix(RiskKind.prefix, at: at, calendar: calendar)
        let stored = try await RecordService<RiskKind>(app: req.application).createAll(prefix: prefix, result.rows.map { row in
            (areaPath: row.areaPath, place: NoPlace(), make: { @Sendable code in
                try RiskLifecycle.register(row.registration(code: code), policy: policy, actor: actor, at: at, calendar: calendar)
            })
        })
        let response = Response(status: .created)
        try response.content.encode(RiskImportDTO(imported: stored.count, codes: stored.map(\.code)), as: .json)
        return response
    }

    /// `GET /api/v1/risks/export?format=csv|xlsx&…`: the filtered list (the list's filters), with the import's columns.
    static func exportTable(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let path = j.path(of: try req.areaQuery(staff, j) ?? staff.scope.areaCode)
        let states = try req.listQuery("status", of: RiskState.self, maxLength: 200)
        let level = try req.intQuery("level", RiskLevel.numbers)
        let category = try req.textQuery("category", maxLength: 64)
        if let c = category, req.riskCatalogue.category(c) == nil { throw APIError.badRequest("unknown category \(c)", field: "category") }
        let format = try TableDownload.format(req)
        let found = try await RiskQueries.list(RiskFilter(scopePath: path, states: states, level: level, categoryCode: category),
                                               page: 1, per: exportLimit, on: req.db)
        var rows = [RiskExport.header]
        for r in found.items {
            let s = r.snapshot, g = s.registration
            rows.append(RiskExport.cells(RiskExportRow(code: g.code, categoryCode: g.categoryCode, title: g.title, description: g.description,
                                                       areaCode: g.areaCode, placeCode: g.placeCode, assessment: s.assessment, level: s.level,
                                                       state: s.state, point: g.point), catalogue: req.riskCatalogue))
        }
        return try TableDownload.response(rows, format: format, filename: "risks", sheet: "风险清单")
    }

    /// At most this many entries in one export (the register of a county is a few thousand).
    static let exportLimit = 20_000

    static func summary(_ r: StoredRisk, j: Jurisdiction, now: Date, calendar: WorkingCalendar, catalogue: RiskCatalogue) -> RiskSummaryDTO {
        let s = r.snapshot, level = catalogue.level(s.level)
        return RiskSummaryDTO(id: r.id, code: r.code, state: s.state.rawValue, stateName: s.state.nameZH, level: s.level,
                              levelName: level?.name ?? String(s.level), colour: level?.colour ?? "",
                              categoryCode: s.registration.categoryCode, title: s.registration.title,
                              area: AreaRefDTO(code: s.registration.areaCode, name: j[s.registration.areaCode]?.name ?? s.registration.areaCode),
                              nextReviewDue: s.state.isOpen ? s.nextReviewDue : nil,
                              clock: RiskLifecycle.clock(of: s).map { $0.status(at: now, calendar: calendar).colour.rawValue })
    }
}


/// The register's entries at the shared service and door: who sees them (their area's staff), who hears of them,
/// how an action's body becomes a command, and what a registration opens.
extension RiskKind: CreatableKind {
    static func isVisible(_ r: StoredRisk, to staff: StaffAccount, in j: Jurisdiction) -> Bool {
        r.areaPath.hasPrefix(j.path(of: staff.scope.areaCode))
    }

    static func audience(_ r: StoredRisk) -> RecordEvent.Audience {
        .init(areas: r.areaPath.split(separator: "/").map(String.init), departmentCode: r.snapshot.owners?.departmentCode)
    }

    static func stateNames(_ s: RiskSnapshot) -> (zh: String, en: String) { (s.state.nameZH, s.state.rawValue) }

    /// Linked cases must exist and lie in the risk's township (the case that revealed it, or that it spawned); a
    /// transfer's department serves the risk's area (its own area holds the risk's, or lies above it).
    static func check(_ command: RiskCommand, on r: StoredRisk, app: Application, at now: Date) async throws {
        if case .transfer(let owners, _) = command {
            let department = try await app.wangge.reference.current(on: app.db, now: now).departmentsByCode[owners.departmentCode]
            guard let area = department?.areaCode, r.areaPath.split(separator: "/").contains(where: { $0 == area }) else {
                throw APIError.badRequest("the department \(owners.departmentCode) does not serve the risk's area", field: "department_code")
            }
            return
        }
        guard case .linkCases(let codes) = command else { return }
        let parts = r.areaPath.split(separator: "/").map(String.init)
        let township = parts.count > 1 ? parts[1] : parts.first ?? ""
        for (i, code) in codes.enumerated() {
            guard let c = try await CaseQueries.find(code: code, on: app.db), c.snapshot.intake.areas.contains(where: { $0.code == township }) else {
                throw APIError.badRequest("no case \(code) in the risk's township", field: "case_codes[\(i)]")
            }
        }
    }

    /// Registered at, or raised to, orange or red: a warning to the area's leaders (their lists, pages and live events;
    /// once per step).
    static func afterCommit(_ step: LifecycleStep<RiskLifecycle>, stored r: StoredRisk, app: Application) async {
        guard step.record.notifiesLeaders else { return }
        let s = r.snapshot, level = app.wangge.riskCatalogue.level(s.level)
        let evidence = ["risk_id": r.id.uuidString, "risk_code": r.code, "title": s.registration.title, "level": String(s.level),
                        "level_name": level?.name ?? String(s.level), "category": s.registration.categoryCode]
        let db = app.db
        do {
            let calendar = try await app.wangge.reference.current(on: db, now: step.record.at).calendar
            let w = NewWarning(key: "risk:\(r.code):\(s.actionCount)", kind: .riskRaised, level: s.level == 1 ? "red" : "orange",
                               areaCode: s.registration.areaCode, areaPath: r.areaPath, period: calendar.civilDate(of: step.record.at).description,
                               evidence: String(decoding: try WarningService.evidenceEncoder.encode(evidence), as: UTF8.self))
            if let id = try await app.wangge.writes.run(on: db, { try await WarningQueries.raise(w, at: step.record.at, on: db) }) {
                await WarningService(app: app).announce(id: id, kind: "created", action: "raise", at: step.record.at)
            }
        } catch {
            app.logger.error("risk \(r.code): the leaders' warning was not raised: \(String(describing: error))")
        }
    }

    static func command(_ b: RiskActionBody, staff: StaffAccount, req: Request) async throws -> RiskCommand {
        switch b.action {
        case "review":
            guard let a = b.assessment else { throw APIError.badRequest("a review needs its assessment", field: "assessment") }
            guard let d = b.decision.flatMap(RiskDecision.init(rawValue:)) else {
                throw APIError.badRequest("decision is one of \(RiskDecision.allCases.map(\.rawValue).joined(separator: ", "))", field: "decision")
            }
            return .review(assessment: try a.assessment(), decision: d, note: b.note, policy: try await req.riskPolicy())
        case "approve": return .approve(note: b.note)
        case "transfer":
            guard let d = b.departmentCode, let l = b.leader, let p = b.personInCharge else {
                throw APIError.badRequest("a transfer names the department_code, the leader and the person_in_charge", field: "department_code")
            }
            guard d.utf8.count <= RiskLimits.codeLength else { throw APIError.badRequest("department_code names no department", field: "department_code") }
            func account(_ name: String) async throws -> StaffAccount? {
                guard RiskLimits.isUsername(name) else { return nil }
                return try await AccountQueries.credentials(username: name, on: req.db)?.account
            }
            let department = try await req.reference().departmentsByCode[d]
            switch RiskOwners.owners(departmentCode: d, department: department, leader: try await account(l), personInCharge: try await account(p)) {
            case .success(let owners): return .transfer(owners: owners, note: b.note)
            case .failure(.invalidField(let field, let reason)): throw APIError.badRequest("\(field) \(reason)", field: field)
            case .failure(let e): throw APIError.badRequest(String(describing: e), field: "department_code")
            }
        case "feedback":
            guard let t = b.text else { throw APIError.badRequest("feedback needs its text", field: "text") }
            let done = b.measuresDone ?? []
            guard done.count <= RiskLimits.maximumMeasures, done.allSatisfy({ (0..<RiskLimits.maximumMeasures).contains($0) }) else {
                throw APIError.badRequest("measures_done lists the plan's measures by their place (from 0)", field: "measures_done")
            }
            return .feedback(text: t, measuresDone: done)
        case "plan":
            guard let ms = b.measures, !ms.isEmpty else { throw APIError.badRequest("a plan lists its measures", field: "measures") }
            guard ms.count <= RiskLimits.maximumMeasures else {
                throw APIError.badRequest("a plan has at most \(RiskLimits.maximumMeasures) measures", field: "measures")
            }
            return .plan(try ms.enumerated().map { i, m in
                guard m.dueOn.utf8.count <= 10, let due = CivilDate(m.dueOn) else {
                    throw APIError.badRequest("due_on is a date (YYYY-MM-DD)", field: "measures[\(i)].due_on")
                }
                var doneOn: CivilDate?
                if let d = m.doneOn {
                    guard d.utf8.count <= 10, let day = CivilDate(d) else { throw APIError.badRequest("done_on is a date (YYYY-MM-DD)", field: "measures[\(i)].done_on") }
                    doneOn = day
                }
                return MitigationMeasure(description: m.description, dueOn: due, doneOn: doneOn)
            })
        case "link_cases":
            guard let codes = b.caseCodes, !codes.isEmpty else { throw APIError.badRequest("link_cases names the cases' codes", field: "case_codes") }
            guard codes.count <= RiskLimits.maximumCaseLinks, codes.allSatisfy(RiskLimits.isCode) else {
                throw APIError.badRequest("case_codes are at most \(RiskLimits.maximumCaseLinks) case codes", field: "case_codes")
            }
            return .linkCases(codes)
        case "clear": return .clear(note: b.note)
        case "archive": return .archive(note: b.note)
        default:
            throw APIError.badRequest("action is one of review, approve, transfer, feedback, plan, link_cases, clear, archive", field: "action")
        }
    }

    static func detail(_ r: StoredRisk, staff: StaffAccount, req: Request) async throws -> RiskDetailDTO {
        let j = try await req.jurisdiction()
        let calendar = try await req.reference().calendar
        let s = r.snapshot
        let catalogue = req.riskCatalogue
        return RiskDetailDTO(
            summary: RisksAPI.summary(r, j: j, now: req.now, calendar: calendar, catalogue: catalogue), description: s.registration.description,
            assessment: RiskAssessmentOutDTO(s.assessment, proposed: catalogue.proposedLevel(for: s.assessment)),
            owners: s.owners.map { RiskOwnersDTO(departmentCode: $0.departmentCode, leader: $0.leader.username, personInCharge: $0.personInCharge.username) },
            reviews: s.reviews.map { RiskReviewDTO(at: $0.at, by: $0.by, decision: $0.decision.rawValue, fromLevel: $0.fromLevel, level: $0.level,
                                                   score: $0.assessment.score, note: $0.note) },
            plan: s.plan.map { RiskMeasureDTO(description: $0.description, dueOn: $0.dueOn.description, doneOn: $0.doneOn?.description) },
            caseCodes: s.caseCodes,
            registeredAt: s.registeredAt, version: r.version,
            allowedActions: RiskLifecycle.allowedActions(for: s, actor: RecordActor(staff)).map(\.rawValue))
    }

    static func opening(_ b: RiskRegistrationBody, staff: StaffAccount, req: Request) async throws -> Opening<RiskKind> {
        let j = try await req.jurisdiction()
        guard b.areaCode.utf8.count <= 64, j[b.areaCode] != nil, staff.scope.covers(b.areaCode, in: j) else {
            throw APIError(.notFound, "not_found", "no area \(b.areaCode.prefix(64)) in your scope", field: "area_code")
        }
        let point: GeoPoint? = try b.lat.flatMap { lat in
            try b.lon.map { lon in
                guard (-90...90).contains(lat), (-180...180).contains(lon) else { throw APIError.badRequest("lat and lon are a point on the Earth", field: "lat") }
                return GeoPoint(lon: lon, lat: lat)
            }
        }
        let assessment = try b.assessment.assessment()
        let path = j.path(of: b.areaCode), actor = RecordActor(staff), at = req.now
        let calendar = try await req.reference().calendar, policy = try await req.riskPolicy()
        let (category, title, description, area) = (b.categoryCode, b.title, b.description, b.areaCode)
        return Opening(letters: RiskKind.prefix, areaPath: path, place: NoPlace()) { code in
            let r = RiskRegistration(code: code, categoryCode: category, title: title, description: description, areaCode: area,
                                     areaPath: path, point: point, assessment: assessment)
            return try RiskLifecycle.register(r, policy: policy, actor: actor, at: at, calendar: calendar)
        }
    }
}
