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
    /// Where each bin is in `bins` (plus one; 0: none yet) for the bins near the origin, by `(r + offset) * window
    /// + q + offset`: a map's view box at its smallest radius fits, and a year of points is looked up without
    /// hashing (290,000 at `--scale 10`). Others are found through `index`.
    private var near: [Int32] = []
    private var index: [Int64: Int] = [:]
    static let window = 256, offset = 64

    public init(radius: Double) {
        precondition(radius > 0)
        self.radius = radius
    }

    public mutating func add(x: Double, y: Double) {
        let (q, r) = Self.axial(x: x, y: y, radius: radius)
        let (dq, dr) = (q &+ Self.offset, r &+ Self.offset)
        if dq >= 0 && dq < Self.window && dr >= 0 && dr < Self.window {
            if near.isEmpty { near = Array(repeating: 0, count: Self.window * Self.window) }
            let k = dr * Self.window + dq
            let i = Int(near[k])
            if i > 0 { bins[i - 1].count += 1; return }
            near[k] = Int32(bins.count + 1)
        } else {
            let key = Int64(q) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: r)))
            if let i = index[key] { bins[i].count += 1; return }
            index[key] = bins.count
        }
        let c = Self.centre(q: q, r: r, radius: radius)
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
