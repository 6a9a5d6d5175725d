import WanggeCore
/// The demo county, 安澜县 (fictional), calibrated to Anji county in Zhejiang (seed report 000): 15 townships, 208
/// villages and 978 grids over about 1,886 km² (119.23–119.88 E, 30.38–30.88 N), about 300,000 residents, the
/// departments that handle work, a "6+X" team for every grid and demo staff accounts.
///
/// Everything follows from the seed through one seeded generator: the same seed gives the same county, byte for
/// byte, on every machine. The grids tile the county with no gap and no overlap, and every village, township and
/// the county is exactly the union of its children: all boundaries are traced from one lattice of bricks whose
/// shared vertices carry identical coordinates.
public struct DemoCounty: Sendable {
    public static let countyCode = "330599"
    public static let countyName = "安澜县"

    /// Parents before children: the county, then townships, villages and grids, each level in code order.
    public var areas: [Area]
    /// The county departments, then each township's offices, then each village's committee.
    public var departments: [Department]
    /// A full "6+X" team for every grid, grid by grid.
    public var team: [GridTeamMember]
    /// One demo staff account per role, and a few township-scoped ones.
    public var accounts: [DemoAccount]

    public static func generate(seed: UInt64 = 0) -> DemoCounty {
        let layout = DemoLayout(seed: seed)
        let areas = buildAreas(layout, boundaries: DemoBoundaries(layout), seed: seed)
        var people = DemoPeople(seed: seed)
        let departments = buildDepartments(areas)
        let team = buildTeam(areas, people: &people)
        let accounts = buildAccounts(areas, team: team, people: &people)
        return DemoCounty(areas: areas, departments: departments, team: team, accounts: accounts)
    }

    private static func buildAreas(_ layout: DemoLayout, boundaries: DemoBoundaries, seed: UInt64) -> [Area] {
        var names = DemoPlaceNames(seed: seed)
        let people = DemoPopulation.grids(weights: layout.gridWeights, seed: seed)

        var townships = layout.townshipKinds.enumerated().map { t, kind in
            Area(code: countyCode + threeDigits(t + 1), name: names.township(kind), level: .township,
                 parentCode: countyCode, boundary: boundaries.townships[t])
        }
        var villages: [Area] = []
        var villageNumber = [Int](repeating: 0, count: townships.count)
        for (v, t) in layout.villageTownship.enumerated() {
            villageNumber[t] += 1
            villages.append(Area(code: townships[t].code + threeDigits(villageNumber[t]),
                                 name: names.village(community: layout.villageIsCommunity[v]), level: .village,
                                 parentCode: townships[t].code, boundary: boundaries.villages[v]))
        }
        var grids: [Area] = []
        var gridNumber = [Int](repeating: 0, count: villages.count)
        for (g, v) in layout.gridVillage.enumerated() {
            gridNumber[v] += 1
            let (population, households) = people[g]
            grids.append(Area(code: villages[v].code + threeDigits(gridNumber[v]),
                              name: DemoPlaceNames.grid(village: villages[v].name, number: gridNumber[v]),
                              level: .grid, parentCode: villages[v].code, boundary: boundaries.grids[g],
                              population: population, households: households))
            villages[v].population += population
            villages[v].households += households
        }
        for (v, t) in layout.villageTownship.enumerated() {
            townships[t].population += villages[v].population
            townships[t].households += villages[v].households
        }
        let county = Area(code: countyCode, name: countyName, level: .county, parentCode: nil,
                          boundary: boundaries.county, population: townships.reduce(0) { $0 + $1.population },
                          households: townships.reduce(0) { $0 + $1.households })
        return [county] + townships + villages + grids
    }

    static func threeDigits(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: Swift.max(0, 3 - s.count)) + s
    }
}

/// A demo staff account: sign-in name, the person's name, role and scope.
public struct DemoAccount: Sendable, Hashable {
    public var username: String
    public var displayName: String
    public var role: Role
    public var areaCode: String
    public var departmentCode: String?

    public init(username: String, displayName: String, role: Role, areaCode: String, departmentCode: String? = nil) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.areaCode = areaCode
        self.departmentCode = departmentCode
    }
}

/// How many people live in each grid.
enum DemoPopulation {
    static let target = 300_000
    static let range = 120...700

    /// Population and households per grid: proportional to the grid's weight (its summed density) with ±15 % noise,
    /// kept within 120–700, scaled (by bisection) so the county totals about 300,000; 2.55–2.85 people a household.
    static func grids(weights: [Double], seed: UInt64) -> [(population: Int, households: Int)] {
        var rng = DemoRandom(seed: seed, stream: .population)
        let base = weights.map { $0 * rng.uniform(0.85, 1.15) }
        func populations(_ scale: Double) -> [Int] {
            base.map { Swift.min(range.upperBound, Swift.max(range.lowerBound, Int(($0 * scale).rounded()))) }
        }
        var low = 0.0, high = Double(range.upperBound) / Swift.max(base.min() ?? 1, 1e-9)
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if populations(middle).reduce(0, +) < target { low = middle } else { high = middle }
        }
        return populations(high).map { p in (p, Swift.max(1, Int((Double(p) / rng.uniform(2.55, 2.85)).rounded()))) }
    }
}
