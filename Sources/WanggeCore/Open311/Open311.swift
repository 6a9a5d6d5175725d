import Foundation

/// Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): the formats, dates, statuses and key names of the
/// interface, without the server. An answer is built once as an `Open311Value` and written as JSON or XML from the
/// same value, so both formats always carry the same data.
public enum Open311 {
    public enum Format: String, Sendable, CaseIterable {
        case json, xml
        public var contentType: String { self == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8" }
    }

    /// "services.json" → ("services", .json); "AL-20261123-000001.xml" → ("AL-20261123-000001", .xml); nil without one
    /// of the two suffixes.
    public static func split(_ component: String) -> (name: String, format: Format)? {
        guard let dot = component.lastIndex(of: ".") else { return nil }
        guard let format = Format(rawValue: component[component.index(after: dot)...].lowercased()) else { return nil }
        return (String(component[..<dot]), format)
    }

    /// The status a request shows: closed once the case has left the loop (closed, rejected, merged into another).
    public static func status(of state: CaseState) -> String {
        [.closed, .rejected, .merged].contains(state) ? "closed" : "open"
    }

    /// The status of an update (FixMyStreet's `servicerequestupdates` extension) that an action of the case loop
    /// makes, for the actions a resident sees on the tracking page; nil for the others.
    public static func updateStatus(of kind: CaseActionKind, to state: CaseState) -> String? {
        switch kind {
        case .report, .accept: "OPEN"
        case .dispatch: "ACTION_SCHEDULED"
        case .sign, .resume: "IN_PROGRESS"
        case .suspend: "INVESTIGATING"
        case .resolve, .selfResolve: "FIXED"
        case .verifyPass: "FIXED"
        case .verifyFail: "IN_PROGRESS"
        case .reject: "NOT_COUNCILS_RESPONSIBILITY"
        case .merge: "DUPLICATE"
        case .close: "CLOSED"
        case .feedback: state == .closed ? "CLOSED" : nil
        case .rate: state == .closed ? "CLOSED" : "REOPEN"
        default: nil
        }
    }

    /// Whether text can go into an XML 1.0 document: no control characters but tab, line feed and carriage return,
    /// and none of U+FFFE, U+FFFF.
    public static func isXMLSafe(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy(isXMLChar)
    }

    static func isXMLChar(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

/// An answer of the interface: objects keep their keys' order; a list names its items' element for XML
/// (`<services><service>…</service></services>`).
public indirect enum Open311Value: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
    case object([(String, Open311Value)])
    case list(item: String, [Open311Value])

    public static func == (a: Open311Value, b: Open311Value) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): x == y
        case let (.integer(x), .integer(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.bool(x), .bool(y)): x == y
        case (.null, .null): true
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.list(i, x), .list(j, y)): i == j && x == y
        default: false
        }
    }

    /// A string, or null when nil.
    public static func text(_ s: String?) -> Open311Value { s.map(Open311Value.string) ?? .null }

    public func encoded(_ format: Open311.Format, root: String) -> String {
        switch format {
        case .json:
            var out = ""
            writeJSON(&out)
            return out
        case .xml:
            var out = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
            writeXML(&out, name: root)
            return out
        }
    }

    func writeJSON(_ out: inout String) {
        switch self {
        case .string(let s): Self.jsonString(s, into: &out)
        case .integer(let n): out += String(n)
        case .number(let d): out += d.isFinite ? Self.decimal(d) : "null"
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .object(let fields):
            out += "{"
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out += "," }
                Self.jsonString(key, into: &out)
                out += ":"
                value.writeJSON(&out)
            }
            out += "}"
        case .list(_, let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeJSON(&out)
            }
            out += "]"
        }
    }

    func writeXML(_ out: inout String, name: String) {
        switch self {
        case .null:
            out += "<\(name)/>"
        case .object(let fields):
            out += "<\(name)>"
            for (key, value) in fields { value.writeXML(&out, name: key) }
            out += "</\(name)>"
        case .list(let item, let items):
            out += "<\(name)>"
            for i in items { i.writeXML(&out, name: item) }
            out += "</\(name)>"
        case .string(let s): out += "<\(name)>\(Self.xmlText(s))</\(name)>"
        case .integer(let n): out += "<\(name)>\(n)</\(name)>"
        case .number(let d): out += d.isFinite ? "<\(name)>\(Self.decimal(d))</\(name)>" : "<\(name)/>"
        case .bool(let b): out += "<\(name)>\(b ? "true" : "false")</\(name)>"
        }
    }

    /// A decimal without an exponent (coordinates: 30.123457).
    static func decimal(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        var s = String(format: "%.7f", d)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// Text as XML character data: the one XML escape of the core (`SheetXML.escape`, the XLSX writer's): markup
    /// escaped, characters XML cannot hold dropped, so the document stays well-formed whatever is stored.
    public static func xmlText(_ s: String) -> String { SheetXML.escape(s) }

    /// A JSON string; "<", ">" and "&" as escapes too, so the answer read as HTML by mistake holds no markup.
    static func jsonString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }
}

