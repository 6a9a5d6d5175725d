import Foundation
import Vapor
import WanggeCore

/// Query parameters read with bounds: a value outside them is a 400 naming the parameter, never clamped, never a
/// number that can overflow later arithmetic.
extension Request {
    /// Text of at most `maxLength` characters without control or invisible characters, trimmed; nil when absent or empty.
    func textQuery(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let raw = url.query != nil ? query[String.self, at: name] : nil else { return nil }
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard text.count <= maxLength else { throw APIError.badRequest("\(name) is at most \(maxLength) characters", field: name) }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw APIError.badRequest("\(name) must not contain control characters", field: name)
        }
        return text
    }

    /// A whole number within `range`; nil when absent or empty.
    func intQuery(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let text = try textQuery(name, maxLength: 20) else { return nil }
        guard let n = Int(text), range.contains(n) else {
            throw APIError.badRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)", field: name)
        }
        return n
    }

    /// `true` or `false`; nil when absent or empty.
    func boolQuery(_ name: String) throws -> Bool? {
        guard let text = try textQuery(name, maxLength: 10) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw APIError.badRequest("\(name) is true or false", field: name)
        }
    }

    /// `page` (1 to 10,000) and `per` (1 to `maxPer`, default `defaultPer`).
    func paging(defaultPer: Int = 50, maxPer: Int = 200) throws -> (page: Int, per: Int) {
        (try intQuery("page", 1...10_000) ?? 1, try intQuery("per", 1...maxPer) ?? defaultPer)
    }

    /// A comma-separated list of an enumeration's values (`status=a,b`); nil when absent; an unknown value is a
    /// 400 naming the parameter and the values it takes.
    func listQuery<E: RawRepresentable & CaseIterable>(_ name: String, of _: E.Type, maxLength: Int = 400) throws -> [E]? where E.RawValue == String {
        guard let text = try textQuery(name, maxLength: maxLength) else { return nil }
        let parts = text.split(separator: ",")
        // "," alone names nothing: a 400, not an empty list (which no SQL "IN ()" reads on PostgreSQL).
        guard !parts.isEmpty else { throw APIError.badRequest("\(name) is a list of \(E.allCases.map(\.rawValue).joined(separator: ", "))", field: name) }
        return try parts.map { raw in
            guard let value = E(rawValue: String(raw)) else {
                throw APIError.badRequest("\(name) is a list of \(E.allCases.map(\.rawValue).joined(separator: ", "))", field: name)
            }
            return value
        }
    }

    /// `area`: the code of an area in the caller's scope (one outside it is 404, as for none); nil when absent.
    func areaQuery(_ staff: StaffAccount, _ j: Jurisdiction) throws -> String? {
        guard let area = try textQuery("area", maxLength: 64) else { return nil }
        guard j[area] != nil, staff.scope.covers(area, in: j) else { throw APIError(.notFound, "not_found", "no area \(area) in your scope", field: "area") }
        return area
    }

    /// A month (YYYY-MM, from 2000 to 2100); nil when absent.
    func monthQuery(_ name: String) throws -> SafetyIndexMonth? {
        guard let text = try textQuery(name, maxLength: 20) else { return nil }
        guard let m = SafetyIndexMonth(text), Self.years.contains(m.year) else {
            throw APIError.badRequest("\(name) must be a month from 2000-01 to 2100-12 (YYYY-MM)", field: name)
        }
        return m
    }

    /// A day (YYYY-MM-DD, from 2000 to 2100); nil when absent.
    func civilQuery(_ name: String) throws -> CivilDate? {
        guard let text = try textQuery(name, maxLength: 40) else { return nil }
        guard let d = CivilDate(text), Self.years.contains(d.year) else {
            throw APIError.badRequest("\(name) must be a date from 2000-01-01 to 2100-12-31 (YYYY-MM-DD)", field: name)
        }
        return d
    }

    /// The start of a day in the calendar's zone (the day after for an inclusive `end`), or an ISO 8601 instant
    /// between 2000 and 2100; nil when absent.
    func instantQuery(_ name: String, _ calendar: WorkingCalendar, end: Bool) throws -> Date? {
        guard let text = try textQuery(name, maxLength: 40) else { return nil }
        if let d = CivilDate(text), Self.years.contains(d.year) { return calendar.start(of: end ? d.adding(days: 1) : d) }
        if let instant = ISO8601DateFormatter().date(from: text), (Self.earliest...Self.latest).contains(instant) { return instant }
        throw APIError.badRequest("\(name) must be a date (YYYY-MM-DD) or an ISO 8601 time, from 2000 to 2100", field: name)
    }

    /// The area (`area`, default the caller's scope; outside it 404) and period (`from`, `to`: required, `to`
    /// inclusive) a measures answer is for: the one reading of these parameters for every measures endpoint.
    func measureScope(_ staff: StaffAccount, _ j: Jurisdiction, _ calendar: WorkingCalendar) throws
        -> (area: Area, path: String, period: DateInterval, fromText: String, toText: String) {
        let area = try textQuery("area", maxLength: 64) ?? staff.scope.areaCode
        guard let a = j[area], staff.scope.covers(area, in: j) else { throw APIError(.notFound, "not_found", "no area \(area) in your scope", field: "area") }
        guard let from = try instantQuery("from", calendar, end: false), let fromText = try textQuery("from") else {
            throw APIError.badRequest("from is required (YYYY-MM-DD)", field: "from")
        }
        guard let to = try instantQuery("to", calendar, end: true), let toText = try textQuery("to") else {
            throw APIError.badRequest("to is required (YYYY-MM-DD)", field: "to")
        }
        guard to > from else { throw APIError.badRequest("to must not be before from", field: "to") }
        return (a, j.path(of: a.code), DateInterval(start: from, end: to), fromText, toText)
    }

    static let years = 2000...2100
    static let earliest = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01
    static let latest = Date(timeIntervalSince1970: 4_133_980_800)  // 2101-01-01
}
