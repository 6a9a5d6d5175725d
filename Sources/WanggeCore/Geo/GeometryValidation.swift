import Foundation

/// Why a boundary is not usable. The text is shown to the administrator who imported it.
public enum GeometryProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case tooFewPoints(ring: String, count: Int)
    case notClosed(ring: String)
    case coordinateOutOfRange(ring: String, index: Int)
    case zeroArea(ring: String)
    case selfIntersection(ring: String, edge: Int, otherEdge: Int)
    case holeOutsideShell(hole: Int)

    public var description: String {
        switch self {
        case let .tooFewPoints(ring, count): "\(ring) has \(count) positions; a ring needs at least 4"
        case let .notClosed(ring): "\(ring) is not closed (its first and last positions differ)"
        case let .coordinateOutOfRange(ring, index): "\(ring) position \(index) is not a valid longitude/latitude"
        case let .zeroArea(ring): "\(ring) encloses no area"
        case let .selfIntersection(ring, edge, other): "\(ring) crosses itself (edges \(edge) and \(other))"
        case let .holeOutsideShell(hole): "hole \(hole) lies outside its polygon's outer ring"
        }
    }
}

extension Ring {
    /// Checks one ring; `name` says which ring in messages ("polygon 0 outer ring").
    func validate(name: String) throws(GeometryProblem) {
        guard points.count >= 4 else { throw .tooFewPoints(ring: name, count: points.count) }
        guard points.first == points.last else { throw .notClosed(ring: name) }
        for (i, p) in points.enumerated()
        where !(p.lon.isFinite && p.lat.isFinite && abs(p.lon) <= 180 && abs(p.lat) <= 90) {
            throw .coordinateOutOfRange(ring: name, index: i)
        }
        guard area > 0 else { throw .zeroArea(ring: name) }
        try checkSimple(name: name)
    }

    /// No two non-adjacent edges may touch or cross. Edges are bucketed by latitude band so large rings stay cheap.
    private func checkSimple(name: String) throws(GeometryProblem) {
        let n = points.count - 1
        guard n > 3 else { return }
        let box = BoundingBox(points: points)!
        let bands = Swift.max(1, Swift.min(n / 4, 512))
        let bandHeight = Swift.max(box.height / Double(bands), .leastNonzeroMagnitude)
        var bucket = [[Int]](repeating: [], count: bands)
        func band(_ lat: Double) -> Int { Swift.min(bands - 1, Swift.max(0, Int((lat - box.minLat) / bandHeight))) }
        for e in 0..<n {
            let lo = band(Swift.min(points[e].lat, points[e + 1].lat)), hi = band(Swift.max(points[e].lat, points[e + 1].lat))
            for b in lo...hi { bucket[b].append(e) }
        }
        var checked = Set<Int>()
        for edges in bucket where edges.count > 1 {
            for i in 0..<edges.count {
                for j in (i + 1)..<edges.count {
                    let e = edges[i], f = edges[j]
                    let (lo, hi) = (Swift.min(e, f), Swift.max(e, f))
                    if hi - lo == 1 || (lo == 0 && hi == n - 1) { continue }
                    guard checked.insert(lo * n + hi).inserted else { continue }
                    if Self.segmentsIntersect(points[lo], points[lo + 1], points[hi], points[hi + 1]) {
                        throw .selfIntersection(ring: name, edge: lo, otherEdge: hi)
                    }
                }
            }
        }
    }

    static func segmentsIntersect(_ p1: GeoPoint, _ p2: GeoPoint, _ q1: GeoPoint, _ q2: GeoPoint) -> Bool {
        func orient(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint) -> Double {
            (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)
        }
        func onSegment(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint) -> Bool {
            Swift.min(a.lon, b.lon) <= c.lon && c.lon <= Swift.max(a.lon, b.lon)
                && Swift.min(a.lat, b.lat) <= c.lat && c.lat <= Swift.max(a.lat, b.lat)
        }
        let d1 = orient(q1, q2, p1), d2 = orient(q1, q2, p2), d3 = orient(p1, p2, q1), d4 = orient(p1, p2, q2)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        if d1 == 0 && onSegment(q1, q2, p1) { return true }
        if d2 == 0 && onSegment(q1, q2, p2) { return true }
        if d3 == 0 && onSegment(p1, p2, q1) { return true }
        if d4 == 0 && onSegment(p1, p2, q2) { return true }
        return false
    }
}

extension MultiPolygon {
    /// Builds a boundary from raw rings, checking every ring; throws the first problem found.
    public static func validated(_ polygons: [[[GeoPoint]]]) throws(GeometryProblem) -> MultiPolygon {
        var result: [Polygon] = []
        for (pi, rings) in polygons.enumerated() {
            guard let outerPoints = rings.first else { throw .tooFewPoints(ring: "polygon \(pi) outer ring", count: 0) }
            let outer = Ring(outerPoints)
            try outer.validate(name: "polygon \(pi) outer ring")
            var holes: [Ring] = []
            for (hi, holePoints) in rings.dropFirst().enumerated() {
                let hole = Ring(holePoints)
                try hole.validate(name: "polygon \(pi) hole \(hi)")
                let probe = GeoPoint(lon: (hole.points[0].lon + hole.points[1].lon) / 2,
                                     lat: (hole.points[0].lat + hole.points[1].lat) / 2)
                if !outer.crossingContains(probe) && !outer.touches(probe) { throw .holeOutsideShell(hole: hi) }
                holes.append(hole)
            }
            result.append(Polygon(outer: outer, holes: holes))
        }
        guard !result.isEmpty else { throw .tooFewPoints(ring: "geometry", count: 0) }
        return MultiPolygon(result)
    }
}
