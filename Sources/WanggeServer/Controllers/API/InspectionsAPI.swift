import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// Key-place inspections at the API (issue 20): a checklist of the place's type with a result for every item; each
/// failed item raises a hazard case through the case loop, placed at the place's point and routed by the item's
/// category like any report.
///
/// Exactly once: the inspection is written first (its `Idempotency-Key` in the same transaction), then each failed
/// item's case under a key of its own (`inspection:<id>:<item>`). A retry with the same key finds the inspection and
/// raises only the cases still missing, so an inspection sent twice from the outbox — or cut off between its write
/// and its cases — raises one case per failed item.
enum InspectionsAPI {
    static let inspectors: Set<Role> = [.gridWorker, .gridLeader, .operator, .admin]
    static let maximumResults = 200

    /// `POST /api/v1/inspections` `{"place_id", "checklist_code", "results": [{"item_code", "passed", "note", "photo_ids"}]}`
    /// → 201 `{"id", "cases": [{"id", "code", "department"}]}` (200 with the same for a retry with the same key).
    static func create(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let body = try req.content.decode(InspectionBody.self)
        guard body.results.count <= maximumResults else { throw APIError.badRequest("at most \(maximumResults) results", field: "results") }
        let key = try IdempotencyKey.from(req)
        let hash = try key == nil ? "" : CasesAPI.hash(body)
        if let earlier = try await IdempotencyKey.earlier(kind: "inspection", key: key, hash: hash, on: req) {
            guard let done = try await InspectionQueries.find(id: earlier, on: req.db), let place = try await RegistryQueries.find(id: done.placeID, on: req.db),
                  place.areaPath.hasPrefix(try await req.jurisdiction().path(of: staff.scope.areaCode)) else {
                throw APIError.notFound("no such inspection in your scope")
            }
            let outcome = try evaluate(body, place: place, req: req, reference: try await req.reference())
            return try await answer(done.id, outcome: outcome, place: place, status: .ok, req: req)
        }
        let j = try await req.jurisdiction()
        guard let place = try await RegistryQueries.find(id: body.placeID, on: req.db), place.entry.kind == .place,
              place.areaPath.hasPrefix(j.path(of: staff.scope.areaCode)) else {
            throw APIError.badRequest("no place \(body.placeID) in your scope", field: "place_id")
        }
        let reference = try await req.reference()
        let outcome = try evaluate(body, place: place, req: req, reference: reference)
        for (i, r) in body.results.enumerated() {
            for id in r.photoIDs ?? [] {
                guard PhotosAPI.isPhotoID(id), case .some(let uploader?) = try await CaseQueries.photoUploader(sha256: id, on: req.db), uploader == staff.id else {
                    throw APIError.badRequest("no photo \(id.prefix(64)) uploaded by you", field: "results[\(i)].photo_ids")
                }
            }
        }
        let db = req.db, now = req.now, by = staff.username
        let id: UUID
        do {
            id = try await req.wangge.writes.run(on: db) {
                try await InspectionQueries.insert(placeID: place.id, areaPath: place.areaPath, checklistCode: body.checklistCode, outcome: outcome,
                                                   by: by, at: now, key: key.map { ($0, hash) }, on: db)
            }
        } catch {
            if let earlier = try await IdempotencyKey.earlier(kind: "inspection", key: key, hash: hash, on: req) {
                return try await answer(earlier, outcome: outcome, place: place, status: .ok, req: req)
            }
            throw error
        }
        return try await answer(id, outcome: outcome, place: place, status: .created, req: req)
    }

    /// Where the failed item says so (`risk_category_code`), the hazard also enters the risk register, once, under
    /// its own key (`inspection:<id>:<item>:risk`): registered by the inspector in the place's grid with a middling
    /// first assessment (likelihood 3, severity 3) for the register's own review to settle, and linked to the case
    /// that raised it. A category the county's risk catalogue lacks enters nothing.
    static func riskEntry(_ h: InspectionHazard, inspection: UUID, place: StoredRegistryEntry, raised: StoredCase, req: Request) async throws -> StoredRisk? {
        guard let category = h.riskCategoryCode, req.riskCatalogue.category(category) != nil else { return nil }
        let staff = try req.requireStaff()
        let key = "inspection:\(inspection.uuidString):\(h.itemCode):risk"
        if let (earlier, _) = try await RecordStore<RiskKind>.find(key: key, on: req.db) { return earlier }
        let calendar = try await req.reference().calendar, policy = try await req.riskPolicy()
        let actor = RecordActor(staff), at = req.now, grid = place.gridCode, path = place.areaPath
        let title = String("\(place.entry.label)：\(h.itemName)".prefix(RiskLimits.titleLength))
        let description = String(h.description.prefix(RiskLimits.textLength)), point = place.entry.point, caseCode = raised.code
        let prefix = RecordCodes.dayPrefix(RiskKind.prefix, at: at, calendar: calendar)
        switch try await RecordService<RiskKind>(app: req.application).create(prefix: prefix, areaPath: path, place: NoPlace(), key: (key, key), make: { code in
            let r = RiskRegistration(code: code, categoryCode: category, title: title, description: description, areaCode: grid, areaPath: path,
                                     point: point, placeCode: place.id.uuidString, assessment: .matrix(likelihood: 3, severity: 3), caseCodes: [caseCode])
            return try RiskLifecycle.register(r, policy: policy, actor: actor, at: at, calendar: calendar)
        }) {
        case .stored(let r), .keyTaken(let r, _), .found(let r): return r
        }
    }

