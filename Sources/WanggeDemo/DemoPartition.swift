import WanggeCore
/// The building blocks for cutting a set of bricks into regions: where the seeds go, how the regions grow, how many
/// children each parent gets.
enum DemoPartition {
    /// Spreads seeds over `cells` by Mitchell's best candidate until there are `count` (the `fixed` ones, already
    /// placed, included): each new seed is the best of a few random cells, scored by its distance to the seeds so far,
    /// stretched by `density^0.375` so that dense places get seeds closer together (and so smaller regions). The
    /// parent's border counts as a mirrored seed (at twice `edgeKm`), which keeps seeds off it: a seed on the border
    /// would be squeezed into a small region.
    static func seeds(count: Int, among cells: [Int], fixed: [Int], lattice: DemoLattice, density: [Double]?,
                      edgeKm: [Double], rng: inout DemoRandom) -> [Int] {
        guard !cells.isEmpty else { return fixed }
        var chosen = fixed
        if chosen.isEmpty { chosen.append(cells[rng.below(cells.count)]) }
        var taken = Set(chosen)
        while chosen.count < Swift.min(count, cells.count + fixed.count) {
            var best = -1, bestScore = -1.0
            for _ in 0..<40 {
                let candidate = cells[rng.below(cells.count)]
                if taken.contains(candidate) { continue }
                var nearest = 2 * edgeKm[candidate]
                for s in chosen { nearest = Swift.min(nearest, lattice.distanceKm(candidate, s)) }
                let score = nearest * (density.map { densityFactor($0[candidate]) } ?? 1)
                if score > bestScore { (best, bestScore) = (candidate, score) }
            }
            if best < 0 {  // every draw hit a seed: take any free cell, or stop when there is none
                guard let free = cells.first(where: { !taken.contains($0) }) else { break }
                best = free
            }
            chosen.append(best)
            taken.insert(best)
        }
        return chosen
    }

    /// density^0.375 from square roots only (libm's `pow` is not guaranteed to agree between platforms).
    static func densityFactor(_ d: Double) -> Double {
        let r = d.squareRoot().squareRoot()
        return r * r.squareRoot()
    }

    /// Grows every child region from its seed, all at once, each inside its own parent region (`parentOf` per brick,
    /// -1 outside everything; a child's parent is its seed's). In each round a region claims each free neighbouring
    /// brick of its parent with a probability: its `rate`, raised while it is below its `target` size and lowered
    /// above it, times the brick's `passability`, so borders wander along the "hills" where that is low. A region
    /// only ever claims bricks next to its own, so every region is connected, and every brick of a connected parent
    /// ends up in some child.
    static func grow(seeds: [Int], rates: [Double], targets: [Double], parentOf: [Int32], passability: [Double],
                     lattice: DemoLattice, rng: inout DemoRandom) -> [Int32] {
        var owner = [Int32](repeating: -1, count: parentOf.count)
        var frontiers: [[Int]] = seeds.map { [$0] }
        var sizes = [Int](repeating: 1, count: seeds.count)
        for (child, cell) in seeds.enumerated() { owner[cell] = Int32(child) }
        var growing = true
        var next: [Int] = []
        // Buffers rather than arrays: this loop runs millions of times, and in debug builds every array access would
        // pay for a call, a retain and a uniqueness check.
        lattice.neighbours.withUnsafeBufferPointer { neighbours in
            parentOf.withUnsafeBufferPointer { parentOf in
                passability.withUnsafeBufferPointer { passability in
                    owner.withUnsafeMutableBufferPointer { owner in
                        while growing {
                            growing = false
                            for child in seeds.indices where !frontiers[child].isEmpty {
                                let parent = parentOf[seeds[child]]
                                let boost = Swift.max(0.2, (targets[child] / Double(sizes[child])).squareRoot())
                                let rate = Swift.min(1, rates[child] * boost)
                                var claimed = 0
                                next.removeAll(keepingCapacity: true)
                                for cell in frontiers[child] {
                                    var waiting = false
                                    for side in 0..<6 {
                                        let n = Int(neighbours[cell &* 6 &+ side])
                                        guard n >= 0, owner[n] < 0, parentOf[n] == parent else { continue }
                                        if rng.unit() < rate * passability[n] {
                                            owner[n] = Int32(child)
                                            next.append(n)
                                            claimed += 1
                                        } else {
                                            waiting = true
                                        }
                                    }
                                    if waiting { next.append(cell) }
                                }
                                sizes[child] += claimed
                                swap(&frontiers[child], &next)
                                if !frontiers[child].isEmpty { growing = true }
                            }
                        }
                    }
                }
            }
        }
        return owner
    }

