import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// CSV files as people upload them: UTF-8 (with or without a byte-order mark) or GB18030/GBK, the "ANSI" encoding
/// Chinese Excel saves CSV in; fields per RFC 4180. And the CSV we hand back, which Excel opens right.
public enum TableText {
    // MARK: Decoding

    /// The text of `data`: UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), GB18030 otherwise.
    public static func decode(_ data: Data) throws(TableError) -> String {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return text }
        // GB18030 is a superset of GBK and GB2312, so one decoder takes all three.
        if let text = gb18030(bytes) { return text }
        throw .notText
    }

    /// GB18030 by Foundation where it knows the encoding (Darwin, and swift-foundation on Linux), else by glibc's
    /// iconv: older corelibs-foundation on Linux answers nil for every GB18030 input.
    static func gb18030(_ bytes: Data) -> String? {
        #if canImport(Darwin)
        let raw = CFStringConvertEncodingToNSStringEncoding(CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue))
        return String(data: bytes, encoding: String.Encoding(rawValue: raw))
        #else
        // The value Darwin's CFStringConvertEncodingToNSStringEncoding gives kCFStringEncodingGB_18030_2000.
        if let text = String(data: bytes, encoding: String.Encoding(rawValue: 0x8000_0632)) { return text }
        #if canImport(Glibc)
        return iconvGB18030(bytes)
        #else
        return nil
        #endif
        #endif
    }

    #if canImport(Glibc)
    static func iconvGB18030(_ bytes: Data) -> String? {
        guard let cd = iconv_open("UTF-8", "GB18030"), cd != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = [CChar](repeating: 0, count: bytes.count)
        input.withUnsafeMutableBytes { _ = bytes.copyBytes(to: $0) }
        // A GB18030 character of 1, 2 or 4 bytes is at most 4 bytes of UTF-8.
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 4)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr = inBuf.baseAddress, outPtr = outBuf.baseAddress
                var inLeft = inBuf.count, outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return r == -1 || inLeft != 0 ? nil : outBuf.count - outLeft
            }
        }
        guard let written else { return nil }
        return String(decoding: output[..<written].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    #endif

    // MARK: Parsing

    /// The records of CSV `text`: quoted fields with doubled quotes, CRLF, LF or CR line ends, line breaks inside
    /// quotes. A final line break ends the last record rather than starting an empty one; a blank line is a record
    /// of one empty cell, so record numbers stay those of the file. Lenient where Excel is: a quote inside an
    /// unquoted field is kept, text after a closing quote is appended.
    public static func parse(_ text: String, separator: Unicode.Scalar = ",") throws(TableError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = String.UnicodeScalarView()
        var inQuotes = false, quoted = false, afterCR = false
        var line = 1, quoteLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endCell() throws(TableError) {
            if row.count >= TableLimits.maximumColumns {
                // Empty cells past the limit are dropped, so that a line of commas cannot grow a row without end.
                guard cell.isEmpty else { throw .tooManyColumns(row: rows.count + 1, limit: TableLimits.maximumColumns) }
            } else {
                row.append(String(cell))
            }
            cell = String.UnicodeScalarView()
            quoted = false
        }
        func endRow() throws(TableError) {
            try endCell()
            while row.count > 1, row.last == "" { row.removeLast() }
            guard rows.count < TableLimits.maximumRows else { throw .tooManyRows(limit: TableLimits.maximumRows) }
            rows.append(row)
            row = []
        }

        while let c = pending ?? scalars.next() {
            pending = nil
            if c == "\n", afterCR { afterCR = false; continue }  // the LF of a CRLF already ended the record
            afterCR = false
            if inQuotes {
                if c == "\"" {
                    let next = scalars.next()
                    if next == "\"" { cell.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if c == "\n" { line += 1 }
                    cell.append(c)
                }
                continue
            }
            switch c {
            case "\"" where cell.isEmpty && !quoted:
                inQuotes = true; quoted = true; quoteLine = line
            case separator:
                try endCell()
            case "\r", "\n":
                afterCR = c == "\r"
                line += 1
                try endRow()
            default:
                cell.append(c)
            }
        }
        if inQuotes { throw .unterminatedQuote(row: rows.count + 1, line: quoteLine) }
        if !cell.isEmpty || !row.isEmpty || quoted { try endRow() }
        return rows
    }

    /// Decodes and parses an uploaded CSV file.
    public static func rows(_ data: Data) throws(TableError) -> [[String]] {
        try parse(decode(data))
    }

    // MARK: Writing

    /// CSV for Excel: UTF-8 with a byte-order mark (without it Chinese Excel reads the bytes as GBK), CRLF line ends,
    /// a cell quoted when it holds a comma, quote or line break. A cell that starts with = + - @, a tab or a CR
    /// gets a leading apostrophe, so that a spreadsheet shows it as text instead of running it as a formula.
    public static func csv(rows: [[String]]) -> Data {
        var out = "\u{FEFF}"
        for row in rows {
            out += row.map(csvCell).joined(separator: ",")
            out += "\r\n"
        }
        return Data(out.utf8)
    }

    static func csvCell(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, formulaStarts.contains(first) { v = "'" + v }
        guard v.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The first characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list).
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `cell` without the apostrophe `csv(rows:)` put before a formula's first character, for a reader of our own
    /// exports.
    public static func unneutralised(_ cell: String) -> String {
        let s = cell.unicodeScalars
        guard s.first == "'", let second = s.dropFirst().first, formulaStarts.contains(second) else { return cell }
        return String(cell.unicodeScalars.dropFirst())
    }
}
