import Foundation

/// How often every household of a grid is to be visited (入户走访): once a month, a quarter (the default), half a
/// year or a year. A county configures it per grid or keeps the default.
public enum VisitPeriod: String, Codable, CaseIterable, Sendable {
    case month, quarter, halfYear = "half_year", year

    var months: Int {
        switch self {
        case .month: 1
        case .quarter: 3
        case .halfYear: 6
        case .year: 12
        }
    }

    /// The period holding `day`: from its first day to the first day of the next.
    public func range(holding day: CivilDate) -> (first: CivilDate, next: CivilDate) {
        let startMonth = (day.month - 1) / months * months + 1
        let first = CivilDate(year: day.year, month: startMonth, day: 1)!
        let endMonth = startMonth + months
        let next = endMonth > 12 ? CivilDate(year: day.year + 1, month: endMonth - 12, day: 1)! : CivilDate(year: day.year, month: endMonth, day: 1)!
        return (first, next)
    }
}

/// A county's visit targets (入户走访): every household of a grid once in the grid's period — the period set for the
/// grid or for the nearest area above it, else the county's default (a quarter).
public struct VisitTargets: Hashable, Sendable, Codable {
    public struct Area: Hashable, Sendable, Codable {
        public var areaCode: String
        public var period: VisitPeriod
        public init(areaCode: String, period: VisitPeriod) {
            self.areaCode = areaCode
            self.period = period
        }
        enum CodingKeys: String, CodingKey { case areaCode = "area_code", period }
    }

    public var period: VisitPeriod
    public var areas: [Area]

    public init(period: VisitPeriod, areas: [Area] = []) {
        self.period = period
        self.areas = areas
    }

    public static let standard = VisitTargets(period: .quarter)

    /// The period of the grid whose chain (the grid first, then each area above it) is given.
    public func period(forChain chain: [String]) -> VisitPeriod { lookup.period(forChain: chain) }

    /// The targets by area, built once for many grids.
    public var lookup: Lookup { Lookup(byArea: Dictionary(areas.map { ($0.areaCode, $0.period) }, uniquingKeysWith: { a, _ in a }), period: period) }

    public struct Lookup: Sendable {
        let byArea: [String: VisitPeriod]
        let period: VisitPeriod

        public func period(forChain chain: [String]) -> VisitPeriod {
            for code in chain { if let p = byArea[code] { return p } }
            return period
        }
    }
}

/// A household's coverage in a period: how many of a grid's households were visited at least once, and which are
/// still due. Counted from the registry and the stored visits (never from check-ins).
public struct GridCoverage: Hashable, Sendable {
    public var gridCode: String
    public var households: Int
    public var visited: Int
    public var measure: Measure { Measure(numerator: visited, denominator: households) }

    public init(gridCode: String, households: Int, visited: Int) {
        self.gridCode = gridCode
        self.households = households
        self.visited = visited
    }
}

public enum VisitCoverage {
    /// Coverage by grid of the period holding `day`: `households` maps each household to its grid; `visits` are
    /// (household, day) pairs of any period (those outside this one, and of households not in the registry, are
    /// ignored). Every grid with a household is listed, in code order.
    public static func byGrid(households: [String: String], visits: [(household: String, day: CivilDate)],
                              period: VisitPeriod, day: CivilDate) -> [GridCoverage] {
        let (first, next) = period.range(holding: day)
        var visited = Set<String>()
        for v in visits where v.day >= first && v.day < next && households[v.household] != nil { visited.insert(v.household) }
        var total: [String: Int] = [:], seen: [String: Int] = [:]
        for (h, grid) in households {
            total[grid, default: 0] += 1
            if visited.contains(h) { seen[grid, default: 0] += 1 }
        }
        return total.keys.sorted().map { GridCoverage(gridCode: $0, households: total[$0] ?? 0, visited: seen[$0] ?? 0) }
    }

    /// Coverage as the assessment counts it part-way through a period: the target is every household once in the
    /// period, so after `elapsed` of its `length` days the target is that share of the households (rounded up, at
    /// least one when there are any); households met beyond the target count no more than the target. A grid that
    /// keeps pace scores full marks in every month, not only in the period's last.
    public static func assessed(households: Int, visited: Int, elapsed: Int, length: Int) -> Measure {
        let h = max(0, households), share = length > 0 ? Double(min(max(elapsed, 0), length)) / Double(length) : 1
        let target = h == 0 ? 0 : min(h, max(1, Int((Double(h) * share).rounded(.up))))
        return Measure(numerator: min(max(0, visited), target), denominator: target)
    }

    /// The households of the list not yet visited in the period holding `day` (a worker's "due" list), in order.
    public static func due(households: [String], visits: [(household: String, day: CivilDate)], period: VisitPeriod, day: CivilDate) -> [String] {
        let (first, next) = period.range(holding: day)
        let visited = Set(visits.filter { $0.day >= first && $0.day < next }.map(\.household))
        return households.filter { !visited.contains($0) }
    }
}

/// What a household visit came to. Only a visit where the household was met counts toward coverage.
public enum VisitOutcome: String, Codable, CaseIterable, Sendable {
    /// 见到住户: the household was met.
    case met
    /// 不在家: nobody was at home; the household stays due.
    case notHome = "not_home"

    public var countsForCoverage: Bool { self == .met }

    public var nameZH: String {
        switch self {
        case .met: "已走访"
        case .notHome: "不在家"
        }
    }
}

extension VisitPeriod {
    /// "2026-Q4", "2026-12", "2026-H2", "2026": the period holding `day`, as written in a query.
    public func name(holding day: CivilDate) -> String {
        let (first, _) = range(holding: day)
        switch self {
        case .month: return String(format: "%04d-%02d", first.year, first.month)
        case .quarter: return "\(first.year)-Q\((first.month - 1) / 3 + 1)"
        case .halfYear: return "\(first.year)-H\(first.month == 1 ? 1 : 2)"
        case .year: return "\(first.year)"
        }
    }

    /// The period and a day in it from its name ("2026-Q4" → quarter, 2026-10-01); nil for anything else or a year
    /// outside 2000–2100.
    public static func parse(_ name: String) -> (VisitPeriod, CivilDate)? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        func digits(_ t: String) -> Bool { t.allSatisfy { $0.isASCII && $0.isNumber } }
        guard let first = parts.first, first.count == 4, digits(first), let year = Int(first), (2000...2100).contains(year) else { return nil }
        if parts.count == 1 { return (.year, CivilDate(year: year, month: 1, day: 1)!) }
        guard parts.count == 2 else { return nil }
        let p = parts[1]
        if p.count == 2, p.hasPrefix("Q"), digits(String(p.dropFirst())), let q = Int(p.dropFirst()), (1...4).contains(q) { return (.quarter, CivilDate(year: year, month: (q - 1) * 3 + 1, day: 1)!) }
        if p.count == 2, p.hasPrefix("H"), digits(String(p.dropFirst())), let h = Int(p.dropFirst()), (1...2).contains(h) { return (.halfYear, CivilDate(year: year, month: h == 1 ? 1 : 7, day: 1)!) }
        if p.count == 2, digits(p), let m = Int(p), (1...12).contains(m) { return (.month, CivilDate(year: year, month: m, day: 1)!) }
        return nil
    }
}
