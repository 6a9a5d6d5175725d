import Foundation
import SQLKit
import WanggeCore

/// The one SQL text that finds a report's likely duplicates: open cases of its category within `metres` of its point
/// (on the local plane, `LocalPlane`) and within `maxAge` of its time, nearest first, at most `limit` of them, each
/// row carrying how many there are in all, counted up to `DuplicateFinder.countCap` + 1. A box on lat/lon (the
/// covering index, M020) keeps the scan to the spot and off the table; the cap bounds it at a spot with thousands
/// of open reports, where the nearest are then found among the first matches of the index (all within the 200 m).
///
/// Rendered for SQLKit (both databases) by `expression`, and for the SQLite batch writer with numbered parameters.
struct DuplicateSearch {
    enum Value {
        case text(String)
        case real(Double)
        case integer(Int)
        case date(Date)
    }

    var categoryCode: String
    var point: GeoPoint
    var metres: Double
    var time: Date
    var maxAge: TimeInterval
    /// The report's own code, which is never its own duplicate.
    var excluding: String
    var limit: Int = DuplicateFinder.nearestShown

    static let columns = ["code", "category_code", "lat", "lon", "reported_at", "state", "total"]

    /// Writes the statement: `literal` for SQL text, `bind` for each value in order.
    func render(literal: (String) -> Void, bind: (Value) -> Void) {
        let box = CaseQueries.DuplicateBox(categoryCode: categoryCode, around: point, metres: metres)
        let plane = LocalPlane(around: point)
        let finished = CaseState.finished.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        func squared() {
            literal("((lat - "); bind(.real(point.lat)); literal(") * "); bind(.real(plane.metresPerDegreeLat))
            literal(") * ((lat - "); bind(.real(point.lat)); literal(") * "); bind(.real(plane.metresPerDegreeLat))
            literal(") + ((lon - "); bind(.real(point.lon)); literal(") * "); bind(.real(plane.metresPerDegreeLon))
            literal(") * ((lon - "); bind(.real(point.lon)); literal(") * "); bind(.real(plane.metresPerDegreeLon)); literal(")")
        }
        // The inner scan stops after `countCap` + 1 matches, so a spot that a crowd reports costs no more than that.
        literal("SELECT code, category_code, lat, lon, reported_at, state, COUNT(*) OVER () AS total, d2 FROM (")
        literal("SELECT code, category_code, lat, lon, reported_at, state, ")
        squared()
        literal(" AS d2 FROM cases WHERE category_code = "); bind(.text(categoryCode))
        literal(" AND lat >= "); bind(.real(box.lat.lowerBound)); literal(" AND lat <= "); bind(.real(box.lat.upperBound))
        literal(" AND lon >= "); bind(.real(box.lon.lowerBound)); literal(" AND lon <= "); bind(.real(box.lon.upperBound))
        literal(" AND reported_at >= "); bind(.date(time.addingTimeInterval(-maxAge)))
        literal(" AND reported_at <= "); bind(.date(time.addingTimeInterval(maxAge)))
        literal(" AND state NOT IN (\(finished)) AND code <> "); bind(.text(excluding))
        literal(" AND "); squared(); literal(" <= "); bind(.real(metres * metres))
        literal(" LIMIT "); bind(.integer(DuplicateFinder.countCap + 1))
        literal(") AS near ORDER BY d2, code LIMIT "); bind(.integer(limit))
    }

    /// The statement for SQLKit, with the dialect's placeholders.
    var expression: some SQLExpression { Expression(search: self) }

    private struct Expression: SQLExpression {
        let search: DuplicateSearch
        func serialize(to serializer: inout SQLSerializer) {
            var s = serializer
            search.render(literal: { s.write($0) }, bind: { value in
                switch value {
                case .text(let t): s.write(bind: t)
                case .real(let d): s.write(bind: d)
                case .integer(let i): s.write(bind: i)
                case .date(let d): s.write(bind: d)
                }
            })
            serializer = s
        }
    }

    /// The statement with numbered parameters (`?1`, `?2`, …) and its values in order, for a raw SQLite connection.
    func numbered() -> (sql: String, values: [Value]) {
        var sql = "", values: [Value] = []
        render(literal: { sql += $0 }, bind: { values.append($0); sql += "?\(values.count)" })
        return (sql, values)
    }
}
