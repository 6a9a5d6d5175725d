import Crypto
import Foundation
import Vapor
import WanggeCore
import WanggeStore

/// Open311 GeoReport v2 (issue 21): another intake channel and another read view of cases, for civic apps and
/// partners' systems that speak it. Reports go through the case intake (`CasesAPI.prepare`, the service, the
/// group-commit writer): routing, clocks, idempotency and masking are the JSON API's. Every answer is built once as
/// an `Open311Value` and written as JSON or XML as the path's suffix asks; every error is the spec's array.
///
/// Keys: reports need an `api_key` (query or form); reading requests, tokens and updates needs one too (query, or
/// HTTP Basic's password, for clients that send no key on reads), since requests are residents' reports. A key sees
/// and reports only within its area, at its own rate. Discovery, services and media are open.
enum Open311API {
    static let prefix = "/open311/v2"
    static let maximumIDs = 200
    static let maximumPageSize = 1_000
    /// A search without dates covers the last 90 days, and a search may span at most 90 days (the spec's advice).
    static let window: TimeInterval = 90 * 86_400

    static let readQuery = ["api_key", "jurisdiction_id", "service_request_id", "service_code", "start_date", "end_date", "status", "page", "page_size"]

    static let routes: [SiteRoute] = {
        var r: [SiteRoute] = []
        for f in Open311.Format.allCases {
            let ext = f.rawValue
            r.append(SiteRoute(.GET, path: "\(prefix)/discovery.\(ext)", .anyone, query: ["jurisdiction_id"]) { req in try await discovery(req, f) })
            r.append(SiteRoute(.GET, path: "\(prefix)/services.\(ext)", .anyone, query: ["jurisdiction_id"]) { req in try await services(req, f) })
            r.append(SiteRoute(.POST, path: "\(prefix)/requests.\(ext)", .anyone, query: ["api_key", "jurisdiction_id"], body: .open311) { req in
                try await post(req, f)
            })
            r.append(SiteRoute(.GET, path: "\(prefix)/requests.\(ext)", .anyone, query: readQuery) { req in try await requests(req, f) })
            r.append(SiteRoute(.GET, path: "\(prefix)/servicerequestupdates.\(ext)", .anyone,
                               query: ["api_key", "jurisdiction_id", "start_date", "end_date", "page", "page_size"]) { req in try await updates(req, f) })
        }
        r.append(SiteRoute(.GET, path: "\(prefix)/services/:code", .anyone, query: ["jurisdiction_id"], definition))
        r.append(SiteRoute(.GET, path: "\(prefix)/requests/:id", .anyone, query: ["api_key", "jurisdiction_id"], request))
        r.append(SiteRoute(.GET, path: "\(prefix)/tokens/:token", .anyone, query: ["api_key", "jurisdiction_id"], token))
        r.append(SiteRoute(.GET, path: "\(prefix)/media/:sha", .anyone, media))
        return r
    }()

    // MARK: Answers

    static func answer(_ value: Open311Value, root: String, _ format: Open311.Format, status: HTTPStatus = .ok) -> Response {
        let r = Response(status: status, body: .init(string: value.encoded(format, root: root)))
        r.headers.replaceOrAdd(name: .contentType, value: format.contentType)
        r.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return r
    }

    /// The spec's error array for any error of an Open311 path, in the format its last segment asks for (JSON
    /// unless it ends in ".xml").
    static func error(_ api: APIError, path: String) -> Response {
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        let format = Open311.split(last)?.format ?? .json
        var text = api.message
        if let field = api.field, !text.contains(field) { text = "\(field): \(text)" }
        let value = Open311Value.list(item: "error", [.object([("code", .integer(Int(api.status.code))), ("description", .string(text))])])
        return answer(value, root: "errors", format, status: api.status)
    }

    /// The format named by a parameter's suffix ("AL-20261123-000001.xml"), and the name before it.
    static func suffixed(_ req: Request, _ name: String) throws -> (String, Open311.Format) {
        let raw = try req.parameters.require(name)
        guard raw.utf8.count <= 80, let split = Open311.split(raw), !split.name.isEmpty else {
            throw APIError.notFound("add .json or .xml to the path")
        }
        return split
    }

    // MARK: Checks shared by the routes

