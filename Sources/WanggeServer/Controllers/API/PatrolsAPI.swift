import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// Patrols at the API (issue 20): a worker starts a patrol of a grid, records findings (a point only where one is
/// recorded; no tracking in between), and ends it. A finding with a category becomes a case in the same step,
/// placed at its point, its place or else the grid, and routed like any report. Every write takes an
/// `Idempotency-Key`; a finding's case is raised under a key of its own first, so a retry cut off in between makes
/// one case and one finding.
enum PatrolsAPI {
    static let patrollers: Set<Role> = [.gridWorker, .gridLeader, .operator, .admin]

    /// `POST /api/v1/patrols` `{"grid_code"}` (grid staff: their own grid by default) → 201 with the patrol.
    static func start(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let body = try req.content.decode(PatrolStartBody.self)
        let key = try IdempotencyKey.from(req)
        let hash = try key == nil ? "" : CasesAPI.hash(body)
        if let earlier = try await IdempotencyKey.earlier(kind: "patrol", key: key, hash: hash, on: req) {
            return try await answer(try await visible(earlier, staff: staff, req: req), status: .ok, req: req)
        }
        let j = try await req.jurisdiction()
        let code = body.gridCode ?? staff.scope.areaCode
        guard code.utf8.count <= 64, let grid = j[code], grid.level == .grid, staff.scope.covers(code, in: j) else {
            throw APIError.badRequest("a patrol is of a grid of your scope", field: "grid_code")
        }
        let db = req.db, now = req.now, by = staff.username, path = j.path(of: code)
        let id = try await req.wangge.writes.run(on: db) {
            try await PatrolQueries.start(gridCode: code, areaPath: path, worker: by, at: now, key: key.map { ($0, hash) }, on: db)
        }
        return try await answer(try await visible(id, staff: staff, req: req), status: .created, req: req)
    }

    /// `POST /api/v1/patrols/{id}/findings` `{"note", "lat", "lon", "place_id", "category_code"}`: with a category, the
    /// finding becomes a case at once.
    static func finding(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let patrol = try await visible(try id(req), staff: staff, req: req)
        let body = try req.content.decode(PatrolFindingBody.self)
        let key = try IdempotencyKey.from(req)
        let hash = try key == nil ? "" : CasesAPI.hash(body)
        if let earlier = try await IdempotencyKey.earlier(kind: "patrol_finding", key: key, hash: hash, on: req) {
            guard earlier == patrol.id else {
                throw APIError(.conflict, "idempotency_key_reused", "this Idempotency-Key was used for another patrol", field: "Idempotency-Key")
            }
            return try await answer(patrol, status: .ok, req: req)
        }
        try own(patrol, staff: staff, now: req.now)
        guard patrol.findings.count < PatrolRules.maximumFindings else {
            throw APIError.badRequest("a patrol holds at most \(PatrolRules.maximumFindings) findings", field: "note")
        }
        let note: String
        do { note = try PatrolRules.note(body.note) } catch { throw APIError.badRequest("note must be 1 to \(PatrolRules.noteLength) characters of plain text", field: "note") }
        var point: GeoPoint?
        if let lat = body.lat, let lon = body.lon {
            guard lat.isFinite, lon.isFinite, (-90...90).contains(lat), (-180...180).contains(lon) else { throw APIError.badRequest("lat and lon are a point on the Earth", field: "lat") }
            point = GeoPoint(lon: lon, lat: lat)
        } else if (body.lat == nil) != (body.lon == nil) {
            throw APIError.badRequest("lat and lon come together", field: "lat")
        }
        var place: StoredRegistryEntry?
        if let pid = body.placeID {
            guard let p = try await RegistryQueries.find(id: pid, on: req.db), p.entry.kind == .place, p.areaPath.hasPrefix(patrol.areaPath) else {
                throw APIError.badRequest("no place \(pid) in the patrol's grid", field: "place_id")
            }
            place = p
            if point == nil { point = p.entry.point }
        }
        var caseCode: String?
        if let category = body.categoryCode {
            let caseKey = "patrol:\(patrol.id.uuidString):" + (key ?? UUID().uuidString)
            let dto = CaseReportDTO(categoryCode: category, description: place.map { "\($0.entry.label)：\(note)" } ?? note, lat: point?.lat, lon: point?.lon,
                                    areaCode: point == nil ? patrol.gridCode : nil, address: place?.entry.address, source: CaseSource.gridWorker.rawValue, reporter: nil)
            let prepared = try await CasesAPI.prepare(dto, photos: [], uploaded: body.photoIDs ?? [], key: caseKey, requestHash: caseKey, on: req)
            switch try await req.application.caseService.report(prepared.pending, batched: false) {
            case .stored(let c, _): caseCode = c.code
            case .keyTaken(_, let caseID): caseCode = try await CaseQueries.find(id: caseID, on: req.db)?.code
            }
        }
        var next = patrol
        next.findings.append(PatrolFinding(number: patrol.findings.count + 1, at: req.now, note: note, point: point, placeID: place?.id, caseCode: caseCode))
        let db = req.db, now = req.now, updated = next
        do {
            try await req.wangge.writes.run(on: db) { try await PatrolQueries.update(updated, key: key.map { ($0, hash) }, at: now, on: db) }
        } catch is PatrolConflict {
            throw APIError(.conflict, "conflict", "the patrol changed meanwhile; send the finding again with the same Idempotency-Key")
        }
        return try await answer(try await visible(patrol.id, staff: staff, req: req), status: .created, req: req)
    }

