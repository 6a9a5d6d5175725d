import Foundation

/// Why an uploaded table (CSV or .xlsx) could not be read. Each case says what, so a person can fix the file.
public enum TableError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are neither UTF-8 nor GB18030 text.
    case notText
    /// A quoted CSV field opened on `line` of record `row` (1-based) never closes.
    case unterminatedQuote(row: Int, line: Int)
    case tooManyRows(limit: Int)
    /// Row `row` (1-based) has a value beyond column `limit`.
    case tooManyColumns(row: Int, limit: Int)
    /// Not a ZIP archive we can read, or an .xlsx without the parts a workbook needs; says what is wrong.
    case notXLSX(String)
    /// The archive would inflate beyond the limits (a zip bomb, or simply too big a workbook); says which.
    case tooLarge(String)
    /// An .xlsx part is damaged: bad DEFLATE data, a CRC mismatch, malformed XML; says where.
    case damaged(String)

    public var description: String {
        switch self {
        case .notText: "the file is not text in UTF-8 or GB18030 (GBK); save it as CSV UTF-8 or as .xlsx"
        case let .unterminatedQuote(row, line): "row \(row) (line \(line)): a quoted field is never closed"
        case .tooManyRows(let limit): "the table has more than \(limit) rows"
        case let .tooManyColumns(row, limit): "row \(row) has values beyond column \(limit)"
        case .notXLSX(let why): "not a readable .xlsx workbook: \(why)"
        case .tooLarge(let why): "the workbook is too large: \(why)"
        case .damaged(let why): "the workbook is damaged: \(why)"
        }
    }
}

/// Bounds on an uploaded table, whatever its format.
public enum TableLimits {
    /// A header and 200,000 rows (a county's households come in one file).
    public static let maximumRows = 200_001
    public static let maximumColumns = 200
    /// All the parts of an .xlsx that are read may inflate to at most this many bytes together.
    public static let maximumInflatedBytes = 50 * 1024 * 1024
    /// A part larger than `ratioFloorBytes` may inflate to at most this many times its compressed size.
    public static let maximumRatio = 500
    public static let ratioFloorBytes = 1024 * 1024
    /// An archive with more entries than this is refused before any is read.
    public static let maximumEntries = 10_000
}

/// An uploaded table file: .xlsx when it starts like a ZIP archive, CSV text otherwise.
public enum TableFile {
    /// The rows of cells of `data`: the first worksheet of an .xlsx, or the records of a CSV file.
    public static func rows(_ data: Data) throws(TableError) -> [[String]] {
        if XLSX.looksLikeZip(data) { return try XLSX.read(data) }
        // An OLE compound file: an Excel 97–2003 .xls, or an .xlsx saved with a password.
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw .notXLSX("an old .xls or password-protected workbook; save it as .xlsx without a password, or as CSV")
        }
        return try TableText.rows(data)
    }
}
