import Foundation

/// A small pull scanner over the XML parts of an .xlsx, in UTF-8: start and end tags by local name (a `x:row` is a
/// `row`), their attributes, and text. No DTD is allowed, so no entity can expand; comments and processing
/// instructions are skipped. Enough for SpreadsheetML as Excel, LibreOffice, WPS and openpyxl write it.
struct SheetXML {
    enum Event {
        case start(name: Substring, attributes: [(name: Substring, value: String)], selfClosing: Bool)
        case end(name: Substring)
        /// Character data between tags, entities decoded.
        case text(String)
    }

    private let b: [UInt8]
    private var i = 0
    private let part: String

    init(_ bytes: [UInt8], part: String) {
        b = bytes
        self.part = part
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }

    private static let piEnd = Array("?>".utf8), commentStart = Array("!--".utf8), commentEnd = Array("-->".utf8)
    private static let cdataStart = Array("![CDATA[".utf8), cdataEnd = Array("]]>".utf8)

    private func damaged(_ why: String) -> TableError { .damaged("\(part): \(why)") }

    /// The index of `pattern` at or after `from`.
    private func find(_ pattern: [UInt8], from: Int) -> Int? {
        guard let first = pattern.first, b.count >= pattern.count else { return nil }
        var k = from
        while k <= b.count - pattern.count {
            if b[k] == first, b[k..<k + pattern.count].elementsEqual(pattern) { return k }
            k += 1
        }
        return nil
    }

    mutating func next() throws(TableError) -> Event? {
        while i < b.count {
            guard b[i] == UInt8(ascii: "<") else {
                let start = i
                while i < b.count, b[i] != UInt8(ascii: "<") { i += 1 }
                return .text(Self.decode(b[start..<i]))
            }
            let second = i + 1 < b.count ? b[i + 1] : 0
            if second == UInt8(ascii: "?") {
                guard let e = find(Self.piEnd, from: i) else { throw damaged("an unclosed processing instruction") }
                i = e + 2
            } else if second == UInt8(ascii: "!"), b[(i + 1)...].starts(with: Self.commentStart) {
                guard let e = find(Self.commentEnd, from: i) else { throw damaged("an unclosed comment") }
                i = e + 3
            } else if second == UInt8(ascii: "!"), b[(i + 1)...].starts(with: Self.cdataStart) {
                guard let e = find(Self.cdataEnd, from: i) else { throw damaged("an unclosed CDATA section") }
                let text = String(decoding: b[(i + 9)..<e], as: UTF8.self)
                i = e + 3
                return .text(text)
            } else if second == UInt8(ascii: "!") {
                throw damaged("a DOCTYPE or other declaration, which a workbook never has")
            } else if second == UInt8(ascii: "/") {
                i += 2
                let name = self.name()
                while i < b.count, b[i] != UInt8(ascii: ">") { i += 1 }
                guard i < b.count else { throw damaged("an unclosed end tag") }
                i += 1
                return .end(name: Self.local(name))
            } else {
                return try startTag()
            }
        }
        return nil
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        !(c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ">") || c == UInt8(ascii: "/") || c == UInt8(ascii: "="))
    }

    private mutating func name() -> Substring {
        let start = i
        while i < b.count, Self.isNameByte(b[i]) { i += 1 }
        return Substring(String(decoding: b[start..<i], as: UTF8.self))
    }

    private static func local(_ name: Substring) -> Substring {
        name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? name
    }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    private mutating func startTag() throws(TableError) -> Event {
        i += 1
        let tag = name()
        guard !tag.isEmpty else { throw damaged("a tag without a name") }
        var attributes: [(name: Substring, value: String)] = []
        while true {
            skipSpace()
            guard i < b.count else { throw damaged("an unclosed tag <\(tag)>") }
            if b[i] == UInt8(ascii: ">") { i += 1; return .start(name: Self.local(tag), attributes: attributes, selfClosing: false) }
            if b[i] == UInt8(ascii: "/") {
                guard i + 1 < b.count, b[i + 1] == UInt8(ascii: ">") else { throw damaged("a stray / in <\(tag)>") }
                i += 2
                return .start(name: Self.local(tag), attributes: attributes, selfClosing: true)
            }
            let key = name()
            skipSpace()
            guard !key.isEmpty, i < b.count, b[i] == UInt8(ascii: "=") else { throw damaged("a malformed attribute in <\(tag)>") }
            i += 1
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else { throw damaged("an unquoted attribute in <\(tag)>") }
            let quote = b[i]
            i += 1
            let start = i
            while i < b.count, b[i] != quote { i += 1 }
            guard i < b.count else { throw damaged("an unclosed attribute value in <\(tag)>") }
            attributes.append((key, Self.decode(b[start..<i])))
            i += 1
        }
    }

    /// UTF-8 text with the XML entities decoded: &amp; &lt; &gt; &quot; &apos; and character references &#NNN;
    /// &#xHH;. A reference to no character becomes U+FFFD; an unknown entity is kept as written.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                if entity.hasPrefix("#") {
                    let digits = entity.dropFirst()
                    let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                    out.unicodeScalars.append(value.flatMap(Unicode.Scalar.init) ?? "\u{FFFD}")
                } else {
                    out += rest[amp...semi]
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        out += rest
        return out
    }

    /// Excel's escape of characters XML cannot hold, `_xHHHH_` (ECMA-376 ST_Xstring), decoded: "_x000D_" is a
    /// carriage return, "_x005F_" an underscore.
    static func unescapeExcel(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        var out = String.UnicodeScalarView()
        let u = Array(s.unicodeScalars)
        var k = 0
        while k < u.count {
            if u[k] == "_", k + 6 < u.count, u[k + 1] == "x", u[k + 6] == "_",
               let v = UInt32(String(String.UnicodeScalarView(u[k + 2..<k + 6])), radix: 16), let scalar = Unicode.Scalar(v) {
                out.append(scalar)
                k += 7
            } else {
                out.append(u[k])
                k += 1
            }
        }
        return String(out)
    }

    /// `s` made safe for XML text or an attribute value: markup characters escaped, and characters XML 1.0 cannot
    /// hold at all (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(c)
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": continue
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