    static func evaluate(_ body: InspectionBody, place: StoredRegistryEntry, req: Request, reference: ReferenceCache.Data) throws -> InspectionOutcome {
        let catalogue = req.wangge.fieldCatalogue
        guard let type = place.entry.typeCode.flatMap(catalogue.placeType) else {
            throw APIError.badRequest("the place's type is not in the catalogue", field: "place_id")
        }
        guard body.checklistCode.utf8.count <= 64, let checklist = catalogue.checklist(body.checklistCode) else {
            throw APIError.badRequest("checklist_code is one of \(type.checklistCodes.joined(separator: ", "))", field: "checklist_code")
        }
        let results = body.results.map { InspectionItemResult(itemCode: $0.itemCode, passed: $0.passed, note: $0.note, photoIDs: $0.photoIDs ?? []) }
        do {
            return try Inspections.evaluate(placeName: place.entry.label, placeType: type, checklist: checklist, results: results,
                                            photoRequired: { reference.catalogue[$0]?.photoRequired ?? false })
        } catch {
            guard case .invalidField(let field, let reason) = error else { throw error }
            throw APIError.badRequest("\(field) \(reason)", field: field)
        }
    }

    /// Raises the cases still missing (each under its own key) and answers with all of them.
    static func answer(_ id: UUID, outcome: InspectionOutcome, place: StoredRegistryEntry, status: HTTPStatus, req: Request) async throws -> Response {
        var cases: [InspectionCaseDTO] = []
        let ref = try await req.reference()
        for h in outcome.hazards {
            let key = "inspection:\(id.uuidString):\(h.itemCode)"
            let stored: StoredCase
            if let earlier = try await CaseQueries.idempotent(key: key, on: req.db), let c = try await CaseQueries.find(id: earlier.caseID, on: req.db) {
                stored = c
            } else {
                let dto = CaseReportDTO(categoryCode: h.categoryCode, description: h.description, lat: place.entry.point.lat, lon: place.entry.point.lon,
                                        areaCode: nil, address: place.entry.address, source: CaseSource.gridWorker.rawValue, reporter: nil)
                let prepared = try await CasesAPI.prepare(dto, photos: [], uploaded: h.photoIDs, key: key, requestHash: key, on: req)
                switch try await req.application.caseService.report(prepared.pending, batched: false) {
                case .stored(let c, _): stored = c
                case .keyTaken(_, let caseID):
                    guard let c = try await CaseQueries.find(id: caseID, on: req.db) else { throw APIError.notFound("case gone") }
                    stored = c
                }
            }
            let department = stored.snapshot.intake.routedDepartmentCode.flatMap { ref.departmentsByCode[$0] }
            let risk = try await riskEntry(h, inspection: id, place: place, raised: stored, req: req)
            cases.append(InspectionCaseDTO(id: stored.id, code: stored.code, itemCode: h.itemCode,
                                           department: department.map { DepartmentRefDTO(id: $0.code, name: $0.name) }, riskCode: risk?.code))
        }
        try await InspectionQueries.setCases(id, codes: cases.map(\.code), on: req.db)
        let response = Response(status: status)
        try response.content.encode(InspectionCreatedDTO(id: id, passed: outcome.passed, cases: cases), as: .json)
        return response
    }
}

struct InspectionBody: Content {
    struct Result: Content {
        var itemCode: String
        var passed: Bool
        var note: String?
        var photoIDs: [String]?

        enum CodingKeys: String, CodingKey {
            case itemCode, passed, note
            case photoIDs = "photoIds"
        }
    }

    var placeID: UUID
    var checklistCode: String
    var results: [Result]

    enum CodingKeys: String, CodingKey {
        case checklistCode, results
        case placeID = "placeId"
    }
}

struct InspectionCaseDTO: Content {
    var id: UUID
    var code: String
    var itemCode: String
    var department: DepartmentRefDTO?
    /// The risk register's entry the failed item made, where the item says so.
    var riskCode: String?
}

struct InspectionCreatedDTO: Content {
    var id: UUID
    var passed: Bool
    var cases: [InspectionCaseDTO]
}
