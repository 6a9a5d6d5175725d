import Foundation

/// A risk as an export row lists it: the registration's fields with the level and state it has now.
public struct RiskExportRow: Hashable, Sendable {
    public var code: String
    public var categoryCode: String
    public var title: String
    public var description: String
    public var areaCode: String
    public var placeCode: String?
    public var assessment: RiskAssessment
    public var level: Int
    public var state: RiskState?
    public var point: GeoPoint?

    public init(code: String, categoryCode: String, title: String, description: String, areaCode: String, placeCode: String? = nil,
                assessment: RiskAssessment, level: Int, state: RiskState? = nil, point: GeoPoint? = nil) {
        self.code = code
        self.categoryCode = categoryCode
        self.title = title
        self.description = description
        self.areaCode = areaCode
        self.placeCode = placeCode
        self.assessment = assessment
        self.level = level
        self.state = state
        self.point = point
    }
}

/// The risk register as a table, under the headers `RiskImport` reads, so an exported file imports again (its
/// code, score and state columns are read past). Write the rows with `TableText.csv(rows:)` or `XLSX.write`.
public enum RiskExport {
    public static let header: [String] = RiskTableColumn.allCases.map(\.header)

    /// The cells of `row`, in `header`'s order: category and level by their catalogue names, the method by name.
    public static func cells(_ row: RiskExportRow, catalogue: RiskCatalogue) -> [String] {
        RiskTableColumn.allCases.map { column in
            switch column {
            case .code: row.code
            case .category: catalogue.category(row.categoryCode)?.name ?? row.categoryCode
            case .title: row.title
            case .description: row.description
            case .area: row.areaCode
            case .place: row.placeCode ?? ""
            case .method: row.assessment.method == .matrix ? "风险矩阵" : "LEC"
            case .likelihood:
                switch row.assessment {
                case let .matrix(l, _): String(l)
                case let .lec(l, _, _): RiskBand.text(l)
                }
            case .severity: if case let .matrix(_, s) = row.assessment { String(s) } else { "" }
            case .exposure: if case let .lec(_, e, _) = row.assessment { RiskBand.text(e) } else { "" }
            case .consequence: if case let .lec(_, _, c) = row.assessment { RiskBand.text(c) } else { "" }
            case .score: RiskBand.text(row.assessment.score)
            case .level: catalogue.level(row.level)?.name ?? String(row.level)
            case .state: row.state?.nameZH ?? ""
            case .lat: row.point.map { String($0.lat) } ?? ""
            case .lon: row.point.map { String($0.lon) } ?? ""
            }
        }
    }
}
