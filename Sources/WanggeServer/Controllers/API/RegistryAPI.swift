import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The one registry at the API (issue 20): buildings, households and places, each located in its grid by its
/// point (a household may take its building's), listed in the caller's scope, changed with the version read (409
/// when it moved on) and kept with every change's fields as history. Contacts are masked by the personal-data policy.
enum RegistryAPI {
    /// Who enters and changes entries: the grid staff who know the places, and the command centre.
    static let writers: Set<Role> = [.gridWorker, .gridLeader, .operator, .admin]

    static func kind(_ req: Request) throws -> RegistryKind {
        guard let k = req.parameters.get("kind").flatMap(RegistryKind.init(rawValue:)) else {
            throw APIError.notFound("the registry holds buildings, households and places")
        }
        return k
    }

    /// `GET /api/v1/place-types`.
    static func placeTypes(_ req: Request) async throws -> PlaceTypesDTO {
        _ = try req.requireStaff()
        return PlaceTypesDTO(placeTypes: req.wangge.fieldCatalogue.placeTypes)
    }

    /// `GET /api/v1/checklists`.
    static func checklists(_ req: Request) async throws -> ChecklistsDTO {
        _ = try req.requireStaff()
        return ChecklistsDTO(checklists: req.wangge.fieldCatalogue.checklists)
    }

