import Foundation

extension XLSX {
    /// A one-sheet workbook of `rows`, every cell an inline string: an export keeps codes such as "330599001002"
    /// as written instead of Excel showing them as 3.30599E+11. Entries are stored, not compressed; the parts are
    /// the minimum Excel, LibreOffice and WPS open without a repair prompt. Throws only past Excel's own limits
    /// (1,048,576 rows, 16,384 columns) or ZIP's 4 GB.
    public static func write(rows: [[String]], sheetName: String = "Sheet1") throws(TableError) -> Data {
        guard rows.count <= 1_048_576 else { throw .tooManyRows(limit: 1_048_576) }
        var sheet = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (i, row) in rows.enumerated() {
            guard row.count <= 16_384 else { throw .tooManyColumns(row: i + 1, limit: 16_384) }
            guard row.contains(where: { !$0.isEmpty }) else { continue }
            sheet += #"<row r="\#(i + 1)">"#
            for (j, cell) in row.enumerated() where !cell.isEmpty {
                sheet += #"<c r="\#(columnName(j + 1))\#(i + 1)" t="inlineStr"><is><t xml:space="preserve">"#
                sheet += SheetXML.escape(cell)
                sheet += "</t></is></c>"
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let items: [ZipArchive.Item] = [
            .init(name: "[Content_Types].xml", data: Array(contentTypes.utf8)),
            .init(name: "_rels/.rels", data: Array(packageRels.utf8)),
            .init(name: "xl/workbook.xml", data: Array(workbook(sheetName: sheetName).utf8)),
            .init(name: "xl/_rels/workbook.xml.rels", data: Array(workbookRels.utf8)),
            .init(name: "xl/worksheets/sheet1.xml", data: Array(sheet.utf8)),
            .init(name: "xl/styles.xml", data: Array(styles.utf8)),
        ]
        return Data(try ZipArchive.write(items))
    }

    /// A name Excel accepts for a sheet: none of : \ / ? * [ ], not blank, at most 31 characters.
    static func sheetTitle(_ name: String) -> String {
        let kept = String(name.unicodeScalars.filter { !":\\/?*[]".unicodeScalars.contains($0) && $0.value >= 0x20 })
            .trimmingCharacters(in: .whitespaces)
        let title = String(kept.prefix(31))
        return title.isEmpty || title.hasPrefix("'") ? "Sheet1" : title
    }

    private static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#

    private static let contentTypes = header
        + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        + #"<Default Extension="xml" ContentType="application/xml"/>"#
        + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        + "</Types>"

    private static let packageRels = header
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + "</Relationships>"

    private static func workbook(sheetName: String) -> String {
        header
            + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
            + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            + #"<sheets><sheet name="\#(SheetXML.escape(sheetTitle(sheetName)))" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    }

    private static let workbookRels = header
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        + "</Relationships>"

    private static let styles = header
        + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"
}
