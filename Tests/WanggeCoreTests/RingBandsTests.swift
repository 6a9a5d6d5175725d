import Foundation
import Testing
@testable import WanggeCore

/// The banded edge lookup of large rings must answer exactly as a test of every edge does.
@Suite struct RingBandsTests {
    /// A star-shaped ring with many edges, so it gets bands.
    static func star(points n: Int, seed: UInt64) -> [GeoPoint] {
        var rng = LocateBenchRNG(seed: seed)
        var pts: [GeoPoint] = []
        for i in 0..<n {
            let angle = Double(i) / Double(n) * 2 * .pi
            let r = 0.5 + rng.next() * 0.5
            pts.append(GeoPoint(lon: 120 + r * cos(angle), lat: 30 + r * sin(angle)))
        }
        return pts + [pts[0]]
    }

    static func bruteContains(_ pts: [GeoPoint], _ p: GeoPoint) -> Bool {
        var inside = false
        for i in 0..<(pts.count - 1) {
            var a = pts[i], b = pts[i + 1]
            if (a.lat > b.lat) || (a.lat == b.lat && a.lon > b.lon) { swap(&a, &b) }
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let x = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat)
                if p.lon < x { inside.toggle() }
            }
        }
        return inside
    }

    @Test func bandedAnswersEqualEveryEdgeAnswers() {
        for seed in 1...5 as ClosedRange<UInt64> {
            let pts = Self.star(points: 500, seed: seed)
            let ring = Ring(pts)
            var rng = LocateBenchRNG(seed: seed * 31)
            for k in 0..<3_000 {
                // random points, and points exactly on vertices and edge midpoints
                let p: GeoPoint
                switch k % 3 {
                case 0: p = GeoPoint(lon: 118.8 + rng.next() * 2.4, lat: 28.8 + rng.next() * 2.4)
                case 1: p = pts[Int(rng.next() * Double(pts.count - 1))]
                default:
                    let i = Int(rng.next() * Double(pts.count - 1))
                    p = GeoPoint(lon: (pts[i].lon + pts[i + 1].lon) / 2, lat: (pts[i].lat + pts[i + 1].lat) / 2)
                }
                #expect(ring.crossingContains(p) == Self.bruteContains(pts, p), "at \(p)")
                if k % 3 != 0 { #expect(ring.touches(p)) }
            }
        }
    }
}
