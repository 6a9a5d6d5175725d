import Fluent
import FluentSQL
import Foundation
import SQLKit
import WanggeCore

/// A case as stored: its report, current snapshot and version (bumped by every action).
public struct StoredCase: Sendable {
    public var id: UUID
    public var code: String
    public var trackingCode: String
    public var report: CaseReport
    public var snapshot: CaseSnapshot
    public var version: Int
    public var reportedAt: Date
}

/// One stored action, with its number in the case's history.
public struct StoredAction: Sendable {
    public var seq: Int
    public var record: CaseActionRecord
}

/// What a new case needs written: the report, its first transition and where it lies.
public struct NewCase: Sendable {
    public var code: String
    public var trackingCode: String
    public var report: CaseReport
    public var transition: CaseTransition
    public var areaPath: String
    public var idempotencyKey: String?
    public var requestHash: String?
    /// A line of the audit log written in the same transaction (which API key made an Open311 report).
    public var audit: AuditEvent?

    public init(code: String, trackingCode: String, report: CaseReport, transition: CaseTransition, areaPath: String,
                idempotencyKey: String?, requestHash: String?, audit: AuditEvent? = nil) {
        self.audit = audit
        self.code = code
        self.trackingCode = trackingCode
        self.report = report
        self.transition = transition
        self.areaPath = areaPath
        self.idempotencyKey = idempotencyKey
        self.requestHash = requestHash
    }
}

/// Filters of the case queue.
public struct CaseFilter: Sendable {
    public var scopePath: String
    public var departmentCode: String?
    public var states: [CaseState] = []
    public var areaPath: String?
    public var categoryCode: String?
    public var source: CaseSource?
    /// Only these case codes (Open311's `service_request_id` list).
    public var codes: [String]?
    /// Only these 小类 (Open311's `service_code` list).
    public var categoryCodes: [String]?
    public var reportedFrom: Date?
    public var reportedTo: Date?
    public var text: String?
    /// Only cases whose running clock has this colour at this instant (from the thresholds on the row).
    public var clock: (colour: ClockColour, at: Date)?

    public init(scopePath: String, departmentCode: String?) {
        self.scopePath = scopePath
        self.departmentCode = departmentCode
    }
}

