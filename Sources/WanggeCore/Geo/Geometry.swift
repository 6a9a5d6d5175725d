import Foundation

/// A WGS-84 position. Longitude first, as in GeoJSON.
public struct GeoPoint: Hashable, Sendable, Codable {
    public var lon: Double
    public var lat: Double
    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }
}

public struct BoundingBox: Hashable, Sendable {
    public var minLon: Double, minLat: Double, maxLon: Double, maxLat: Double

    public init(minLon: Double, minLat: Double, maxLon: Double, maxLat: Double) {
        self.minLon = minLon
        self.minLat = minLat
        self.maxLon = maxLon
        self.maxLat = maxLat
    }

    public init?(points: some Sequence<GeoPoint>) {
        var it = points.makeIterator()
        guard let first = it.next() else { return nil }
        self.init(minLon: first.lon, minLat: first.lat, maxLon: first.lon, maxLat: first.lat)
        while let p = it.next() { extend(p) }
    }

    public mutating func extend(_ p: GeoPoint) {
        minLon = Swift.min(minLon, p.lon); maxLon = Swift.max(maxLon, p.lon)
        minLat = Swift.min(minLat, p.lat); maxLat = Swift.max(maxLat, p.lat)
    }

    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(minLon: Swift.min(minLon, other.minLon), minLat: Swift.min(minLat, other.minLat),
                    maxLon: Swift.max(maxLon, other.maxLon), maxLat: Swift.max(maxLat, other.maxLat))
    }

    public func contains(_ p: GeoPoint) -> Bool {
        p.lon >= minLon && p.lon <= maxLon && p.lat >= minLat && p.lat <= maxLat
    }

    public var width: Double { maxLon - minLon }
    public var height: Double { maxLat - minLat }
}

/// A closed ring: the first point is repeated as the last, as GeoJSON requires.
///
/// Rings with many edges carry their edges bucketed by latitude band, so a point test looks only at the edges
/// near the point's latitude instead of every edge: county and township outlines have thousands.
public struct Ring: Hashable, Sendable {
    public let points: [GeoPoint]
    private let bands: EdgeBands?

    public init(_ points: [GeoPoint]) {
        self.points = points
        bands = points.count > 48 ? EdgeBands(points) : nil
    }

    public static func == (a: Ring, b: Ring) -> Bool { a.points == b.points }
    public func hash(into h: inout Hasher) { h.combine(points) }

    /// Twice the signed area in squared degrees (positive when counter-clockwise).
    public var signedDoubleArea: Double {
        var sum = 0.0
        for i in 0..<(points.count - 1) {
            let a = points[i], b = points[i + 1]
            sum += a.lon * b.lat - b.lon * a.lat
        }
        return sum
    }

    public var area: Double { abs(signedDoubleArea) / 2 }

    /// Calls `body` with the index of every edge that may reach latitude band [lat - margin, lat + margin].
    @inline(__always)
    private func forEdges(near lat: Double, margin: Double, _ body: (Int) -> Void) {
        if let bands {
            bands.forEdges(near: lat, margin: margin, body)
        } else {
            for i in 0..<(points.count - 1) { body(i) }
        }
    }

    /// Crossing-number test with a half-open rule on latitude. Each edge is evaluated with its endpoints in a
    /// canonical order, so two polygons that share an edge compute the very same crossing and a point on the shared
    /// edge falls in exactly one of them.
    public func crossingContains(_ p: GeoPoint) -> Bool {
        var inside = false
        let pts = points
        forEdges(near: p.lat, margin: 0) { i in
            var a = pts[i], b = pts[i + 1]
            if (a.lat > b.lat) || (a.lat == b.lat && a.lon > b.lon) { swap(&a, &b) }
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let x = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat)
                if p.lon < x { inside.toggle() }
            }
        }
        return inside
    }

    /// Whether the point lies on an edge (within `tolerance` degrees, about a millimetre by default).
    func touches(_ p: GeoPoint, tolerance: Double = 1e-8) -> Bool {
        var hit = false
        let pts = points
        forEdges(near: p.lat, margin: tolerance) { i in
            if !hit && Self.distanceToSegment(p, pts[i], pts[i + 1]) <= tolerance { hit = true }
        }
        return hit
    }

    static func distanceToSegment(_ p: GeoPoint, _ a: GeoPoint, _ b: GeoPoint) -> Double {
        let dx = b.lon - a.lon, dy = b.lat - a.lat
        let len2 = dx * dx + dy * dy
        var t = len2 == 0 ? 0 : ((p.lon - a.lon) * dx + (p.lat - a.lat) * dy) / len2
        t = Swift.max(0, Swift.min(1, t))
        let cx = a.lon + t * dx - p.lon, cy = a.lat + t * dy - p.lat
        return (cx * cx + cy * cy).squareRoot()
    }
}

