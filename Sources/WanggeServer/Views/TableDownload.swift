import Vapor
import WanggeCore

/// Every table the server hands out as a file, written one way: CSV by `TableText.csv` (UTF-8 with a byte-order mark,
/// CRLF, and a cell a spreadsheet would run as a formula led by an apostrophe) or an XLSX workbook by `XLSX.write`;
/// never cached.
enum TableDownload {
    enum Format: String, CaseIterable { case csv, xlsx }

    /// The request's `format` (csv by default).
    static func format(_ req: Request, name: String = "format") throws -> Format {
        let text = try req.textQuery(name, maxLength: 8) ?? "csv"
        guard let f = Format(rawValue: text) else { throw APIError.badRequest("\(name) is csv or xlsx", field: name) }
        return f
    }

    /// `filename` without its extension; only ASCII letters, digits, '-', '_' and '.' are kept (it goes into a header).
    static func response(_ rows: [[String]], format: Format = .csv, filename: String, sheet: String = "Sheet1") throws -> Response {
        let body = format == .csv ? TableText.csv(rows: rows) : try XLSX.write(rows: rows, sheetName: sheet)
        let response = Response(status: .ok, body: .init(data: body))
        response.headers.contentType = format == .csv ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            : HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let safe = String(filename.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) })
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(safe.isEmpty ? "table" : safe).\(format.rawValue)\"")
        response.headers.cacheControl = .init(noStore: true)
        return response
    }
}
