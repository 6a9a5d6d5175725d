import Crypto
import Fluent
import Vapor
import WanggeCore
import WanggeStore

enum CasesAPI {

    /// `POST /api/v1/cases`: JSON, or multipart with the JSON in part `case` and photos in parts `photos`.
    static func create(_ req: Request) async throws -> Response {
        // A report sent with a page session that has ended is not quietly taken as a resident's.
        if req.hasStaleSession { throw APIError(.unauthorized, "unauthorized", "your session has ended; sign in again and send the report again") }
        let (dto, photos) = try decodeReport(req)
        let key = try IdempotencyKey.from(req)
        let requestHash = try key == nil ? "" : hash(dto, photos: photos)
        // On an SQLite file a report without photos learns in its write turn whether its key is taken (one query for the
        // whole batch); otherwise the key is looked up first, before photos are stored.
        let batcher = photos.isEmpty ? req.wangge.intake : nil
        if let key, batcher == nil, let earlier = try await CaseQueries.idempotent(key: key, on: req.db) {
            return try await replay(earlier, key: key, hash: requestHash, on: req)
        }
        let prepared: PreparedIntake
        do {
            prepared = try await prepare(dto, photos: photos, key: key, requestHash: requestHash, on: req)
        } catch {
            // A repeated request is answered with its case even when the report would not pass any more, as when
            // the key is looked up first.
            if let key, batcher != nil, let earlier = try await CaseQueries.idempotent(key: key, on: req.db) {
                return try await replay(earlier, key: key, hash: requestHash, on: req)
            }
            throw error
        }
        switch try await req.application.caseService.report(prepared.pending, batched: batcher != nil) {
        case .stored(let stored, let nearby):
            let dup: LikelyDuplicates
            if let nearby { dup = likelyDuplicates(of: stored, among: nearby) } else { dup = try await duplicates(of: stored, on: req) }
            return try await created(stored, department: prepared.department, duplicates: dup, status: .created,
                                     jurisdiction: prepared.jurisdiction, on: req)
        case .keyTaken(let hash, let caseID):
            return try await replay((hash, caseID), key: key ?? "", hash: requestHash, on: req)
        }
    }

    /// The same report is the same request whatever the order of its JSON keys: a hash of a canonical encoding.
    static func hash(_ dto: some Encodable, photos: [[UInt8]] = []) throws -> String {
        var bytes = Array(try canonical.encode(dto))
        for photo in photos { bytes += Array(SHA256.hash(data: photo)) }
        return hex(SHA256.hash(data: bytes))
    }

