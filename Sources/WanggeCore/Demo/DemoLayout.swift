/// Where everything is: the county's bricks cut into townships, villages and grids, and a density field that makes
/// the township seats smaller-gridded and more populous.
struct DemoLayout {
    /// 街道, 镇, 乡: subdistricts around the county seat, towns, and the remote (mountain) townships.
    enum TownshipKind { case subdistrict, town, township }

    static let townshipCount = 15, villageCount = 208, gridCount = 978
    static let subdistrictCount = 4, remoteTownshipCount = 3

    let lattice: DemoLattice
    /// Per brick; each region is numbered in code order (region i gets code suffix i + 1 within its parent's range).
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
        let countyCells = inCounty.indices.filter { inCounty[$0] }

        var rng = DemoRandom(seed: seed, stream: .townships)
        let countyEdge = DemoPartition.distanceToEdge(inCounty.map { $0 ? 0 : -1 }, lattice: lattice)
        let (townshipSeeds, townshipKinds) = Self.placeTownships(countyCells, edgeKm: countyEdge, lattice: lattice,
                                                                 rng: &rng)
        let density = Self.density(countyCells, seeds: townshipSeeds, kinds: townshipKinds, lattice: lattice)
        func weight(_ cells: [Int]) -> Double {
            cells.reduce(0) { sum, cell in
                let d = density[cell]
                return sum + d.squareRoot() * d.squareRoot().squareRoot()  // density^0.75
            }
        }
        let townshipRates = townshipKinds.map { kind -> Double in
            switch kind {
            case .subdistrict: rng.uniform(0.28, 0.38)
            case .town: rng.uniform(0.7, 1.0)
            case .township: rng.uniform(0.55, 0.85)
            }
        }
        var growth = DemoRandom(seed: seed, stream: .townshipGrowth)
        let townshipOf = DemoPartition.grow(seeds: townshipSeeds, rates: townshipRates,
                                            parentOf: inCounty.map { $0 ? 0 : -1 },
                                            passability: DemoTerrain.passability(DemoTerrain.blend(hills, weights: [0.6, 0.3, 0.1])),
                                            lattice: lattice, rng: &growth)

        // Villages: as many per township as its (density-weighted) size calls for; the seat village comes first.
        let townshipCells = DemoPartition.members(of: townshipOf, regions: Self.townshipCount)
        let villageCounts = DemoPartition.apportion(Self.villageCount, weights: townshipCells.map(weight),
                                                    minimum: 5, caps: townshipCells.map { Swift.max(1, $0.count / 40) })
        let townshipEdge = DemoPartition.distanceToEdge(townshipOf, lattice: lattice)
        rng = DemoRandom(seed: seed, stream: .villages)
        var villageTownship: [Int] = [], villageSeeds: [Int] = [], villageIsCommunity: [Bool] = []
        for t in 0..<Self.townshipCount {
            let seat = townshipSeeds[t]
            let placed = DemoPartition.seeds(count: villageCounts[t], among: townshipCells[t], fixed: [seat],
                                             lattice: lattice, density: density, edgeKm: townshipEdge, rng: &rng)
            let rest = placed.dropFirst().sorted { a, b in
                let (da, db) = (lattice.distanceKm(a, seat), lattice.distanceKm(b, seat))
                return da != db ? da < db : a < b
            }
            for (i, s) in ([seat] + rest).enumerated() {
                villageTownship.append(t)
                villageSeeds.append(s)
                switch townshipKinds[t] {
                case .subdistrict: villageIsCommunity.append(i == 0 || lattice.distanceKm(s, seat) <= 2.5 || density[s] >= 3)
                case .town: villageIsCommunity.append(i == 0 || density[s] >= 3.5)
                case .township: villageIsCommunity.append(false)
                }
            }
        }
        growth = DemoRandom(seed: seed, stream: .villageGrowth)
        let villageOf = DemoPartition.grow(seeds: villageSeeds, rates: Self.rates(villageSeeds, density, &rng),
                                           parentOf: townshipOf,
                                           passability: DemoTerrain.passability(DemoTerrain.blend(hills, weights: [0.3, 0.5, 0.2])),
                                           lattice: lattice, rng: &growth)

        // Grids: as many per village as its size calls for, numbered from the north-west.
        let villageCells = DemoPartition.members(of: villageOf, regions: villageSeeds.count)
        let gridCounts = DemoPartition.apportion(Self.gridCount, weights: villageCells.map(weight),
                                                 minimum: 2, caps: villageCells.map { Swift.max(1, $0.count / 12) })
        let villageEdge = DemoPartition.distanceToEdge(villageOf, lattice: lattice)
        rng = DemoRandom(seed: seed, stream: .grids)
        var gridVillage: [Int] = [], gridSeeds: [Int] = []
        let columns = lattice.columns
        for v in villageSeeds.indices {
            let placed = DemoPartition.seeds(count: gridCounts[v], among: villageCells[v], fixed: [],
                                             lattice: lattice, density: density, edgeKm: villageEdge, rng: &rng)
            for s in placed.sorted(by: { a, b in a / columns != b / columns ? a / columns > b / columns : a < b }) {
                gridVillage.append(v)
                gridSeeds.append(s)
            }
        }
        growth = DemoRandom(seed: seed, stream: .gridGrowth)
        let gridOf = DemoPartition.grow(seeds: gridSeeds, rates: Self.rates(gridSeeds, density, &rng),
                                        parentOf: villageOf,
                                        passability: DemoTerrain.passability(DemoTerrain.blend(hills, weights: [0.1, 0.4, 0.5])),
                                        lattice: lattice, rng: &growth)
        var gridWeights = [Double](repeating: 0, count: gridSeeds.count)
        for (cell, g) in gridOf.enumerated() where g >= 0 { gridWeights[Int(g)] += density[cell] }

        self.lattice = lattice
        (self.townshipOf, self.villageOf, self.gridOf, self.density) = (townshipOf, villageOf, gridOf, density)
        (self.townshipKinds, self.townshipSeeds) = (townshipKinds, townshipSeeds)
        (self.villageTownship, self.villageSeeds, self.villageIsCommunity) = (villageTownship, villageSeeds, villageIsCommunity)
        (self.gridVillage, self.gridSeeds, self.gridWeights) = (gridVillage, gridSeeds, gridWeights)
    }

    /// Growth rates: a region's area goes with the square of its rate, so rate ∝ density^-0.375 makes the number of
    /// regions per km² go with density^0.75.
    private static func rates(_ seeds: [Int], _ density: [Double], _ rng: inout DemoRandom) -> [Double] {
        seeds.map { Swift.min(1, Swift.max(0.12, rng.uniform(0.6, 1.0) / DemoPartition.densityFactor(density[$0]))) }
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
        let others = byDistance(all[subdistrictCount...])
        let townCount = townshipCount - subdistrictCount - remoteTownshipCount
        let seeds = [seat] + byDistance(subdistricts[1...]) + others
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
