import WanggeCore
/// Traces the boundary of every region at every level from the same brick sides, so that neighbours share their
/// vertices bit for bit and each level is exactly the union of the level below.
///
/// Every side between two bricks of different regions becomes a directed edge of the region on its left (each brick
/// lists its sides counter-clockwise). Three bricks meet at every vertex, so a region has at most one outgoing edge
/// per vertex and following `next` from any edge walks one simple closed ring: counter-clockwise around the outside,
/// clockwise around a hole. All lattice vertices on a boundary are kept, so a shared border is the same chain of
/// points in both neighbours' rings.
struct DemoBoundaries {
    var county: MultiPolygon
    var townships: [MultiPolygon]
    var villages: [MultiPolygon]
    var grids: [MultiPolygon]

    init(_ layout: DemoLayout) {
        let lattice = layout.lattice
        let (townshipOf, villageOf, gridOf) = (layout.townshipOf, layout.villageOf, layout.gridOf)
        let neighbours = lattice.neighbours
        // Edges as flat (from, to) pairs of vertex ids, per region.
        var gridEdges = [[Int]](repeating: [], count: layout.gridSeeds.count)
        var villageEdges = [[Int]](repeating: [], count: layout.villageSeeds.count)
        var townshipEdges = [[Int]](repeating: [], count: layout.townshipSeeds.count)
        var countyEdges: [Int] = []
        for cell in 0..<lattice.cellCount where gridOf[cell] >= 0 {
            let g = Int(gridOf[cell])
            for side in 0..<6 {
                let n = Int(neighbours[cell &* 6 &+ side])
                if n >= 0 && gridOf[n] == gridOf[cell] { continue }
                let from = lattice.corner(cell, side), to = lattice.corner(cell, side == 5 ? 0 : side + 1)
                gridEdges[g].append(from)
                gridEdges[g].append(to)
                // Regions nest, so a border of a level is a border of every level below it.
                let v = Int(villageOf[cell])
                guard n < 0 || villageOf[n] != villageOf[cell] else { continue }
                villageEdges[v].append(from)
                villageEdges[v].append(to)
                let t = Int(townshipOf[cell])
                guard n < 0 || townshipOf[n] != townshipOf[cell] else { continue }
                townshipEdges[t].append(from)
                townshipEdges[t].append(to)
                guard n < 0 || gridOf[n] < 0 else { continue }
                countyEdges.append(from)
                countyEdges.append(to)
            }
        }
        var tracer = RingTracer(lattice: lattice)
        grids = gridEdges.map { tracer.boundary(of: $0) }
        villages = villageEdges.map { tracer.boundary(of: $0) }
        townships = townshipEdges.map { tracer.boundary(of: $0) }
        county = tracer.boundary(of: countyEdges)
    }
}

/// Walks directed edges into rings, reusing its vertex tables from region to region.
private struct RingTracer {
    let lattice: DemoLattice
    private var next: [Int32]
    private var positions: [GeoPoint]
    private var placed: [Bool]

    init(lattice: DemoLattice) {
        self.lattice = lattice
        next = [Int32](repeating: -1, count: lattice.vertexCount)
        positions = [GeoPoint](repeating: GeoPoint(lon: 0, lat: 0), count: lattice.vertexCount)
        placed = [Bool](repeating: false, count: lattice.vertexCount)
    }

    private mutating func position(_ v: Int) -> GeoPoint {
        if !placed[v] {
            positions[v] = lattice.position(ofVertex: v)
            placed[v] = true
        }
        return positions[v]
    }

    /// The boundary of one region from its edges (flat from, to pairs); leaves the `next` table clean.
    mutating func boundary(of edges: [Int]) -> MultiPolygon {
        var i = 0
        while i < edges.count {
            next[edges[i]] = Int32(edges[i + 1])
            i += 2
        }
        var outers: [Ring] = [], holes: [Ring] = []
        i = 0
        while i < edges.count {
            let start = edges[i]
            i += 2
            guard next[start] >= 0 else { continue }  // already on a traced ring
            var points: [GeoPoint] = []
            var v = start
            repeat {
                points.append(position(v))
                let w = Int(next[v])
                next[v] = -1
                v = w
            } while v != start
            points.append(points[0])
            let ring = Ring(points)
            if ring.signedDoubleArea > 0 { outers.append(ring) } else { holes.append(ring) }
        }
        guard outers.count > 1 else { return MultiPolygon([Polygon(outer: outers[0], holes: holes)]) }
        // Not reached for the demo's connected regions; kept so a split region still gets each hole in its own shell.
        var holesOf = [[Ring]](repeating: [], count: outers.count)
        for hole in holes {
            let owner = outers.indices.first { outers[$0].crossingContains(hole.points[0]) } ?? 0
            holesOf[owner].append(hole)
        }
        return MultiPolygon(outers.indices.map { Polygon(outer: outers[$0], holes: holesOf[$0]) })
    }
}
