import Crypto
import Fluent
import Vapor
import WanggeCore
import WanggeStore

enum CasesAPI {
    static let codePrefix = "AL"

    /// `POST /api/v1/cases`: JSON, or multipart with the JSON in part `case` and photos in parts `photos`.
    static func create(_ req: Request) async throws -> Response {
        let (dto, photos) = try decodeReport(req)
        let key = req.headers.first(name: "Idempotency-Key").flatMap { $0.isEmpty ? nil : $0 }
        if let key, key.count > 200 { throw APIError.badRequest("Idempotency-Key is at most 200 characters", field: "Idempotency-Key") }
        // The same report is the same request whatever the order of its JSON keys: hash a canonical encoding.
        let canonical = JSONEncoder()
        canonical.outputFormatting = [.sortedKeys]
        let requestHash = SHA256.hash(data: Array(try canonical.encode(dto)) + photos.flatMap { SHA256.hash(data: $0).map { $0 } })
            .map { String(format: "%02x", $0) }.joined()
        if let key, let earlier = try await CaseQueries.idempotent(key: key, on: req.db) {
            return try await replay(earlier, key: key, hash: requestHash, on: req)
        }
        let staff = req.staff
        var source = CaseSource(rawValue: dto.source ?? "") ?? (staff == nil ? .resident : .gridWorker)
        if dto.source != nil && CaseSource(rawValue: dto.source!) == nil {
            throw APIError.badRequest("source must be one of \(CaseSource.allCases.map(\.rawValue).joined(separator: ", "))", field: "source")
        }
        if staff == nil { source = .resident }  // without an account a report is a resident's
        let report = CaseReport(categoryCode: dto.categoryCode, description: dto.description, lat: dto.lat, lon: dto.lon,
                                areaCode: dto.areaCode, address: dto.address, source: source,
                                reporterName: dto.reporter?.name, reporterPhone: dto.reporter?.phone)
        let ref = try await req.reference()
        let j = try await req.jurisdiction()
        let checked: (report: CaseReport, category: WanggeCore.Category, location: Location)
        do {
            checked = try CaseIntakeRules.validate(report, catalogue: ref.catalogue, jurisdiction: j, photoCount: photos.count)
        } catch {
            throw APIError(error.field == "category_code" ? .unprocessableEntity : .badRequest, "invalid_input", error.message, field: error.field)
        }
        var attachmentIDs: [String] = []
        for (i, bytes) in photos.enumerated() {
            do {
                let stored = try req.wangge.photos.store(bytes)
                try await CaseQueries.recordPhoto(sha256: stored.sha256, contentType: stored.type.rawValue, size: stored.size, at: req.now, on: req.db)
                attachmentIDs.append(stored.sha256)
            } catch let problem as PhotoProblem {
                throw APIError(problem == .notAnImage ? .unsupportedMediaType : .badRequest, "invalid_photo",
                               "photo \(i + 1): \(problem)", field: "photos")
            }
        }
        let routing: RoutingDecision
        do {
            routing = try CaseRouter.route(category: checked.category, location: checked.location, departments: ref.departments, jurisdiction: j)
        } catch {
            throw APIError.badRequest("\(error)", field: "lat")
        }
        let actor = staff.map(CaseActor.init) ?? .reporter
        let now = req.now
        let day = ref.calendar.civilDate(of: now)
        let prefix = "\(codePrefix)-" + String(format: "%04d%02d%02d", day.year, day.month, day.day)
        let point = checked.report.point, category = checked.category, location = checked.location
        let checkedReport = checked.report, finalSource = source, photoIDs = attachmentIDs
        let areaPath = j.path(of: location.chain.first!.code)
        let db = req.db
        for attempt in 1...8 {
            do {
                // The day's next number is read and used inside one write turn, so on SQLite (one writer at a time)
                // two reports never compete for it; on PostgreSQL a collision retries with the next number.
                let stored = try await req.wangge.writes.run(on: db) { () async throws -> StoredCase in
                    var rng = SystemRandomNumberGenerator()
                    let sequence = try await CaseQueries.nextSequence(prefix: prefix, on: db) + (attempt - 1) * Int.random(in: 1...7, using: &rng)
                    let code = CaseCodes.caseCode(prefix: codePrefix, day: day, sequence: sequence)
                    guard let intake = CaseIntake(code: code, category: category, location: location, point: point,
                                                  source: finalSource, hasReporter: checkedReport.hasReporter, routing: routing)
                    else { throw APIError.badRequest("the case cannot be placed", field: "lat") }
                    let transition = try CaseStateMachine.report(intake, actor: actor, at: now, attachmentIDs: photoIDs)
                    let new = NewCase(code: code, trackingCode: CaseCodes.trackingCode(using: &rng), report: checkedReport,
                                      transition: transition, areaPath: areaPath,
                                      idempotencyKey: key, requestHash: key == nil ? nil : requestHash)
                    return try await CaseQueries.create(new, on: db)
                }
                let dup = try await duplicates(of: stored, on: req)
                return try await created(stored, department: routing.assigneeDepartment, duplicates: dup, status: .created, on: req)
            } catch let e as any DatabaseError where e.isConstraintFailure {
                // Either the same key raced us (answer with its case) or another case took the code (try the next).
                if let key, let earlier = try await CaseQueries.idempotent(key: key, on: req.db) {
                    return try await replay(earlier, key: key, hash: requestHash, on: req)
                }
                continue
            }
        }
        throw APIError(.serviceUnavailable, "busy", "too many reports at this moment; send it again with the same Idempotency-Key")
    }

