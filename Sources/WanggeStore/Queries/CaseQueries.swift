import Fluent
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

/// Another request changed the case first: the caller should reload and try again.
public struct CaseConflict: Error, CustomStringConvertible {
    public var code: String
    public var description: String { "case \(code) was changed by someone else at the same moment; reload it and try again" }
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

    public init(code: String, trackingCode: String, report: CaseReport, transition: CaseTransition, areaPath: String,
                idempotencyKey: String?, requestHash: String?) {
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
    public var reportedFrom: Date?
    public var reportedTo: Date?
    public var text: String?

    public init(scopePath: String, departmentCode: String?) {
        self.scopePath = scopePath
        self.departmentCode = departmentCode
    }
}

public enum CaseQueries {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .millisecondsSince1970
        e.outputFormatting = [.sortedKeys]
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }()

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    /// Writes a new case, its first action and its idempotency key in one transaction.
    public static func create(_ new: NewCase, on db: any Database) async throws -> StoredCase {
        let id = UUID()
        try await db.transaction { db in
            let m = CaseModel()
            m.id = id
            m.code = new.code
            m.trackingCode = new.trackingCode
            m.categoryCode = new.report.categoryCode
            m.description = new.report.description
            m.lat = new.report.lat
            m.lon = new.report.lon
            m.address = new.report.address
            m.areaPath = new.areaPath
            m.source = new.report.source.rawValue
            m.reporterName = new.report.reporterName
            m.reporterPhone = new.report.reporterPhone
            m.version = 1
            m.reportedAt = new.transition.snapshot.reportedAt
            try fill(m, from: new.transition.snapshot)
            try await m.create(on: db)
            try await insertAction(new.transition.record, seq: 1, caseID: id, on: db)
            if let key = new.idempotencyKey, let hash = new.requestHash {
                let k = IdempotencyKeyModel()
                k.key = key
                k.requestHash = hash
                k.caseID = id
                k.createdAt = new.transition.snapshot.reportedAt
                try await k.create(on: db)
            }
        }
        return StoredCase(id: id, code: new.code, trackingCode: new.trackingCode, report: new.report,
                          snapshot: new.transition.snapshot, version: 1, reportedAt: new.transition.snapshot.reportedAt)
    }

    static func fill(_ m: CaseModel, from s: CaseSnapshot) throws {
        m.areaCode = s.areaCode
        m.state = s.state.rawValue
        m.departmentCode = s.departmentCode
        m.operatorAreaCode = s.centre.code
        m.suspended = s.isSuspended
        m.nextDeadlineAt = s.nextDeadline
        m.closureDueAt = s.deadlines.closure
        m.snapshot = try json(s)
        m.updatedAt = s.lastActionAt
    }

    static func insertAction(_ r: CaseActionRecord, seq: Int, caseID: UUID, on db: any Database) async throws {
        try await actionModel(r, seq: seq, caseID: caseID).create(on: db)
    }

