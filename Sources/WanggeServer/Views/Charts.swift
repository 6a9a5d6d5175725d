import Foundation
import WanggeCore

/// SVG charts drawn from our own numbers: no chart library, nothing fetched.
enum Charts {
    /// A line of rates (0…1, nil = nothing counted) over labelled periods, with the counts as faint bars.
    static func rateLine(_ points: [(label: String, measure: Measure)], title: String, width: Double = 640, height: Double = 220) -> String {
        let left = 44.0, right = 12.0, top = 14.0, bottom = 34.0
        let w = width - left - right, h = height - top - bottom
        let n = max(points.count, 1)
        let step = w / Double(max(n - 1, 1))
        let rates = points.compactMap { $0.measure.rate }
        let lo = max(0, ((rates.min() ?? 0.9) * 20).rounded(.down) / 20 - 0.05)
        let maxDen = Double(points.map(\.measure.denominator).max() ?? 1)
        func y(_ r: Double) -> Double { top + h * (1 - (r - lo) / max(1 - lo, 0.01)) }
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        for i in 0...4 {
            let r = lo + (1 - lo) * Double(i) / 4
            out += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(r))\" y2=\"\(y(r))\"/><text class=\"axis\" x=\"\(left - 4)\" y=\"\(y(r) + 4)\" text-anchor=\"end\">\(Int((r * 100).rounded()))%</text>"
        }
        for (i, p) in points.enumerated() where maxDen > 0 {
            let bh = h * 0.35 * Double(p.measure.denominator) / maxDen
            out += "<rect class=\"bar\" x=\"\(left + Double(i) * step - 4)\" y=\"\(top + h - bh)\" width=\"8\" height=\"\(bh)\"><title>\(p.measure.numerator)/\(p.measure.denominator)</title></rect>"
        }
        var d = ""
        for (i, p) in points.enumerated() {
            guard let r = p.measure.rate else { continue }
            d += (d.isEmpty ? "M" : "L") + String(format: "%.1f %.1f", left + Double(i) * step, y(r))
        }
        out += "<path class=\"line\" d=\"\(d)\"/>"
        for (i, p) in points.enumerated() {
            if let r = p.measure.rate {
                out += "<circle class=\"dot\" cx=\"\(left + Double(i) * step)\" cy=\"\(y(r))\" r=\"4\"><title>\(HTML.escape(p.label)): \(Format.rate(p.measure)) (\(p.measure.numerator)/\(p.measure.denominator))</title></circle>"
            }
            if points.count <= 14 || i % max(1, points.count / 8) == 0 {
                out += "<text class=\"axis\" x=\"\(left + Double(i) * step)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(HTML.escape(p.label))</text>"
            }
        }
        return out + "</svg>"
    }

    /// A colour from red (low) through amber to green (high) for a rate between `lo` and 1.
    static func colour(_ rate: Double?, lo: Double = 0.9) -> String {
        guard let r = rate else { return "#e5e7eb" }
        let t = max(0, min(1, (r - lo) / (1 - lo)))
        let stops: [(Double, (Int, Int, Int))] = [(0, (220, 38, 38)), (0.5, (245, 158, 11)), (1, (22, 163, 74))]
        let (a, b) = t < 0.5 ? (stops[0], stops[1]) : (stops[1], stops[2])
        let u = (t - a.0) / (b.0 - a.0)
        func mix(_ x: Int, _ y: Int) -> Int { Int(Double(x) + (Double(y) - Double(x)) * u) }
        return Format.hexColour(mix(a.1.0, b.1.0), mix(a.1.1, b.1.1), mix(a.1.2, b.1.2))
    }
}
