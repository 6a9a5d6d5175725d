import WanggeCore
/// Where everything is: the county's bricks cut into townships, villages and grids, and a density field that makes
/// the township seats finer-gridded and more populous.
struct DemoLayout {
    /// 街道, 镇, 乡: subdistricts around the county seat, towns, and the remote (mountain) townships.
    enum TownshipKind { case subdistrict, town, township }

    static let townshipCount = 15, villageCount = 208, gridCount = 978
    static let subdistrictCount = 4, remoteTownshipCount = 3

    let lattice: DemoLattice
    /// Per brick, the region at each level (-1 outside the county). Regions are numbered in code order.
    let townshipOf: [Int32], villageOf: [Int32], gridOf: [Int32]
    /// Per brick, 1 in the countryside rising towards the seats; 0 outside the county.
    let density: [Double]
    let townshipKinds: [TownshipKind], townshipSeeds: [Int]
    let villageTownship: [Int], villageSeeds: [Int], villageIsCommunity: [Bool]
    let gridVillage: [Int], gridSeeds: [Int]
    /// Per grid, the sum of its bricks' density: its share of the county's people.
    let gridWeights: [Double]

    init(seed: UInt64) {
        let lattice = DemoLattice(seed: seed)
        let salt = DemoStream.terrain.rawValue << 8
        let hills = [6.0, 2.0, 0.8].enumerated().map { k, mesh in
            DemoTerrain.noise(on: lattice, meshKm: mesh, salt: salt + UInt64(k))
        }
        let inCounty = DemoOutline.mask(on: lattice, terrain: DemoTerrain.blend(hills, weights: [0.7, 0.3, 0]))
        let countyOf: [Int32] = inCounty.map { $0 ? 0 : -1 }
        let countyCells = inCounty.indices.filter { inCounty[$0] }

        // Townships: the seats first, then the density they give, then the townships grown from the seats.
        var rng = DemoRandom(seed: seed, stream: .townships)
        let (townshipSeeds, townshipKinds) = Self.placeTownships(
            countyCells, edgeKm: DemoPartition.distanceToEdge(countyOf, lattice: lattice), lattice: lattice, rng: &rng)
        let density = Self.density(countyCells, seeds: townshipSeeds, kinds: townshipKinds, lattice: lattice)
        let townshipShares = townshipKinds.enumerated().map { t, kind -> Double in
            switch kind {
            case .subdistrict: t == 0 ? 0.5 : 0.6
            case .town: 1.0
            case .township: 1.3
            }
        }
        var growth = DemoRandom(seed: seed, stream: .townshipGrowth)
        let townshipOf = DemoPartition.grow(
            seeds: townshipSeeds, rates: townshipSeeds.map { _ in rng.uniform(0.7, 1.0) },
            targets: DemoPartition.targets(parentOfChild: townshipSeeds.map { _ in 0 }, parentSizes: [countyCells.count],
                                           weights: townshipShares),
            parentOf: countyOf, passability: DemoTerrain.passability(DemoTerrain.blend(hills, weights: [0.35, 0.45, 0.2])),
            lattice: lattice, rng: &growth)

        // Villages: as many per township as its density-weighted size calls for; the seat village first.
        let townshipCells = DemoPartition.members(of: townshipOf, regions: Self.townshipCount)
        let villageCounts = DemoPartition.apportion(Self.villageCount, weights: townshipCells.map { Self.weight($0, density) },
                                                    minimum: 5, caps: townshipCells.map { Swift.max(1, $0.count / 40) })
        rng = DemoRandom(seed: seed, stream: .villages)
        var villageTownship: [Int] = [], villageSeeds: [Int] = []
        let townshipEdge = DemoPartition.distanceToEdge(townshipOf, lattice: lattice)
        for t in 0..<Self.townshipCount {
            let seat = townshipSeeds[t]
            let placed = DemoPartition.seeds(count: villageCounts[t], among: townshipCells[t], fixed: [seat],
                                             lattice: lattice, density: density, edgeKm: townshipEdge, rng: &rng)
            villageTownship += Array(repeating: t, count: placed.count)
            villageSeeds += [seat] + placed.dropFirst().sorted { a, b in
                let (da, db) = (lattice.distanceKm(a, seat), lattice.distanceKm(b, seat))
                return da != db ? da < db : a < b
            }
        }
        let villageIsCommunity = villageSeeds.indices.map { v in
            let seat = townshipSeeds[villageTownship[v]], s = villageSeeds[v]
            switch townshipKinds[villageTownship[v]] {
            case .subdistrict: return s == seat || lattice.distanceKm(s, seat) <= 2.5 || density[s] >= 3
            case .town: return s == seat || density[s] >= 3.5
            case .township: return false
            }
        }
        let seatVillages = Set(villageSeeds.indices.filter { villageSeeds[$0] == townshipSeeds[villageTownship[$0]] })
        growth = DemoRandom(seed: seed, stream: .villageGrowth)
        let (villageOf, relaxedVillageSeeds) = Self.growRelaxed(
            seeds: villageSeeds, parents: villageTownship, parentOf: townshipOf,
            parentSizes: townshipCells.map(\.count), pinned: seatVillages.contains, reorder: { $0 },
            density: density, passability: DemoTerrain.passability(DemoTerrain.blend(hills, weights: [0.3, 0.5, 0.2])),
            lattice: lattice, rng: &growth)

        // Grids: as many per village as its density-weighted size calls for, numbered from the north-west.
        let villageCells = DemoPartition.members(of: villageOf, regions: villageSeeds.count)
        let gridCounts = DemoPartition.apportion(Self.gridCount, weights: villageCells.map { Self.weight($0, density) },
                                                 minimum: 2, caps: villageCells.map { Swift.max(1, $0.count / 12) })
        rng = DemoRandom(seed: seed, stream: .grids)
        var gridVillage: [Int] = [], gridSeeds: [Int] = []
        let villageEdge = DemoPartition.distanceToEdge(villageOf, lattice: lattice)
        let columns = lattice.columns
        func northWestFirst(_ a: Int, _ b: Int) -> Bool { a / columns != b / columns ? a / columns > b / columns : a < b }
        for v in villageSeeds.indices {
            let placed = DemoPartition.seeds(count: gridCounts[v], among: villageCells[v], fixed: [],
                                             lattice: lattice, density: density, edgeKm: villageEdge, rng: &rng)
            gridVillage += Array(repeating: v, count: placed.count)
            gridSeeds += placed.sorted(by: northWestFirst)
        }
        growth = DemoRandom(seed: seed, stream: .gridGrowth)
        let (gridOf, relaxedGridSeeds) = Self.growRelaxed(
            seeds: gridSeeds, parents: gridVillage, parentOf: villageOf, parentSizes: villageCells.map(\.count),
            pinned: { _ in false },
            reorder: { seeds in  // renumber each village's grids from the north-west again
                var result = seeds
                var start = 0
                while start < result.count {
                    var end = start
                    while end < result.count && gridVillage[end] == gridVillage[start] { end += 1 }
                    result[start..<end].sort(by: northWestFirst)
                    start = end
                }
                return result
            },
            density: density, passability: DemoTerrain.passability(DemoTerrain.blend(hills, weights: [0.1, 0.4, 0.5])),
            lattice: lattice, rng: &growth)

        var gridWeights = [Double](repeating: 0, count: gridSeeds.count)
        for (cell, g) in gridOf.enumerated() where g >= 0 { gridWeights[Int(g)] += density[cell] }

        self.lattice = lattice
        (self.townshipOf, self.villageOf, self.gridOf, self.density) = (townshipOf, villageOf, gridOf, density)
        (self.townshipKinds, self.townshipSeeds) = (townshipKinds, townshipSeeds)
        (self.villageTownship, self.villageSeeds, self.villageIsCommunity) = (villageTownship, relaxedVillageSeeds,
                                                                              villageIsCommunity)
        (self.gridVillage, self.gridSeeds, self.gridWeights) = (gridVillage, relaxedGridSeeds, gridWeights)
    }

