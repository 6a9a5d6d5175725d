import WanggeCore
/// The county outline: a noisy radial blob over the nominal extent, as a set of bricks, connected and without holes.
enum DemoOutline {
    /// Anji's area; the blob is scaled to it.
    static let targetKm2 = 1886.0
    /// Steps of the wobble table over the pseudo-angle, and e^{2πi/steps} (literal: libm's sin and cos may differ in
    /// the last bit between platforms).
    private static let steps = 4096
    private static let stepRotation = (x: 0.9999988234517019, y: 0.0015339801862847655)

    /// Which bricks lie in the county. `terrain` is a smooth noise field per brick that roughens the coast.
    static func mask(on lattice: DemoLattice, terrain: [Double]) -> [Bool] {
        var rng = DemoRandom(seed: lattice.seed, stream: .outline)
        let wobble = wobbleTable(&rng)
        let e = DemoLattice.extent
        let brickKm2 = 2 * DemoLattice.unitLon * DemoLattice.kmPerDegreeLon * DemoLattice.unitLat * DemoLattice.kmPerDegreeLat
        let wanted = Int((targetKm2 / brickKm2).rounded())
        // The blob is drawn in coordinates where the extent is [-1, 1]²; a second pass stretches it so that its
        // bricks span the extent, then the threshold is set again for the area.
        var frame = (centreU: 0.0, centreV: 0.0, halfU: 1.0, halfV: 1.0)
        var inside: [Bool] = []
        for pass in 0..<2 {
            var level = [Double](repeating: .infinity, count: lattice.cellCount)
            for cell in 0..<lattice.cellCount where !lattice.isOnEdge(cell) {
                let p = lattice.centre(cell)
                let u = frame.centreU + frame.halfU * (2 * (p.lon - e.minLon) / e.width - 1)
                let v = frame.centreV + frame.halfV * (2 * (p.lat - e.minLat) / e.height - 1)
                let rho = (u * u + v * v).squareRoot()
                let w = rho > 0 ? lookup(wobble, pseudoAngle(u, v)) : 0
                // The terrain is read where (u, v) lay in the first pass, so the stretch moves the coast with it.
                let source = lattice.cell(containing: GeoPoint(lon: e.minLon + (u + 1) / 2 * e.width,
                                                               lat: e.minLat + (v + 1) / 2 * e.height))
                level[cell] = rho / Swift.max(0.45, 1 + w) + 0.18 * (terrain[source] - 0.5)
            }
            inside = threshold(level, count: wanted)
            keepLargestComponent(&inside, lattice: lattice)
            fillHoles(&inside, lattice: lattice)
            guard pass == 0 else { break }
            var minLon = Double.infinity, maxLon = -Double.infinity, minLat = Double.infinity, maxLat = -Double.infinity
            for cell in inside.indices where inside[cell] {
                let p = lattice.centre(cell)
                (minLon, maxLon) = (Swift.min(minLon, p.lon), Swift.max(maxLon, p.lon))
                (minLat, maxLat) = (Swift.min(minLat, p.lat), Swift.max(maxLat, p.lat))
            }
            let b = BoundingBox(minLon: minLon, minLat: minLat, maxLon: maxLon, maxLat: maxLat)
            // Extent coordinates of the first blob's box; the second pass maps the extent onto it.
            let u0 = 2 * (b.minLon - e.minLon) / e.width - 1, u1 = 2 * (b.maxLon - e.minLon) / e.width - 1
            let v0 = 2 * (b.minLat - e.minLat) / e.height - 1, v1 = 2 * (b.maxLat - e.minLat) / e.height - 1
            frame = ((u0 + u1) / 2, (v0 + v1) / 2, (u1 - u0) / 2, (v1 - v0) / 2)
        }
        return inside
    }

