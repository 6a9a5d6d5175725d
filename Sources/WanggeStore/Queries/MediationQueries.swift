import Fluent
import Foundation
import SQLKit
import WanggeCore

/// A mediation case as stored: its snapshot, the version it was read at, and where it lies.
public struct StoredMediation: Sendable, Hashable {
    public var id: UUID
    public var snapshot: MediationSnapshot
    public var version: Int
    /// The dispute's area path, and the path of the committee that has it now (the tier's area).
    public var areaPath: String
    public var committeePath: String
    public var code: String { snapshot.registration.code }
}

public struct MediationConflict: RecordConflict, CustomStringConvertible {
    public var code: String
    public var description: String { "mediation \(code) was changed by someone else at the same moment; reload it and try again" }
}

/// One of the pool: a person who mediates (their staff account's user name is their id), their specialities and
/// the areas they serve.
public struct Mediator: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var phone: String?
    public var specialities: [String]
    public var areaCodes: [String]

    public init(id: String, name: String, phone: String?, specialities: [String], areaCodes: [String]) {
        self.id = id
        self.name = name
        self.phone = phone
        self.specialities = specialities
        self.areaCodes = areaCodes
    }
}

public struct MediationFilter: Sendable {
    /// Staff outside the mediator role see the mediations of disputes in their area's subtree.
    public var scopePath: String
    /// A mediator sees those assigned to them, and those whose committee lies in their scope.
    public var mediatorScope: (username: String, path: String)?
    public var states: [MediationState]?
    public var areaPath: String?
    public var typeCode: String?
    public var mediator: String?
    public var tier: MediationTier?
    /// The workbench's "mine": assigned to this mediator (still open), or registered and waiting to be taken on.
    public var assignedOrWaiting: String?
    /// Clocks yellow or red at this instant (`clock_yellow_at` passed).
    public var clockDueAt: Date?
    /// A session scheduled in this interval and not yet recorded.
    public var sessionsIn: DateInterval?
    public var order: Order = .newest

    public enum Order: Sendable { case newest, deadline, session }

    public init(scopePath: String, mediatorScope: (username: String, path: String)? = nil) {
        self.scopePath = scopePath
        self.mediatorScope = mediatorScope
    }
}

public enum MediationQueries {
    /// The kind of notice a dispute with a risk of escalation raises for its area's leaders.
    public static let escalationRisk = "escalation_risk"