    /// Σ density^0.75 over the bricks: how many children a region should get (dense places get more, smaller ones).
    private static func weight(_ cells: [Int], _ density: [Double]) -> Double {
        cells.reduce(0) { sum, cell in
            let d = density[cell]
            return sum + d.squareRoot() * d.squareRoot().squareRoot()
        }
    }

    /// Grows children from their seeds, moves the seeds to their regions' centres (one Lloyd step), and grows again.
    /// A child's target size is its parent's share by density^-0.75 at its seed.
    private static func growRelaxed(seeds: [Int], parents: [Int], parentOf: [Int32], parentSizes: [Int],
                                    pinned: (Int) -> Bool, reorder: ([Int]) -> [Int], density: [Double],
                                    passability: [Double], lattice: DemoLattice,
                                    rng: inout DemoRandom) -> (owner: [Int32], seeds: [Int]) {
        func grow(_ seeds: [Int]) -> [Int32] {
            let weights = seeds.map { 1 / (density[$0].squareRoot() * density[$0].squareRoot().squareRoot()) }
            return DemoPartition.grow(
                seeds: seeds, rates: seeds.map { _ in rng.uniform(0.7, 1.0) },
                targets: DemoPartition.targets(parentOfChild: parents, parentSizes: parentSizes, weights: weights),
                parentOf: parentOf, passability: passability, lattice: lattice, rng: &rng)
        }
        let first = grow(seeds)
        let relaxed = reorder(DemoPartition.relax(seeds: seeds, owner: first, lattice: lattice, pinned: pinned))
        return (grow(relaxed), relaxed)
    }

