import FluentKit
import Foundation
import VaporCSQLite
import WanggeCore

extension CaseQueries {
    /// A new case waiting for its write turn: everything but its number, which only the writer can give, because
    /// the day's next number must be read in the same transaction that uses it.
    public struct PendingCase: Sendable {
        /// The code up to the day ("AL-20261123"); numbers count per prefix.
        public var prefix: String
        public var idempotencyKey: String?
        public var requestHash: String?
        /// The case to write given its number; throws when the report cannot become a case (the others still go in).
        public var make: @Sendable (_ sequence: Int) throws -> NewCase

        public init(prefix: String, idempotencyKey: String?, requestHash: String?, make: @escaping @Sendable (Int) throws -> NewCase) {
            self.prefix = prefix
            self.idempotencyKey = idempotencyKey
            self.requestHash = requestHash
            self.make = make
        }
    }

    /// What became of one report of a batch.
    public enum BatchOutcome: Sendable {
        /// Written, with the nearest open cases of its category (itself not among them) and how many there are.
        case stored(StoredCase, nearby: NearbyCandidates)
        /// Its idempotency key already names a case (stored earlier, or earlier in the same batch).
        case keyTaken(requestHash: String, caseID: UUID)
        case rejected(any Error)
    }
}

/// Group commit's writer on an SQLite file: one connection of its own, on a queue of its own, that writes a whole
/// batch of new cases in one transaction and one turn of that queue, with statements prepared once and kept.
///
/// Through Fluent each statement is a trip from the request's task to SQLite's thread pool and back through an
/// event loop; under load those trips, not SQLite, were most of a batch's time (measured: 4–7 ms for a batch of
/// four, against well under 1 ms here). It is the same SQLite library that Fluent's driver runs, so the file's
/// locks are shared with Fluent's connections in this process. Callers hold the write gate, so no other writer
/// waits on this one.
public final class SQLiteIntakeWriter: @unchecked Sendable {
    /// An SQLite error from a batch; the whole batch was rolled back.
    public struct Failure: Error, DatabaseError, CustomStringConvertible {
        public var code: Int32
        public var message: String
        public var isSyntaxError: Bool { code & 0xff == SQLITE_ERROR }
        public var isConnectionClosed: Bool { false }
        public var isConstraintFailure: Bool { code & 0xff == SQLITE_CONSTRAINT }
        public var description: String { "SQLite error \(code): \(message)" }
    }

    private let path: String
    private let queue = DispatchQueue(label: "wangge.intake-writer")
    // Touched on `queue` only.
    private var handle: OpaquePointer?
    private var prepared: [String: OpaquePointer] = [:]

    /// `path` is the database file, which need not be open yet: the connection opens at the first batch.
    public init(path: String) { self.path = path }

    deinit {
        for s in prepared.values { sqlite_nio_sqlite3_finalize(s) }
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
    }

    /// Writes a batch of new cases in one transaction (group commit): per report its key check, its number,
    /// its three rows and its duplicate candidates (the open cases of its category `metres` around it, back to
    /// `maxAge` before it, batch mates included). Outcomes come in the order of `pending`. When it throws nothing
    /// was written; the caller then writes the reports one at a time, each with its own outcome.
    public func write(_ pending: [CaseQueries.PendingCase], duplicatesWithin metres: Double = DuplicateFinder.defaultDistanceMetres,
                      maxAge: TimeInterval = DuplicateFinder.defaultMaxAge) async throws -> [CaseQueries.BatchOutcome] {
        try await withCheckedThrowingContinuation { answer in
            queue.async { answer.resume(with: Result { try self.transaction { try self.batch(pending, metres: metres, maxAge: maxAge) } }) }
        }
    }

