import Foundation
import Testing

@testable import WanggeCore

@Suite("Hexagon bins")
struct HexBinsTests {
    @Test func everyPointLandsInTheNearestCentre() {
        var random = UnitRandom(state: 3)
        func unit() -> Double { random.next() }
        let radius = 10.0
        for _ in 0..<5_000 {
            let x = unit() * 1_000 - 500, y = unit() * 1_000 - 500
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

    @Test func binsNearAndFarCountLikeAGroupingByCell() {
        // Points over a map's view box and far outside it (looked up two ways inside): each bin holds exactly the
        // points whose hexagon it is, once.
        var random = UnitRandom(state: 11)
        func unit() -> Double { random.next() }
        for radius in [6.0, 20.0] {
            var bins = HexBins(radius: radius)
            var expected: [String: Int] = [:]
            for i in 0..<20_000 {
                let spread = i % 10 == 0 ? 40_000.0 : 900.0
                let x = unit() * spread - spread / 10, y = unit() * spread - spread / 10
                bins.add(x: x, y: y)
                let (q, r) = HexBins.axial(x: x, y: y, radius: radius)
                expected["\(q),\(r)", default: 0] += 1
            }
            var got: [String: Int] = [:]
            for b in bins.bins { got["\(b.q),\(b.r)", default: 0] += b.count }
            #expect(got == expected)
            #expect(bins.bins.count == expected.count)
            #expect(bins.bins.allSatisfy { b in
                let c = HexBins.centre(q: b.q, r: b.r, radius: radius)
                return c.x == b.centreX && c.y == b.centreY
            })
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

/// A fixed sequence (SplitMix64) of numbers in [0, 1), so that a failure repeats.
private struct UnitRandom {
    var state: UInt64

    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
