import NIOConcurrencyHelpers
import Foundation
import Vapor
import WanggeCore
import WanggeStore

/// A record of some kind was created or changed: what the live pages need to show it, nothing personal. Every
/// kind's events go the same way (`RecordService`, `CaseService`); a stream sends each as an event named by its kind
/// (`event: case`, `event: mediation`).
struct RecordEvent: Codable, Sendable {
    /// The kind of record ("case", "mediation", …).
    var record: String
    var kind: String  // "created" or "changed"
    var id: UUID
    var code: String
    var state: String
    var stateName: String
    var stateNameEn: String
    var action: String
    var at: Date
    // A case's: where it is on the map and its clock.
    var categoryCode: String?
    var areaCode: String?
    var lat: Double?
    var lon: Double?
    var clock: String?
    /// Who may see it; for scope checks only, not sent.
    var audience: Audience?

    /// Who sees a record's events: staff whose area is in its chain or whose department has it, its assignees,
    /// and (when `mediatorAreas` is set) mediators only by those areas or assignment.
    struct Audience: Codable, Sendable, Hashable {
        var areas: [String]
        var departmentCode: String? = nil
        var assignees: [String] = []
        var mediatorAreas: [String]? = nil
    }

    init(record: String, kind: String, id: UUID, code: String, state: String, stateName: String, stateNameEn: String,
         action: String, at: Date, audience: Audience) {
        self.record = record
        self.kind = kind
        self.id = id
        self.code = code
        self.state = state
        self.stateName = stateName
        self.stateNameEn = stateNameEn
        self.action = action
        self.at = at
        self.audience = audience
    }

    init(_ c: StoredCase, kind: String, action: String, at: Date) {
        self.init(record: CaseLifecycle.recordKind, kind: kind, id: c.id, code: c.code, state: c.snapshot.state.rawValue,
                  stateName: c.snapshot.state.nameZH, stateNameEn: c.snapshot.state.nameEN, action: action, at: at,
                  audience: Audience(areas: c.snapshot.intake.areas.map(\.code), departmentCode: c.snapshot.departmentCode))
        categoryCode = c.report.categoryCode
        areaCode = c.snapshot.areaCode
        lat = c.report.lat
        lon = c.report.lon
    }

    /// The core's scope rules (`CasePermissions.isInScope`; a mediation's for mediators).
    func isVisible(to staff: StaffAccount) -> Bool {
        guard let a = audience else { return false }
        if a.assignees.contains(staff.username) { return true }
        if staff.role == .mediator, let areas = a.mediatorAreas { return areas.contains(staff.scope.areaCode) }
        return CasePermissions.isInScope(areaCodes: a.areas, departmentCode: a.departmentCode, staffArea: staff.scope.areaCode,
                                         staffDepartment: staff.scope.departmentCode)
    }
}

/// Passes case events to every open live page of this app server. Events reach it through `LiveRelay`: straight
/// from this server's writes on SQLite, through PostgreSQL NOTIFY from every app server otherwise.
actor EventHub {
    private var subscribers: [UUID: (token: String?, continuation: AsyncStream<RecordEvent>.Continuation)] = [:]

    /// `token`: the hash of the session the stream was opened with, so that signing out ends it.
    func subscribe(token: String? = nil) -> (UUID, AsyncStream<RecordEvent>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<RecordEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        subscribers[id] = (token, continuation)
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) { subscribers.removeValue(forKey: id)?.continuation.finish() }

    /// Ends every stream opened with this session (it was signed out).
    func revoke(_ token: String) {
        for (id, s) in subscribers where s.token == token { unsubscribe(id) }
    }

    func publish(_ event: RecordEvent) { for s in subscribers.values { s.continuation.yield(event) } }

    var count: Int { subscribers.count }
}

extension Application {
    /// Tells live pages about a new or changed case, once its write has committed (other kinds: `RecordService`).
    func publish(_ c: StoredCase, kind: String, action: String, at: Date) async {
        await LiveRelay.publish(RecordEvent(c, kind: kind, action: action, at: at), app: self)
    }
}

