import WanggeCore
/// The brick lattice the demo county is cut from.
///
/// Bricks in alternate rows are offset by half a brick, so exactly three bricks meet at every vertex. Two regions can
/// therefore never touch at a corner only, and the boundary of any set of bricks passes each vertex at most once:
/// every traced ring is simple as it comes, with no clean-up. A brick has six corners (the middle of its top and
/// bottom sides is a corner of the bricks above and below), numbered counter-clockwise from the lower left:
///
///     5 ---- 4 ---- 3
///     |             |
///     0 ---- 1 ---- 2
///
/// Side k runs from corner k to corner k + 1, so a region's outer rings come out counter-clockwise and its holes
/// clockwise. Vertex (i, j) sits at i half-bricks east and j rows north of the origin.
struct DemoLattice {
    /// Half a brick's width (≈ 96 m) and a brick's height (≈ 194 m): a brick is about 192 m × 194 m.
    static let unitLon = 0.001
    static let unitLat = 0.00175
    /// Kilometres per degree at the county's latitude (30.6° N), for distances and areas.
    static let kmPerDegreeLon = 95.8
    static let kmPerDegreeLat = 111.0
    /// The county's nominal extent (Anji: 119.23–119.88 E, 30.38–30.88 N) and the lattice's margin around it, in bricks.
    static let extent = BoundingBox(minLon: 119.23, minLat: 30.38, maxLon: 119.88, maxLat: 30.88)
    static let margin = 6
    /// Largest vertex displacement, in lattice units on each axis (at most 0.28 of the spacing in any direction).
    /// Any two lattice edges that share no vertex are at least one unit apart, so after moving every vertex by less
    /// than 0.3 no two edges can touch or cross: every brick stays a simple hexagon and the tiling stays a tiling.
    static let jitter = 0.2

    let seed: UInt64
    let originLon: Double, originLat: Double
    let columns: Int, rows: Int
    /// See `neighbourTable`.
    let neighbours: [Int32]

    init(seed: UInt64) {
        self.seed = seed
        let e = Self.extent
        originLon = e.minLon - Double(2 * Self.margin) * Self.unitLon
        originLat = e.minLat - Double(Self.margin) * Self.unitLat
        columns = Int((e.width / (2 * Self.unitLon)).rounded(.up)) + 2 * Self.margin
        rows = Int((e.height / Self.unitLat).rounded(.up)) + 2 * Self.margin
        neighbours = Self.neighbourTable(columns: columns, rows: rows)
    }

    var cellCount: Int { columns * rows }
    var vertexColumns: Int { 2 * columns + 2 }
    var vertexCount: Int { vertexColumns * (rows + 1) }

    /// Whether the brick touches the lattice's edge (such bricks are never part of the county).
    func isOnEdge(_ cell: Int) -> Bool {
        let c = cell % columns, r = cell / columns
        return c == 0 || r == 0 || c == columns - 1 || r == rows - 1
    }

    /// Six entries per brick: the bricks across its sides 0...5 (`neighbours[cell * 6 + side]`), or -1 beyond the
    /// lattice. Tabled once because region growth asks for them millions of times.
    static func neighbourTable(columns: Int, rows: Int) -> [Int32] {
        var table = [Int32](repeating: -1, count: columns * rows * 6)
        table.withUnsafeMutableBufferPointer { table in
            for r in 0..<rows {
                let o = r & 1
                for c in 0..<columns {
                    let base = (r * columns + c) * 6
                    func set(_ side: Int, _ nc: Int, _ nr: Int) {
                        if nc >= 0 && nc < columns && nr >= 0 && nr < rows { table[base + side] = Int32(nr * columns + nc) }
                    }
                    set(0, c - 1 + o, r - 1)
                    set(1, c + o, r - 1)
                    set(2, c + 1, r)
                    set(3, c + o, r + 1)
                    set(4, c - 1 + o, r + 1)
                    set(5, c - 1, r)
                }
            }
        }
        return table
    }

    /// The vertex at corner `k` (0...5) of a brick.
    func corner(_ cell: Int, _ k: Int) -> Int {
        let c = cell % columns, r = cell / columns
        let x0 = 2 * c + (r & 1)
        switch k {
        case 0: return r * vertexColumns + x0
        case 1: return r * vertexColumns + x0 + 1
        case 2: return r * vertexColumns + x0 + 2
        case 3: return (r + 1) * vertexColumns + x0 + 2
        case 4: return (r + 1) * vertexColumns + x0 + 1
        default: return (r + 1) * vertexColumns + x0
        }
    }

    /// The brick under a point (the nearest one at the lattice's edge).
    func cell(containing p: GeoPoint) -> Int {
        let r = Swift.min(rows - 1, Swift.max(0, Int(((p.lat - originLat) / Self.unitLat).rounded(.down))))
        let x = (p.lon - originLon) / Self.unitLon - Double(r & 1)
        let c = Swift.min(columns - 1, Swift.max(0, Int((x / 2).rounded(.down))))
        return r * columns + c
    }

    /// The brick's centre in kilometres east and north of the origin.
    func centreKm(_ cell: Int) -> (x: Double, y: Double) {
        let c = cell % columns, r = cell / columns
        let x = Double(2 * c + (r & 1) + 1) * Self.unitLon * Self.kmPerDegreeLon
        let y = (Double(r) + 0.5) * Self.unitLat * Self.kmPerDegreeLat
        return (x, y)
    }

    /// The brick's centre in degrees (not jittered).
    func centre(_ cell: Int) -> GeoPoint {
        let c = cell % columns, r = cell / columns
        return GeoPoint(lon: originLon + Double(2 * c + (r & 1) + 1) * Self.unitLon,
                        lat: originLat + (Double(r) + 0.5) * Self.unitLat)
    }

    func distanceKm(_ a: Int, _ b: Int) -> Double {
        let p = centreKm(a), q = centreKm(b)
        let dx = p.x - q.x, dy = p.y - q.y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The jittered position of a vertex, rounded to 6 decimals. It depends on the seed and the vertex alone, so every
    /// ring through a vertex carries the very same coordinates.
    func position(ofVertex v: Int) -> GeoPoint {
        let i = v % vertexColumns, j = v / vertexColumns
        let dx = (DemoRandom.unit(seed: seed, i, j, salt: DemoStream.jitter.rawValue) - 0.5) * 2 * Self.jitter
        let dy = (DemoRandom.unit(seed: seed, j, i, salt: DemoStream.jitter.rawValue &+ 1) - 0.5) * 2 * Self.jitter
        return GeoPoint(lon: Self.round6(originLon + (Double(i) + dx) * Self.unitLon),
                        lat: Self.round6(originLat + (Double(j) + dy) * Self.unitLat))
    }

    static func round6(_ x: Double) -> Double { (x * 1_000_000).rounded() / 1_000_000 }
}
