import Foundation
import Testing

@testable import WanggeCore

@Suite("Hexagon bins")
struct HexBinsTests {
    @Test func everyPointLandsInTheNearestCentre() {
        var rng = DemoRandom(seed: 3)
        let radius = 10.0
        for _ in 0..<5_000 {
            let x = rng.unit() * 1_000 - 500, y = rng.unit() * 1_000 - 500
            let (q, r) = HexBins.axial(x: x, y: y, radius: radius)
            let c = HexBins.centre(q: q, r: r, radius: radius)
            let own = hypot(c.x - x, c.y - y)
            // no neighbouring centre is nearer (ties on an edge may go either way)
            for (dq, dr) in [(1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1)] {
                let n = HexBins.centre(q: q + dq, r: r + dr, radius: radius)
                #expect(own <= hypot(n.x - x, n.y - y) + 1e-9)
            }
            #expect(own <= radius + 1e-9)
        }
    }

    @Test func countsAddUpAndNearbyPointsShareABin() {
        var bins = HexBins(radius: 5)
        for i in 0..<100 { bins.add(x: 50 + Double(i % 3) * 0.1, y: 50) }
        bins.add(x: 500, y: 500)
        #expect(bins.bins.map(\.count).reduce(0, +) == 101)
        #expect(bins.bins.count == 2)
        #expect(bins.maximum == 100)
        #expect(HexBins.corners(x: 0, y: 0, radius: 2).allSatisfy { abs(hypot($0.x, $0.y) - 2) < 1e-9 })
    }
}