enum EventsAPI {
    /// `GET /api/v1/events`: server-sent events of the cases in the caller's scope, one `case` event per change,
    /// with a comment every 15 s so proxies keep the connection open.
    static func stream(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        guard let session = req.session else { throw APIError.unauthorized }
        let hub = req.wangge.events, db = req.db
        let clock = req.wangge.clock, check = req.wangge.liveCheckInterval
        // At most a few streams per account and per address (issue 17: one token held 5,000).
        let limits = req.wangge.config.connections
        guard let slot = req.wangge.streams.take(account: staff.id.uuidString, address: req.client.limitKey,
                                                 perAccount: limits.streamsPerAccount, perAddress: limits.streamsPerAddress) else {
            throw APIError(.tooManyRequests, "too_many_streams", "too many live streams are open for your account or address; close another tab", field: nil)
        }
        let (id, events) = await hub.subscribe(token: session.tokenHash)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/event-stream; charset=utf-8")
        response.headers.cacheControl = .init(noStore: true)
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        response.body = .init(asyncStream: { writer in
            defer { Task { await hub.unsubscribe(id) } }
            defer { slot.release() }
            // Keeps proxies from closing the connection, and ends the stream once its session has ended: expired,
            // or signed out on another app server (this one's sign-out ends it at once through `revoke`).
            let watch = Task {
                var sinceBeat: TimeInterval = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(check))
                    sinceBeat += check
                    var alive = clock.now() < session.expiresAt
                    if alive {
                        // Gone (signed out or revoked elsewhere, the account disabled) ends the stream; a database
                        // that cannot answer just now does not.
                        do { alive = try await AccountQueries.session(tokenHash: session.tokenHash, now: clock.now(), on: db) != nil } catch {}
                    }
                    if !alive { await hub.unsubscribe(id); return }
                    guard sinceBeat >= 15 else { continue }
                    sinceBeat = 0
                    do { try await writer.writeBuffer(ByteBuffer(string: ": keep-alive\n\n")) } catch {
                        await hub.unsubscribe(id)  // the page went away: end the event loop too
                        return
                    }
                }
            }
            defer { watch.cancel() }
            do {
                try await writer.writeBuffer(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
                for await event in events where event.isVisible(to: staff) {
                    guard clock.now() < session.expiresAt else { break }
                    var public_ = event
                    public_.audience = nil
                    let json = String(decoding: try encoder.encode(public_), as: UTF8.self)
                    try await writer.writeBuffer(ByteBuffer(string: "event: \(event.record)\ndata: \(json)\n\n"))
                }
                try await writer.write(.end)
            } catch {
                // The page went away; the writer must still be told the stream ended.
                try? await writer.write(.error(error))
            }
        })
        return response
    }
}

/// Open live streams per account and per client address. A slot is released when its stream ends, or at the latest
/// when the response holding it is gone (a stream that never started).
final class StreamSlots: Sendable {
    private let counts = NIOLockedValueBox<(byAccount: [String: Int], byAddress: [String: Int])>(([:], [:]))

    final class Slot: Sendable {
        let owner: StreamSlots, account: String, address: String
        private let released = NIOLockedValueBox(false)
        init(owner: StreamSlots, account: String, address: String) { self.owner = owner; self.account = account; self.address = address }
        func release() {
            guard released.withLockedValue({ r in defer { r = true }; return !r }) else { return }
            owner.counts.withLockedValue { c in
                c.byAccount[account] = c.byAccount[account].flatMap { $0 > 1 ? $0 - 1 : nil }
                c.byAddress[address] = c.byAddress[address].flatMap { $0 > 1 ? $0 - 1 : nil }
            }
        }
        deinit { release() }
    }

    func take(account: String, address: String, perAccount: Int, perAddress: Int) -> Slot? {
        let ok = counts.withLockedValue { c -> Bool in
            guard c.byAccount[account, default: 0] < perAccount, c.byAddress[address, default: 0] < perAddress else { return false }
            c.byAccount[account, default: 0] += 1
            c.byAddress[address, default: 0] += 1
            return true
        }
        return ok ? Slot(owner: self, account: account, address: address) : nil
    }

    /// Streams open now for an account (tests).
    func open(account: String) -> Int { counts.withLockedValue { $0.byAccount[account] ?? 0 } }
}
