import Fluent
import Foundation
import SQLKit
import WanggeCore

/// Mediation cases as a kind of record: the rules are `MediationLifecycle`, the tables `mediations` and
/// `mediation_actions`, and the place besides the dispute's area is the path of the committee that has it now (the
/// tier's area). Everything else is the shared store (`RecordStore`).
public enum MediationKind: RecordKind {
    public typealias L = MediationLifecycle
    public typealias Place = String

    public static let table = "mediations"
    public static let actionsTable = "mediation_actions"
    public static let recordColumn = "mediation_id"
    public static func code(of s: MediationSnapshot) -> String { s.registration.code }
    public static func state(of s: MediationSnapshot) -> String { s.state.rawValue }
    public static func openedAt(_ s: MediationSnapshot) -> Date { s.registeredAt }
    public static func lastActionAt(_ s: MediationSnapshot) -> Date { s.lastActionAt }
    public static func actionCount(_ s: MediationSnapshot) -> Int { s.actionCount }
    public static func nextDeadline(_ s: MediationSnapshot) -> Date? { s.deadline }
    public static let clockStates = [MediationState.accepted.rawValue, MediationState.mediating.rawValue]
    public static func action(_ r: MediationRecord) -> (kind: String, actor: String?, at: Date) { (r.kind.rawValue, r.actor.staff?.username, r.at) }

    public static let placeColumns = ["committee_path"]
    public static func place(from row: any SQLRow) throws -> String { try row.decode(column: "committee_path", as: String.self) }

    /// The mediation's own columns (the same for a step, a registration and the bulk load).
    public static func columns(_ s: MediationSnapshot, place: String) throws -> [(String, any SQLExpression)] {
        let r = s.registration
        func optional<T: Encodable & Sendable>(_ v: T?) -> any SQLExpression { v.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null }
        return [("case_id", optional(r.caseID)), ("type_code", SQLBind(r.typeCode)), ("tier", SQLBind(s.tier.rawValue)),
                ("area_code", SQLBind(r.areas.first?.code ?? "")), ("committee_area_code", SQLBind(s.committeeArea.code)),
                ("committee_path", SQLBind(place)), ("source", SQLBind(r.source.rawValue)), ("channel", SQLBind(r.channel.rawValue)),
                ("amount_fen", SQLBind(r.amount)), ("people_count", SQLBind(r.peopleCount)), ("risk", SQLBind(s.riskOfEscalation)),
                ("concluded_at", optional(s.concludedAt)), ("outcome", optional(MediationQueries.outcome(s)?.rawValue)),
                ("next_session_at", optional(MediationQueries.nextSession(s)))]
    }

    /// Who is assigned, and whether the mediation is still open (each mediator's load); the mediation's measure
    /// facts (`MediationMeasureQueries`).
    public static func afterWrite(_ s: MediationSnapshot, id: UUID, areaPath: String, calendar: WorkingCalendar, on sql: any SQLDatabase) async throws {
        try await MediationMeasureQueries.replace(id: id, snapshot: s, areaPath: areaPath, calendar: calendar, on: sql)
        try await sql.delete(from: "mediation_assignments").where("mediation_id", .equal, id).run()
        for mediator in s.mediators {
            try await sql.raw("INSERT INTO mediation_assignments (mediation_id, mediator, open) VALUES (\(bind: id), \(bind: mediator), \(bind: s.state.isOpen))").run()
        }
    }
}

/// A mediation case as stored: its snapshot, the version it was read at, the dispute's area path and the path of
/// the committee that has it now.
public typealias StoredMediation = StoredRecord<MediationKind>

extension StoredRecord where K == MediationKind {
    public var committeePath: String {
        get { place }
        set { place = newValue }
    }

    public init(id: UUID, snapshot: MediationSnapshot, version: Int, areaPath: String, committeePath: String) {
        self.init(id: id, snapshot: snapshot, version: version, areaPath: areaPath, place: committeePath)
    }
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
    public static let escalationRisk = SupervisionReason.escalationRisk.rawValue