    private func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            sqlite_nio_sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    private func batch(_ pending: [CaseQueries.PendingCase], metres: Double, maxAge: TimeInterval) throws -> [CaseQueries.BatchOutcome] {
        // First the key checks and the numbers, in order; then the cases and their rows, whose JSON is most of a
        // batch's own work, on every core at once; then the inserts, in order. A report that cannot become a case
        // (rare) is left out and the rest planned again, so that it leaves no gap in the day's numbers and no
        // batch mate's key names a case that was never written.
        var rejected: [Int: any Error] = [:]
        while true {
            var taken: [String: (requestHash: String, caseID: UUID)] = [:]
            var next: [String: Int] = [:]
            var plan: [(index: Int, id: UUID, sequence: Int)] = []
            var outcomes: [CaseQueries.BatchOutcome?] = pending.indices.map { i in rejected[i].map { .rejected($0) } }
            for (i, p) in pending.enumerated() where rejected[i] == nil {
                if let key = p.idempotencyKey, let earlier = try taken[key] ?? keyTaken(key) {
                    outcomes[i] = .keyTaken(requestHash: earlier.requestHash, caseID: earlier.caseID)
                    continue
                }
                let sequence = try next[p.prefix] ?? nextSequence(prefix: p.prefix)
                next[p.prefix] = sequence + 1
                let id = UUID()
                plan.append((i, id, sequence))
                if let key = p.idempotencyKey, let hash = p.requestHash { taken[key] = (hash, id) }
            }
            let made = parallelMap(plan) { step in
                Result { () throws -> Made in
                    let new = try pending[step.index].make(step.sequence), s = new.transition.snapshot
                    return Made(new: new,
                                caseRow: try CaseQueries.caseRow(id: step.id, code: new.code, trackingCode: new.trackingCode,
                                                                 report: new.report, snapshot: s, areaPath: new.areaPath, version: 1),
                                actionRow: try CaseQueries.actionRow(new.transition.record, seq: 1, caseID: step.id))
                }
            }
            var retry = false
            for (step, result) in zip(plan, made) {
                if case .failure(let error) = result { rejected[step.index] = error; retry = true }
            }
            if retry { continue }
            for (step, result) in zip(plan, made) {
                guard case .success(let m) = result else { continue }
                outcomes[step.index] = try store(m.new, id: step.id, caseRow: m.caseRow, actionRow: m.actionRow)
            }
            for (prefix, following) in next { try saveSequence(prefix: prefix, last: following - 1) }
            return try withNearby(outcomes.map { $0! }, metres: metres, maxAge: maxAge)
        }
    }

    /// A row of `record_keys` (`RecordKeys`), as the batch writes it.
    private struct KeyRow: Encodable {
        var record_kind: String, key: String, request_hash: String, record_id: UUID, created_at: Date
    }

    private struct Made: Sendable {
        var new: NewCase
        var caseRow: CaseQueries.CaseRow
        var actionRow: CaseQueries.ActionRow
    }

    /// Inserts a new case's rows and key.
    private func store(_ new: NewCase, id: UUID, caseRow: CaseQueries.CaseRow, actionRow: CaseQueries.ActionRow) throws -> CaseQueries.BatchOutcome {
        let s = new.transition.snapshot
        try insert(caseRow, into: "cases")
        try insert(actionRow, into: "case_actions")
        if let key = new.idempotencyKey, let hash = new.requestHash {
            try insert(KeyRow(record_kind: CaseQueries.kind, key: key, request_hash: hash, record_id: id, created_at: s.reportedAt), into: "record_keys")
        }
        if let e = new.audit { try insert(AuditQueries.row(e), into: "audit_events") }
        return .stored(StoredCase(id: id, code: new.code, trackingCode: new.trackingCode, report: new.report, snapshot: s,
                                  version: 1, reportedAt: s.reportedAt), nearby: .none)
    }

    /// Each stored outcome with its duplicate candidates, read after every insert so that batch mates find each
    /// other as they would one at a time.
    private func withNearby(_ outcomes: [CaseQueries.BatchOutcome], metres: Double, maxAge: TimeInterval) throws -> [CaseQueries.BatchOutcome] {
        try outcomes.map { outcome in
            guard case .stored(let c, _) = outcome, let point = c.report.point else { return outcome }
            return .stored(c, nearby: try nearby(c, point: point, metres: metres, maxAge: maxAge))
        }
    }

    // MARK: The statements (the same SQL as `CaseQueries`' Fluent versions, which PostgreSQL runs)

