import Foundation
import WanggeCore

/// How pages write times, states, clocks and rates: times in Asia/Shanghai, whatever the server's zone.
enum Format {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    private static let minuteFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f
    }()
    private static let dayFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd"
        return f
    }()

    static func minute(_ d: Date) -> String { minuteFormatter.string(from: d) }
    static func day(_ d: Date) -> String { dayFormatter.string(from: d) }
    static func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

    static func time(_ d: Date?) -> HTML {
        guard let d else { return "—" }
        return "<time datetime=\"\(iso(d))\">\(minute(d))</time>"
    }

    static func state(_ s: CaseState, _ l: Lang) -> HTML {
        "<span class=\"state st-\(s.rawValue)\">\(l.pick(s.nameZH, s.nameEN))</span>"
    }

    static func action(_ k: CaseActionKind, _ l: Lang) -> String { l.pick(k.nameZH, k.nameEN) }

    static func clock(_ c: CaseClockStatus?, _ l: Lang) -> HTML {
        guard let c else { return "<span class=\"clock none\">—</span>" }
        let name: String
        switch c.colour {
        case .green: name = l.t(.clockGreen)
        case .yellow: name = l.t(.clockYellow)
        case .red: name = l.t(.clockRed)
        }
        let pct = Int((c.usedFraction * 100).rounded())
        let title = "\(l.t(.deadline)) \(minute(c.deadline)) · \(pct)%\(c.isPaused ? " · " + l.t(.suspended) : "")"
        return "<span class=\"clock \(c.colour.rawValue)\" title=\"\(title)\"><span aria-hidden=\"true\">●</span> \(name)</span>"
    }

    static func rate(_ m: Measure) -> String {
        guard let r = m.rate else { return "—" }
        return decimal(r * 100, places: 1) + "%"
    }

    /// `v` rounded to `places` (0 to 4) decimals. Not `String(format:)`, which is slow on Linux, and a dashboard
    /// writes thousands of numbers (a rate per grid, the corners of every hexagon).
    static func decimal(_ v: Double, places: Int) -> String {
        let scale = [1, 10, 100, 1000, 10_000][max(0, min(4, places))]
        let n = Int((abs(v) * Double(scale)).rounded())
        let sign = v < 0 && n != 0 ? "-" : ""
        guard scale > 1 else { return sign + String(n) }
        let fraction = String(n % scale)
        return sign + String(n / scale) + "." + String(repeating: "0", count: String(scale).count - 1 - fraction.count) + fraction
    }

    /// `#rrggbb`.
    static func hexColour(_ r: Int, _ g: Int, _ b: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "#")]
        for c in [r, g, b] { let v = max(0, min(255, c)); out.append(digits[v >> 4]); out.append(digits[v & 15]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func category(_ code: String, _ catalogue: CategoryCatalogue, _ l: Lang) -> String {
        guard let c = catalogue[code] else { return code }
        return l.pick(c.name, c.nameEN)
    }
}

extension String {
    /// `hasPrefix` by bytes: area paths are ASCII codes, and the dashboards test one against every case.
    func hasUTF8Prefix(_ prefix: String) -> Bool {
        let a = utf8, b = prefix.utf8
        guard a.count >= b.count else { return false }
        if let fast = a.withContiguousStorageIfAvailable({ x in
            b.withContiguousStorageIfAvailable { y in y.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, y.count) == 0 }
        }), let result = fast { return result }
        return a.starts(with: b)
    }
}
