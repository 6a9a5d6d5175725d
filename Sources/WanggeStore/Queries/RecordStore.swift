import Fluent
import Foundation
import SQLKit
import WanggeCore

/// What a kind of record gives the store besides its rules (`Lifecycle`): its table of snapshots, its table of
/// actions, and the columns of its own that its snapshot decides. Everything else comes from code written once
/// (`RecordStore`): numbering from its own sequence, append-only actions numbered per record with a conflict on a
/// race, snapshot and version, supervision once per key (`record_supervisions`), idempotent creation by key and
/// request hash (`record_keys`), and the clock job's query.
///
/// The snapshot table has the shared columns `id, code, state, area_path, snapshot, version, registered_at,
/// updated_at, next_deadline_at, clock_yellow_at`; the actions table `id, <recordColumn>, seq, kind, actor, at,
/// record`, unique on (`recordColumn`, `seq`).
public protocol RecordKind: Sendable {
    associatedtype L: Lifecycle where L.Snapshot: Codable
    /// Where a record lies besides its area path, kept in columns of its own (a mediation: its committee's path).
    associatedtype Place: Hashable & Sendable

    static var table: String { get }
    static var actionsTable: String { get }
    /// The actions table's column naming the record.
    static var recordColumn: String { get }

    static func code(of s: L.Snapshot) -> String
    static func state(of s: L.Snapshot) -> String
    static func openedAt(_ s: L.Snapshot) -> Date
    static func lastActionAt(_ s: L.Snapshot) -> Date
    /// How many actions the snapshot has taken (the next action's number is this plus one).
    static func actionCount(_ s: L.Snapshot) -> Int
    /// The deadline the clock job looks at (nil: nothing is due).
    static func nextDeadline(_ s: L.Snapshot) -> Date?
    /// The states whose records the clock job looks at.
    static var clockStates: [String] { get }
    /// An action's kind, who took it (a user name) and when.
    static func action(_ r: L.Record) -> (kind: String, actor: String?, at: Date)

    static var placeColumns: [String] { get }
    static func place(from row: any SQLRow) throws -> Place
    /// The kind's own columns, from the snapshot and place.
    static func columns(_ s: L.Snapshot, place: Place) throws -> [(String, any SQLExpression)]
    /// What else a step writes in its transaction (a mediation: who is assigned, its measure facts).
    static func afterWrite(_ s: L.Snapshot, id: UUID, areaPath: String, calendar: WorkingCalendar, on sql: any SQLDatabase) async throws
}

extension RecordKind {
    public static var kindName: String { L.recordKind }
    public static func afterWrite(_ s: L.Snapshot, id: UUID, areaPath: String, calendar: WorkingCalendar, on sql: any SQLDatabase) async throws {}
}

/// The place of a kind that keeps none besides its area path.
public struct NoPlace: Hashable, Sendable {
    public init() {}
}

/// A record as stored: its snapshot, the version it was read at, and where it lies.
public struct StoredRecord<K: RecordKind>: Sendable, Hashable {
    public var id: UUID
    public var snapshot: K.L.Snapshot
    public var version: Int
    public var areaPath: String
    public var place: K.Place
    public var code: String { K.code(of: snapshot) }

    public init(id: UUID, snapshot: K.L.Snapshot, version: Int, areaPath: String, place: K.Place) {
        self.id = id
        self.snapshot = snapshot
        self.version = version
        self.areaPath = areaPath
        self.place = place
    }
}

/// Another writer changed the record first (its version moved, or its next action number was taken): callers
/// reload and try again, or answer 409.
public struct RecordConflict: Error, CustomStringConvertible, Sendable {
    public var kind: String
    public var code: String

    public init(kind: String, code: String) {
        self.kind = kind
        self.code = code
    }

    public var description: String { "\(kind) \(code) was changed by someone else at the same moment; reload it and try again" }
}

/// Idempotency keys of every kind, one table (`record_keys`, unique per kind and key).
public enum RecordKeys {
    /// The longest key taken, in bytes of UTF-8 (the same rule for every kind).
    public static let maxBytes = 200

