import Foundation

/// Hexagonal bins for a heat layer: points in a plane (a map's view box) counted into pointy-top hexagons of a
/// given radius, so a year of cases draws as a few hundred shapes instead of tens of thousands of dots.
public struct HexBins: Sendable {
    public struct Bin: Hashable, Sendable {
        public var q: Int
        public var r: Int
        public var count: Int
        public var centreX: Double
        public var centreY: Double
    }

    public let radius: Double
    public private(set) var bins: [Bin] = []
    private var index: [Int64: Int] = [:]

    public init(radius: Double) {
        precondition(radius > 0)
        self.radius = radius
    }

    public mutating func add(x: Double, y: Double) {
        let (q, r) = Self.axial(x: x, y: y, radius: radius)
        let key = Int64(q) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: r)))
        if let i = index[key] { bins[i].count += 1; return }
        let c = Self.centre(q: q, r: r, radius: radius)
        index[key] = bins.count
        bins.append(Bin(q: q, r: r, count: 1, centreX: c.x, centreY: c.y))
    }

    public var maximum: Int { bins.map(\.count).max() ?? 0 }

    /// The hexagon holding a point: axial coordinates by cube rounding.
    public static func axial(x: Double, y: Double, radius: Double) -> (q: Int, r: Int) {
        let fq = (3.0.squareRoot() / 3 * x - y / 3) / radius
        let fr = (2.0 / 3 * y) / radius
        let fs = -fq - fr
        var q = fq.rounded(), r = fr.rounded()
        let s = fs.rounded()
        let dq = abs(q - fq), dr = abs(r - fr), ds = abs(s - fs)
        if dq > dr && dq > ds { q = -r - s } else if dr > ds { r = -q - s }
        return (Int(q), Int(r))
    }

    public static func centre(q: Int, r: Int, radius: Double) -> (x: Double, y: Double) {
        (radius * 3.0.squareRoot() * (Double(q) + Double(r) / 2), radius * 1.5 * Double(r))
    }

    /// The six corners of a bin's hexagon, for an SVG polygon.
    public static func corners(x: Double, y: Double, radius: Double) -> [(x: Double, y: Double)] {
        (0..<6).map { i in
            let angle = Double.pi / 180 * (60 * Double(i) - 30)
            return (x + radius * cos(angle), y + radius * sin(angle))
        }
    }
}