    private func keyTaken(_ key: String) throws -> (requestHash: String, caseID: UUID)? {
        let s = try statement("SELECT request_hash, record_id FROM record_keys WHERE record_kind = 'case' AND key = ?1")
        bind(s, 1, key)
        var found: (String, UUID)?
        try each(s) { row in
            guard let hash = text(row, 0), let caseID = text(row, 1).flatMap(UUID.init(uuidString:)) else {
                throw StoreError.corrupt("idempotency key \(key) has no request hash or case")
            }
            found = (hash, caseID)
        }
        return found
    }

    /// As `CaseQueries.takeSequence`: the prefix's counter (`record_sequences`, kind "case"), 1 when it has none.
    private func nextSequence(prefix: String) throws -> Int {
        let counted = try statement("SELECT last_number FROM record_sequences WHERE kind = 'case' AND prefix = ?1")
        bind(counted, 1, prefix)
        var last: Int?
        try each(counted) { last = Int(sqlite_nio_sqlite3_column_int64($0, 0)) }
        return (last ?? 0) + 1
    }

    private func saveSequence(prefix: String, last: Int) throws {
        let s = try statement("INSERT INTO record_sequences (kind, prefix, last_number) VALUES ('case', ?1, ?2) ON CONFLICT (kind, prefix) DO UPDATE SET last_number = excluded.last_number")
        bind(s, 1, prefix)
        bind(s, 2, last)
        try each(s) { _ in }
    }

    /// Inserts one row (`RowColumns`: the same Encodable rows that SQLKit inserts elsewhere).
    private func insert(_ row: some Encodable, into table: String) throws {
        let columns = try RowColumns(row)
        let s = try statement(columns.insert(into: table))
        for (i, value) in columns.values.enumerated() {
            let n = Int32(i + 1)
            switch value {
            case .null: sqlite_nio_sqlite3_bind_null(s, n)
            case .text(let v): bind(s, n, v)
            case .double(let v): bind(s, n, v)
            case .int(let v): sqlite_nio_sqlite3_bind_int64(s, n, v)
            }
        }
        try each(s) { _ in }
    }

    /// What `CaseQueries.duplicateCandidates` finds for `c`: the same statement (`DuplicateSearch`).
    private func nearby(_ c: StoredCase, point: GeoPoint, metres: Double, maxAge: TimeInterval) throws -> NearbyCandidates {
        let search = DuplicateSearch(categoryCode: c.report.categoryCode, point: point, metres: metres, time: c.reportedAt,
                                     maxAge: maxAge, excluding: c.code).numbered()
        let s = try statement(search.sql)
        for (i, value) in search.values.enumerated() {
            let n = Int32(i + 1)
            switch value {
            case .text(let t): bind(s, n, t)
            case .real(let d): bind(s, n, d)
            case .integer(let v): bind(s, n, v)
            case .date(let d): bind(s, n, d)
            }
        }
        var found: [DuplicateCandidate] = []
        var total = 0
        try each(s) { row in
            total = Int(sqlite_nio_sqlite3_column_int64(row, 6))
            guard let code = text(row, 0), let state = text(row, 5).flatMap(CaseState.init(rawValue:)) else { return }
            let lat = double(row, 2), lon = double(row, 3)
            found.append(DuplicateCandidate(code: code, categoryCode: text(row, 1) ?? "",
                                            point: lat.flatMap { la in lon.map { GeoPoint(lon: $0, lat: la) } },
                                            reportedAt: Date(timeIntervalSince1970: double(row, 4) ?? 0), state: state))
        }
        return NearbyCandidates(nearest: found, total: total)
    }

    // MARK: SQLite