    /// Appends one action and stores the new snapshot, in one transaction. The action's number is unique per case,
    /// so of two requests racing on the same case one wins and the other gets `CaseConflict`.
    public static func append(_ t: CaseTransition, to c: StoredCase, on db: any Database) async throws -> StoredCase {
        do {
            try await db.transaction { db in
                try await insertAction(t.record, seq: t.snapshot.actionCount, caseID: c.id, on: db)
                guard let m = try await CaseModel.find(c.id, on: db), m.version == c.version else {
                    throw CaseConflict(code: c.code)
                }
                try fill(m, from: t.snapshot)
                m.version = c.version + 1
                try await m.update(on: db)
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw CaseConflict(code: c.code)
        }
        var updated = c
        updated.snapshot = t.snapshot
        updated.version += 1
        return updated
    }

    public static func find(id: UUID, on db: any Database) async throws -> StoredCase? {
        try await CaseModel.find(id, on: db).map(stored)
    }

    public static func find(code: String, on db: any Database) async throws -> StoredCase? {
        try await CaseModel.query(on: db).filter(\.$code == code).first().map(stored)
    }

    public static func find(trackingCode: String, on db: any Database) async throws -> StoredCase? {
        try await CaseModel.query(on: db).filter(\.$trackingCode == trackingCode).first().map(stored)
    }

    /// The case an idempotency key created, and the hash of the request that created it.
    public static func idempotent(key: String, on db: any Database) async throws -> (requestHash: String, caseID: UUID)? {
        try await IdempotencyKeyModel.query(on: db).filter(\.$key == key).first().map { ($0.requestHash, $0.caseID) }
    }

    static func stored(_ m: CaseModel) throws -> StoredCase {
        let snapshot = try decoder.decode(CaseSnapshot.self, from: Data(m.snapshot.utf8))
        let report = CaseReport(categoryCode: m.categoryCode, description: m.description, lat: m.lat, lon: m.lon,
                                areaCode: m.areaCode, address: m.address, source: CaseSource(rawValue: m.source) ?? .import,
                                reporterName: m.reporterName, reporterPhone: m.reporterPhone)
        return StoredCase(id: try m.requireID(), code: m.code, trackingCode: m.trackingCode, report: report,
                          snapshot: snapshot, version: m.version, reportedAt: m.reportedAt)
    }

    public static func actions(caseID: UUID, on db: any Database) async throws -> [StoredAction] {
        try await CaseActionModel.query(on: db).filter(\.$caseID == caseID).sort(\.$seq).all().map {
            StoredAction(seq: $0.seq, record: try decoder.decode(CaseActionRecord.self, from: Data($0.record.utf8)))
        }
    }

    /// The next number for a case code with this prefix ("AL-20261123").
    public static func nextSequence(prefix: String, on db: any Database) async throws -> Int {
        // A range on the unique code index ("-" < "." in ASCII), not LIKE, which SQLite cannot serve from an index.
        let latest = try await CaseModel.query(on: db).filter(\.$code > prefix + "-").filter(\.$code < prefix + ".")
            .sort(\.$code, .descending).field(\.$id).field(\.$code).first()
        return (latest.flatMap { Int($0.code.split(separator: "-").last ?? "") } ?? 0) + 1
    }

    /// A page of the queue, newest first, and how many match in all.
    public static func list(_ f: CaseFilter, page: Int, per: Int, on db: any Database) async throws -> (cases: [StoredCase], total: Int) {
        let q = CaseModel.query(on: db)
        q.group(.or) { g in
            g.filter(\.$areaPath, .custom("LIKE"), f.scopePath + "%")
            if let d = f.departmentCode { g.filter(\.$departmentCode == d) }
        }
        if !f.states.isEmpty { q.filter(\.$state ~~ f.states.map(\.rawValue)) }
        if let p = f.areaPath { q.filter(\.$areaPath, .custom("LIKE"), p + "%") }
        if let c = f.categoryCode {
            q.group(.or) { g in g.filter(\.$categoryCode == c).filter(\.$categoryCode, .custom("LIKE"), c + "%") }
        }
        if let s = f.source { q.filter(\.$source == s.rawValue) }
        if let from = f.reportedFrom { q.filter(\.$reportedAt >= from) }
        if let to = f.reportedTo { q.filter(\.$reportedAt < to) }
        if let t = f.text, !t.isEmpty {
            let like = "%" + t.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            q.group(.or) { g in g.filter(\.$description, .custom("LIKE"), like).filter(\.$code, .custom("LIKE"), like) }
        }
        let total = try await q.copy().count()
        let rows = try await q.sort(\.$reportedAt, .descending).sort(\.$code, .descending)
            .range(((page - 1) * per)..<(page * per)).all()
        return (try rows.map(stored), total)
    }

    /// Open cases of a category reported since `since` within a box of `metres` around `point`, as duplicate
    /// candidates. The box keeps the query small however many cases the category has.
    public static func duplicateCandidates(categoryCode: String, near point: GeoPoint, metres: Double, since: Date,
                                           on db: any Database) async throws -> [DuplicateCandidate] {
        let closed = [CaseState.rejected, .merged, .closed].map(\.rawValue)
        let dLat = metres / 111_000 * 1.05
        let dLon = dLat / max(0.2, cos(point.lat * .pi / 180))
        return try await CaseModel.query(on: db).filter(\.$categoryCode == categoryCode).filter(\.$reportedAt >= since)
            .filter(\.$lat >= point.lat - dLat).filter(\.$lat <= point.lat + dLat)
            .filter(\.$lon >= point.lon - dLon).filter(\.$lon <= point.lon + dLon)
            .filter(\.$state !~ closed)
            .field(\.$id).field(\.$code).field(\.$categoryCode).field(\.$lat).field(\.$lon).field(\.$reportedAt).field(\.$state)
            .all().map { m in
                DuplicateCandidate(code: m.code, categoryCode: m.categoryCode,
                                   point: m.lat.flatMap { lat in m.lon.map { GeoPoint(lon: $0, lat: lat) } },
                                   reportedAt: m.reportedAt, state: CaseState(rawValue: m.state) ?? .reported)
            }
    }

    /// Every case of a subtree that may have an event in the period, with its actions, for the measures.
    public static func histories(scopePath: String, period: DateInterval, on db: any Database) async throws -> [CaseHistory] {
        let cases = try await CaseModel.query(on: db).filter(\.$areaPath, .custom("LIKE"), scopePath + "%")
            .filter(\.$reportedAt < period.end)
            .group(.or) { g in
                g.filter(\.$updatedAt >= period.start).filter(\.$closureDueAt >= period.start)
                    .filter(\.$state !~ [CaseState.rejected, .merged, .closed].map(\.rawValue))
            }
            .all()
        var byCase: [UUID: [(Int, CaseActionRecord)]] = [:]
        for chunk in try cases.map({ try $0.requireID() }).chunked(by: 500) {
            for a in try await CaseActionModel.query(on: db).filter(\.$caseID ~~ Array(chunk)).all() {
                byCase[a.caseID, default: []].append((a.seq, try decoder.decode(CaseActionRecord.self, from: Data(a.record.utf8))))
            }
        }
        return byCase.values.map { CaseHistory(actions: $0.sorted { $0.0 < $1.0 }.map(\.1)) }
    }

    /// Records a supervision once: false when that case already has one of this kind for this stage.
    public static func raiseSupervision(caseID: UUID, kind: String, stageKey: String, at: Date, by: String?, areaPath: String,
                                        note: String?, on db: any Database) async throws -> Bool {
        if try await SupervisionModel.query(on: db).filter(\.$caseID == caseID).filter(\.$kind == kind)
            .filter(\.$stageKey == stageKey).first() != nil { return false }
        let s = SupervisionModel()
        s.caseID = caseID
        s.kind = kind
        s.stageKey = stageKey
        s.raisedAt = at
        s.raisedBy = by
        s.areaPath = areaPath
        s.note = note
        try await s.create(on: db)
        return true
    }

    /// Cases whose clock may need the job: open, not suspended, with a deadline before `before`.
    public static func dueForClockJob(before: Date, on db: any Database) async throws -> [StoredCase] {
        try await CaseModel.query(on: db).filter(\.$state ~~ [CaseState.dispatched, .signed, .resolved].map(\.rawValue))
            .filter(\.$suspended == false).filter(\.$nextDeadlineAt < before).all().map(stored)
    }

    public static func count(on db: any Database) async throws -> Int { try await CaseModel.query(on: db).count() }

    public static func recordPhoto(sha256: String, contentType: String, size: Int, at: Date, on db: any Database) async throws {
        guard try await PhotoModel.query(on: db).filter(\.$sha256 == sha256).first() == nil else { return }
        let p = PhotoModel()
        p.sha256 = sha256
        p.contentType = contentType
        p.size = size
        p.createdAt = at
        do { try await p.create(on: db) } catch let e as any DatabaseError where e.isConstraintFailure {}  // stored meanwhile
    }

    public static func photo(sha256: String, on db: any Database) async throws -> (contentType: String, size: Int)? {
        try await PhotoModel.query(on: db).filter(\.$sha256 == sha256).first().map { ($0.contentType, $0.size) }
    }
}