    /// Records the key in the caller's transaction.
    static func remember(kind: String, key: String, requestHash: String, recordID: UUID, at: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "record_keys").columns("record_kind", "key", "request_hash", "record_id", "created_at")
            .values(SQLBind(kind), SQLBind(key), SQLBind(requestHash), SQLBind(recordID), SQLBind(at)).run()
    }

    /// The record a key made, and the hash of the request that made it.
    public static func find(kind: String, key: String, on db: any Database) async throws -> (recordID: UUID, requestHash: String)? {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        guard let row = try await sql.select().column("record_id").column("request_hash").from("record_keys")
            .where("record_kind", .equal, kind).where("key", .equal, key).first() else { return nil }
        return (try row.decode(column: "record_id", as: UUID.self), try row.decode(column: "request_hash", as: String.self))
    }
}

/// Supervisions (督办) of every kind, one table (`record_supervisions`), once per record, reason and stage key: the
/// clock job can never raise the same one twice, even on two app servers at once.
public enum RecordSupervisions {
    /// Records a supervision once, in the caller's transaction: false when the record already has it.
    static func raise(_ r: SupervisionRaise, kind: String, recordID: UUID, areaPath: String, on sql: any SQLDatabase) async throws -> Bool {
        let exists = try await sql.select().column("id").from("record_supervisions").where("record_kind", .equal, kind)
            .where("record_id", .equal, recordID).where("kind", .equal, r.reason.rawValue).where("stage_key", .equal, r.stageKey).first()
        guard exists == nil else { return false }
        try await sql.insert(into: "record_supervisions")
            .columns("id", "record_kind", "record_id", "kind", "stage_key", "raised_at", "raised_by", "area_path", "note")
            .values(SQLBind(UUID()), SQLBind(kind), SQLBind(recordID), SQLBind(r.reason.rawValue), SQLBind(r.stageKey), SQLBind(r.at),
                    SQLBind(r.by), SQLBind(areaPath), SQLBind(r.note)).run()
        return true
    }

    /// One supervision as listed.
    public struct Raised: Sendable, Hashable {
        public var recordID: UUID
        public var reason: String
        public var stageKey: String
        public var raisedAt: Date
        public var raisedBy: String?
        public var note: String?
    }

    /// The supervisions of one record, oldest first.
    public static func of(kind: String, recordID: UUID, on db: any Database) async throws -> [Raised] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.select().columns("record_id", "kind", "stage_key", "raised_at", "raised_by", "note").from("record_supervisions")
            .where("record_kind", .equal, kind).where("record_id", .equal, recordID).orderBy("raised_at").all().map { r in
                Raised(recordID: try r.decode(column: "record_id", as: UUID.self), reason: try r.decode(column: "kind", as: String.self),
                       stageKey: try r.decode(column: "stage_key", as: String.self), raisedAt: try r.decode(column: "raised_at", as: Date.self),
                       raisedBy: try r.decode(column: "raised_by", as: String?.self), note: try r.decode(column: "note", as: String?.self))
            }
    }
}

/// The store of every kind of record, written once (see `RecordKind`).
public enum RecordStore<K: RecordKind> {
    static var kind: String { K.kindName }

    static func sharedColumns(_ s: K.L.Snapshot, version: Int, areaPath: String, calendar: WorkingCalendar) throws -> [(String, any SQLExpression)] {
        let thresholds = K.L.clock(of: s)?.thresholds(calendar: calendar)
        func optional(_ d: Date?) -> any SQLExpression { d.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null }
        return [("state", SQLBind(K.state(of: s))), ("snapshot", SQLBind(try CaseQueries.json(s))), ("version", SQLBind(version)),
                ("updated_at", SQLBind(K.lastActionAt(s))), ("next_deadline_at", optional(K.nextDeadline(s))),
                ("clock_yellow_at", optional(thresholds?.yellowAt))]
    }

    static func insertAction(_ r: K.L.Record, seq: Int, recordID: UUID, on sql: any SQLDatabase) async throws {
        let a = K.action(r)
        try await sql.insert(into: K.actionsTable).columns("id", K.recordColumn, "seq", "kind", "actor", "at", "record")
            .values(SQLBind(UUID()), SQLBind(recordID), SQLBind(seq), SQLBind(a.kind), SQLBind(a.actor), SQLBind(a.at), SQLBind(try CaseQueries.json(r))).run()
    }