    /// The county seat near the middle with three more subdistricts 3–6.5 km around it, then eleven towns and
    /// townships spread over the rest, the three farthest from the seat being the remote townships (乡). Returned in
    /// code order: the seat first, each kind by distance from the seat.
    private static func placeTownships(_ cells: [Int], edgeKm: [Double], lattice: DemoLattice,
                                       rng: inout DemoRandom) -> ([Int], [TownshipKind]) {
        var cx = 0.0, cy = 0.0
        for cell in cells {
            let p = lattice.centreKm(cell)
            cx += p.x
            cy += p.y
        }
        let direction = rng.direction(), shift = rng.uniform(0, 4)
        let target = (x: cx / Double(cells.count) + direction.x * shift, y: cy / Double(cells.count) + direction.y * shift)
        var seat = cells[0], seatDistance = Double.infinity
        for cell in cells {
            let p = lattice.centreKm(cell)
            let d = (p.x - target.x) * (p.x - target.x) + (p.y - target.y) * (p.y - target.y)
            if d < seatDistance { (seat, seatDistance) = (cell, d) }
        }
        let near = cells.filter { (3.0...6.5).contains(lattice.distanceKm($0, seat)) }
        let subdistricts = DemoPartition.seeds(count: subdistrictCount, among: near, fixed: [seat],
                                               lattice: lattice, density: nil, edgeKm: edgeKm, rng: &rng)
        let far = cells.filter { lattice.distanceKm($0, seat) >= 9 }
        let all = DemoPartition.seeds(count: townshipCount, among: far, fixed: subdistricts,
                                      lattice: lattice, density: nil, edgeKm: edgeKm, rng: &rng)
        func byDistance(_ list: ArraySlice<Int>) -> [Int] {
            list.sorted { a, b in
                let (da, db) = (lattice.distanceKm(a, seat), lattice.distanceKm(b, seat))
                return da != db ? da < db : a < b
            }
        }
        let townCount = townshipCount - subdistrictCount - remoteTownshipCount
        let seeds = [seat] + byDistance(subdistricts[1...]) + byDistance(all[subdistrictCount...])
        let kinds = Array(repeating: TownshipKind.subdistrict, count: subdistrictCount)
            + Array(repeating: .town, count: townCount) + Array(repeating: .township, count: remoteTownshipCount)
        return (seeds, kinds)
    }

    /// 1 + Σ A / (1 + r²/σ²)² over the township seats (a rational bump rather than a Gaussian: `exp` is not exact
    /// across platforms). The county seat is the strongest.
    private static func density(_ cells: [Int], seeds: [Int], kinds: [TownshipKind], lattice: DemoLattice) -> [Double] {
        var result = [Double](repeating: 0, count: lattice.cellCount)
        let bumps: [(centre: (x: Double, y: Double), height: Double, sigma2: Double)] = seeds.indices.map { t in
            let (height, sigma): (Double, Double) = switch kinds[t] {
            case .subdistrict: t == 0 ? (5, 3.5) : (2.5, 2.0)
            case .town: (2.0, 1.5)
            case .township: (0.8, 1.2)
            }
            return (lattice.centreKm(seeds[t]), height, sigma * sigma)
        }
        for cell in cells {
            let p = lattice.centreKm(cell)
            var d = 1.0
            for b in bumps {
                let r2 = (p.x - b.centre.x) * (p.x - b.centre.x) + (p.y - b.centre.y) * (p.y - b.centre.y)
                let s = 1 + r2 / b.sigma2
                d += b.height / (s * s)
            }
            result[cell] = d
        }
        return result
    }
}