    /// Target sizes: each parent's bricks shared among its children in proportion to `weights`.
    static func targets(parentOfChild: [Int], parentSizes: [Int], weights: [Double]) -> [Double] {
        var total = [Double](repeating: 0, count: parentSizes.count)
        for (child, p) in parentOfChild.enumerated() { total[p] += weights[child] }
        return parentOfChild.enumerated().map { child, p in Double(parentSizes[p]) * weights[child] / total[p] }
    }

    /// Shares `total` among items in proportion to `weights` (Sainte-Laguë highest averages), giving each at least
    /// `minimum` and at most its cap. The caps must leave room for the total.
    static func apportion(_ total: Int, weights: [Double], minimum: Int, caps: [Int]) -> [Int] {
        var counts = caps.map { Swift.min(minimum, $0) }
        var left = total - counts.reduce(0, +)
        precondition(left >= 0 && caps.reduce(0, +) >= total, "caps leave no room for \(total)")
        while left > 0 {
            var best = -1, bestQuotient = -1.0
            for i in weights.indices where counts[i] < caps[i] {
                let q = weights[i] / (Double(counts[i]) + 0.5)
                if q > bestQuotient { (best, bestQuotient) = (i, q) }
            }
            counts[best] += 1
            left -= 1
        }
        return counts
    }

    /// One Lloyd step: each seed moves to the brick of its region nearest the region's centre (unless `pinned`), so
    /// that growing again evens out regions a crowded first draw squeezed.
    static func relax(seeds: [Int], owner: [Int32], lattice: DemoLattice, pinned: (Int) -> Bool) -> [Int] {
        var sumX = [Double](repeating: 0, count: seeds.count), sumY = sumX, count = sumX
        for cell in owner.indices where owner[cell] >= 0 {
            let r = Int(owner[cell]), p = lattice.centreKm(cell)
            sumX[r] += p.x
            sumY[r] += p.y
            count[r] += 1
        }
        var best = seeds, bestDistance = [Double](repeating: .infinity, count: seeds.count)
        for cell in owner.indices where owner[cell] >= 0 {
            let r = Int(owner[cell]), p = lattice.centreKm(cell)
            let dx = p.x - sumX[r] / count[r], dy = p.y - sumY[r] / count[r]
            let d = dx * dx + dy * dy
            if d < bestDistance[r] { (best[r], bestDistance[r]) = (cell, d) }
        }
        return seeds.indices.map { pinned($0) ? seeds[$0] : best[$0] }
    }

    /// Per brick, roughly how far (km, in brick steps) it lies inside its region's border; -1 outside every region.
    static func distanceToEdge(_ regionOf: [Int32], lattice: DemoLattice) -> [Double] {
        let neighbours = lattice.neighbours
        var steps = [Int32](repeating: -1, count: regionOf.count)
        var queue: [Int] = []
        for cell in regionOf.indices where regionOf[cell] >= 0 {
            for side in 0..<6 {
                let n = Int(neighbours[cell &* 6 &+ side])
                if n < 0 || regionOf[n] != regionOf[cell] {
                    steps[cell] = 0
                    queue.append(cell)
                    break
                }
            }
        }
        var head = 0
        while head < queue.count {
            let cell = queue[head]
            head += 1
            for side in 0..<6 {
                let n = Int(neighbours[cell &* 6 &+ side])
                if n >= 0 && steps[n] < 0 && regionOf[n] == regionOf[cell] {
                    steps[n] = steps[cell] + 1
                    queue.append(n)
                }
            }
        }
        let stepKm = 2 * DemoLattice.unitLon * DemoLattice.kmPerDegreeLon  // a brick's width
        return steps.map { $0 < 0 ? -1 : (Double($0) + 0.5) * stepKm }
    }

    /// The bricks of each region, in brick order.
    static func members(of owner: [Int32], regions: Int) -> [[Int]] {
        var result = [[Int]](repeating: [], count: regions)
        for (cell, o) in owner.enumerated() where o >= 0 { result[Int(o)].append(cell) }
        return result
    }
}