    /// The answer to a repeated idempotent request: the same case, or 409 when the body differs.
    static func replay(_ earlier: (requestHash: String, caseID: UUID), key: String, hash: String, on req: Request) async throws -> Response {
        guard earlier.requestHash == hash else {
            throw APIError(.conflict, "idempotency_key_reused", "Idempotency-Key \(key) was used for a different report", field: "Idempotency-Key")
        }
        guard let stored = try await CaseQueries.find(id: earlier.caseID, on: req.db) else { throw APIError.notFound("case gone") }
        let ref = try await req.reference()
        let department = stored.snapshot.intake.routedDepartmentCode.flatMap { ref.departmentsByCode[$0] }
        return try await created(stored, department: department, duplicates: try await duplicates(of: stored, on: req), status: .ok, on: req)
    }

    static func duplicates(of c: StoredCase, on req: Request) async throws -> [DuplicateMatch] {
        guard let point = c.report.point else { return [] }
        let candidates = try await CaseQueries.duplicateCandidates(categoryCode: c.report.categoryCode, near: point, metres: 200,
                                                                    since: c.reportedAt.addingTimeInterval(-72 * 3600), on: req.db)
            .filter { $0.code != c.code }
        return DuplicateFinder.likely(categoryCode: c.report.categoryCode, point: point, at: c.reportedAt, open: candidates)
    }

    static func created(_ c: StoredCase, department: Department?, duplicates: [DuplicateMatch], status: HTTPStatus, on req: Request) async throws -> Response {
        let area = c.snapshot.intake.areas.first
        let j = try await req.jurisdiction()
        let dto = CaseCreatedDTO(
            id: c.id, code: c.code, trackingCode: c.trackingCode, status: c.snapshot.state.rawValue,
            area: AreaRefDTO(code: area?.code ?? "", name: area.flatMap { j[$0.code]?.name } ?? ""),
            department: department.map { DepartmentRefDTO(id: $0.code, name: $0.name) },
            routingReason: c.snapshot.intake.routingReason, deadlines: DeadlinesDTO(c.snapshot.deadlines),
            likelyDuplicates: duplicates.map { DuplicateDTO(code: $0.code, distanceMetres: ($0.distanceMetres * 10).rounded() / 10) })
        if status == .created { req.publish(c, kind: "created", action: CaseActionKind.report.rawValue) }
        let response = Response(status: status)
        try response.content.encode(dto, as: .json)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/cases/\(c.id)")
        return response
    }

    /// The report and its photos from a JSON or multipart body.
    static func decodeReport(_ req: Request) throws -> (CaseReportDTO, [[UInt8]]) {
        if req.headers.contentType?.type == "multipart" {
            guard let boundary = req.headers.contentType?.parameters["boundary"], let body = req.body.data else {
                throw APIError.badRequest("the multipart body has no boundary", field: nil)
            }
            let parts = try MultipartParts.parse(body: body, boundary: boundary)
            guard let json = parts.first(where: { $0.name == "case" }) else {
                throw APIError.badRequest("the multipart body needs a part named case with the report as JSON", field: "case")
            }
            let photos = parts.filter { $0.name == "photos" || $0.name == "photos[]" }.map(\.data)
            guard photos.count <= CaseIntakeRules.maximumPhotos else {
                throw APIError.badRequest("at most \(CaseIntakeRules.maximumPhotos) photos", field: "photos")
            }
            for (i, p) in photos.enumerated() where p.count > PhotoSanitizer.maximumBytes {
                throw APIError(.payloadTooLarge, "invalid_photo", "photo \(i + 1) is larger than 10 MB", field: "photos")
            }
            let dto = try ContentConfiguration.global.requireDecoder(for: .json)
                .decode(CaseReportDTO.self, from: ByteBuffer(bytes: json.data), headers: [:])
            return (dto, photos)
        }
        guard req.body.data != nil else { throw APIError.badRequest("the body must be the report as JSON", field: nil) }
        return (try req.content.decode(CaseReportDTO.self), [])
    }
}