    /// A missing or empty `jurisdiction_id` is this county; the county's own code is accepted; any other is 404.
    static func checkJurisdiction(_ given: String?, _ j: Jurisdiction) throws {
        guard let given, !given.isEmpty else { return }
        guard given == j.root?.code else {
            throw APIError(.notFound, "jurisdiction_not_found", "jurisdiction_id \(given.prefix(64)) is not served here (this is \(j.root?.code ?? ""))")
        }
    }

    /// A query parameter as `textQuery` reads it (bounded, no control characters), and one XML can carry, since
    /// answers may echo it.
    static func query(_ req: Request, _ name: String, max: Int = 200) throws -> String? {
        guard let v = try req.textQuery(name, maxLength: max) else { return nil }
        guard Open311.isXMLSafe(v), TextInput.isClean(v) else {
            throw APIError.badRequest("\(name) holds control or invisible characters", field: name)
        }
        return v
    }

    /// The request's API key: `api_key` in the query or the form, or HTTP Basic's password. Missing → 401; wrong or
    /// revoked → 403 (and the client's address is charged, as for a failed sign-in); over its rate → 429.
    static func apiKey(_ req: Request, form: [String: String] = [:]) async throws -> StoredAPIKey {
        let presented = try query(req, "api_key") ?? form["api_key"] ?? req.headers.basicAuthorization?.password
        guard let presented, !presented.isEmpty else {
            var e = APIError(.unauthorized, "api_key_missing", "an api_key is required (in the query, the form, or as the HTTP Basic password)", field: "api_key")
            e.headers = ["WWW-Authenticate": "Basic realm=\"open311\""]
            throw e
        }
        let limiters = req.wangge.limiters, client = "open311:" + req.client.limitKey
        // Wrong keys are counted per client address, as failed sign-ins are; a good key is never slowed by them.
        guard APIKeyRules.isWellFormedKey(presented), let key = try await APIKeyQueries.live(keyHash: TokenSecret.hash(presented), on: req.db) else {
            if let wait = limiters.signIns.check(client, now: req.now) { throw APIError.tooManyRequests(wait: wait, field: "api_key") }
            limiters.signIns.charge(client, now: req.now)
            throw APIError(.forbidden, "api_key_invalid", "the api_key is not valid, or it has been revoked", field: "api_key")
        }
        if let wait = limiters.apiKeys.take(key.id.uuidString, now: req.now, perMinute: key.ratePerMinute) {
            throw APIError.tooManyRequests(wait: wait, field: "api_key", message: "this api_key's rate limit (\(key.ratePerMinute) a minute) is used up; wait a little")
        }
        return key
    }

    static func offset(_ req: Request) async throws -> Int {
        try await req.reference().calendar.timeZone.secondsFromGMT(for: req.now)
    }

    // MARK: Discovery and services

    /// `GET /open311/v2/discovery.{json,xml}`.
    static func discovery(_ req: Request, _ f: Open311.Format) async throws -> Response {
        let j = try await req.jurisdiction()
        try checkJurisdiction(try query(req, "jurisdiction_id"), j)
        let changeset = "2026-12-07T00:00:00+08:00"
        let base = origin(req) + prefix
        let value = Open311Value.object([
            ("changeset", .string(changeset)),
            ("contact", .string("\(j.root?.name ?? "") 网格化服务管理中心 / grid service centre")),
            ("key_service", .string("API keys are issued by the county's administrators (wangge apikey create, or the API keys page)")),
            ("jurisdiction_id", .text(j.root?.code)),
            ("endpoints", .list(item: "endpoint", [.object([
                ("specification", .string("http://wiki.open311.org/GeoReport_v2")),
                ("url", .string(base)),
                ("changeset", .string(changeset)),
                ("type", .string("production")),
                ("formats", .list(item: "format", [.string("application/json"), .string("text/xml")])),
            ])])),
        ])
        return answer(value, root: "discovery", f)
    }

