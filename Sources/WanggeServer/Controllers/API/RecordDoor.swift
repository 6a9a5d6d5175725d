import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// What a kind gives the API besides its rules, tables and service (`ServedKind`): how an action's body becomes a
/// command, and how a record is answered.
protocol DoorKind: ServedKind {
    associatedtype ActionBody: Decodable
    associatedtype Detail: Content
    /// The body of `POST …/{id}/actions` as a command; bad input is a 400 naming the field.
    static func command(_ body: ActionBody, staff: StaffAccount, req: Request) async throws -> L.Command
    /// The record as the API answers it to this member of staff.
    static func detail(_ r: StoredRecord<Self>, staff: StaffAccount, req: Request) async throws -> Detail
}

/// An `Idempotency-Key` header, read the same way for every kind: absent or empty is none; at most
/// `RecordKeys.maxBytes` bytes of UTF-8, one line of clean text (no control or invisible characters), else 400.
enum IdempotencyKey {
    static func from(_ req: Request) throws -> String? {
        guard let key = req.headers.first(name: "Idempotency-Key"), !key.isEmpty else { return nil }
        guard key.utf8.count <= RecordKeys.maxBytes, TextInput.isClean(key) else {
            throw APIError.badRequest("Idempotency-Key is at most \(RecordKeys.maxBytes) bytes, without control or invisible characters", field: "Idempotency-Key")
        }
        return key
    }

    /// The record an earlier request with `key` made (of `kind`, in `record_keys`); a 409 when that request had
    /// another body (`hash`). Nil without a key or when none was made.
    static func earlier(kind: String, key: String?, hash: String, on req: Request) async throws -> UUID? {
        guard let key, let e = try await RecordKeys.find(kind: kind, key: key, on: req.db) else { return nil }
        guard e.requestHash == hash else {
            throw APIError(.conflict, "idempotency_key_reused", "this Idempotency-Key was used with another body", field: "Idempotency-Key")
        }
        return e.recordID
    }
}

/// The API's door of every kind, written once: decode, then scope (404 outside it, the same answer as for none),
/// then the service, then encode. Refusals by the rules and conflicts are answered by `ErrorRendering` for every
/// kind alike.
enum RecordDoor<K: DoorKind> {
    /// The record named by the path's `id`, if the caller may see it; else 404.
    static func visible(_ req: Request, staff: StaffAccount) async throws -> StoredRecord<K> {
        let key = try req.parameters.require("id")
        guard key.utf8.count <= 64, let id = UUID(uuidString: key), let r = try await RecordStore<K>.find(id: id, on: req.db),
              K.isVisible(r, to: staff, in: try await req.jurisdiction()) else {
            throw APIError.notFound("no \(K.kindName) \(key.prefix(64)) in your scope")
        }
        return r
    }

    /// `GET …/{id}`.
    static func show(_ req: Request) async throws -> K.Detail {
        let staff = try req.requireStaff()
        return try await K.detail(try await visible(req, staff: staff), staff: staff, req: req)
    }

    /// `POST …/{id}/actions`: one step, checked by the rules, written in one transaction.
    static func act(_ req: Request) async throws -> K.Detail {
        let staff = try req.requireStaff()
        let body = try req.content.decode(K.ActionBody.self)
        let r = try await visible(req, staff: staff)
        let command = try await K.command(body, staff: staff, req: req)
        let updated = try await RecordService<K>(app: req.application).act(command, on: r, by: RecordActor(staff), at: req.now)
        return try await K.detail(updated, staff: staff, req: req)
    }

