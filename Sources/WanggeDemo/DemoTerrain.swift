import WanggeCore
/// Smooth value noise over the lattice, standing in for hills and valleys: region growth slows where it is low, so
/// borders wander the way real ones follow rivers and ridges instead of running straight between seeds.
enum DemoTerrain {
    /// One octave per brick, in [0, 1]: random values on a square mesh `meshKm` apart, eased (smoothstep) between.
    static func noise(on lattice: DemoLattice, meshKm: Double, salt: UInt64) -> [Double] {
        let widthKm = Double(lattice.vertexColumns) * DemoLattice.unitLon * DemoLattice.kmPerDegreeLon
        let heightKm = Double(lattice.rows + 1) * DemoLattice.unitLat * DemoLattice.kmPerDegreeLat
        let nx = Int(widthKm / meshKm) + 2, ny = Int(heightKm / meshKm) + 2
        var mesh = [Double](repeating: 0, count: nx * ny)
        for j in 0..<ny {
            for i in 0..<nx { mesh[j * nx + i] = DemoRandom.unit(seed: lattice.seed, i, j, salt: salt) }
        }
        var result = [Double](repeating: 0, count: lattice.cellCount)
        for cell in 0..<lattice.cellCount {
            let p = lattice.centreKm(cell)
            let fx = p.x / meshKm, fy = p.y / meshKm
            let i = Swift.min(nx - 2, Int(fx)), j = Swift.min(ny - 2, Int(fy))
            var tx = fx - Double(i), ty = fy - Double(j)
            tx = tx * tx * (3 - 2 * tx)
            ty = ty * ty * (3 - 2 * ty)
            let a = mesh[j * nx + i], b = mesh[j * nx + i + 1], c = mesh[(j + 1) * nx + i], d = mesh[(j + 1) * nx + i + 1]
            result[cell] = (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty
        }
        return result
    }

    /// The mix of a few octaves, with the given weights (they should sum to 1).
    static func blend(_ fields: [[Double]], weights: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: fields[0].count)
        for (field, w) in zip(fields, weights) {
            for i in result.indices { result[i] += w * field[i] }
        }
        return result
    }

    /// How easily a region grows into a brick: low in the "hills" (low noise), full in the "valleys".
    static func passability(_ field: [Double]) -> [Double] {
        field.map { Swift.min(1, Swift.max(0.08, ($0 - 0.25) * 2)) }
    }
}
