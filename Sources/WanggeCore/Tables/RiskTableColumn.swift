import Foundation

/// The columns of a risk register table, as exported and as imported: each has the header `RiskExport` writes and
/// the other names an import accepts (Chinese and English, case, spaces, '_' and a bracketed suffix ignored:
/// "可能性(L)", "area_code", "Area Code" are all found).
enum RiskTableColumn: CaseIterable, Hashable, Sendable {
    case code, category, title, description, area, place, method, likelihood, severity, exposure, consequence, score, level,
         state, lat, lon

    /// The header an export writes.
    var header: String {
        switch self {
        case .code: "编号"
        case .category: "类别"
        case .title: "标题"
        case .description: "描述"
        case .area: "区域代码"
        case .place: "场所代码"
        case .method: "评估方法"
        case .likelihood: "可能性(L)"
        case .severity: "严重性(S)"
        case .exposure: "暴露(E)"
        case .consequence: "后果(C)"
        case .score: "分值"
        case .level: "等级"
        case .state: "状态"
        case .lat: "纬度"
        case .lon: "经度"
        }
    }

    /// Other names, already in `RiskTableColumn.key` form.
    private var aliases: [String] {
        switch self {
        case .code: ["code", "风险编号"]
        case .category: ["category", "categorycode", "风险类别", "类别代码"]
        case .title: ["title", "name", "名称", "风险名称"]
        case .description: ["description", "情况描述", "风险描述"]
        case .area: ["areacode", "area", "区域", "所在区域"]
        case .place: ["placecode", "place", "场所"]
        case .method: ["method", "方法"]
        case .likelihood: ["l", "likelihood"]
        case .severity: ["s", "severity", "严重程度"]
        case .exposure: ["e", "exposure", "暴露频率"]
        case .consequence: ["c", "consequence"]
        case .score: ["score", "d", "风险值"]
        case .level: ["level", "风险等级"]
        case .state: ["state", "status"]
        case .lat: ["lat", "latitude"]
        case .lon: ["lon", "lng", "longitude"]
        }
    }

    /// Columns an export writes that an import reads past: the store gives the code, the score follows from the
    /// assessment and the state from the record.
    var isIgnoredOnImport: Bool { self == .code || self == .score || self == .state }

    static let byKey: [String: RiskTableColumn] = {
        var map: [String: RiskTableColumn] = [:]
        for c in allCases {
            map[key(c.header)] = c
            for a in c.aliases { map[a] = c }
        }
        return map
    }()

    /// The form names and values are matched in: full-width folded (NFKC), lowercased, without spaces, '_', '-',
    /// '*' (a required-field mark) or a bracketed suffix ("可能性（L）" is "可能性").
    static func key(_ s: String) -> String {
        var k = s.precomposedStringWithCompatibilityMapping.lowercased()
        k.removeAll { $0.isWhitespace || $0 == "_" || $0 == "-" || $0 == "*" }
        if k.hasSuffix(")"), let open = k.lastIndex(of: "("), open != k.startIndex { k = String(k[..<open]) }
        return k
    }
}
