import Foundation
import WanggeCore
import WanggeDemo

/// Measures `Jurisdiction.locate` against a brute-force scan of every grid, on the same points in the same run.
public enum LocateBench {
    public struct Result: Sendable {
        public var points: Int
        public var indexedPerSecond: Double
        public var scanPerSecond: Double
        public var agreed: Int
        public var scanned: Int
        public var inside: Int
    }

    public static func run(_ j: Jurisdiction, points count: Int, seed: UInt64 = 42) -> Result {
        guard let box = j.root?.boundary?.bbox ?? j.areas.compactMap({ $0.boundary?.bbox }).first else {
            return Result(points: 0, indexedPerSecond: 0, scanPerSecond: 0, agreed: 0, scanned: 0, inside: 0)
        }
        var rng = DemoRandom(seed: seed)
        let pts = (0..<count).map { _ in
            GeoPoint(lon: box.minLon + rng.unit() * box.width, lat: box.minLat + rng.unit() * box.height)
        }
        let clock = ContinuousClock()
        var inside = 0
        var indexed: [String?] = []
        indexed.reserveCapacity(count)
        let t0 = clock.now
        for p in pts {
            let loc = j.locate(p)
            if !loc.isOutside { inside += 1 }
            indexed.append(loc.area(at: .grid)?.code)
        }
        let indexedTime = clock.now - t0
        // The reference: test every grid's polygon, on a slice of the points (a full scan is slow).
        let grids = j.areas.filter { $0.level == .grid && $0.boundary != nil }
        let scanCount = max(1, min(count, 2_000))
        var agreed = 0
        let t1 = clock.now
        for (i, p) in pts.prefix(scanCount).enumerated() {
            let hit = grids.first { $0.boundary!.contains(p) }?.code
            if hit == indexed[i] || hit == nil { agreed += 1 }
        }
        let scanTime = clock.now - t1
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        return Result(points: count, indexedPerSecond: Double(count) / seconds(indexedTime),
                      scanPerSecond: Double(scanCount) / seconds(scanTime), agreed: agreed, scanned: scanCount, inside: inside)
    }
}