    /// Numbers (`prefix` + its next number) and writes a new record with its first action, the supervision that
    /// step raises and its idempotency key, in one transaction. A key raced by another writer fails on the unique
    /// key (the caller then finds the record it made).
    public static func create(prefix: String, make: @escaping @Sendable (Int) throws -> LifecycleStep<K.L>, areaPath: String, place: K.Place,
                              key: (key: String, requestHash: String)?, calendar: WorkingCalendar, on db: any Database) async throws -> StoredRecord<K> {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            return try await insertNew(prefix: prefix, make: make, areaPath: areaPath, place: place, key: key, calendar: calendar, on: sql)
        }
    }

    /// Numbers and writes several new records (an imported list) in one transaction: all of them or none.
    public static func createAll(prefix: String, _ items: [(make: @Sendable (Int) throws -> LifecycleStep<K.L>, areaPath: String, place: K.Place)],
                                 calendar: WorkingCalendar, on db: any Database) async throws -> [StoredRecord<K>] {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            var out: [StoredRecord<K>] = []
            for item in items {
                out.append(try await insertNew(prefix: prefix, make: item.make, areaPath: item.areaPath, place: item.place, key: nil,
                                               calendar: calendar, on: sql))
            }
            return out
        }
    }

    static func insertNew(prefix: String, make: @Sendable (Int) throws -> LifecycleStep<K.L>, areaPath: String, place: K.Place,
                          key: (key: String, requestHash: String)?, calendar: WorkingCalendar, on sql: any SQLDatabase) async throws -> StoredRecord<K> {
        let step = try make(try await RecordSequences.take(kind: kind, prefix: prefix, on: sql))
        let id = UUID(), s = step.snapshot
        let columns = [("id", SQLBind(id) as any SQLExpression), ("code", SQLBind(K.code(of: s))), ("area_path", SQLBind(areaPath)),
                       ("registered_at", SQLBind(K.openedAt(s)))]
            + (try sharedColumns(s, version: 1, areaPath: areaPath, calendar: calendar)) + (try K.columns(s, place: place))
        try await sql.insert(into: K.table).columns(columns.map(\.0)).values(columns.map(\.1)).run()
        try await insertAction(step.record, seq: 1, recordID: id, on: sql)
        try await K.afterWrite(s, id: id, areaPath: areaPath, calendar: calendar, on: sql)
        if let raise = SupervisionRaise(step) {
            _ = try await RecordSupervisions.raise(raise, kind: kind, recordID: id, areaPath: areaPath, on: sql)
        }
        if let key {
            try await RecordKeys.remember(kind: kind, key: key.key, requestHash: key.requestHash, recordID: id, at: K.openedAt(s), on: sql)
        }
        return StoredRecord(id: id, snapshot: s, version: 1, areaPath: areaPath, place: place)
    }

    /// Appends one step with what it writes — the row, the kind's own rows, the supervision it raises — in one
    /// transaction; `RecordConflict` when someone else wrote first. Returns the record as stored and whether a
    /// supervision was newly recorded.
    public static func append(_ step: LifecycleStep<K.L>, to r: StoredRecord<K>, place: K.Place, calendar: WorkingCalendar,
                              on db: any Database) async throws -> (StoredRecord<K>, raised: Bool) {
        do {
            return try await db.transaction { db in
                guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
                let s = step.snapshot
                try await insertAction(step.record, seq: K.actionCount(s), recordID: r.id, on: sql)
                var update = sql.update(K.table)
                for (column, value) in try sharedColumns(s, version: r.version + 1, areaPath: r.areaPath, calendar: calendar) + (try K.columns(s, place: place)) {
                    update = update.set(SQLColumn(column), to: value)
                }
                let updated = try await update.where("id", .equal, r.id).where("version", .equal, r.version).returning("id").all()
                guard !updated.isEmpty else { throw RecordConflict(kind: kind, code: r.code) }
                try await K.afterWrite(s, id: r.id, areaPath: r.areaPath, calendar: calendar, on: sql)
                var raised = false
                if let raise = SupervisionRaise(step) {
                    raised = try await RecordSupervisions.raise(raise, kind: kind, recordID: r.id, areaPath: r.areaPath, on: sql)
                }
                return (StoredRecord(id: r.id, snapshot: s, version: r.version + 1, areaPath: r.areaPath, place: place), raised)
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw RecordConflict(kind: kind, code: r.code)
        }
    }

    static var columns: [String] { ["id", "snapshot", "version", "area_path"] + K.placeColumns }

    static func stored(_ row: any SQLRow) throws -> StoredRecord<K> {
        let s = try CaseQueries.decoder.decode(K.L.Snapshot.self, from: Data(try row.decode(column: "snapshot", as: String.self).utf8))
        return StoredRecord(id: try row.decode(column: "id", as: UUID.self), snapshot: s, version: try row.decode(column: "version", as: Int.self),
                            areaPath: try row.decode(column: "area_path", as: String.self), place: try K.place(from: row))
    }

    /// A query of the kind's table reading stored records.
    public static func select(on db: any Database) throws -> SQLSelectBuilder {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return sql.select().columns(columns.map { SQLColumn($0) }).from(K.table)
    }

    public static func all(_ q: SQLSelectBuilder) async throws -> [StoredRecord<K>] { try await q.all().map(stored) }

    public static func find(id: UUID, on db: any Database) async throws -> StoredRecord<K>? {
        try await select(on: db).where("id", .equal, id).first().map(stored)
    }

    /// The record an idempotency key made, and the hash of the request that made it.
    public static func find(key: String, on db: any Database) async throws -> (StoredRecord<K>, requestHash: String)? {
        guard let k = try await RecordKeys.find(kind: kind, key: key, on: db), let r = try await find(id: k.recordID, on: db) else { return nil }
        return (r, k.requestHash)
    }

    /// The actions of a record, in order.
    public static func actions(id: UUID, on db: any Database) async throws -> [K.L.Record] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.select().column("record").from(K.actionsTable).where(K.recordColumn, .equal, id).orderBy("seq").all()
            .map { try CaseQueries.decoder.decode(K.L.Record.self, from: Data(try $0.decode(column: "record", as: String.self).utf8)) }
    }

    /// Records whose clock the job may need to move: in a clocked state, with a deadline before `before`.
    /// Every record whose clock may run (its state is one of `K.clockStates`), due or not.
    public static func inClockStates(on db: any Database) async throws -> [StoredRecord<K>] {
        try await all(try select(on: db).where("state", .in, K.clockStates))
    }

    public static func dueForClockJob(before: Date, on db: any Database) async throws -> [StoredRecord<K>] {
        try await all(try select(on: db).where("state", .in, K.clockStates).where("next_deadline_at", .lessThan, before))
    }

    /// Writes records with their whole histories (a demo's year) in one transaction: rows, numbered actions and the
    /// kind's own rows, many to a statement; the sequences then cover the codes written.
    public static func bulkInsert(_ records: [(records: [K.L.Record], snapshot: K.L.Snapshot, areaPath: String, place: K.Place)],
                                  calendar: WorkingCalendar, on db: any Database,
                                  progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            var written = 0
            for chunk in records.chunked(by: 200) {
                var rows: [[(String, any SQLExpression)]] = [], actions: [[any SQLExpression]] = [], ids: [UUID] = []
                for h in chunk {
                    let id = UUID(), s = h.snapshot
                    ids.append(id)
                    rows.append([("id", SQLBind(id) as any SQLExpression), ("code", SQLBind(K.code(of: s))), ("area_path", SQLBind(h.areaPath)),
                                 ("registered_at", SQLBind(K.openedAt(s)))]
                                + (try sharedColumns(s, version: h.records.count, areaPath: h.areaPath, calendar: calendar)) + (try K.columns(s, place: h.place)))
                    for (i, r) in h.records.enumerated() {
                        let a = K.action(r)
                        actions.append([SQLBind(UUID()), SQLBind(id), SQLBind(i + 1), SQLBind(a.kind), SQLBind(a.actor), SQLBind(a.at), SQLBind(try CaseQueries.json(r))])
                    }
                }
                if let first = rows.first {
                    var insert = sql.insert(into: K.table).columns(first.map(\.0))
                    for r in rows { insert = insert.values(r.map(\.1)) }
                    try await insert.run()
                }
                for part in actions.chunked(by: 500) {
                    var insert = sql.insert(into: K.actionsTable).columns("id", K.recordColumn, "seq", "kind", "actor", "at", "record")
                    for a in part { insert = insert.values(a) }
                    try await insert.run()
                }
                for (id, h) in zip(ids, chunk) { try await K.afterWrite(h.snapshot, id: id, areaPath: h.areaPath, calendar: calendar, on: sql) }
                written += chunk.count
                progress(written, records.count)
            }
            try await RecordSequences.cover(kind: kind, codes: records.map { K.code(of: $0.snapshot) }, on: sql)
        }
    }
}