    /// `GET /api/v1/registry/{kind}?area=&type=&q=&page=&per=`: the caller's scope, by label.
    static func list(_ req: Request) async throws -> RegistryListDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let filter = try filter(req, staff: staff, j: j)
        let (page, per) = try req.paging()
        let found = try await RegistryQueries.list(filter, page: page, per: per, on: req.db)
        try await req.audit(PersonalDataViews.contacts(of: found.items, shownTo: staff.role))
        return RegistryListDTO(entries: found.items.map { dto($0, j: j, role: staff.role) }, total: found.total, page: page, per: per)
    }

    /// The list's filters from the request: the kind (path), `area` (in scope; the caller's own by default), `type`
    /// (a known place type) and `q` (part of the name or address).
    static func filter(_ req: Request, staff: StaffAccount, j: Jurisdiction, kind given: RegistryKind? = nil) throws -> RegistryFilter {
        let kind = try given ?? kind(req)
        let area = try req.areaQuery(staff, j) ?? staff.scope.areaCode
        let path = j.path(of: area)
        var type: String?
        if let t = try req.textQuery("type", maxLength: 64) {
            guard req.wangge.fieldCatalogue.placeType(t) != nil else { throw APIError.badRequest("unknown place type \(t)", field: "type") }
            type = t
        }
        return RegistryFilter(kind: kind, scopePath: path, typeCode: type, text: try req.textQuery("q", maxLength: 50), grids: FieldAPI.narrowGrids(under: area, j))
    }

    /// At most this many entries in one export: a county's households fit (the import's limit).
    static let exportLimit = RegistryImport.maximumRows

    /// `GET /api/v1/registry/{kind}/export?format=csv|xlsx&area=&type=&q=`: the filtered list as a table the import
    /// reads back (`RegistryExport`), contacts as the caller may see them (and audited like a list).
    static func exportTable(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let filter = try filter(req, staff: staff, j: j)
        let format = try TableDownload.format(req)
        // One ordered read (pages by OFFSET would sort the whole list again for each page).
        let found = try await RegistryQueries.list(filter, page: 1, per: exportLimit, on: req.db)
        try await req.audit(PersonalDataViews.contacts(of: found.items, shownTo: staff.role))
        var rows = [RegistryExport.header(filter.kind)]
        rows.reserveCapacity(found.items.count + 1)
        for e in found.items {
            let contact = PersonalDataPolicy.contact(name: e.entry.contactName, phone: e.entry.contactPhone, shownTo: staff.role)
            rows.append(RegistryExport.cells(e.entry, grid: e.gridCode, contactName: contact.name, contactPhone: contact.phone))
        }
        return try TableDownload.response(rows, format: format, filename: "registry-\(filter.kind.rawValue)", sheet: filter.kind.nameZH)
    }

    /// `POST /api/v1/registry/{kind}`: 201 with the entry; with an `Idempotency-Key`, the same key and body answer
    /// the same entry (200), another body 409.
    static func create(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let kind = try kind(req)
        let body = try req.content.decode(RegistryBody.self)
        let key = try IdempotencyKey.from(req)
        let hash = try key == nil ? "" : CasesAPI.hash(body)
        if let earlier = try await IdempotencyKey.earlier(kind: "registry", key: key, hash: hash, on: req) {
            return try await replay(earlier, req: req)
        }
        let j = try await req.jurisdiction()
        let (entry, grid) = try await checked(body.entry(kind: kind, buildingPoint: try await buildingPoint(body.buildingID, staff: staff, j: j, req: req)),
                                              staff: staff, j: j, req: req)
        let db = req.db, now = req.now, by = staff.username, path = j.path(of: grid)
        let id: UUID
        do {
            id = try await req.wangge.writes.run(on: db) {
                try await RegistryQueries.insert(entry, gridCode: grid, areaPath: path, by: by, at: now, key: key.map { ($0, hash) }, on: db)
            }
        } catch {
            // A request racing this one with the same key made the entry first.
            if let earlier = try await IdempotencyKey.earlier(kind: "registry", key: key, hash: hash, on: req) { return try await replay(earlier, req: req) }
            throw error
        }
        return try await detailResponse(id, status: .created, req: req)
    }

    /// `GET /api/v1/registry/{kind}/{id}`: the entry and its history.
    static func show(_ req: Request) async throws -> RegistryDetailDTO {
        let staff = try req.requireStaff()
        let e = try await visible(req, staff: staff)
        return try await detail(e, staff: staff, req: req)
    }

    /// `PATCH /api/v1/registry/{kind}/{id}` `{"version", …the fields that change}`: only changes are typed; an
    /// attribute given as "" is removed. 409 when the entry moved on since `version`.
    static func patch(_ req: Request) async throws -> RegistryDetailDTO {
        let staff = try req.requireStaff()
        let current = try await visible(req, staff: staff)
        let body = try req.content.decode(RegistryPatchBody.self)
        guard (1...1_000_000_000).contains(body.version) else { throw APIError.badRequest("version is the entry's version as read", field: "version") }
        guard body.version == current.version else {
            throw APIError(.conflict, "conflict", "the entry was changed meanwhile (version \(current.version)); read it again")
        }
        let j = try await req.jurisdiction()
        var next = current.entry
        if let n = body.name { next.name = n.isEmpty ? nil : n }
        if let a = body.address { next.address = a }
        if let lat = body.lat, let lon = body.lon { next.point = GeoPoint(lon: lon, lat: lat) } else if (body.lat == nil) != (body.lon == nil) {
            throw APIError.badRequest("lat and lon change together", field: "lat")
        }
        if let t = body.typeCode { next.typeCode = t }
        if let s = body.size { next.size = s }
        if let c = body.contactName { next.contactName = c.isEmpty ? nil : c }
        if let p = body.contactPhone { next.contactPhone = p.isEmpty ? nil : p }
        if let attributes = body.attributes {
            guard attributes.count <= RegistryRules.maximumAttributes else { throw APIError.badRequest("at most \(RegistryRules.maximumAttributes) attributes", field: "attributes") }
            for (k, v) in attributes { next.attributes[k] = v.isEmpty ? nil : v }
        }
        let (entry, grid) = try await checked(next, staff: staff, j: j, req: req)
        let changes = RegistryRules.changes(from: current.entry, to: entry)
        guard !changes.isEmpty else { return try await detail(current, staff: staff, req: req) }
        let db = req.db, now = req.now, by = staff.username, path = j.path(of: grid)
        do {
            try await req.wangge.writes.run(on: db) {
                try await RegistryQueries.update(id: current.id, version: current.version, to: entry, changes: changes, gridCode: grid, areaPath: path,
                                                 by: by, at: now, on: db)
            }
        } catch is RegistryConflict {
            throw APIError(.conflict, "conflict", "the entry was changed meanwhile; read it again")
        }
        guard let updated = try await RegistryQueries.find(id: current.id, on: req.db) else { throw APIError.notFound("no such entry") }
        return try await detail(updated, staff: staff, req: req)
    }

    /// `POST /api/v1/registry/{kind}/import`: a CSV (UTF-8 or GB18030) or XLSX list as the body. Every problem is
    /// listed by row and nothing is written if there is one; else every row in one transaction. 201
    /// `{"imported", "seconds"}`; the server's log tells its progress every 10,000 rows.
    static func importTable(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let kind = try kind(req)
        let j = try await req.jurisdiction()
        let data = Data(req.body.data.map { Array($0.readableBytesView) } ?? [])
        let table: [[String]]
        do { table = try TableFile.rows(data) } catch { throw APIError.badRequest("the file does not read: \(error)", field: "file") }
        let started = Date()
        let scope = j.path(of: staff.scope.areaCode)
        var existing: [String: Set<String>] = [:]
        if kind == .household {
            for (grid, labels) in try await RegistryQueries.householdLabels(scopePath: scope, on: req.db) { existing[grid] = Set(labels.map(TextInput.searchKey)) }
        }
        let result = RegistryImport.read(table, kind: kind, catalogue: req.wangge.fieldCatalogue, locate: { point in
            guard let grid = j.locate(point).area(at: .grid), staff.scope.covers(grid.code, in: j) else { return nil }
            return (grid.code, j.path(of: grid.code))
        }, existing: { existing[$0] ?? [] })
        guard result.problems.isEmpty else {
            let response = Response(status: .badRequest)
            try response.content.encode(RiskImportRefusalDTO(error: .init(code: "invalid_input", message: "\(result.problems.count) problems; nothing was imported", field: "file"),
                                                             problems: result.problems.map { RiskImportProblemDTO(row: $0.row, column: $0.column, reason: $0.reason) }),
                                        as: .json)
            return response
        }
        guard !result.rows.isEmpty else { throw APIError.badRequest("the file has a header and no rows", field: "file") }
        let db = req.db, now = req.now, by = staff.username, logger = req.logger
        let rows = result.rows.map { (id: UUID(), entry: $0.entry, gridCode: $0.gridCode, areaPath: $0.areaPath) }
        let n = try await req.wangge.writes.run(on: db) {
            try await RegistryQueries.insertAll(rows, by: by, at: now, on: db) { done, total in
                if done % 9_900 < 300 || done == total { logger.info("registry import: \(done) of \(total) \(kind.rawValue)") }
            }
        }
        let response = Response(status: .created)
        try response.content.encode(RegistryImportDTO(imported: n, seconds: (Date().timeIntervalSince(started) * 100).rounded() / 100), as: .json)
        return response
    }

    // MARK: Pieces

    /// The entry checked by the rules and placed: its point must lie in a grid of the caller's scope.
    static func checked(_ e: RegistryEntry, staff: StaffAccount, j: Jurisdiction, req: Request) async throws -> (RegistryEntry, String) {
        let entry: RegistryEntry
        do { entry = try RegistryRules.checked(e, catalogue: req.wangge.fieldCatalogue) } catch {
            guard case .invalidField(let field, let reason) = error else { throw error }
            throw APIError.badRequest("\(field) \(reason)", field: field)
        }
        let location = j.locate(entry.point)
        guard let grid = location.area(at: .grid) else {
            throw APIError.badRequest("the point lies in no grid of the jurisdiction", field: "lat")
        }
        guard staff.scope.covers(grid.code, in: j) else { throw APIError.badRequest("the point lies outside your scope", field: "lat") }
        return (entry, grid.code)
    }

    /// A household's building, when it names one: it must be a building in the caller's scope; its point is the
    /// household's unless the household gives its own.
    static func buildingPoint(_ id: UUID?, staff: StaffAccount, j: Jurisdiction, req: Request) async throws -> GeoPoint? {
        guard let id else { return nil }
        guard let b = try await RegistryQueries.find(id: id, on: req.db), b.entry.kind == .building,
              b.areaPath.hasPrefix(j.path(of: staff.scope.areaCode)) else {
            throw APIError.badRequest("no building \(id) in your scope", field: "building_id")
        }
        return b.entry.point
    }

    static func visible(_ req: Request, staff: StaffAccount) async throws -> StoredRegistryEntry {
        let kind = try kind(req)
        let j = try await req.jurisdiction()
        guard let id = req.parameters.get("id", as: UUID.self), let e = try await RegistryQueries.find(id: id, on: req.db), e.entry.kind == kind,
              e.areaPath.hasPrefix(j.path(of: staff.scope.areaCode)) else {
            throw APIError.notFound("no such entry in your scope")
        }
        return e
    }

    static func replay(_ earlier: UUID, req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        guard let e = try await RegistryQueries.find(id: earlier, on: req.db), e.areaPath.hasPrefix(try await req.jurisdiction().path(of: staff.scope.areaCode)) else {
            throw APIError.notFound("no such entry in your scope")
        }
        return try await detailResponse(e.id, status: .ok, req: req)
    }

    static func detailResponse(_ id: UUID, status: HTTPStatus, req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        guard let e = try await RegistryQueries.find(id: id, on: req.db) else { throw APIError.notFound("no such entry") }
        let response = Response(status: status)
        try response.content.encode(try await detail(e, staff: staff, req: req), as: .json)
        return response
    }

    static func detail(_ e: StoredRegistryEntry, staff: StaffAccount, req: Request) async throws -> RegistryDetailDTO {
        let j = try await req.jurisdiction()
        let history = try await RegistryQueries.history(id: e.id, on: req.db)
        try await req.audit(PersonalDataViews.contacts(of: [e], shownTo: staff.role))
        let sees = PersonalDataPolicy.seesReporterContacts(staff.role)
        return RegistryDetailDTO(entry: dto(e, j: j, role: staff.role), history: history.map { h in
            RegistryChangeDTO(version: h.version, at: h.at, by: h.by, changes: h.changes.map { c in
                guard !sees, c.field == "contact_name" || c.field == "contact_phone" else { return c }
                let mask = c.field == "contact_name" ? PersonalDataPolicy.maskedName : PersonalDataPolicy.maskedPhone
                return RegistryChange(field: c.field, from: c.from.map(mask), to: c.to.map(mask))
            })
        })
    }

    static func dto(_ e: StoredRegistryEntry, j: Jurisdiction, role: Role) -> RegistryEntryDTO {
        let contact = PersonalDataPolicy.contact(name: e.entry.contactName, phone: e.entry.contactPhone, shownTo: role)
        return RegistryEntryDTO(id: e.id, kind: e.entry.kind.rawValue, name: e.entry.name, address: e.entry.address, lat: e.entry.point.lat,
                                lon: e.entry.point.lon, grid: AreaRefDTO(code: e.gridCode, name: j[e.gridCode]?.name ?? e.gridCode),
                                typeCode: e.entry.typeCode, size: e.entry.size, buildingId: e.entry.buildingID, attributes: e.entry.attributes,
                                contactName: contact.name, contactPhone: contact.phone, version: e.version, createdAt: e.createdAt,
                                createdBy: e.createdBy, updatedAt: e.updatedAt)
    }
}

