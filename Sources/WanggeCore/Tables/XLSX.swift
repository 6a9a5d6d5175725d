import Foundation

/// Excel workbooks (.xlsx): the first worksheet read into rows of strings, and a one-sheet workbook written from
/// rows of strings. Reading is bounded (`TableLimits`): inflated size, compression ratio, rows and columns.
public enum XLSX {
    /// Whether `data` starts like a ZIP archive (an .xlsx is one).
    public static func looksLikeZip(_ data: Data) -> Bool {
        data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06])
    }

    /// The first worksheet's rows. A cell is placed by its reference (`r="C5"`), so skipped cells are empty strings
    /// and skipped rows empty arrays; a row ends at its last cell with a value. Shared and inline strings are read
    /// as text (rich-text runs joined, phonetic guides left out), booleans as TRUE/FALSE, numbers in their shortest
    /// form ("3", not "3.0"; "4.2", not "4.2000000000000002"). Dates are numbers to Excel and come back as serial
    /// day numbers.
    public static func read(_ data: Data) throws(TableError) -> [[String]] {
        let archive = try ZipArchive(data)
        var budget = TableLimits.maximumInflatedBytes
        let parts = try workbookParts(archive, budget: &budget)
        var shared: [String] = []
        if let path = parts.sharedStrings, let bytes = try archive.read(path, budget: &budget) {
            shared = try sharedStrings(bytes, part: path)
        }
        guard let sheet = try archive.read(parts.sheet, budget: &budget) else {
            throw .notXLSX("the workbook has no worksheet \(parts.sheet)")
        }
        return try rows(sheet, shared: shared, part: parts.sheet)
    }

    // MARK: Finding the parts

    /// The first sheet (in the workbook's order, through its relationship) and the shared strings part.
    static func workbookParts(_ archive: ZipArchive, budget: inout Int) throws(TableError) -> (sheet: String, sharedStrings: String?) {
        let fallback = ("xl/worksheets/sheet1.xml", archive.entries["xl/sharedStrings.xml"] == nil ? nil : "xl/sharedStrings.xml")
        guard let workbook = try archive.read("xl/workbook.xml", budget: &budget),
              let rels = try archive.read("xl/_rels/workbook.xml.rels", budget: &budget)
        else {
            guard archive.entries[fallback.0] != nil else { throw .notXLSX("no xl/workbook.xml and no xl/worksheets/sheet1.xml") }
            return fallback
        }
        var firstSheetID: String?
        var scanner = SheetXML(workbook, part: "xl/workbook.xml")
        while firstSheetID == nil, let event = try scanner.next() {
            // The relationship id is `r:id`, whatever prefix the file binds to the relationships namespace.
            if case let .start("sheet", attributes, _) = event {
                firstSheetID = attributes.first { $0.name.hasSuffix(":id") }?.value
            }
        }
        var targets: [String: String] = [:]
        var sharedStrings: String?
        scanner = SheetXML(rels, part: "xl/_rels/workbook.xml.rels")
        while let event = try scanner.next() {
            guard case let .start("Relationship", attributes, _) = event else { continue }
            func value(_ key: String) -> String? { attributes.first { $0.name == key }?.value }
            guard let id = value("Id"), let target = value("Target") else { continue }
            let path = resolve(target)
            targets[id] = path
            if value("Type")?.hasSuffix("/sharedStrings") == true { sharedStrings = path }
        }
        let sheet = firstSheetID.flatMap { targets[$0] } ?? fallback.0
        return (sheet, sharedStrings ?? fallback.1)
    }

    /// A relationship target as an archive path: relative to `xl/`, or absolute from the archive's root.
    static func resolve(_ target: String) -> String {
        var parts = target.hasPrefix("/") ? [] : ["xl"]
        for p in target.split(separator: "/") {
            if p == ".." { _ = parts.popLast() } else if p != "." { parts.append(String(p)) }
        }
        return parts.joined(separator: "/")
    }

    // MARK: Strings and cells

    /// `<sst><si>…</si></sst>`: each item's `<t>` texts joined (a plain item has one, a rich one a run each);
    /// the `<t>` of a phonetic guide (`<rPh>`) is left out.
    static func sharedStrings(_ bytes: [UInt8], part: String) throws(TableError) -> [String] {
        var scanner = SheetXML(bytes, part: part)
        var strings: [String] = []
        var current = "", inItem = false, inText = false, phonetic = 0
        while let event = try scanner.next() {
            switch event {
            case let .start(name, _, selfClosing):
                if name == "si" { inItem = true; current = ""; if selfClosing { strings.append(""); inItem = false } }
                if name == "rPh", !selfClosing { phonetic += 1 }
                if name == "t", !selfClosing { inText = true }
            case .end(let name):
                if name == "t" { inText = false }
                if name == "rPh" { phonetic -= 1 }
                if name == "si", inItem { strings.append(SheetXML.unescapeExcel(current)); inItem = false }
            case .text(let text):
                if inItem, inText, phonetic == 0 { current += text }
            }
        }
        return strings
    }

    /// A cell reference's column and row, 1-based: "C5" is (3, 5). Nil for anything else.
    static func reference(_ r: String) -> (column: Int, row: Int)? {
        var column = 0, row = 0, letters = 0
        for c in r.unicodeScalars {
            if ("A"..."Z").contains(c), row == 0 {
                column = column * 26 + Int(c.value - 64)
                letters += 1
                guard letters <= 3 else { return nil }
            } else if ("0"..."9").contains(c), letters > 0 {
                row = row * 10 + Int(c.value - 48)
                guard row <= 10_000_000 else { return nil }
            } else {
                return nil
            }
        }
        return letters > 0 && row > 0 ? (column, row) : nil
    }

    /// The letters of column `n` (1-based): 1 is "A", 27 is "AA".
    static func columnName(_ n: Int) -> String {
        var n = n, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// A number as Excel stored it, in its shortest form: integral values without ".0", others as Swift's
    /// shortest round-trip text.
    static func number(_ v: String) -> String {
        guard let d = Double(v), d.isFinite else { return v }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    /// The worksheet's `<sheetData>` as rows.
    static func rows(_ bytes: [UInt8], shared: [String], part: String) throws(TableError) -> [[String]] {
        var scanner = SheetXML(bytes, part: part)
        var rows: [[String]] = []
        var rowNumber = 0, column = 0
        var type = "n", value = "", inline = "", hasValue = false
        var inCell = false, inV = false, inInlineText = false, phonetic = 0

        func place(_ text: String) throws(TableError) {
            guard rowNumber > 0, column > 0 else { throw .damaged("\(part): a cell outside any row") }
            guard rowNumber <= TableLimits.maximumRows else { throw .tooManyRows(limit: TableLimits.maximumRows) }
            guard column <= TableLimits.maximumColumns else { throw .tooManyColumns(row: rowNumber, limit: TableLimits.maximumColumns) }
            if rows.count < rowNumber { rows.append(contentsOf: repeatElement([], count: rowNumber - rows.count)) }
            if rows[rowNumber - 1].count < column {
                rows[rowNumber - 1].append(contentsOf: repeatElement("", count: column - rows[rowNumber - 1].count))
            }
            rows[rowNumber - 1][column - 1] = text
        }

        while let event = try scanner.next() {
            switch event {
            case let .start(name, attributes, selfClosing):
                func attribute(_ key: String) -> String? { attributes.first { $0.name == key }?.value }
                switch name {
                case "row":
                    if let r = attribute("r") {
                        guard let n = Int(r), n > rowNumber else { throw .damaged("\(part): row \(r) is out of order") }
                        rowNumber = n
                    } else {
                        rowNumber += 1
                    }
                    column = 0
                case "c":
                    if let r = attribute("r") {
                        guard let ref = reference(r) else { throw .damaged("\(part): a cell reference \(r)") }
                        guard ref.row == rowNumber, ref.column > column else { throw .damaged("\(part): cell \(r) is out of place") }
                        column = ref.column
                    } else {
                        column += 1
                    }
                    type = attribute("t") ?? "n"
                    value = ""; inline = ""; hasValue = false
                    inCell = !selfClosing
                case "v" where inCell && !selfClosing: inV = true; hasValue = true
                case "rPh" where !selfClosing: phonetic += 1
                case "t" where inCell && !selfClosing: inInlineText = true; hasValue = true
                default: break
                }
            case .end(let name):
                switch name {
                case "v": inV = false
                case "t": inInlineText = false
                case "rPh": phonetic -= 1
                case "c" where inCell:
                    inCell = false
                    guard hasValue else { continue }
                    let text: String
                    switch type {
                    case "s":
                        guard let k = Int(value.trimmingCharacters(in: .whitespaces)), shared.indices.contains(k) else {
                            throw .damaged("\(part): shared string \(value) does not exist")
                        }
                        text = shared[k]
                    case "inlineStr": text = SheetXML.unescapeExcel(inline)
                    case "b": text = value.trimmingCharacters(in: .whitespaces) == "1" ? "TRUE" : "FALSE"
                    case "str", "e", "d": text = SheetXML.unescapeExcel(value)
                    default: text = number(value.trimmingCharacters(in: .whitespaces))
                    }
                    if !text.isEmpty { try place(text) }
                default: break
                }
            case .text(let text):
                if inV { value += text } else if inInlineText, phonetic == 0 { inline += text }
            }
        }
        return rows
    }
}
