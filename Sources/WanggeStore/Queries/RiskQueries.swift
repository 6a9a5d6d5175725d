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
