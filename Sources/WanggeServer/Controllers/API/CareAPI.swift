import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// Care visits at the API (issue 20): a plan for a household whose resident consented, visits on its cadence with a
/// follow-up case where help is needed, and consent withdrawn — which deletes the plan and its visits. Care data is
/// personal: only the grid staff of the household's grid and the command centre see it, and each view is audited.
enum CareAPI {
    static let carers: Set<Role> = [.gridWorker, .gridLeader, .operator, .admin]

    /// `POST /api/v1/care-plans` `{"household_id", "consent": {"given_on", "how"}, "needs", "every"}` → 201.
    static func create(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let body = try req.content.decode(CarePlanBody.self)
        let key = try IdempotencyKey.from(req)
        let hash = try key == nil ? "" : CasesAPI.hash(body)
        if let earlier = try await IdempotencyKey.earlier(kind: "care_plan", key: key, hash: hash, on: req) {
            return try await answer(try await visible(earlier, staff: staff, req: req), status: .ok, req: req)
        }
        let j = try await req.jurisdiction()
        guard let household = try await RegistryQueries.find(id: body.householdID, on: req.db), household.entry.kind == .household,
              staff.scope.covers(household.gridCode, in: j) else {
            throw APIError.badRequest("no household \(body.householdID) in your grids", field: "household_id")
        }
        guard body.consent.givenOn.utf8.count <= 10, let consentOn = CivilDate(body.consent.givenOn) else {
            throw APIError.badRequest("consent.given_on is a date (YYYY-MM-DD)", field: "consent.given_on")
        }
        guard body.every.utf8.count <= 8, let every = RiskReviewInterval(body.every) else {
            throw APIError.badRequest("every is a cadence like 7d or 1mo", field: "every")
        }
        let today = try await req.reference().calendar.civilDate(of: req.now)
        let draft: CarePlanDraft
        do {
            draft = try CareRules.checked(CarePlanDraft(consentOn: consentOn, consentHow: body.consent.how, needs: body.needs, every: every), today: today)
        } catch {
            guard case .invalidField(let f, let r) = error else { throw error }
            throw APIError.badRequest("\(f) \(r)", field: f)
        }
        guard try await CareQueries.of(household: household.id, on: req.db) == nil else {
            throw APIError(.conflict, "conflict", "the household has a care plan already")
        }
        let db = req.db, now = req.now, by = staff.username
        let id = try await req.wangge.writes.run(on: db) {
            try await CareQueries.insert(householdID: household.id, gridCode: household.gridCode, areaPath: household.areaPath, draft: draft,
                                         nextDue: today, by: by, at: now, key: key.map { ($0, hash) }, on: db)
        }
        return try await answer(try await visible(id, staff: staff, req: req), status: .created, req: req)
    }

