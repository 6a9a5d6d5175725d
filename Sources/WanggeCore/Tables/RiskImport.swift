import Foundation

/// One risk read from an import file: the registration's fields but its code, which the store gives.
public struct RiskImportRow: Hashable, Sendable {
    /// The row in the file, 1-based, the header being row 1 (Excel's row number).
    public var row: Int
    public var categoryCode: String
    public var title: String
    public var description: String
    public var areaCode: String
    public var areaPath: String
    public var point: GeoPoint?
    public var placeCode: String?
    public var assessment: RiskAssessment
    /// The level the assessment proposes, which the registration starts at.
    public var level: Int

    /// The registration to store, under the code the store gives it.
    public func registration(code: String) -> RiskRegistration {
        RiskRegistration(code: code, categoryCode: categoryCode, title: title, description: description, areaCode: areaCode,
                         areaPath: areaPath, point: point, placeCode: placeCode, assessment: assessment)
    }
}

/// One thing wrong with an import file: where (row, column as the file names it) and why.
public struct RiskImportProblem: Hashable, Sendable, CustomStringConvertible {
    /// 1-based, the header being row 1; nil for the file as a whole.
    public var row: Int?
    public var column: String?
    public var reason: String

    public init(row: Int?, column: String?, reason: String) {
        self.row = row
        self.column = column
        self.reason = reason
    }

    public var description: String {
        let place = [row.map { "row \($0)" }, column].compactMap(\.self).joined(separator: ", ")
        return place.isEmpty ? reason : "\(place): \(reason)"
    }
}

/// What an import found: the risks to register, or every problem. `rows` is empty whenever `problems` is not, so
/// that a file is registered whole or not at all.
public struct RiskImportResult: Hashable, Sendable {
    public var rows: [RiskImportRow]
    public var problems: [RiskImportProblem]
}

/// Reads a risk register table (CSV or .xlsx, as `TableFile.rows`) into registrations. The first non-blank row is
/// the header, its columns in any order (`RiskTableColumn` names them); blank rows are skipped. The assessment
/// is L × S when severity is given, LEC when exposure or consequence is (or as the 评估方法 column says).
public enum RiskImport {
    /// At most this many risks in one file.
    public static let maximumRows = 5_000

    /// The risks of `table`, or all its problems. `area` resolves an area cell to the area's code and stored path,
    /// nil when there is no such area.
    public static func read(_ table: [[String]], catalogue: RiskCatalogue,
                            area: (String) -> (code: String, path: String)?) -> RiskImportResult {
        func fail(_ problems: [RiskImportProblem]) -> RiskImportResult { RiskImportResult(rows: [], problems: problems) }
        func isBlank(_ row: [String]) -> Bool { row.allSatisfy { $0.allSatisfy(\.isWhitespace) } }
        guard let headerIndex = table.firstIndex(where: { !isBlank($0) }) else {
            return fail([RiskImportProblem(row: nil, column: nil, reason: "the file is empty")])
        }
        let header = Header(table[headerIndex], row: headerIndex + 1)
        var problems = header.problems
        let data = table.indices.dropFirst(headerIndex + 1).filter { !isBlank(table[$0]) }
        guard !data.isEmpty else { return fail(problems + [RiskImportProblem(row: nil, column: nil, reason: "the file has no risks under its header")]) }
        guard data.count <= maximumRows else {
            return fail(problems + [RiskImportProblem(row: nil, column: nil, reason: "at most \(maximumRows) risks per file; this one has \(data.count)")])
        }
        // Without a required column every row would say so again.
        if header.missesRequired { return fail(problems) }
        var unnamedReported = false
        var rows: [RiskImportRow] = []
        for i in data {
            let cells = table[i]
            if !unnamedReported, let j = cells.indices.first(where: { ($0 >= header.names.count || header.names[$0].isEmpty) && !cells[$0].allSatisfy(\.isWhitespace) }) {
                problems.append(RiskImportProblem(row: i + 1, column: "column \(XLSX.columnName(j + 1))", reason: "has a value but no header"))
                unnamedReported = true
            }
            var reader = RowReader(row: i + 1, cells: cells, header: header, catalogue: catalogue)
            if let risk = reader.read(area: area) { rows.append(risk) }
            problems += reader.problems
        }
        return problems.isEmpty ? RiskImportResult(rows: rows, problems: []) : fail(problems)
    }

    /// The header row: which column holds what, and what is wrong with it.
    struct Header {
        var names: [String]
        var columns: [RiskTableColumn: Int] = [:]
        var problems: [RiskImportProblem] = []

        static let required: [RiskTableColumn] = [.category, .title, .description, .area, .likelihood]
        var missesRequired: Bool { Self.required.contains { columns[$0] == nil } }

        init(_ cells: [String], row: Int) {
            names = cells.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            for (j, name) in names.enumerated() where !name.isEmpty {
                guard let column = RiskTableColumn.byKey[RiskTableColumn.key(name)] else {
                    problems.append(RiskImportProblem(row: row, column: name, reason: "is not a column of the risk register; the columns are "
                                                      + RiskExport.header.joined(separator: ", ")))
                    continue
                }
                if let earlier = columns[column] {
                    problems.append(RiskImportProblem(row: row, column: name, reason: "is the same column as \(names[earlier])"))
                } else {
                    columns[column] = j
                }
            }
            for required in Self.required where columns[required] == nil {
                problems.append(RiskImportProblem(row: row, column: required.header, reason: "the column is missing"))
            }
            if (columns[.lat] == nil) != (columns[.lon] == nil) {
                let missing: RiskTableColumn = columns[.lat] == nil ? .lat : .lon
                problems.append(RiskImportProblem(row: row, column: missing.header, reason: "latitude and longitude come together; the column is missing"))
            }
        }
    }
}