struct RegistryBody: Content {
    var name: String?
    var address: String
    var lat: Double?
    var lon: Double?
    var typeCode: String?
    var size: Int?
    var buildingID: UUID?
    var attributes: [String: String]?
    var contactName: String?
    var contactPhone: String?

    enum CodingKeys: String, CodingKey {
        case name, address, lat, lon, typeCode, size, attributes, contactName, contactPhone
        case buildingID = "buildingId"
    }

    func entry(kind: RegistryKind, buildingPoint: GeoPoint?) throws -> RegistryEntry {
        let point: GeoPoint
        if let lat, let lon { point = GeoPoint(lon: lon, lat: lat) } else if let b = buildingPoint { point = b } else {
            throw APIError.badRequest("lat and lon place the entry (a household may take its building's)", field: "lat")
        }
        guard (attributes?.count ?? 0) <= RegistryRules.maximumAttributes else {
            throw APIError.badRequest("at most \(RegistryRules.maximumAttributes) attributes", field: "attributes")
        }
        return RegistryEntry(kind: kind, name: name, address: address, point: point, typeCode: typeCode, size: size, buildingID: buildingID,
                             attributes: attributes ?? [:], contactName: contactName, contactPhone: contactPhone)
    }
}

struct RegistryPatchBody: Content {
    var version: Int
    var name: String?
    var address: String?
    var lat: Double?
    var lon: Double?
    var typeCode: String?
    var size: Int?
    var attributes: [String: String]?
    var contactName: String?
    var contactPhone: String?
}

struct RegistryEntryDTO: Content {
    var id: UUID
    var kind: String
    var name: String?
    var address: String
    var lat: Double
    var lon: Double
    var grid: AreaRefDTO
    var typeCode: String?
    var size: Int?
    var buildingId: UUID?
    var attributes: [String: String]
    var contactName: String?
    var contactPhone: String?
    var version: Int
    var createdAt: Date
    var createdBy: String
    var updatedAt: Date
}

struct RegistryChangeDTO: Content {
    var version: Int
    var at: Date
    var by: String
    var changes: [RegistryChange]
}

struct RegistryDetailDTO: Content {
    var entry: RegistryEntryDTO
    var history: [RegistryChangeDTO]
}

struct RegistryListDTO: Content {
    var entries: [RegistryEntryDTO]
    var total: Int
    var page: Int
    var per: Int
}

struct RegistryImportDTO: Content {
    var imported: Int
    var seconds: Double
}

struct PlaceTypesDTO: Content {
    var placeTypes: [PlaceType]
}

struct ChecklistsDTO: Content {
    var checklists: [Checklist]
}