    /// The open notices and supervisions of mediations under `scopePath`, newest first.
    public static func notices(scopePath: String, limit: Int, on db: any Database) async throws -> [(code: String, id: UUID, kind: String, raisedAt: Date, note: String?)] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.raw("""
            SELECT m.code, m.id, s.kind, s.raised_at, s.note FROM mediation_supervisions s JOIN mediations m ON m.id = s.mediation_id \
            WHERE \(LikePattern.startsWith(SQLColumn("area_path", table: "s"), scopePath)) ORDER BY s.raised_at DESC LIMIT \(unsafeRaw: String(limit))
            """).all().map { r in
                (try r.decode(column: "code", as: String.self), try r.decode(column: "id", as: UUID.self), try r.decode(column: "kind", as: String.self),
                 try r.decode(column: "raised_at", as: Date.self), try r.decode(column: "note", as: String?.self))
            }
    }

    struct Row: Encodable {
        var id: UUID, code: String, case_id: UUID?, type_code: String, state: String, tier: String, area_code: String
        var area_path: String, committee_area_code: String, committee_path: String, source: String, channel: String
        var amount_fen: Int, people_count: Int, risk: Bool, next_deadline_at: Date?, clock_yellow_at: Date?
        var snapshot: String, version: Int, registered_at: Date, updated_at: Date, concluded_at: Date?, outcome: String?
        /// The earliest scheduled session not yet recorded (the workbench's "today's sessions").
        var next_session_at: Date?
    }

    struct ActionRow: Encodable {
        var id: UUID, mediation_id: UUID, seq: Int, kind: String, actor: String?, at: Date, record: String
    }

    static func row(id: UUID, _ s: MediationSnapshot, version: Int, areaPath: String, committeePath: String,
                    calendar: WorkingCalendar) throws -> Row {
        let r = s.registration
        let thresholds = MediationLifecycle.clock(of: s)?.thresholds(calendar: calendar)
        return Row(id: id, code: r.code, case_id: r.caseID, type_code: r.typeCode, state: s.state.rawValue, tier: s.tier.rawValue,
                   area_code: r.areas.first?.code ?? "", area_path: areaPath, committee_area_code: s.committeeArea.code,
                   committee_path: committeePath, source: r.source.rawValue, channel: r.channel.rawValue, amount_fen: r.amount,
                   people_count: r.peopleCount, risk: s.riskOfEscalation, next_deadline_at: s.deadline,
                   clock_yellow_at: thresholds?.yellowAt, snapshot: try CaseQueries.json(s), version: version,
                   registered_at: s.registeredAt, updated_at: s.lastActionAt, concluded_at: s.concludedAt, outcome: outcome(s)?.rawValue,
                   next_session_at: nextSession(s))
    }

    /// The earliest scheduled session of an open mediation that has not been recorded yet.
    static func nextSession(_ s: MediationSnapshot) -> Date? {
        s.state.isOpen ? s.sessions.filter { $0.notes == nil }.map(\.at).min() : nil
    }

    /// How a mediation ended: the state it entered when it concluded (it only closes after that).
    static func outcome(_ s: MediationSnapshot) -> MediationState? {
        guard s.concludedAt != nil else { return nil }
        return s.agreedOn != nil ? .agreed : s.failureRoute != nil ? .failed : .withdrawn
    }

    /// DESIGN §5's mediation success rate for the mediations under `scopePath` that concluded in `period`:
    /// agreements / concluded, with SQL (what `MediationMeasures` counts from the records).
    public static func success(scopePath: String, period: DateInterval, on db: any Database) async throws -> Measure {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        var agreed = 0, concluded = 0
        for r in try await sql.select().column("outcome").column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from("mediations").where(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
            .where("concluded_at", .greaterThanOrEqual, period.start).where("concluded_at", .lessThan, period.end)
            .groupBy("outcome").all() {
            let n = try r.decode(column: "n", as: Int.self)
            concluded += n
            if try r.decode(column: "outcome", as: String?.self) == MediationState.agreed.rawValue { agreed += n }
        }
        return Measure(numerator: agreed, denominator: concluded)
    }

    /// The dashboard's and big screen's mediation counters under `scopePath`: registered and concluded in the
    /// period (with the success rate), open now, and open with a risk of escalation. Four small counts on indexes.
    public struct Panel: Sendable, Hashable {
        public var received: Int
        public var success: Measure
        public var open: Int
        public var risky: Int
    }

    public static func panel(scopePath: String, period: DateInterval, on db: any Database) async throws -> Panel {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        func count(_ q: SQLSelectBuilder) async throws -> Int {
            try await q.column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))).from("mediations")
                .where(LikePattern.startsWith(SQLColumn("area_path"), scopePath)).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let received = try await count(sql.select().where("registered_at", .greaterThanOrEqual, period.start).where("registered_at", .lessThan, period.end))
        let openStates = MediationState.allCases.filter(\.isOpen).map(\.rawValue)
        let open = try await count(sql.select().where("state", .in, openStates))
        let risky = try await count(sql.select().where("state", .in, openStates).where("risk", .equal, true))
        return Panel(received: received, success: try await success(scopePath: scopePath, period: period, on: db), open: open, risky: risky)
    }

    static func actionRow(_ r: MediationRecord, seq: Int, id: UUID) throws -> ActionRow {
        ActionRow(id: UUID(), mediation_id: id, seq: seq, kind: r.kind.rawValue, actor: r.actor.staff?.username, at: r.at,
                  record: try CaseQueries.json(r))
    }

    /// Numbers (`prefix` + a counter) and writes a new mediation with its registration and idempotency key, in one
    /// transaction. A second registration of the same case fails on the unique case id (the caller then finds it).
    public static func create(prefix: String, make: @escaping @Sendable (Int) throws -> LifecycleStep<MediationLifecycle>, areaPath: String,
                              committeePath: String, key: String?, requestHash: String?, calendar: WorkingCalendar,
                              on db: any Database) async throws -> StoredMediation {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            let step = try make(try await RecordSequences.take(kind: "mediation", prefix: prefix, on: sql))
            let id = UUID()
            try await sql.insert(into: "mediations").model(try row(id: id, step.snapshot, version: 1, areaPath: areaPath,
                                                                   committeePath: committeePath, calendar: calendar), nilEncodingStrategy: .asNil).run()
            try await sql.insert(into: "mediation_actions").model(try actionRow(step.record, seq: 1, id: id), nilEncodingStrategy: .asNil).run()
            try await MediationMeasureQueries.replace(id: id, snapshot: step.snapshot, areaPath: areaPath, calendar: calendar, on: sql)
            if step.snapshot.riskOfEscalation {
                // Many people or a threat of violence: a notice to the leaders of the dispute's area, with the registration.
                let r = step.snapshot.registration
                try await sql.raw("""
                    INSERT INTO mediation_supervisions (id, mediation_id, kind, stage_key, raised_at, raised_by, area_path, note) \
                    VALUES (\(bind: UUID()), \(bind: id), \(bind: MediationQueries.escalationRisk), \(bind: "registered"), \(bind: step.record.at), \(bind: step.record.actor.staff?.username), \(bind: areaPath), \(bind: "\(r.peopleCount) 人\(r.threatOfViolence ? "，有暴力倾向" : "")"))
                    """).run()
            }
            if let key, let requestHash {
                try await sql.raw("INSERT INTO mediation_keys (key, request_hash, mediation_id, created_at) VALUES (\(bind: key), \(bind: requestHash), \(bind: id), \(bind: step.record.at))").run()
            }
            return StoredMediation(id: id, snapshot: step.snapshot, version: 1, areaPath: areaPath, committeePath: committeePath)
        }
    }

    /// Appends one step with the rest of what it writes — the row, who is assigned, the supervision it raises —
    /// in one transaction; `MediationConflict` when someone else wrote first. Returns the stored mediation and
    /// whether a supervision was newly recorded.
    public static func append(_ step: LifecycleStep<MediationLifecycle>, to m: StoredMediation, committeePath: String,
                              calendar: WorkingCalendar, on db: any Database) async throws -> (StoredMediation, Bool) {
        do {
            return try await db.transaction { db in
                guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
                let seq = step.snapshot.actionCount
                try await sql.insert(into: "mediation_actions").model(try actionRow(step.record, seq: seq, id: m.id), nilEncodingStrategy: .asNil).run()
                let r = try row(id: m.id, step.snapshot, version: m.version + 1, areaPath: m.areaPath, committeePath: committeePath, calendar: calendar)
                let updated = try await sql.update("mediations")
                    .set("state", to: r.state).set("tier", to: r.tier).set("committee_area_code", to: r.committee_area_code)
                    .set("committee_path", to: r.committee_path).set("risk", to: r.risk)
                    .set("next_deadline_at", to: r.next_deadline_at.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                    .set("clock_yellow_at", to: r.clock_yellow_at.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                    .set("snapshot", to: r.snapshot).set("version", to: r.version).set("updated_at", to: r.updated_at)
                    .set("concluded_at", to: r.concluded_at.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                    .set("outcome", to: r.outcome.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                    .set("next_session_at", to: r.next_session_at.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                    .where("id", .equal, m.id).where("version", .equal, m.version)
                    .returning("id").all()
                guard !updated.isEmpty else { throw MediationConflict(code: m.code) }
                try await MediationMeasureQueries.replace(id: m.id, snapshot: step.snapshot, areaPath: m.areaPath, calendar: calendar, on: sql)
                let open = step.snapshot.state.isOpen
                try await sql.delete(from: "mediation_assignments").where("mediation_id", .equal, m.id).run()
                for mediator in step.snapshot.mediators {
                    try await sql.raw("INSERT INTO mediation_assignments (mediation_id, mediator, open) VALUES (\(bind: m.id), \(bind: mediator), \(bind: open))").run()
                }
                var raised = false
                if let s = SupervisionRaise(step) {
                    let exists = try await sql.select().column("id").from("mediation_supervisions").where("mediation_id", .equal, m.id)
                        .where("kind", .equal, s.reason.rawValue).where("stage_key", .equal, s.stageKey).first()
                    if exists == nil {
                        try await sql.raw("""
                            INSERT INTO mediation_supervisions (id, mediation_id, kind, stage_key, raised_at, raised_by, area_path, note) \
                            VALUES (\(bind: UUID()), \(bind: m.id), \(bind: s.reason.rawValue), \(bind: s.stageKey), \(bind: s.at), \(bind: s.by), \(bind: m.areaPath), \(bind: s.note))
                            """).run()
                        raised = true
                    }
                }
                return (StoredMediation(id: m.id, snapshot: step.snapshot, version: m.version + 1, areaPath: m.areaPath, committeePath: committeePath), raised)
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw MediationConflict(code: m.code)
        }
    }

    static func stored(_ row: any SQLRow) throws -> StoredMediation {
        let s = try CaseQueries.decoder.decode(MediationSnapshot.self, from: Data(try row.decode(column: "snapshot", as: String.self).utf8))
        return StoredMediation(id: try row.decode(column: "id", as: UUID.self), snapshot: s, version: try row.decode(column: "version", as: Int.self),
                               areaPath: try row.decode(column: "area_path", as: String.self),
                               committeePath: try row.decode(column: "committee_path", as: String.self))
    }

    static let columns = ["id", "snapshot", "version", "area_path", "committee_path"]

    public static func find(id: UUID, on db: any Database) async throws -> StoredMediation? {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.select().columns(columns.map { SQLColumn($0) }).from("mediations").where("id", .equal, id).first().map(stored)
    }

    public static func find(caseID: UUID, on db: any Database) async throws -> StoredMediation? {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.select().columns(columns.map { SQLColumn($0) }).from("mediations").where("case_id", .equal, caseID).first().map(stored)
    }

    /// The mediation an idempotency key made, and the hash of the request that made it.
    public static func find(key: String, on db: any Database) async throws -> (StoredMediation, requestHash: String)? {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        guard let k = try await sql.select().column("mediation_id").column("request_hash").from("mediation_keys").where("key", .equal, key).first(),
              let m = try await find(id: try k.decode(column: "mediation_id", as: UUID.self), on: db) else { return nil }
        return (m, try k.decode(column: "request_hash", as: String.self))
    }

    public static func actions(id: UUID, on db: any Database) async throws -> [MediationRecord] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.select().column("record").from("mediation_actions").where("mediation_id", .equal, id).orderBy("seq").all()
            .map { try CaseQueries.decoder.decode(MediationRecord.self, from: Data(try $0.decode(column: "record", as: String.self).utf8)) }
    }

    /// Whether `m` is visible under the filter's scope (the rule `list` applies in SQL).
    public static func isVisible(_ m: StoredMediation, scopePath: String, mediator: (username: String, path: String)?) -> Bool {
        if let mediator {
            return m.snapshot.mediators.contains(mediator.username) || m.committeePath.hasPrefix(mediator.path)
        }
        return m.areaPath.hasPrefix(scopePath)
    }

    private static func filtered(_ q: SQLSelectBuilder, _ f: MediationFilter) -> SQLSelectBuilder {
        var q = q
        if let m = f.mediatorScope {
            q = q.where { w in
                w.where(LikePattern.startsWith(SQLColumn("committee_path"), m.path))
                    .orWhere(SQLColumn("id"), .in, SQLGroupExpression(SQLQueryString("SELECT mediation_id FROM mediation_assignments WHERE mediator = \(bind: m.username)")))
            }
        } else {
            q = q.where(LikePattern.startsWith(SQLColumn("area_path"), f.scopePath))
        }
        if let states = f.states { q = q.where("state", .in, states.map(\.rawValue)) }
        if let p = f.areaPath { q = q.where(LikePattern.startsWith(SQLColumn("area_path"), p)) }
        if let t = f.typeCode { q = q.where("type_code", .equal, t) }
        if let t = f.tier { q = q.where("tier", .equal, t.rawValue) }
        if let m = f.mediator {
            q = q.where(SQLColumn("id"), .in, SQLGroupExpression(SQLQueryString("SELECT mediation_id FROM mediation_assignments WHERE mediator = \(bind: m)")))
        }
        if let m = f.assignedOrWaiting {
            q = q.where { w in
                w.where("state", .equal, MediationState.registered.rawValue)
                    .orWhere(SQLColumn("id"), .in, SQLGroupExpression(SQLQueryString("SELECT mediation_id FROM mediation_assignments WHERE mediator = \(bind: m) AND open = \(bind: true)")))
            }
        }
        if let at = f.clockDueAt { q = q.where("clock_yellow_at", .lessThanOrEqual, at) }
        if let d = f.sessionsIn { q = q.where("next_session_at", .greaterThanOrEqual, d.start).where("next_session_at", .lessThan, d.end) }
        return q
    }

    /// A page of mediations, newest first, and how many match in all.
    public static func list(_ f: MediationFilter, page: Int, per: Int, on db: any Database) async throws -> (items: [StoredMediation], total: Int) {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        let total = try await filtered(sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))).from("mediations"), f)
            .first()?.decode(column: "n", as: Int.self) ?? 0
        var q = filtered(sql.select().columns(columns.map { SQLColumn($0) }).from("mediations"), f)
        switch f.order {
        case .newest: q = q.orderBy("registered_at", .descending)
        case .deadline: q = q.orderBy("next_deadline_at", .ascending)
        case .session: q = q.orderBy("next_session_at", .ascending)
        }
        let items = try await q.orderBy("code", .descending).limit(per).offset((page - 1) * per).all().map(stored)
        return (items, total)
    }

    public static func dueForClockJob(before: Date, on db: any Database) async throws -> [StoredMediation] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.select().columns(columns.map { SQLColumn($0) }).from("mediations")
            .where("state", .in, [MediationState.accepted.rawValue, MediationState.mediating.rawValue])
            .where("next_deadline_at", .lessThan, before).all().map(stored)
    }

    /// Every mediation under `scopePath` that may count in `[from, to)` (see `MediationMeasures.counts(_:period:calendar:)`):
    /// registered before its end and changed since its start.
    public static func counted(scopePath: String, from: Date, to: Date, on db: any Database) async throws -> [StoredMediation] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.select().columns(columns.map { SQLColumn($0) }).from("mediations")
            .where(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
            .where("registered_at", .lessThan, to).where("updated_at", .greaterThanOrEqual, from).all().map(stored)
    }

    /// Writes mediations with their whole histories (the demo's year) in one transaction: rows, numbered actions,
    /// who is assigned. `paths` gives each area's path.
    public static func bulkInsert(_ histories: [(records: [MediationRecord], snapshot: MediationSnapshot)], paths: [String: String],
                                  calendar: WorkingCalendar, on db: any Database,
                                  progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            var written = 0
            for chunk in histories.chunked(by: 300) {
                var rows: [Row] = [], actions: [ActionRow] = []
                var assignments: [(UUID, String, Bool)] = []
                for h in chunk {
                    let id = UUID()
                    let s = h.snapshot
                    rows.append(try row(id: id, s, version: h.records.count, areaPath: paths[s.registration.areas.first?.code ?? ""] ?? "",
                                        committeePath: paths[s.committeeArea.code] ?? "", calendar: calendar))
                    for (i, r) in h.records.enumerated() { actions.append(try actionRow(r, seq: i + 1, id: id)) }
                    for m in s.mediators { assignments.append((id, m, s.state.isOpen)) }
                }
                try await sql.insert(into: "mediations").models(rows, nilEncodingStrategy: .asNil).run()
                for part in actions.chunked(by: 800) { try await sql.insert(into: "mediation_actions").models(Array(part), nilEncodingStrategy: .asNil).run() }
                for a in assignments {
                    try await sql.raw("INSERT INTO mediation_assignments (mediation_id, mediator, open) VALUES (\(bind: a.0), \(bind: a.1), \(bind: a.2))").run()
                }
                written += chunk.count
                progress(written, histories.count)
            }
            try await RecordSequences.cover(kind: "mediation", codes: histories.map(\.snapshot.registration.code), on: sql)
        }
    }

    // MARK: The pool

    public static func insert(_ mediators: [Mediator], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        for m in mediators {
            try await sql.raw("""
                INSERT INTO mediators (id, name, phone, specialities, area_codes) VALUES \
                (\(bind: m.id), \(bind: m.name), \(bind: m.phone), \(bind: "|" + m.specialities.joined(separator: "|") + "|"), \(bind: "|" + m.areaCodes.joined(separator: "|") + "|"))
                """).run()
        }
    }

    /// The pool, each with how many open mediations they are assigned (their load).
    public static func mediators(on db: any Database) async throws -> [(Mediator, load: Int)] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        var load: [String: Int] = [:]
        for r in try await sql.raw("SELECT mediator, COUNT(*) AS n FROM mediation_assignments WHERE open = \(bind: true) GROUP BY mediator").all() {
            load[try r.decode(column: "mediator", as: String.self)] = try r.decode(column: "n", as: Int.self)
        }
        func list(_ s: String) -> [String] { s.split(separator: "|").map(String.init) }
        return try await sql.select().column("id").column("name").column("phone").column("specialities").column("area_codes").from("mediators")
            .orderBy("id").all().map { r in
                let m = Mediator(id: try r.decode(column: "id", as: String.self), name: try r.decode(column: "name", as: String.self),
                                 phone: try r.decode(column: "phone", as: String?.self),
                                 specialities: list(try r.decode(column: "specialities", as: String.self)),
                                 areaCodes: list(try r.decode(column: "area_codes", as: String.self)))
                return (m, load[m.id] ?? 0)
            }
    }
}