    /// `POST /api/v1/patrols/{id}/end` `{"summary"}`.
    static func end(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        var patrol = try await visible(try id(req), staff: staff, req: req)
        let body = try req.content.decode(PatrolEndBody.self)
        guard patrol.worker == staff.username else { throw APIError(.conflict, "conflict", "only the worker who started the patrol ends it") }
        guard patrol.endedAt == nil else { return try await answer(patrol, status: .ok, req: req) }  // ended already: the same answer
        if let s = try BodyText.optional(body.summary, field: "summary", max: PatrolRules.noteLength) { patrol.summary = s }
        patrol.endedAt = min(req.now, patrol.startedAt.addingTimeInterval(PatrolRules.maximumLength))
        let db = req.db, updated = patrol
        do {
            try await req.wangge.writes.run(on: db) { try await PatrolQueries.update(updated, on: db) }
        } catch is PatrolConflict {
            throw APIError(.conflict, "conflict", "the patrol changed meanwhile; end it again")
        }
        return try await answer(try await visible(patrol.id, staff: staff, req: req), status: .ok, req: req)
    }

    static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw APIError.notFound("no such patrol in your scope") }
        return id
    }

    static func visible(_ id: UUID, staff: StaffAccount, req: Request) async throws -> StoredPatrol {
        let j = try await req.jurisdiction()
        guard let p = try await PatrolQueries.find(id: id, on: req.db), p.areaPath.hasPrefix(j.path(of: staff.scope.areaCode)) else {
            throw APIError.notFound("no such patrol in your scope")
        }
        return p
    }

    /// Findings are the patrolling worker's, while the patrol is open.
    static func own(_ p: StoredPatrol, staff: StaffAccount, now: Date) throws {
        guard p.worker == staff.username else { throw APIError(.conflict, "conflict", "only the worker on the patrol records its findings") }
        guard PatrolRules.isOpen(startedAt: p.startedAt, endedAt: p.endedAt, now: now) else {
            throw APIError(.conflict, "conflict", "the patrol has ended; start another")
        }
    }

    static func answer(_ p: StoredPatrol, status: HTTPStatus, req: Request) async throws -> Response {
        let j = try await req.jurisdiction()
        let dto = PatrolDTO(id: p.id, grid: AreaRefDTO(code: p.gridCode, name: j[p.gridCode]?.name ?? p.gridCode), worker: p.worker, startedAt: p.startedAt,
                            endedAt: p.endedAt ?? (PatrolRules.isOpen(startedAt: p.startedAt, endedAt: nil, now: req.now) ? nil : p.startedAt.addingTimeInterval(PatrolRules.maximumLength)),
                            summary: p.summary,
                            findings: p.findings.map { PatrolFindingDTO(number: $0.number, at: $0.at, note: $0.note, lat: $0.point?.lat, lon: $0.point?.lon,
                                                                        placeId: $0.placeID, caseCode: $0.caseCode) })
        let response = Response(status: status)
        try response.content.encode(dto, as: .json)
        return response
    }
}

struct PatrolStartBody: Content { var gridCode: String? }

struct PatrolFindingBody: Content {
    var note: String
    var lat: Double?
    var lon: Double?
    var placeID: UUID?
    var categoryCode: String?
    var photoIDs: [String]?

    enum CodingKeys: String, CodingKey {
        case note, lat, lon, categoryCode
        case placeID = "placeId"
        case photoIDs = "photoIds"
    }
}

struct PatrolEndBody: Content { var summary: String? }

struct PatrolFindingDTO: Content {
    var number: Int
    var at: Date
    var note: String
    var lat: Double?
    var lon: Double?
    var placeId: UUID?
    var caseCode: String?
}

struct PatrolDTO: Content {
    var id: UUID
    var grid: AreaRefDTO
    var worker: String
    var startedAt: Date
    var endedAt: Date?
    var summary: String?
    var findings: [PatrolFindingDTO]
}