public enum CaseQueries {
    /// The case loop's name in the shared tables (sequences, keys, supervisions).
    static let kind = CaseLifecycle.recordKind

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .millisecondsSince1970
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }()

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    /// Numbers and writes a new case, its first action, its photos and its idempotency key in one transaction.
    /// Plain SQL rows rather than Fluent models: this is intake's hot path, and model reflection cost more than the
    /// database (measured).
    public static func create(_ pending: PendingCase, on db: any Database) async throws -> StoredCase {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            let new = try pending.make(try await takeSequence(prefix: pending.prefix, on: sql))
            let id = UUID()
            let s = new.transition.snapshot
            try await sql.insert(into: CaseModel.schema).model(try caseRow(id: id, code: new.code, trackingCode: new.trackingCode, report: new.report,
                                                                          snapshot: s, areaPath: new.areaPath, version: 1)).run()
            try await sql.insert(into: CaseActionModel.schema).model(try actionRow(new.transition.record, seq: 1, caseID: id)).run()
            try await linkPhotos(new.transition.record.attachmentIDs, to: id, on: sql)
            if let key = new.idempotencyKey, let hash = new.requestHash {
                try await RecordKeys.remember(kind: kind, key: key, requestHash: hash, recordID: id, at: s.reportedAt, on: sql)
            }
            if let e = new.audit { try await sql.insert(into: "audit_events").model(AuditQueries.row(e)).run() }
            return StoredCase(id: id, code: new.code, trackingCode: new.trackingCode, report: new.report,
                              snapshot: s, version: 1, reportedAt: s.reportedAt)
        }
    }

    /// The next number of a case-code prefix (`RecordSequences`, kind "case").
    static func takeSequence(prefix: String, on sql: any SQLDatabase) async throws -> Int {
        try await RecordSequences.take(kind: kind, prefix: prefix, on: sql)
    }

    struct CaseRow: Encodable {
        var id: UUID, code: String, tracking_code: String, category_code: String, description: String
        var lat: Double?, lon: Double?, address: String?, area_code: String, area_path: String, source: String
        var reporter_name: String?, reporter_phone: String?, state: String, department_code: String?
        var operator_area_code: String, suspended: Bool, next_deadline_at: Date?, closure_due_at: Date?
        var snapshot: String, version: Int, reported_at: Date, updated_at: Date
        var clock_yellow_at: Date?, clock_due_at: Date?, clock_paused_colour: String?
        /// The words and address folded for search (NFKC, lower case, no invisible characters).
        var search_text: String
        /// The API key an Open311 report came through.
        var channel_key: String?
    }

    /// What a case's search matches against: its description and address, folded (`TextInput.searchKey`), so that
    /// full-width letters and digits find their half-width forms.
    public static func searchText(description: String, address: String?) -> String {
        TextInput.searchKey(description + "\n" + (address ?? ""))
    }

    struct ActionRow: Encodable {
        var id: UUID, case_id: UUID, seq: Int, kind: String, actor: String?, actor_role: String?, at: Date
        var from_state: String?, to_state: String, from_assignee: String?, to_assignee: String?, note: String?
        var attachments: String, record: String
    }

    /// The case's row. `calendar` gives the running clock's thresholds; without it (intake: a reported case runs no
    /// clock) they are empty.
    static func caseRow(id: UUID, code: String, trackingCode: String, report: CaseReport, snapshot s: CaseSnapshot,
                        areaPath: String, version: Int, calendar: WorkingCalendar? = nil) throws -> CaseRow {
        let c = try SnapshotColumns(s, calendar: calendar)
        return CaseRow(id: id, code: code, tracking_code: trackingCode, category_code: report.categoryCode,
                description: report.description, lat: report.lat, lon: report.lon, address: report.address,
                area_code: c.areaCode, area_path: areaPath, source: report.source.rawValue,
                reporter_name: report.reporterName, reporter_phone: report.reporterPhone, state: c.state,
                department_code: c.departmentCode, operator_area_code: c.operatorAreaCode, suspended: c.suspended,
                next_deadline_at: c.nextDeadlineAt, closure_due_at: c.closureDueAt, snapshot: c.snapshot,
                version: version, reported_at: s.reportedAt, updated_at: c.updatedAt,
                clock_yellow_at: c.clock.yellowAt, clock_due_at: c.clock.dueAt, clock_paused_colour: c.clock.pausedColour,
                search_text: searchText(description: report.description, address: report.address), channel_key: report.channelKey)
    }

    /// The columns of a case's row that its snapshot decides (the others come from the report and do not change):
    /// the one mapping that inserts (`caseRow`) and updates (`fill`) use.
    struct SnapshotColumns {
        var areaCode: String, state: String, departmentCode: String?, operatorAreaCode: String, suspended: Bool
        var nextDeadlineAt: Date?, closureDueAt: Date?, snapshot: String, updatedAt: Date, clock: ClockColumns

        init(_ s: CaseSnapshot, calendar: WorkingCalendar?) throws {
            areaCode = s.areaCode
            state = s.state.rawValue
            departmentCode = s.departmentCode
            operatorAreaCode = s.centre.code
            suspended = s.isSuspended
            nextDeadlineAt = s.nextDeadline
            closureDueAt = s.deadlines.closure
            snapshot = try json(s)
            updatedAt = s.lastActionAt
            clock = calendar.map { ClockColumns(s, calendar: $0) } ?? ClockColumns()
        }
    }

    /// A running clock's thresholds as the row keeps them: the two instants, or a paused clock's colour alone.
    struct ClockColumns {
        var yellowAt: Date?, dueAt: Date?, pausedColour: String?

        init() {}

        init(_ s: CaseSnapshot, calendar: WorkingCalendar) {
            guard let t = CaseClock.thresholds(of: s, calendar: calendar) else { return }
            if let paused = t.pausedColour { pausedColour = paused.rawValue } else { (yellowAt, dueAt) = (t.yellowAt, t.deadline) }
        }
    }

    static func actionRow(_ r: CaseActionRecord, seq: Int, caseID: UUID) throws -> ActionRow {
        ActionRow(id: UUID(), case_id: caseID, seq: seq, kind: r.kind.rawValue, actor: r.actor.staff?.username,
                  actor_role: r.actor.staff?.role.rawValue ?? r.actor.kind, at: r.at, from_state: r.fromState?.rawValue,
                  to_state: r.toState.rawValue, from_assignee: r.fromAssignee?.rawValue, to_assignee: r.toAssignee.rawValue,
                  note: r.note, attachments: try json(r.attachmentIDs), record: try json(r))
    }

    static func fill(_ m: CaseModel, from s: CaseSnapshot, calendar: WorkingCalendar) throws {
        let c = try SnapshotColumns(s, calendar: calendar)
        (m.clockYellowAt, m.clockDueAt, m.clockPausedColour) = (c.clock.yellowAt, c.clock.dueAt, c.clock.pausedColour)
        (m.areaCode, m.state, m.departmentCode, m.operatorAreaCode) = (c.areaCode, c.state, c.departmentCode, c.operatorAreaCode)
        (m.suspended, m.nextDeadlineAt, m.closureDueAt) = (c.suspended, c.nextDeadlineAt, c.closureDueAt)
        (m.snapshot, m.updatedAt) = (c.snapshot, c.updatedAt)
    }

    static func insertAction(_ r: CaseActionRecord, seq: Int, caseID: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        try await sql.insert(into: CaseActionModel.schema).model(try actionRow(r, seq: seq, caseID: caseID)).run()
    }

    /// Appends one action, stores the new snapshot, records the supervision it raises (once per key) and rewrites
    /// the case's measure facts, all in one transaction: either all of it is stored or none. The action's number is
    /// unique per case, so of two requests racing on the same case one wins and the other gets `CaseConflict`.
    /// Returns the case as stored and whether a supervision was newly recorded.
    public static func append(_ t: CaseTransition, to c: StoredCase, context: MeasureFactContext,
                              on db: any Database) async throws -> Appended {
        let raised: Bool
        do {
            raised = try await db.transaction { db in
                guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
                try await insertAction(t.record, seq: t.snapshot.actionCount, caseID: c.id, on: db)
                try await linkPhotos(t.record.attachmentIDs, to: c.id, on: sql)
                guard let m = try await CaseModel.find(c.id, on: db), m.version == c.version else {
                    throw RecordConflict(kind: kind, code: c.code)
                }
                try fill(m, from: t.snapshot, calendar: context.calendar)
                m.version = c.version + 1
                try await m.update(on: db)
                var raised = false
                if let r = SupervisionRaise(t) { raised = try await RecordSupervisions.raise(r, kind: kind, recordID: c.id, areaPath: m.areaPath, on: sql) }
                let history = CaseHistory(actions: try await actions(caseID: c.id, on: db).map(\.record))
                try await MeasureQueries.replace(caseID: c.id, history: history, snapshot: t.snapshot, areaPath: m.areaPath,
                                                 categoryCode: m.categoryCode, context: context, on: sql)
                return raised
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw RecordConflict(kind: kind, code: c.code)
        }
        var updated = c
        updated.snapshot = t.snapshot
        updated.version += 1
        return Appended(stored: updated, raised: raised)
    }

    /// What `append` stored: the case, and whether its supervision was newly recorded.
    public struct Appended: Sendable {
        public var stored: StoredCase
        public var raised: Bool
    }

    public static func find(id: UUID, on db: any Database) async throws -> StoredCase? {
        try await CaseModel.find(id, on: db).map(stored)
    }

    public static func find(code: String, on db: any Database) async throws -> StoredCase? {
        try await CaseModel.query(on: db).filter(\.$code == code).first().map(stored)
    }

    /// The cases under `scopePath` closed in [from, to) (their last closure), for the assessment's recurrence. (The
    /// month's actions lead, through their time's index: CROSS JOIN keeps SQLite from walking every closed case
    /// instead, 180 ms against 28 ms on the demo county.)
    public static func closed(scopePath: String, from: Date, to: Date, on db: any Database) async throws -> [Recurrence.Closed] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        let rows = try await sql.raw("""
            SELECT c.id AS id, c.area_code AS area_code, c.category_code AS category_code, c.lat AS lat, c.lon AS lon, MAX(a.at) AS closed_at \
            FROM case_actions a CROSS JOIN cases c WHERE c.id = a.case_id AND a.kind = \(bind: CaseActionKind.close.rawValue) AND a.at >= \(bind: from) \
            AND a.at < \(bind: to) AND c.state = \(bind: CaseState.closed.rawValue) AND \(LikePattern.startsWith(SQLColumn("area_path", table: "c"), scopePath)) \
            GROUP BY c.id, c.area_code, c.category_code, c.lat, c.lon
            """).all()
        return try rows.map { r in
            let lat = try r.decode(column: "lat", as: Double?.self), lon = try r.decode(column: "lon", as: Double?.self)
            return Recurrence.Closed(id: try r.decode(column: "id", as: UUID.self), gridCode: try r.decode(column: "area_code", as: String.self),
                                     categoryCode: try r.decode(column: "category_code", as: String.self),
                                     point: lat.flatMap { la in lon.map { GeoPoint(lon: $0, lat: la) } }, closedAt: try r.decode(column: "closed_at", as: Date.self))
        }
    }

    /// The reports under `scopePath` made in (from, to] of the given categories, not refused as no case.
    public static func reports(scopePath: String, after from: Date, upTo to: Date, categories: Set<String>, on db: any Database) async throws -> [Recurrence.Later] {
        guard let sql = db as? any SQLDatabase, !categories.isEmpty else { return [] }
        var out: [Recurrence.Later] = []
        for chunk in Array(categories).sorted().chunked(by: 300) {
            let rows = try await sql.select().column("id").column("category_code").column("lat").column("lon").column("reported_at").from("cases")
                .where(LikePattern.startsWith(SQLColumn("area_path"), scopePath)).where("reported_at", .greaterThan, SQLBind(from))
                .where("reported_at", .lessThanOrEqual, SQLBind(to)).where("state", .notEqual, SQLBind(CaseState.rejected.rawValue))
                .where("category_code", .in, Array(chunk)).all()
            for r in rows {
                let lat = try r.decode(column: "lat", as: Double?.self), lon = try r.decode(column: "lon", as: Double?.self)
                out.append(Recurrence.Later(id: try r.decode(column: "id", as: UUID.self), categoryCode: try r.decode(column: "category_code", as: String.self),
                                            point: lat.flatMap { la in lon.map { GeoPoint(lon: $0, lat: la) } }, reportedAt: try r.decode(column: "reported_at", as: Date.self)))
            }
        }
        return out
    }

    /// The state of each case named (by code) and when it last changed; unknown codes are left out.
    public static func states(codes: [String], on db: any Database) async throws -> [String: (state: CaseState, at: Date)] {
        guard !codes.isEmpty else { return [:] }
        var out: [String: (state: CaseState, at: Date)] = [:]
        for chunk in Array(Set(codes)).chunked(by: 500) {
            for m in try await CaseModel.query(on: db).filter(\.$code ~~ Array(chunk)).field(\.$code).field(\.$state).field(\.$updatedAt).all() {
                if let s = CaseState(rawValue: m.state) { out[m.code] = (s, m.updatedAt) }
            }
        }
        return out
    }

    public static func find(trackingCode: String, on db: any Database) async throws -> StoredCase? {
        try await CaseModel.query(on: db).filter(\.$trackingCode == trackingCode).first().map(stored)
    }

    /// The case an idempotency key created, and the hash of the request that created it.
    public static func idempotent(key: String, on db: any Database) async throws -> (requestHash: String, caseID: UUID)? {
        try await RecordKeys.find(kind: kind, key: key, on: db).map { ($0.requestHash, $0.recordID) }
    }

    static func stored(_ m: CaseModel) throws -> StoredCase {
        let snapshot = try decoder.decode(CaseSnapshot.self, from: Data(m.snapshot.utf8))
        let report = CaseReport(categoryCode: m.categoryCode, description: m.description, lat: m.lat, lon: m.lon,
                                areaCode: m.areaCode, address: m.address, source: CaseSource(rawValue: m.source) ?? .import,
                                reporterName: m.reporterName, reporterPhone: m.reporterPhone, channelKey: m.channelKey)
        return StoredCase(id: try m.requireID(), code: m.code, trackingCode: m.trackingCode, report: report,
                          snapshot: snapshot, version: m.version, reportedAt: m.reportedAt)
    }

    public static func actions(caseID: UUID, on db: any Database) async throws -> [StoredAction] {
        try await CaseActionModel.query(on: db).filter(\.$caseID == caseID).sort(\.$seq).all().map {
            StoredAction(seq: $0.seq, record: try decoder.decode(CaseActionRecord.self, from: Data($0.record.utf8)))
        }
    }


    /// `state IN (…)` written so that no index on the state leads the query: for a test on the rows a narrower index
    /// finds (a deadline, a clock colour). SQLite, without statistics of values, would otherwise read every case in
    /// those states (every open or every closed case).
    static func stateIs(oneOf states: [CaseState], table: String? = nil) -> any SQLExpression {
        SQLBinaryExpression(SQLFunction("COALESCE", args: SQLColumn("state", table: table), SQLLiteral.null),
                            .in, SQLGroupExpression(states.map { SQLBind($0.rawValue) }))
    }

    /// A page of the cases that pass the filter, newest first, and how many pass in all (0 when not `counting`).
    public static func list(_ f: CaseFilter, page: Int, per: Int, counting: Bool = true, on db: any Database) async throws -> (cases: [StoredCase], total: Int) {
        let q = CaseModel.query(on: db)
        q.group(.or) { g in
            g.filter(LikePattern.startsWith(CaseModel.schema, "area_path", f.scopePath))
            if let d = f.departmentCode { g.filter(\.$departmentCode == d) }
        }
        if !f.states.isEmpty && Set(f.states) != Set(CaseState.allCases) {
            if f.clock != nil {
                // A clock colour is the narrower test (at most the open cases): the state is tested on the rows the
                // clock's indexes find. (SQLite, without statistics of values, would otherwise lead with the state's
                // index and read every case in those states: 340 ms for "all" at --scale 10.)
                q.filter(.sql(stateIs(oneOf: f.states, table: CaseModel.schema)))
            } else {
                q.filter(\.$state ~~ f.states.map(\.rawValue))
            }
        }
        if let p = f.areaPath { q.filter(LikePattern.startsWith(CaseModel.schema, "area_path", p)) }
        if let c = f.categoryCode {
            q.group(.or) { g in g.filter(\.$categoryCode == c).filter(LikePattern.startsWith(CaseModel.schema, "category_code", c)) }
        }
        if let s = f.source { q.filter(\.$source == s.rawValue) }
        if let codes = f.codes { q.filter(\.$code ~~ codes) }
        if let categories = f.categoryCodes { q.filter(\.$categoryCode ~~ categories) }
        if let from = f.reportedFrom { q.filter(\.$reportedAt >= from) }
        if let to = f.reportedTo { q.filter(\.$reportedAt < to) }
        if let t = f.text, !t.isEmpty {
            q.group(.or) { g in
                g.filter(LikePattern.contains(CaseModel.schema, "search_text", TextInput.searchKey(t)))
                    .filter(LikePattern.contains(CaseModel.schema, "description", t)).filter(LikePattern.contains(CaseModel.schema, "code", t))
            }
        }
        if let (colour, now) = f.clock {
            q.group(.or) { g in
                switch colour {
                case .red: g.filter(\.$clockDueAt < now)
                case .yellow: g.group(.and) { h in h.filter(\.$clockDueAt >= now).filter(\.$clockYellowAt <= now) }
                case .green: g.filter(\.$clockYellowAt > now)
                }
                g.filter(\.$clockPausedColour == colour.rawValue)
            }
        }
        let total = counting ? try await q.copy().count() : 0
        let rows = try await q.sort(\.$reportedAt, .descending).sort(\.$code, .descending)
            .range(((page - 1) * per)..<(page * per)).all()
        return (try rows.map(stored), total)
    }

    /// The likely duplicates of a report as the store finds them (`DuplicateSearch`): the nearest open cases of its
    /// category within `metres` and `maxAge` of it, and how many there are in all.
    public static func duplicateCandidates(categoryCode: String, near point: GeoPoint, metres: Double, around time: Date,
                                           maxAge: TimeInterval, excluding code: String,
                                           on db: any Database) async throws -> NearbyCandidates {
        guard let sql = db as? any SQLDatabase else { return .none }
        let search = DuplicateSearch(categoryCode: categoryCode, point: point, metres: metres, time: time, maxAge: maxAge, excluding: code)
        let rows = try await sql.raw("\(search.expression)").all()
        return NearbyCandidates(nearest: try rows.map(duplicateCandidate),
                                total: try rows.first?.decode(column: "total", as: Int.self) ?? 0)
    }

    /// Where duplicates of a report may lie: its category, and a box around its point a little larger than the circle.
    struct DuplicateBox {
        var categoryCode: String
        var lat: ClosedRange<Double>
        var lon: ClosedRange<Double>

        init(categoryCode: String, around point: GeoPoint, metres: Double) {
            let dLat = metres / 111_000 * 1.05
            let dLon = dLat / max(0.2, cos(point.lat * .pi / 180))
            self.categoryCode = categoryCode
            lat = (point.lat - dLat)...(point.lat + dLat)
            lon = (point.lon - dLon)...(point.lon + dLon)
        }
    }

    static func duplicateCandidate(_ r: any SQLRow) throws -> DuplicateCandidate {
        let lat = try r.decodeNil(column: "lat") ? nil : try r.decode(column: "lat", as: Double.self)
        let lon = try r.decodeNil(column: "lon") ? nil : try r.decode(column: "lon", as: Double.self)
        return DuplicateCandidate(code: try r.decode(column: "code", as: String.self),
                                  categoryCode: try r.decode(column: "category_code", as: String.self),
                                  point: lat.flatMap { la in lon.map { GeoPoint(lon: $0, lat: la) } },
                                  reportedAt: try r.decode(column: "reported_at", as: Date.self),
                                  state: CaseState(rawValue: try r.decode(column: "state", as: String.self)) ?? .reported)
    }

    /// Cases whose clock may need the job: open, not suspended, with a deadline before `before`.
    public static func dueForClockJob(before: Date, on db: any Database) async throws -> [StoredCase] {
        try await CaseModel.query(on: db).filter(\.$state ~~ [CaseState.dispatched, .signed, .resolved].map(\.rawValue))
            .filter(\.$suspended == false).filter(\.$nextDeadlineAt < before).all().map(stored)
    }

    public static func count(on db: any Database) async throws -> Int { try await CaseModel.query(on: db).count() }

    public static func recordPhoto(sha256: String, contentType: String, size: Int, at: Date, uploadedBy: UUID? = nil, on db: any Database) async throws {
        if let existing = try await PhotoModel.query(on: db).filter(\.$sha256 == sha256).first() {
            // The same bytes sent again by someone else: they may attach it too, as if they had sent it first.
            if let uploadedBy, existing.uploadedBy == nil || existing.uploadedBy != uploadedBy {
                existing.uploadedBy = uploadedBy
                try await existing.save(on: db)
            }
            return
        }
        let p = PhotoModel()
        p.sha256 = sha256
        p.contentType = contentType
        p.size = size
        p.createdAt = at
        p.uploadedBy = uploadedBy
        do { try await p.create(on: db) } catch let e as any DatabaseError where e.isConstraintFailure {}  // stored meanwhile
    }

    public static func photo(sha256: String, on db: any Database) async throws -> (contentType: String, size: Int)? {
        try await PhotoModel.query(on: db).filter(\.$sha256 == sha256).first().map { ($0.contentType, $0.size) }
    }

    /// Who last uploaded the photo through the staff upload (nil when only a report carried it).
    public static func photoUploader(sha256: String, on db: any Database) async throws -> UUID?? {
        try await PhotoModel.query(on: db).filter(\.$sha256 == sha256).first().map { $0.uploadedBy }
    }

    /// The cases that use a photo, at intake or on an action.
    public static func cases(usingPhoto sha256: String, on db: any Database) async throws -> [StoredCase] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let ids = try await sql.select().column("case_id").from("case_photos").where("sha256", .equal, sha256).limit(50).all()
            .map { try $0.decode(column: "case_id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        return try await CaseModel.query(on: db).filter(\.$id ~~ ids).all().map(stored)
    }

    /// Whether a case uses a photo.
    public static func caseUses(_ caseID: UUID, photo sha256: String, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        return try await sql.select().column("case_id").from("case_photos").where("case_id", .equal, caseID)
            .where("sha256", .equal, sha256).first() != nil
    }

    /// Records that a case uses these photos (in the caller's transaction), each once.
    static func linkPhotos(_ shas: [String], to caseID: UUID, on sql: any SQLDatabase) async throws {
        guard !shas.isEmpty else { return }
        let known = Set(try await sql.select().column("sha256").from("case_photos").where("case_id", .equal, caseID).all()
            .map { try $0.decode(column: "sha256", as: String.self) })
        for sha in Set(shas).subtracting(known).sorted() {
            try await sql.insert(into: "case_photos").columns("id", "case_id", "sha256").values(SQLBind(UUID()), SQLBind(caseID), SQLBind(sha)).run()
        }
    }
}