    /// `GET /open311/v2/services.{json,xml}`: the 小类, each with its 大类 as `group`.
    static func services(_ req: Request, _ f: Open311.Format) async throws -> Response {
        try checkJurisdiction(try query(req, "jurisdiction_id"), try await req.jurisdiction())
        let catalogue = try await req.reference().catalogue
        let items: [Open311Value] = catalogue.categories.filter { !$0.isMajor }.map { c in
            let group = c.parentCode.flatMap { catalogue[$0] }
            return .object([
                ("service_code", .string(c.code)),
                ("service_name", .string(c.name)),
                ("description", .string("\(group.map { "\($0.name) › " } ?? "")\(c.name) (\(c.nameEN))")),
                ("metadata", .bool(c.photoRequired)),
                ("type", .string("realtime")),
                ("keywords", .string(c.keywords.joined(separator: ","))),
                ("group", .text(group?.name)),
            ])
        }
        return answer(.list(item: "service", items), root: "services", f)
    }

    /// `GET /open311/v2/services/{code}.{json,xml}`: what a category asks for beyond the standard fields (a photo).
    static func definition(_ req: Request) async throws -> Response {
        let (code, f) = try suffixed(req, "code")
        try checkJurisdiction(try query(req, "jurisdiction_id"), try await req.jurisdiction())
        guard let c = try await req.reference().catalogue[code], !c.isMajor else {
            throw APIError(.notFound, "not_found", "no service has service_code \(code.prefix(64))", field: "service_code")
        }
        var attributes: [Open311Value] = []
        if c.photoRequired {
            attributes.append(.object([
                ("variable", .bool(false)),
                ("code", .string("media")),
                ("datatype", .string("string")),
                ("required", .bool(true)),
                ("datatype_description", .string("send the photo (JPEG or PNG) as the media part of a multipart request")),
                ("order", .integer(1)),
                ("description", .string("本类上报须附照片 / A photo is required for this service")),
            ]))
        }
        return answer(.object([("service_code", .string(c.code)), ("attributes", .list(item: "attribute", attributes))]),
                      root: "service_definition", f)
    }

    // MARK: Posting a request

    /// The fields of a posted request (form or multipart) and its photo.
    struct Posted {
        var fields: [String: String] = [:]
        var media: [UInt8]? = nil
    }

    static let textLimit = 200