/// W3C date-times (ISO 8601 with an offset) as the interface writes and reads them.
public enum Open311Date {
    /// "2026-11-23T10:15:00+08:00": the instant in the county's offset from UTC.
    public static func format(_ date: Date, offsetSeconds: Int) -> String {
        let t = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(offsetSeconds)
        let days = Int(floorDiv(t, 86_400)), secs = Int(t - Int64(days) * 86_400)
        let (y, m, d) = civil(fromDays: days)
        let sign = offsetSeconds < 0 ? "-" : "+", off = abs(offsetSeconds)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", y, m, d, secs / 3600, secs / 60 % 60, secs % 60,
                      sign, off / 3600, off / 60 % 60)
    }

    /// Reads "2026-11-23T10:15:00+08:00", "…Z", "…+0800", with or without seconds and fractions, or a plain date
    /// "2026-11-23" (midnight at `offsetSeconds`). Nil for anything else, or a year outside 1970…9999.
    public static func parse(_ text: String, offsetSeconds: Int) -> Date? {
        let b = Array(text.utf8)
        guard b.count <= 40 else { return nil }
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            i += n
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), expect("-"), let m = digits(2), expect("-"), let d = digits(2),
              (1970...9999).contains(y), (1...12).contains(m), (1...daysIn(month: m, year: y)).contains(d) else { return nil }
        let day = Int64(days(fromCivil: y, m, d))
        if i == b.count { return Date(timeIntervalSince1970: TimeInterval(day * 86_400 - Int64(offsetSeconds))) }
        guard expect("T") || expect("t") || expect(" "), let hh = digits(2), expect(":"), let mm = digits(2), hh < 24, mm < 60 else { return nil }
        var ss = 0, fraction = 0.0
        if expect(":") {
            guard let s = digits(2), s < 60 else { return nil }
            ss = s
            if expect(".") {
                let start = i
                while i < b.count, b[i] >= 48, b[i] <= 57, i - start < 9 { i += 1 }
                guard i > start else { return nil }
                fraction = Double("0." + String(decoding: b[start..<i], as: UTF8.self)) ?? 0
            }
        }
        let offset: Int
        if expect("Z") || expect("z") {
            offset = 0
        } else if i < b.count, b[i] == 43 || b[i] == 45 {
            let negative = b[i] == 45
            i += 1
            guard let oh = digits(2), oh <= 14 else { return nil }
            _ = expect(":")
            guard let om = digits(2), om < 60 else { return nil }
            offset = (negative ? -1 : 1) * (oh * 3600 + om * 60)
        } else {
            return nil  // a time without an offset is ambiguous
        }
        guard i == b.count else { return nil }
        let t = day * 86_400 + Int64(hh * 3600 + mm * 60 + ss) - Int64(offset)
        return Date(timeIntervalSince1970: TimeInterval(t) + fraction)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

/// The names of API keys: what the command line and the admin page accept.
public enum APIKeyRules {
    public static let maximumNameLength = 64
    public static let maximumRate = 100_000
    public static let defaultRate = 60

    /// 1 to 64 of ASCII letters, digits, "-", "_" and ".", starting with a letter or digit.
    public static func isValidName(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard !b.isEmpty, b.count <= maximumNameLength else { return false }
        func ok(_ c: UInt8) -> Bool { (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c) }
        return ok(b[0]) && b.allSatisfy { ok($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    /// A rate per minute a key may have: 1 to 100,000.
    public static func isValidRate(_ rate: Int) -> Bool { (1...maximumRate).contains(rate) }

    /// What a presented key must look like before it is hashed and looked up: "wg_" and 43 URL-safe characters.
    public static func isWellFormedKey(_ key: String) -> Bool {
        let b = Array(key.utf8)
        guard b.count == 46, key.hasPrefix("wg_") else { return false }
        return b.dropFirst(3).allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95 }
    }
}

/// Where an address given only in words lies: the area, within `under`, whose name the words hold and whose
/// ancestors' names they hold most of ("东镇一村幸福路 3 号" → 一村 of 东镇, not 一村 of 西镇). Nil when no area's
/// name is in the words, or when two areas fit equally well (the county cannot place it, and says so).
public enum AddressPlacer {
    public static func place(_ address: String, in j: Jurisdiction, under code: String) -> Area? {
        let words = address.filter { !$0.isWhitespace }
        guard !words.isEmpty else { return nil }
        var best: (score: Int, depth: Int, area: Area)? = nil
        var tied = false
        for area in j.subtree(of: code) where area.name.count >= 2 && words.contains(area.name) {
            let chain = j.chain(from: area.code)
            let score = chain.filter { words.contains($0.name) }.count
            let depth = area.level.depth
            if let b = best {
                if score > b.score || (score == b.score && depth > b.depth) {
                    best = (score, depth, area)
                    tied = false
                } else if score == b.score && depth == b.depth && area.code != b.area.code {
                    tied = true
                }
            } else {
                best = (score, depth, area)
            }
        }
        return tied ? nil : best?.area
    }
}