/// A ring's edges grouped by the latitude bands they span.
struct EdgeBands: Sendable {
    let minLat: Double
    let bandHeight: Double
    let edges: [[Int32]]

    init(_ points: [GeoPoint]) {
        let n = points.count - 1
        var lo = points[0].lat, hi = points[0].lat
        for p in points { lo = Swift.min(lo, p.lat); hi = Swift.max(hi, p.lat) }
        let count = Swift.max(1, Int(Double(n).squareRoot()))
        minLat = lo
        bandHeight = Swift.max((hi - lo) / Double(count), 1e-12)
        var buckets = [[Int32]](repeating: [], count: count)
        for i in 0..<n {
            let a = points[i].lat, b = points[i + 1].lat
            let first = Swift.min(count - 1, Swift.max(0, Int((Swift.min(a, b) - lo) / bandHeight)))
            let last = Swift.min(count - 1, Swift.max(0, Int((Swift.max(a, b) - lo) / bandHeight)))
            for k in first...last { buckets[k].append(Int32(i)) }
        }
        edges = buckets
    }

    @inline(__always)
    func forEdges(near lat: Double, margin: Double, _ body: (Int) -> Void) {
        let first = Int(((lat - margin) - minLat) / bandHeight), last = Int(((lat + margin) - minLat) / bandHeight)
        guard last >= 0, first < edges.count else { return }
        let lo = Swift.max(0, first), hi = Swift.min(edges.count - 1, last)
        if lo == hi {
            for e in edges[lo] { body(Int(e)) }
        } else {
            // An edge spanning several bands is listed in each; visit it once.
            var seen = Set<Int32>()
            for k in lo...hi { for e in edges[k] where seen.insert(e).inserted { body(Int(e)) } }
        }
    }
}

public struct Polygon: Hashable, Sendable {
    public var outer: Ring
    public var holes: [Ring]
    public init(outer: Ring, holes: [Ring] = []) {
        self.outer = outer
        self.holes = holes
    }

    public var area: Double { outer.area - holes.reduce(0) { $0 + $1.area } }

    public func crossingContains(_ p: GeoPoint) -> Bool {
        guard outer.crossingContains(p) else { return false }
        return !holes.contains { $0.crossingContains(p) }
    }

    func touches(_ p: GeoPoint) -> Bool {
        outer.touches(p) || holes.contains { $0.touches(p) }
    }
}

/// The boundary of an area: one or more polygons, each with optional holes.
public struct MultiPolygon: Hashable, Sendable {
    public var polygons: [Polygon]
    public let bbox: BoundingBox

    public init(_ polygons: [Polygon]) {
        precondition(!polygons.isEmpty && polygons.allSatisfy { $0.outer.points.count >= 4 })
        self.polygons = polygons
        self.bbox = BoundingBox(points: polygons.lazy.flatMap { $0.outer.points })!
    }

    public var area: Double { polygons.reduce(0) { $0 + $1.area } }

    /// Interior test (half-open on shared edges).
    public func contains(_ p: GeoPoint) -> Bool {
        bbox.contains(p) && polygons.contains { $0.crossingContains(p) }
    }

    /// Whether the point lies on any ring of the boundary.
    public func touches(_ p: GeoPoint) -> Bool {
        bbox.contains(p) && polygons.contains { $0.touches(p) }
    }

    public var vertexCount: Int {
        polygons.reduce(0) { $0 + $1.outer.points.count + $1.holes.reduce(0) { $0 + $1.points.count } }
    }

    /// A point guaranteed to be inside (for labels and tests): the middle of the widest interior run on the
    /// horizontal line through the largest polygon's bounding-box centre.
    public var interiorPoint: GeoPoint {
        let largest = polygons.max { $0.area < $1.area }!
        let box = BoundingBox(points: largest.outer.points)!
        for fraction in [0.5, 0.37, 0.63, 0.25, 0.75, 0.12, 0.88] {
            let y = box.minLat + box.height * fraction
            var xs: [Double] = []
            for ring in [largest.outer] + largest.holes {
                for i in 0..<(ring.points.count - 1) {
                    let a = ring.points[i], b = ring.points[i + 1]
                    if (a.lat > y) != (b.lat > y) {
                        xs.append(a.lon + (y - a.lat) * (b.lon - a.lon) / (b.lat - a.lat))
                    }
                }
            }
            xs.sort()
            var best: (Double, Double)? = nil
            var i = 0
            while i + 1 < xs.count {
                if best == nil || xs[i + 1] - xs[i] > best!.1 - best!.0 { best = (xs[i], xs[i + 1]) }
                i += 2
            }
            if let best {
                let p = GeoPoint(lon: (best.0 + best.1) / 2, lat: y)
                if largest.crossingContains(p) { return p }
            }
        }
        return largest.outer.points[0]
    }
}
