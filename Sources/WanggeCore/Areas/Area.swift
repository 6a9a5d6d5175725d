/// The levels of the jurisdiction tree, from the county down to the ten-household cell.
public enum AreaLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case county, township, village, grid, cell

    /// 0 for the county, growing downwards.
    public var depth: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: AreaLevel, b: AreaLevel) -> Bool { a.depth < b.depth }

    public var nameZH: String {
        switch self {
        case .county: "县"
        case .township: "乡镇/街道"
        case .village: "村/社区"
        case .grid: "网格"
        case .cell: "十户联防单元"
        }
    }

    public var nameEN: String {
        switch self {
        case .county: "County"
        case .township: "Township"
        case .village: "Village"
        case .grid: "Grid"
        case .cell: "Cell"
        }
    }
}

/// A node of the jurisdiction tree (区域).
public struct Area: Hashable, Sendable {
    public var code: String
    public var name: String
    public var level: AreaLevel
    public var parentCode: String?
    public var boundary: MultiPolygon?
    public var population: Int
    public var households: Int

    public init(code: String, name: String, level: AreaLevel, parentCode: String?, boundary: MultiPolygon?,
                population: Int = 0, households: Int = 0) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.boundary = boundary
        self.population = population
        self.households = households
    }
}