    private static let canonical: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in digest { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A checked, routed report with its photos stored, waiting only for its number.
    struct PreparedIntake {
        var pending: CaseQueries.PendingCase
        var department: Department?
        /// The tree the report was placed in, which also names its area in the answer.
        var jurisdiction: Jurisdiction
    }

    /// `uploaded`: photos the caller uploaded before (`POST /api/v1/photos`), checked to be theirs, attached too.
    /// `channel`: the API key an Open311 report comes through; the report is then the key's, whatever session the
    /// request carries, must lie in the key's area and is written to the audit log with the key's name.
    static func prepare(_ dto: CaseReportDTO, photos: [[UInt8]], uploaded: [String] = [], key: String?, requestHash: String,
                        channel: StoredAPIKey? = nil, on req: Request) async throws -> PreparedIntake {
        let staff = channel == nil ? req.staff : nil
        // Open311 is the interface's own: no body names it.
        let sources = CaseSource.allCases.filter { $0 != .open311 }
        let given = try dto.source.map { text in
            guard let s = CaseSource(rawValue: text), sources.contains(s) else {
                throw APIError.badRequest("source must be one of \(sources.map(\.rawValue).joined(separator: ", "))", field: "source")
            }
            return s
        }
        // Through a key, the key's; without an account, a resident's; else as given, a grid worker's by default.
        let source: CaseSource = channel != nil ? .open311 : staff == nil ? .resident : given ?? .gridWorker
        let report = CaseReport(categoryCode: dto.categoryCode, description: dto.description, lat: dto.lat, lon: dto.lon,
                                areaCode: dto.areaCode, address: dto.address, source: source,
                                reporterName: dto.reporter?.name, reporterPhone: dto.reporter?.phone, channelKey: channel?.name)
        let ref = try await req.reference()
        let j = try await req.jurisdiction()
        let checked: (report: CaseReport, category: WanggeCore.Category, location: Location)
        do {
            checked = try CaseIntakeRules.validate(report, catalogue: ref.catalogue, jurisdiction: j, photoCount: photos.count + uploaded.count)
        } catch {
            throw APIError(error.field == "category_code" ? .unprocessableEntity : .badRequest, "invalid_input", error.message, field: error.field)
        }
        if let channel {
            // A key reports only within its area, and where its category asks for a photo, with one.
            guard let smallest = checked.location.chain.first, j.path(of: smallest.code).hasPrefix(channel.areaPath) else {
                throw APIError.badRequest("the place lies outside the area of this api_key (\(channel.areaCode))", field: "lat")
            }
            if checked.category.photoRequired && photos.isEmpty {
                throw APIError.badRequest("this service needs a photo: send it as media", field: "media")
            }
        }
        var attachmentIDs: [String] = []
        for id in uploaded {
            guard let staff, PhotosAPI.isPhotoID(id), case .some(let uploader?) = try await CaseQueries.photoUploader(sha256: id, on: req.db),
                  uploader == staff.id else {
                throw APIError.badRequest("no photo \(id.prefix(64)) uploaded by you", field: "photos")
            }
            attachmentIDs.append(id)
        }
        for (i, bytes) in photos.enumerated() {
            do {
                let stored = try req.wangge.photos.store(bytes, limit: req.wangge.config.limits.photoBytes)
                try await CaseQueries.recordPhoto(sha256: stored.sha256, contentType: stored.type.rawValue, size: stored.size, at: req.now,
                                                  uploadedBy: staff?.id, on: req.db)
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
        let actor = staff.map(RecordActor.init) ?? .reporter
        let now = req.now
        let day = ref.calendar.civilDate(of: now)
        let codePrefix = req.wangge.config.caseCodePrefix
        let prefix = "\(codePrefix)-" + String(format: "%04d%02d%02d", day.year, day.month, day.day)
        let point = checked.report.point, category = checked.category, location = checked.location
        let checkedReport = checked.report, photoIDs = attachmentIDs
        let areaPath = j.path(of: location.chain.first!.code)
        // Which key made the report, in the audit log, written with the case (the code is known once numbered).
        let audit = channel.map { k in
            AuditEvent(at: now, userID: k.id, username: "apikey:" + k.name, role: "open311", client: req.client.text,
                       view: PersonalDataView(recordKind: "case", recordID: "",
                                              fields: ["report"] + (checkedReport.reporterName == nil ? [] : ["reporter_name"])
                                                  + (checkedReport.reporterPhone == nil ? [] : ["reporter_phone"])),
                       route: "POST " + Open311API.prefix + "/requests")
        }
        let pending = CaseQueries.PendingCase(prefix: prefix, idempotencyKey: key, requestHash: key == nil ? nil : requestHash) { sequence in
            let code = CaseCodes.caseCode(prefix: codePrefix, day: day, sequence: sequence)
            guard let intake = CaseIntake(code: code, category: category, location: location, point: point,
                                          source: source, hasReporter: checkedReport.hasReporter, routing: routing)
            else { throw APIError.badRequest("the case cannot be placed", field: "lat") }
            let transition = try CaseStateMachine.report(intake, actor: actor, at: now, attachmentIDs: photoIDs)
            var rng = SystemRandomNumberGenerator()
            return NewCase(code: code, trackingCode: CaseCodes.trackingCode(using: &rng), report: checkedReport,
                           transition: transition, areaPath: areaPath, idempotencyKey: key, requestHash: key == nil ? nil : requestHash,
                           audit: audit.map { var e = $0; e.view.recordID = code; return e })
        }
        return PreparedIntake(pending: pending, department: routing.assigneeDepartment, jurisdiction: j)
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

    static func duplicates(of c: StoredCase, on req: Request) async throws -> LikelyDuplicates {
        guard let point = c.report.point else { return .none }
        let nearby = try await CaseQueries.duplicateCandidates(categoryCode: c.report.categoryCode, near: point,
                                                               metres: DuplicateFinder.defaultDistanceMetres, around: c.reportedAt,
                                                               maxAge: DuplicateFinder.defaultMaxAge, excluding: c.code, on: req.db)
        return likelyDuplicates(of: c, among: nearby)
    }

    static func likelyDuplicates(of c: StoredCase, among nearby: NearbyCandidates) -> LikelyDuplicates {
        guard let point = c.report.point else { return .none }
        return LikelyDuplicates(report: c.report.categoryCode, at: point, time: c.reportedAt, nearby: nearby)
    }

    static func created(_ c: StoredCase, department: Department?, duplicates: LikelyDuplicates, status: HTTPStatus,
                        jurisdiction: Jurisdiction? = nil, on req: Request) async throws -> Response {
        let area = c.snapshot.intake.areas.first
        let j = if let jurisdiction { jurisdiction } else { try await req.jurisdiction() }
        let dto = CaseCreatedDTO(
            id: c.id, code: c.code, trackingCode: req.staff == nil ? c.trackingCode : nil, status: c.snapshot.state.rawValue,
            area: AreaRefDTO(code: area?.code ?? "", name: area.flatMap { j[$0.code]?.name } ?? ""),
            department: department.map { DepartmentRefDTO(id: $0.code, name: $0.name) },
            routingReason: c.snapshot.intake.routingReason, deadlines: DeadlinesDTO(c.snapshot.deadlines),
            likelyDuplicates: duplicates.nearest.map { DuplicateDTO(code: $0.code, distanceMetres: ($0.distanceMetres * 10).rounded() / 10) },
            likelyDuplicateCount: duplicates.total, likelyDuplicateCountCapped: duplicates.moreThanTotal)
        let response = Response(status: status, body: .init(data: try CaseCreatedDTO.plainJSON.encode(dto)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .location, value: SitePath.apiCase.link(c.id.uuidString))
        return response
    }

    /// The report and its photos from a JSON or multipart body (the door has checked the type and the total size).
    static func decodeReport(_ req: Request) throws -> (CaseReportDTO, [[UInt8]]) {
        // The raw header first: parsing it costs more than the rest of a small report's decoding.
        if let raw = req.headers.first(name: .contentType), raw.utf8.count >= 9,
           raw.prefix(9).lowercased() == "multipart" {
            let limits = req.wangge.config.limits
            let form = try MultipartForm.parse(req, limits: .init(maximumParts: limits.photosPerReport + 1) { name in
                switch name {
                case "case": limits.jsonBytes
                case "photos", "photos[]": limits.photoBytes
                default: nil
                }
            })
            guard let json = form.first(named: "case") else {
                throw APIError.badRequest("the multipart body needs a part named case with the report as JSON", field: "case")
            }
            let photos = form.all(named: ["photos", "photos[]"]).map { Array(buffer: $0.data) }
            guard photos.count <= limits.photosPerReport else {
                throw APIError.badRequest("at most \(limits.photosPerReport) photos", field: "photos")
            }
            let dto = try ContentConfiguration.global.requireDecoder(for: .json).decode(CaseReportDTO.self, from: json.data, headers: [:])
            return (dto, photos)
        }
        guard req.body.data != nil else { throw APIError.badRequest("the body must be the report as JSON", field: nil) }
        return (try req.content.decode(CaseReportDTO.self), [])
    }
}
