import Fluent
import Foundation
import SQLKit
import WanggeCore

/// Entries of the risk register as a kind of record: the rules are `RiskLifecycle`, the tables `risks` and
/// `risk_actions`; it keeps no place besides its area path. Everything else is the shared store (`RecordStore`):
/// numbers (`FX-YYYYMMDD-NNNNNN`), numbered actions with a conflict on a race, supervision once per review stage,
/// idempotent registration.
public enum RiskKind: RecordKind {
    public typealias L = RiskLifecycle
    public typealias Place = NoPlace

    public static let table = "risks"
    public static let actionsTable = "risk_actions"
    public static let recordColumn = "risk_id"
    /// The letters of a register code.
    public static let prefix = "FX"
    public static func code(of s: RiskSnapshot) -> String { s.registration.code }
    public static func state(of s: RiskSnapshot) -> String { s.state.rawValue }
    public static func openedAt(_ s: RiskSnapshot) -> Date { s.registeredAt }
    public static func lastActionAt(_ s: RiskSnapshot) -> Date { s.lastActionAt }
    public static func actionCount(_ s: RiskSnapshot) -> Int { s.actionCount }
    /// The next review's due date: the clock job supervises a late review.
    public static func nextDeadline(_ s: RiskSnapshot) -> Date? { s.state.isOpen ? s.nextReviewDue : nil }
    public static let clockStates = RiskState.allCases.filter(\.isOpen).map(\.rawValue)
    public static func action(_ r: RiskRecord) -> (kind: String, actor: String?, at: Date) { (r.kind.rawValue, r.actor.staff?.username, r.at) }

    public static let placeColumns: [String] = []
    public static func place(from row: any SQLRow) throws -> NoPlace { NoPlace() }

    /// The columns the register's lists filter on (the same for a step, a registration and a bulk load).
    public static func columns(_ s: RiskSnapshot, place: NoPlace) throws -> [(String, any SQLExpression)] {
        let r = s.registration
        func optional<T: Encodable & Sendable>(_ v: T?) -> any SQLExpression { v.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null }
        return [("area_code", SQLBind(r.areaCode)), ("category_code", SQLBind(r.categoryCode)), ("level", SQLBind(s.level)),
                ("title", SQLBind(r.title)), ("department_code", optional(s.owners?.departmentCode)), ("cleared_at", optional(s.clearedAt))]
    }
}

/// A risk entry as stored.
public typealias StoredRisk = StoredRecord<RiskKind>

/// Which entries of the register a list shows: under a scope, in some states, at a level, of a category.
public struct RiskFilter: Sendable {
    public var scopePath: String
    public var states: [RiskState]?
    public var level: Int?
    public var categoryCode: String?

    public init(scopePath: String, states: [RiskState]? = nil, level: Int? = nil, categoryCode: String? = nil) {
        self.scopePath = scopePath
        self.states = states
        self.level = level
        self.categoryCode = categoryCode
    }
}

public enum RiskQueries {
    /// A page of the entries that pass the filter, the most severe level first, then the next review due first,
    /// and how many pass in all.
    public static func list(_ f: RiskFilter, page: Int, per: Int, on db: any Database) async throws -> (items: [StoredRisk], total: Int) {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.where(LikePattern.startsWith(SQLColumn("area_path"), f.scopePath))
            if let states = f.states { q = q.where("state", .in, states.map(\.rawValue)) }
            if let level = f.level { q = q.where("level", .equal, level) }
            if let c = f.categoryCode { q = q.where("category_code", .equal, c) }
            return q
        }
        let total = try await filtered(sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n"))).from(RiskKind.table))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let items = try await RecordStore<RiskKind>.all(filtered(try RecordStore<RiskKind>.select(on: db))
            .orderBy("level").orderBy("next_deadline_at").orderBy("code").limit(per).offset((page - 1) * per))
        return (items, total)
    }
}