    private func connection() throws -> OpaquePointer {
        if let handle { return handle }
        sqlite_nio_sqlite3_initialize()
        var h: OpaquePointer?
        let rc = sqlite_nio_sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE, nil)
        guard rc == SQLITE_OK, let h else {
            let message = h.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open \(path)"
            sqlite_nio_sqlite3_close_v2(h)
            throw Failure(code: rc, message: message)
        }
        sqlite_nio_sqlite3_busy_timeout(h, 10_000)
        handle = h
        // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the server being killed
        // (DESIGN §9), though not the machine losing power. This connection only ever writes with it.
        try execute("PRAGMA synchronous=NORMAL")
        // Its own page cache stays warm, since no other connection writes meanwhile: room for the indexes' hot pages.
        try execute("PRAGMA cache_size=-32768")
        // Checkpoints every 8,192 pages (32 MB of log) instead of SQLite's 1,000: a hot index page written by many
        // commits is copied back once, and the writer stops for it an eighth as often (8 % of a signed-in report's
        // time went to checkpoints at 1,000; see docs/ARCHITECTURE.md).
        try execute("PRAGMA wal_autocheckpoint=8192")
        return h
    }

    private func execute(_ sql: String) throws {
        let rc = sqlite_nio_sqlite3_exec(try connection(), sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw failure(rc) }
    }

    private func failure(_ rc: Int32) -> Failure {
        Failure(code: rc, message: handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "")
    }

    /// The prepared statement for `sql`, reset and with its bindings cleared.
    private func statement(_ sql: String) throws -> OpaquePointer {
        if let s = prepared[sql] {
            sqlite_nio_sqlite3_reset(s)
            sqlite_nio_sqlite3_clear_bindings(s)
            return s
        }
        var s: OpaquePointer?
        let rc = sqlite_nio_sqlite3_prepare_v3(try connection(), sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &s, nil)
        guard rc == SQLITE_OK, let s else { throw failure(rc) }
        prepared[sql] = s
        return s
    }

    /// Steps `s` to its end, handing each row to `row`; leaves it reset, so a read leaves no lock behind.
    private func each(_ s: OpaquePointer, _ row: (OpaquePointer) throws -> Void) throws {
        defer { sqlite_nio_sqlite3_reset(s) }
        while true {
            let rc = sqlite_nio_sqlite3_step(s)
            if rc == SQLITE_ROW { try row(s) } else if rc == SQLITE_DONE { return } else { throw failure(rc) }
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func bind(_ s: OpaquePointer, _ i: Int32, _ value: String?) {
        guard var value else { sqlite_nio_sqlite3_bind_null(s, i); return }
        guard !value.isEmpty else { sqlite_nio_sqlite3_bind_text(s, i, "", 0, Self.transient); return }
        value.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { _ = sqlite_nio_sqlite3_bind_text(s, i, $0.baseAddress, Int32($0.count), Self.transient) }
        }
    }

    private func bind(_ s: OpaquePointer, _ i: Int32, _ value: Double?) {
        if let value { sqlite_nio_sqlite3_bind_double(s, i, value) } else { sqlite_nio_sqlite3_bind_null(s, i) }
    }

    private func bind(_ s: OpaquePointer, _ i: Int32, _ value: Int) { sqlite_nio_sqlite3_bind_int64(s, i, Int64(value)) }

    /// Dates as Fluent's SQLite driver stores them: seconds since 1970 as a real.
    private func bind(_ s: OpaquePointer, _ i: Int32, _ value: Date?) { bind(s, i, value?.timeIntervalSince1970) }

    private func text(_ s: OpaquePointer, _ column: Int32) -> String? {
        sqlite_nio_sqlite3_column_text(s, column).map { String(cString: $0) }
    }

    private func double(_ s: OpaquePointer, _ column: Int32) -> Double? {
        sqlite_nio_sqlite3_column_type(s, column) == SQLITE_NULL ? nil : sqlite_nio_sqlite3_column_double(s, column)
    }
}

/// `transform` of every element, on as many threads as there are cores.
private func parallelMap<T: Sendable, U: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> U) -> [U] {
    guard items.count > 1 else { return items.map(transform) }
    return [U](unsafeUninitializedCapacity: items.count) { buffer, count in
        let slots = Slots(base: buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: items.count) { i in (slots.base + i).initialize(to: transform(items[i])) }
        count = items.count
    }
}

/// The result slots of `parallelMap`: each iteration writes its own slot only.
private struct Slots<U>: @unchecked Sendable { let base: UnsafeMutablePointer<U> }