    /// The radius's relative wobble by pseudo-angle: harmonics 2...16 with falling amplitudes and random phases.
    /// cos(kθ + φ) is the real part of (e^{iθ})^k · e^{iφ}.
    private static func wobbleTable(_ rng: inout DemoRandom) -> [Double] {
        var harmonics: [(amplitude: Double, phase: (x: Double, y: Double))] = []
        for k in 2...16 {
            harmonics.append((0.32 * rng.uniform(0.3, 1.0) / Double(k), rng.direction()))
        }
        var table = [Double](repeating: 0, count: steps + 1)
        var z = (x: 1.0, y: 0.0)
        for m in 0...steps {
            var power = z, sum = 0.0
            for h in harmonics {
                power = (power.x * z.x - power.y * z.y, power.x * z.y + power.y * z.x)
                sum += h.amplitude * (power.x * h.phase.x - power.y * h.phase.y)
            }
            table[m] = sum
            z = (z.x * stepRotation.x - z.y * stepRotation.y, z.x * stepRotation.y + z.y * stepRotation.x)
        }
        return table
    }

    /// A monotone stand-in for the angle in [0, 4) from division alone (the "diamond angle").
    private static func pseudoAngle(_ x: Double, _ y: Double) -> Double {
        if y >= 0 { return x >= 0 ? y / (x + y) : 1 - x / (-x + y) }
        return x < 0 ? 2 - y / (-x - y) : 3 + x / (x - y)
    }

    private static func lookup(_ table: [Double], _ pseudoAngle: Double) -> Double {
        let f = pseudoAngle / 4 * Double(steps)
        let i = Swift.min(steps - 1, Int(f))
        let t = f - Double(i)
        return table[i] + (table[i + 1] - table[i]) * t
    }

    /// The `count` bricks of lowest level (by histogram, so roughly that many).
    private static func threshold(_ level: [Double], count: Int) -> [Bool] {
        let bins = 40_000, top = 4.0
        var histogram = [Int](repeating: 0, count: bins + 1)
        func bin(_ x: Double) -> Int { x.isFinite ? Swift.max(0, Swift.min(bins, Int(x / top * Double(bins)))) : bins }
        for x in level { histogram[bin(x)] += 1 }
        var limit = 0, total = 0
        while limit < bins - 1 && total + histogram[limit] < count {
            total += histogram[limit]
            limit += 1
        }
        return level.map { bin($0) <= limit && $0.isFinite }
    }

    /// Drops every island but the largest (a thin neck of the blob can cut one off).
    static func keepLargestComponent(_ inside: inout [Bool], lattice: DemoLattice) {
        let neighbours = lattice.neighbours
        var label = [Int32](repeating: -1, count: inside.count)
        var sizes: [Int] = []
        var queue: [Int] = []
        for start in inside.indices where inside[start] && label[start] < 0 {
            let id = Int32(sizes.count)
            label[start] = id
            queue.removeAll(keepingCapacity: true)
            queue.append(start)
            var head = 0
            while head < queue.count {
                let cell = queue[head]
                head += 1
                for side in 0..<6 {
                    let n = Int(neighbours[cell &* 6 &+ side])
                    if n >= 0 && inside[n] && label[n] < 0 {
                        label[n] = id
                        queue.append(n)
                    }
                }
            }
            sizes.append(queue.count)
        }
        guard let largest = sizes.indices.max(by: { sizes[$0] < sizes[$1] }) else { return }
        for cell in inside.indices where inside[cell] && label[cell] != Int32(largest) { inside[cell] = false }
    }

    /// Adds every outside brick that the outside of the lattice cannot reach.
    static func fillHoles(_ inside: inout [Bool], lattice: DemoLattice) {
        let neighbours = lattice.neighbours
        var reached = [Bool](repeating: false, count: inside.count)
        var queue = [0]  // a corner brick is always outside
        reached[0] = true
        var head = 0
        while head < queue.count {
            let cell = queue[head]
            head += 1
            for side in 0..<6 {
                let n = Int(neighbours[cell &* 6 &+ side])
                if n >= 0 && !inside[n] && !reached[n] {
                    reached[n] = true
                    queue.append(n)
                }
            }
        }
        for cell in inside.indices where !reached[cell] { inside[cell] = true }
    }
}