    /// Creation by key: the caller's key (kept per account: another account's key finds nothing and tells nothing),
    /// the request's hash; a key used before answers its record (200) when the request is the same and 409
    /// otherwise; a new record is 201. `create` makes the record with the scoped key. A record the caller may not
    /// see is answered by `hidden` (an error that says nothing of it).
    static func idempotent(_ req: Request, staff: StaffAccount, requestHash: String, hidden: @autoclosure () -> APIError,
                           create: ((key: String, requestHash: String)?) async throws -> RecordService<K>.Created) async throws -> (StoredRecord<K>, HTTPStatus) {
        let key = try IdempotencyKey.from(req)
        let scoped = key.map { (key: staff.id.uuidString + ":" + $0, requestHash: requestHash) }
        func earlier(_ r: StoredRecord<K>, hash: String) async throws -> (StoredRecord<K>, HTTPStatus) {
            guard hash == requestHash else {
                throw APIError(.conflict, "idempotency_key_reused", "Idempotency-Key \(key ?? "") was used for a different request", field: "Idempotency-Key")
            }
            guard K.isVisible(r, to: staff, in: try await req.jurisdiction()) else { throw hidden() }
            return (r, .ok)
        }
        if let scoped, let (r, hash) = try await RecordStore<K>.find(key: scoped.key, on: req.db) { return try await earlier(r, hash: hash) }
        switch try await create(scoped) {
        case .stored(let r): return (r, .created)
        case .keyTaken(let r, let hash): return try await earlier(r, hash: hash)
        case .found(let r): return try await earlier(r, hash: requestHash)
        }
    }
}

/// A kind whose records are created from a body at the shared door (`POST <base>`): it gives what the body opens.
protocol CreatableKind: DoorKind {
    associatedtype CreateBody: Codable & Sendable
    /// What the body opens: its number's letters, where it lies, and its first step from its code; bad input is a
    /// 400 naming the field, a place outside the caller's scope a 404.
    static func opening(_ body: CreateBody, staff: StaffAccount, req: Request) async throws -> Opening<Self>
}

/// What a creation opens (`CreatableKind.opening`).
struct Opening<K: RecordKind>: Sendable {
    /// The number's letters: `LETTERS-YYYYMMDD-NNNNNN`.
    var letters: String
    var areaPath: String
    var place: K.Place
    var make: @Sendable (_ code: String) throws -> LifecycleStep<K.L>
}

extension RecordDoor {
    /// A kind's own routes at the shared door: `GET <base>/:id` and `POST <base>/:id/actions` for `roles`.
    static func routes(base: String, roles: Set<Role>) -> [SiteRoute] {
        // A path the site names (`SitePath`, for links and scripts) is registered under its name.
        [SiteRoute(.GET, path: base + "/:id", sitePath: SitePath(rawValue: base + "/:id"), .staff(roles), show),
         SiteRoute(.POST, path: base + "/:id/actions", sitePath: SitePath(rawValue: base + "/:id/actions"), .staff(roles), act)]
    }
}

extension RecordDoor where K: CreatableKind {
    /// `POST <base>`: 201 with the new record, 200 with the one an `Idempotency-Key` made before.
    static func create(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let body = try req.content.decode(K.CreateBody.self)
        let (r, status) = try await idempotent(req, staff: staff, requestHash: try CasesAPI.hash(body),
                                                hidden: APIError.notFound("no \(K.kindName) in your scope")) { key in
            let o = try await K.opening(body, staff: staff, req: req)
            let ref = try await req.reference()
            return try await RecordService<K>(app: req.application).create(prefix: RecordCodes.dayPrefix(o.letters, at: req.now, calendar: ref.calendar),
                                                                           areaPath: o.areaPath, place: o.place, key: key, make: o.make)
        }
        let response = Response(status: status)
        try response.content.encode(try await K.detail(r, staff: staff, req: req), as: .json)
        return response
    }

    static func routes(base: String, roles: Set<Role>) -> [SiteRoute] {
        [SiteRoute(.POST, path: base, sitePath: SitePath(rawValue: base), .staff(roles), create),
         SiteRoute(.GET, path: base + "/:id", sitePath: SitePath(rawValue: base + "/:id"), .staff(roles), show),
         SiteRoute(.POST, path: base + "/:id/actions", sitePath: SitePath(rawValue: base + "/:id/actions"), .staff(roles), act)]
    }
}