    /// `GET /api/v1/care-plans?area=&due=true&page=&per=`: the plans of the caller's scope, the first due first, a page at a time with the total.
    static func list(_ req: Request) async throws -> CarePlanListDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let area = try req.areaQuery(staff, j) ?? staff.scope.areaCode
        let today = try await req.reference().calendar.civilDate(of: req.now)
        let (number, per) = try req.paging()
        let found = try await CareQueries.page(scopePath: j.path(of: area), dueBy: try req.boolQuery("due") == true ? today : nil, page: number, per: per, on: req.db)
        let plans = found.items
        try await req.audit(plans.map { PersonalDataView(recordKind: "care_plan", recordID: $0.id.uuidString, fields: ["needs"]) })
        var out: [CarePlanDTO] = []
        for p in plans { out.append(try await dto(p, visits: [], req: req)) }
        return CarePlanListDTO(plans: out, total: found.total, page: number, per: per)
    }

    /// `GET /api/v1/care-plans/{id}`: the plan with its visits.
    static func show(_ req: Request) async throws -> CarePlanDTO {
        let staff = try req.requireStaff()
        let p = try await visible(try id(req), staff: staff, req: req)
        try await req.audit([PersonalDataView(recordKind: "care_plan", recordID: p.id.uuidString, fields: ["needs", "visits.note"])])
        return try await dto(p, visits: try await CareQueries.visits(p.id, on: req.db), req: req)
    }

    /// `POST /api/v1/care-plans/{id}/visits` `{"note", "help_category_code"}`: a visit today; with a category of help,
    /// a follow-up case at the household (its description is the note, so it says only what the worker writes).
    static func visit(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let plan = try await visible(try id(req), staff: staff, req: req)
        let body = try req.content.decode(CareVisitBody.self)
        let key = try IdempotencyKey.from(req)
        let hash = try key == nil ? "" : CasesAPI.hash(body)
        if try await IdempotencyKey.earlier(kind: "care_visit", key: key, hash: hash, on: req) != nil {
            return try await answer(plan, status: .ok, req: req)
        }
        let note = try BodyText.optional(body.note, field: "note", max: CareRules.textLength)
        var caseCode: String?
        if let category = body.helpCategoryCode {
            guard let note else { throw APIError.badRequest("say what help is needed", field: "note") }
            guard let household = try await RegistryQueries.find(id: plan.householdID, on: req.db) else { throw APIError.notFound("no such household") }
            let caseKey = "care:\(plan.id.uuidString):" + (key ?? UUID().uuidString)
            let dto = CaseReportDTO(categoryCode: category, description: "关爱走访：" + note, lat: household.entry.point.lat, lon: household.entry.point.lon,
                                    areaCode: nil, address: household.entry.address, source: CaseSource.gridWorker.rawValue, reporter: nil)
            let prepared = try await CasesAPI.prepare(dto, photos: [], key: caseKey, requestHash: caseKey, on: req)
            switch try await req.application.caseService.report(prepared.pending, batched: false) {
            case .stored(let c, _): caseCode = c.code
            case .keyTaken(_, let caseID): caseCode = try await CaseQueries.find(id: caseID, on: req.db)?.code
            }
        }
        let today = try await req.reference().calendar.civilDate(of: req.now)
        let next = CareRules.nextDue(after: today, every: plan.draft.every)
        let db = req.db, now = req.now, by = staff.username, code = caseCode
        _ = try await req.wangge.writes.run(on: db) {
            try await CareQueries.visit(plan.id, day: today, note: note, caseCode: code, nextDue: next, by: by, at: now, key: key.map { ($0, hash) }, on: db)
        }
        return try await answer(try await visible(plan.id, staff: staff, req: req), status: .created, req: req)
    }

    /// `DELETE /api/v1/care-plans/{id}`: the resident withdrew consent. The plan and its visits are deleted; that it
    /// was withdrawn, and when, is kept. 204.
    static func withdraw(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let plan = try await visible(try id(req), staff: staff, req: req)
        let today = try await req.reference().calendar.civilDate(of: req.now)
        let db = req.db, now = req.now, by = staff.username
        try await req.wangge.writes.run(on: db) { try await CareQueries.withdraw(plan, on: today, by: by, at: now, on: db) }
        return Response(status: .noContent)
    }

    static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw APIError.notFound("no such care plan in your scope") }
        return id
    }

    static func visible(_ id: UUID, staff: StaffAccount, req: Request) async throws -> StoredCarePlan {
        let j = try await req.jurisdiction()
        guard let p = try await CareQueries.find(id: id, on: req.db), staff.scope.covers(p.gridCode, in: j) else {
            throw APIError.notFound("no such care plan in your scope")
        }
        return p
    }

    static func dto(_ p: StoredCarePlan, visits: [StoredCareVisit], req: Request) async throws -> CarePlanDTO {
        let address = try await RegistryQueries.find(id: p.householdID, on: req.db)?.entry.address ?? ""
        return CarePlanDTO(id: p.id, householdId: p.householdID, address: address, consentOn: p.draft.consentOn.description, consentHow: p.draft.consentHow,
                           needs: p.draft.needs, every: p.draft.every.text, nextDue: p.nextDue.description,
                           visits: visits.map { CareVisitDTO(day: $0.day.description, note: $0.note, caseCode: $0.caseCode, by: $0.by) })
    }

    static func answer(_ p: StoredCarePlan, status: HTTPStatus, req: Request) async throws -> Response {
        let response = Response(status: status)
        try response.content.encode(try await dto(p, visits: try await CareQueries.visits(p.id, on: req.db), req: req), as: .json)
        return response
    }
}

struct CarePlanBody: Content {
    struct Consent: Content {
        var givenOn: String
        var how: String
    }

    var householdID: UUID
    var consent: Consent
    var needs: String
    var every: String

    enum CodingKeys: String, CodingKey {
        case consent, needs, every
        case householdID = "householdId"
    }
}

struct CareVisitBody: Content {
    var note: String?
    var helpCategoryCode: String?
}

struct CareVisitDTO: Content {
    var day: String
    var note: String?
    var caseCode: String?
    var by: String
}

struct CarePlanDTO: Content {
    var id: UUID
    var householdId: UUID
    var address: String
    var consentOn: String
    var consentHow: String
    var needs: String
    var every: String
    var nextDue: String
    var visits: [CareVisitDTO]
}

struct CarePlanListDTO: Content {
    var plans: [CarePlanDTO]
    var total: Int
    var page: Int
    var per: Int
}