    static func readPosted(_ req: Request) throws -> Posted {
        var posted = Posted()
        let limits = req.wangge.config.limits
        func add(_ name: String, _ value: String) throws {
            guard name.utf8.count <= 100 else { throw APIError.badRequest("a field name is at most 100 bytes", field: nil) }
            guard posted.fields.count < 60 else { throw APIError.badRequest("at most 60 fields", field: nil) }
            // Bytes: a description of 2,000 Chinese characters is 6,000; an address of 200 is 600.
            let max = name == "description" ? 8_000 : name == "address_string" ? 800 : textLimit
            guard value.utf8.count <= max else { throw APIError.badRequest("\(name) is too long (at most \(max) bytes)", field: name) }
            guard Open311.isXMLSafe(value), Open311.isXMLSafe(name) else {
                throw APIError.badRequest("\(name) holds a control character that XML cannot carry", field: name)
            }
            posted.fields[name] = value
        }
        if let raw = req.headers.first(name: .contentType), raw.lowercased().hasPrefix("multipart") {
            let form = try MultipartForm.parse(req, limits: .init(maximumParts: 60) { name in
                name == "media" ? limits.photoBytes : name == "description" ? 8_000 : 1_024
            })
            for part in form.parts {
                if part.name == "media" {
                    guard posted.media == nil else { throw APIError.badRequest("send one photo as media", field: "media") }
                    posted.media = Array(buffer: part.data)
                } else {
                    guard let text = part.data.getString(at: part.data.readerIndex, length: part.data.readableBytes) else {
                        throw APIError.badRequest("\(part.name) is not UTF-8 text", field: part.name)
                    }
                    try add(part.name, text)
                }
            }
        } else if let body = req.body.data {
            let text = body.getString(at: body.readerIndex, length: body.readableBytes) ?? ""
            for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ s: Substring) throws -> String {
                    guard let d = s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                        throw APIError.badRequest("the form is not well encoded", field: nil)
                    }
                    return d
                }
                try add(try decode(kv[0]), kv.count > 1 ? try decode(kv[1]) : "")
            }
        }
        return posted
    }

    /// `POST /open311/v2/requests.{json,xml}`: a report through the case intake, idempotent on its content.
    static func post(_ req: Request, _ f: Open311.Format) async throws -> Response {
        let posted = try readPosted(req)
        let fields = posted.fields
        let j = try await req.jurisdiction()
        try checkJurisdiction(fields["jurisdiction_id"] ?? (try query(req, "jurisdiction_id")), j)
        let key = try await apiKey(req, form: fields)
        guard let serviceCode = fields["service_code"], !serviceCode.isEmpty else {
            throw APIError.badRequest("service_code is required", field: "service_code")
        }
        let ref = try await req.reference()
        guard let category = ref.catalogue[serviceCode], !category.isMajor else {
            throw APIError.badRequest("no service has service_code \(serviceCode.prefix(64))", field: "service_code")
        }
        guard let description = fields["description"], !description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest("description is required: describe the problem in a few words", field: "description")
        }
        var lat: Double? = nil, lon: Double? = nil, areaCode: String? = nil
        let address = fields["address_string"].flatMap { $0.isEmpty ? nil : $0 }
        switch (fields["lat"].flatMap { $0.isEmpty ? nil : $0 }, fields["long"].flatMap { $0.isEmpty ? nil : $0 }) {
        case let (la?, lo?):
            guard let a = Double(la), let o = Double(lo), a.isFinite, o.isFinite, abs(a) <= 90, abs(o) <= 180 else {
                throw APIError.badRequest("lat must be -90…90 and long -180…180", field: "lat")
            }
            guard !j.locate(GeoPoint(lon: o, lat: a)).isOutside else {
                throw APIError.badRequest("the point lies outside the county", field: "lat")
            }
            (lat, lon) = (a, o)
        case (nil, nil):
            guard let address else { throw APIError.badRequest("give lat and long, or address_string", field: "lat") }
            guard let area = AddressPlacer.place(address, in: j, under: key.areaCode) else {
                throw APIError.badRequest("the county cannot place address_string \"\(address.prefix(100))\" in the area of this api_key; send lat and long", field: "address_string")
            }
            areaCode = area.code
        default:
            throw APIError.badRequest("lat and long go together", field: "lat")
        }
        let first = fields["first_name"] ?? "", last = fields["last_name"] ?? ""
        let name = Self.fullName(first: first, last: last)
        if let email = fields["email"], !email.isEmpty, email.count > 100 || !email.contains("@") {
            throw APIError.badRequest("email is not an e-mail address", field: "email")
        }
        let dto = CaseReportDTO(categoryCode: category.code, description: description, lat: lat, lon: lon, areaCode: areaCode, address: address,
                                source: nil, reporter: name == nil && fields["phone"] == nil ? nil : .init(name: name, phone: fields["phone"]))
        let photos = posted.media.map { [$0] } ?? []
        if let media = posted.media, PhotoType.sniff(Array(media.prefix(16))) == nil {
            throw APIError(.unsupportedMediaType, "invalid_photo", "media is not a JPEG, PNG or WebP photo", field: "media")
        }
        // A client that sends the same request again (a retry) gets the same case: the key is the content, per API
        // key and day, and yesterday's is looked up too.
        let hash = try contentHash(fields, photos: photos)
        let calendar = ref.calendar
        let today = calendar.civilDate(of: req.now), yesterday = calendar.civilDate(of: req.now.addingTimeInterval(-86_400))
        let todayKey = "open311:\(key.id.uuidString):\(today):\(hash)"
        // Today's key is checked in the write (the batch's key check, or the key's unique index), yesterday's here.
        if let earlier = try await CaseQueries.idempotent(key: "open311:\(key.id.uuidString):\(yesterday):\(hash)", on: req.db) {
            return try await created(earlier.caseID, fields, f, status: .ok, on: req)
        }
        let prepared: CasesAPI.PreparedIntake
        do {
            prepared = try await CasesAPI.prepare(dto, photos: photos, key: todayKey, requestHash: hash, channel: key, on: req)
        } catch let e as APIError where e.field == "photos" {
            throw APIError(e.status, e.code, e.message.replacingOccurrences(of: "photo 1", with: "media"), field: "media")
        }
        switch try await req.application.caseService.report(prepared.pending, batched: photos.isEmpty && req.wangge.intake != nil) {
        case .stored(let stored, _):
            return try await created(stored, fields, f, status: .created, on: req)
        case .keyTaken(_, let caseID):
            return try await created(caseID, fields, f, status: .ok, on: req)
        }
    }

    /// "三" and "张" → "张三" (Chinese names put the family name first); "Ann" and "Lee" → "Ann Lee"; nil for none.
    static func fullName(first: String, last: String) -> String? {
        let f = first.trimmingCharacters(in: .whitespaces), l = last.trimmingCharacters(in: .whitespaces)
        if f.isEmpty && l.isEmpty { return nil }
        let cjk = (f + l).unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
        return cjk ? l + f : [f, l].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The request's content without its key, hashed as the JSON API hashes a report (`CasesAPI.hash`: sorted keys,
    /// the photos' digests): the same request sent twice hashes the same.
    static func contentHash(_ fields: [String: String], photos: [[UInt8]]) throws -> String {
        try CasesAPI.hash(fields.filter { $0.key != "api_key" }, photos: photos)
    }

    static func created(_ id: UUID, _ fields: [String: String], _ f: Open311.Format, status: HTTPStatus, on req: Request) async throws -> Response {
        guard let c = try await CaseQueries.find(id: id, on: req.db) else { throw APIError.notFound("the case is gone") }
        return try await created(c, fields, f, status: status, on: req)
    }

    static func created(_ c: StoredCase, _ fields: [String: String], _ f: Open311.Format, status: HTTPStatus, on req: Request) async throws -> Response {
        let ref = try await req.reference()
        let value = Open311Value.list(item: "request", [.object([
            ("service_request_id", .string(c.code)),
            ("token", .string(c.id.uuidString.lowercased())),
            ("service_notice", .text(notice(c, ref))),
            ("account_id", .text(fields["account_id"].flatMap { $0.isEmpty ? nil : $0 })),
        ])])
        return answer(value, root: "service_requests", f, status: status)
    }

    /// What the county promises for the case: its category's time to resolve, in working time.
    static func notice(_ c: StoredCase, _ ref: ReferenceCache.Data) -> String? {
        let limits = c.snapshot.intake.limits
        let d: String = switch limits.resolve {
        case .hours(let h): "\(h) 个工作小时 / \(h) working hours"
        case .days(let n): "\(n) 个工作日 / \(n) working days"
        }
        return "已受理，编号 \(c.code)；处置时限 \(d)。Received as \(c.code)."
    }

    // MARK: Reading requests

    /// `GET /open311/v2/requests.{json,xml}`: the key's area's requests, newest first.
    static func requests(_ req: Request, _ f: Open311.Format) async throws -> Response {
        let j = try await req.jurisdiction()
        try checkJurisdiction(try query(req, "jurisdiction_id"), j)
        let key = try await apiKey(req)
        let ref = try await req.reference()
        let offset = try await offset(req)
        var filter = CaseFilter(scopePath: key.areaPath, departmentCode: nil)
        if let ids = try query(req, "service_request_id", max: 20_000) {
            let list = ids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard list.count <= maximumIDs else {
                throw APIError.badRequest("at most \(maximumIDs) ids in service_request_id (this has \(list.count))", field: "service_request_id")
            }
            guard list.allSatisfy({ $0.utf8.count <= 64 }) else { throw APIError.badRequest("an id is at most 64 characters", field: "service_request_id") }
            filter.codes = list
        }
        if let codes = try query(req, "service_code", max: 2_000) {
            let list = codes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for c in list where ref.catalogue[c] == nil || ref.catalogue[c]!.isMajor {
                throw APIError.badRequest("no service has service_code \(c.prefix(64))", field: "service_code")
            }
            if !list.isEmpty { filter.categoryCodes = list }
        }
        if let s = try query(req, "status", max: 40) {
            var states = Set<CaseState>()
            for word in s.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                switch word {
                case "open": states.formUnion(CaseState.allCases.filter { Open311.status(of: $0) == "open" })
                case "closed": states.formUnion(CaseState.allCases.filter { Open311.status(of: $0) == "closed" })
                default: throw APIError.badRequest("status is open, closed or both (comma-separated)", field: "status")
                }
            }
            filter.states = CaseState.allCases.filter(states.contains)
        }
        var from = try date(req, "start_date", offset), to = try date(req, "end_date", offset)
        if filter.codes == nil {
            // Without ids a search covers at most 90 days: the last 90 when no dates are given.
            switch (from, to) {
            case (nil, nil): from = req.now.addingTimeInterval(-window)
            case (let a?, nil): to = a.addingTimeInterval(window)
            case (nil, let b?): from = b.addingTimeInterval(-window)
            case let (a?, b?):
                guard b.timeIntervalSince(a) <= window else {
                    throw APIError.badRequest("start_date and end_date may span at most 90 days", field: "end_date")
                }
            }
        }
        if let a = from, let b = to, b < a { throw APIError.badRequest("end_date is before start_date", field: "end_date") }
        filter.reportedFrom = from
        filter.reportedTo = to.map { $0.addingTimeInterval(0.001) }
        let page = try req.intQuery("page", 1...10_000) ?? 1
        let size = try req.intQuery("page_size", 1...maximumPageSize) ?? 100
        let (cases, _) = try await CaseQueries.list(filter, page: page, per: size, counting: false, on: req.db)
        return answer(.list(item: "request", try await described(cases, j, ref, offset, on: req)), root: "service_requests", f)
    }

    static func date(_ req: Request, _ name: String, _ offset: Int) throws -> Date? {
        guard let text = try query(req, name, max: 40) else { return nil }
        guard let d = Open311Date.parse(text, offsetSeconds: offset) else {
            throw APIError.badRequest("\(name) is a W3C date-time such as 2026-11-23T08:00:00+08:00", field: name)
        }
        return d
    }

    /// `GET /open311/v2/requests/{id}.{json,xml}`: one request, as a one-element array; 404 outside the key's area.
    static func request(_ req: Request) async throws -> Response {
        let (code, f) = try suffixed(req, "id")
        let j = try await req.jurisdiction()
        try checkJurisdiction(try query(req, "jurisdiction_id"), j)
        let key = try await apiKey(req)
        guard let c = try await CaseQueries.find(code: code, on: req.db), j.path(of: c.snapshot.areaCode).hasPrefix(key.areaPath) else {
            throw APIError(.notFound, "not_found", "no such request in the area of this api_key", field: "service_request_id")
        }
        let ref = try await req.reference()
        return answer(.list(item: "request", try await described([c], j, ref, try await offset(req), on: req)), root: "service_requests", f)
    }

    /// `GET /open311/v2/tokens/{token}.{json,xml}`: the request a token (the POST's answer) names.
    static func token(_ req: Request) async throws -> Response {
        let (token, f) = try suffixed(req, "token")
        let j = try await req.jurisdiction()
        try checkJurisdiction(try query(req, "jurisdiction_id"), j)
        let key = try await apiKey(req)
        guard let id = UUID(uuidString: token), let c = try await CaseQueries.find(id: id, on: req.db),
              j.path(of: c.snapshot.areaCode).hasPrefix(key.areaPath) else {
            throw APIError(.notFound, "not_found", "no such token in the area of this api_key", field: "token")
        }
        return answer(.list(item: "request", [.object([("service_request_id", .string(c.code)), ("token", .string(token))])]),
                      root: "service_requests", f)
    }

    /// Requests as the interface shows them: only what the tracking page shows a resident, and where (no name,
    /// phone, words of the report or internal note).
    static func described(_ cases: [StoredCase], _ j: Jurisdiction, _ ref: ReferenceCache.Data, _ offset: Int,
                          on req: Request) async throws -> [Open311Value] {
        let ids = cases.map(\.id)
        let notes = try await Open311Queries.latestNotes(caseIDs: ids, kinds: Array(TrackingAPI.noteKinds), on: req.db)
        let photos = try await Open311Queries.firstPhotos(caseIDs: ids, on: req.db)
        let base = origin(req) + prefix
        return cases.map { c in
            let s = c.snapshot
            let category = ref.catalogue[c.report.categoryCode]
            let agency = s.departmentCode.flatMap { ref.departmentsByCode[$0]?.name }
                ?? j[s.centre.code].map { "\($0.name)网格化服务管理中心" }
            return .object([
                ("service_request_id", .string(c.code)),
                ("status", .string(Open311.status(of: s.state))),
                ("status_notes", .text(notes[c.id])),
                ("service_name", .text(category?.name)),
                ("service_code", .string(c.report.categoryCode)),
                ("agency_responsible", .text(agency)),
                ("service_notice", .text(notice(c, ref))),
                ("requested_datetime", .string(Open311Date.format(c.reportedAt, offsetSeconds: offset))),
                ("updated_datetime", .string(Open311Date.format(s.lastActionAt, offsetSeconds: offset))),
                ("expected_datetime", .text(s.deadlines.closure.map { Open311Date.format($0, offsetSeconds: offset) })),
                ("address", .text(c.report.address)),
                ("address_id", .null),
                ("zipcode", .null),
                ("lat", c.report.lat.map(Open311Value.number) ?? .null),
                ("long", c.report.lon.map(Open311Value.number) ?? .null),
                ("media_url", .text(photos[c.id].map { "\(base)/media/\($0)" })),
            ])
        }
    }

    // MARK: Updates (FixMyStreet's servicerequestupdates)

    /// `GET /open311/v2/servicerequestupdates.{json,xml}`: the status changes of the key's area's requests in a
    /// window (default: the last day; at most 90 days), oldest first.
    static func updates(_ req: Request, _ f: Open311.Format) async throws -> Response {
        let j = try await req.jurisdiction()
        try checkJurisdiction(try query(req, "jurisdiction_id"), j)
        let key = try await apiKey(req)
        let offset = try await offset(req)
        var from = try date(req, "start_date", offset), to = try date(req, "end_date", offset)
        switch (from, to) {
        case (nil, nil): (from, to) = (req.now.addingTimeInterval(-86_400), req.now)
        case (let a?, nil): to = min(req.now, a.addingTimeInterval(window))
        case (nil, let b?): from = b.addingTimeInterval(-86_400)
        default: break
        }
        guard let a = from, let b = to, b >= a else { throw APIError.badRequest("end_date is before start_date", field: "end_date") }
        guard b.timeIntervalSince(a) <= window else { throw APIError.badRequest("start_date and end_date may span at most 90 days", field: "end_date") }
        let page = try req.intQuery("page", 1...10_000) ?? 1
        let size = try req.intQuery("page_size", 1...maximumPageSize) ?? 200
        let rows = try await Open311Queries.updates(scopePath: key.areaPath, from: a, to: b.addingTimeInterval(0.001), kinds: Array(TrackingAPI.publicKinds),
                                                    limit: size, offset: (page - 1) * size, on: req.db)
        let base = origin(req) + prefix
        let items: [Open311Value] = rows.compactMap { u in
            guard let status = Open311.updateStatus(of: u.kind, to: u.toState) else { return nil }
            return .object([
                ("update_id", .string("\(u.code)-\(u.seq)")),
                ("service_request_id", .string(u.code)),
                ("status", .string(status)),
                ("updated_datetime", .string(Open311Date.format(u.at, offsetSeconds: offset))),
                ("description", .string(TrackingAPI.noteKinds.contains(u.kind) ? u.note ?? "" : "")),
                ("media_url", .text(u.attachments.first.map { "\(base)/media/\($0)" })),
            ])
        }
        return answer(.list(item: "request_update", items), root: "service_request_updates", f)
    }

    // MARK: Media

    /// `GET /open311/v2/media/{sha256}`: a photo a case uses (location metadata removed at intake), named in a
    /// request's `media_url`. The name is the photo's SHA-256, which only someone who has the photo or a read of
    /// its request knows.
    static func media(_ req: Request) async throws -> Response {
        let sha = try PhotosAPI.photoID(req)
        guard try await Open311Queries.isCasePhoto(sha, on: req.db) else { throw APIError.notFound("no photo \(sha)") }
        return try PhotosAPI.serve(sha, on: req, cache: .init(isPublic: true, maxAge: 86_400 * 30))
    }

    /// The site's origin for absolute URLs: the configured public origin, else the request's host.
    static func origin(_ req: Request) -> String {
        if let o = req.wangge.config.network.publicOrigin { return o.hasSuffix("/") ? String(o.dropLast()) : o }
        return "http://" + (req.headers.first(name: .host) ?? "127.0.0.1")
    }
}