    /// The open notices and supervisions of mediations under `scopePath`, newest first.
    public static func notices(scopePath: String, limit: Int, on db: any Database) async throws -> [(code: String, id: UUID, kind: String, raisedAt: Date, note: String?)] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await sql.raw("""
            SELECT m.code, m.id, s.kind, s.raised_at, s.note FROM record_supervisions s JOIN mediations m ON m.id = s.record_id \
            WHERE s.record_kind = 'mediation' AND \(LikePattern.startsWith(SQLColumn("area_path", table: "s"), scopePath)) ORDER BY s.raised_at DESC LIMIT \(unsafeRaw: String(limit))
            """).all().map { r in
                (try r.decode(column: "code", as: String.self), try r.decode(column: "id", as: UUID.self), try r.decode(column: "kind", as: String.self),
                 try r.decode(column: "raised_at", as: Date.self), try r.decode(column: "note", as: String?.self))
            }
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

    /// The dashboard's and big screen's mediation counters under `scopePath`: registered and concluded in the
    /// period (with the success rate: the period's measures, `MediationMeasureQueries`), open now, and open with a
    /// risk of escalation (two small counts on indexes).
    public struct Panel: Sendable, Hashable {
        public var received: Int
        public var success: Measure
        public var open: Int
        public var risky: Int
    }

    public static func panel(scopePath: String, measures: MediationCounts, on db: any Database) async throws -> Panel {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        func count(_ q: SQLSelectBuilder) async throws -> Int {
            try await q.column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))).from("mediations")
                .where(LikePattern.startsWith(SQLColumn("area_path"), scopePath)).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let openStates = MediationState.allCases.filter(\.isOpen).map(\.rawValue)
        let open = try await count(sql.select().where("state", .in, openStates))
        let risky = try await count(sql.select().where("state", .in, openStates).where("risk", .equal, true))
        return Panel(received: measures.received, success: measures.success, open: open, risky: risky)
    }

    public static func find(caseID: UUID, on db: any Database) async throws -> StoredMediation? {
        try await RecordStore<MediationKind>.all(try RecordStore<MediationKind>.select(on: db).where("case_id", .equal, caseID).limit(1)).first
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
        var q = filtered(try RecordStore<MediationKind>.select(on: db), f)
        switch f.order {
        case .newest: q = q.orderBy("registered_at", .descending)
        case .deadline: q = q.orderBy("next_deadline_at", .ascending)
        case .session: q = q.orderBy("next_session_at", .ascending)
        }
        let items = try await q.orderBy("code", .descending).limit(per).offset((page - 1) * per).all().map(RecordStore<MediationKind>.stored)
        return (items, total)
    }

    /// Every mediation under `scopePath` that may count in `[from, to)` (see `MediationMeasures.counts(_:period:calendar:)`):
    /// registered before its end and changed since its start.
    public static func counted(scopePath: String, from: Date, to: Date, on db: any Database) async throws -> [StoredMediation] {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        return try await RecordStore<MediationKind>.select(on: db)
            .where(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
            .where("registered_at", .lessThan, to).where("updated_at", .greaterThanOrEqual, from).all().map(RecordStore<MediationKind>.stored)
    }

    /// Writes mediations with their whole histories (the demo's year) in one transaction: rows, numbered actions,
    /// who is assigned. `paths` gives each area's path.
    public static func bulkInsert(_ histories: [(records: [MediationRecord], snapshot: MediationSnapshot)], paths: [String: String],
                                  calendar: WorkingCalendar, on db: any Database,
                                  progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws {
        try await RecordStore<MediationKind>.bulkInsert(histories.map { h in
            (h.records, h.snapshot, paths[h.snapshot.registration.areas.first?.code ?? ""] ?? "", paths[h.snapshot.committeeArea.code] ?? "")
        }, calendar: calendar, on: db, progress: progress)
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
