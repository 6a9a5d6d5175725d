import Foundation
import WanggeCore

/// Draws boundaries as SVG paths in a fixed-width view box, with an equirectangular projection scaled by the
/// cosine of the middle latitude so shapes keep their proportions at China's latitudes.
struct MapProjection: Sendable {
    let box: BoundingBox
    let width: Double
    let height: Double
    private let kx: Double
    private let ky: Double

    init(box: BoundingBox, width: Double = 1000) {
        self.box = box
        self.width = width
        let midLat = (box.minLat + box.maxLat) / 2 * .pi / 180
        let geoWidth = max(box.width * cos(midLat), 1e-9)
        let scale = width / geoWidth  // view-box units per degree of latitude
        kx = scale * cos(midLat)
        ky = scale
        height = max(1, (box.height * ky).rounded(.up))
    }

    func x(_ p: GeoPoint) -> Double { (p.lon - box.minLon) * kx }
    func y(_ p: GeoPoint) -> Double { (box.maxLat - p.lat) * ky }

    /// Path data for a boundary, in whole view-box units; repeated points after rounding are dropped.
    func path(_ shape: MultiPolygon) -> String {
        var d = ""
        for polygon in shape.polygons {
            for ring in [polygon.outer] + polygon.holes {
                var last: (Int, Int)? = nil
                var first = true
                for p in ring.points.dropLast() {
                    let pt = (Int(x(p).rounded()), Int(y(p).rounded()))
                    if let last, last == pt { continue }
                    d += first ? "M\(pt.0) \(pt.1)" : "L\(pt.0) \(pt.1)"
                    first = false
                    last = pt
                }
                d += "Z"
            }
        }
        return d
    }
}

/// The jurisdiction map: every grid filled with its township's colour, township borders on top, and the viewer's
/// scope outlined; grids outside the scope are faded.
enum JurisdictionMap {
    static let palette = ["#8ecae6", "#ffd6a5", "#caffbf", "#bdb2ff", "#ffc6ff", "#fdffb6", "#9bf6ff", "#ffadad",
                          "#a0c4ff", "#d8e2dc", "#e9c46a", "#b7e4c7", "#f4a261", "#cdb4db", "#90e0ef", "#ffb4a2"]

    static func svg(_ j: Jurisdiction, scope: String, title: String) -> String {
        guard let root = j.root, let rootShape = root.boundary ?? unionBox(j) else { return "" }
        let proj = MapProjection(box: rootShape.bbox)
        let townships = j.children(of: root.code).filter { $0.level == .township }
        var colour: [String: String] = [:]
        for (i, t) in townships.enumerated() { colour[t.code] = palette[i % palette.count] }
        var out = "<svg class=\"map\" viewBox=\"0 0 \(Int(proj.width)) \(Int(proj.height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<g class=\"grids\">"
        for a in j.areas where a.level == .grid {
            guard let shape = a.boundary else { continue }
            let chain = j.chain(from: a.code)
            let township = chain.first { $0.level == .township }?.code ?? ""
            let inScope = chain.contains { $0.code == scope }
            out += "<path d=\"\(proj.path(shape))\" fill=\"\(colour[township] ?? "#ddd")\" data-code=\"\(a.code)\"\(inScope ? " class=\"in\"" : " class=\"out\"")><title>\(HTML.escape(a.name))</title></path>"
        }
        out += "</g><g class=\"townships\">"
        for t in townships { if let s = t.boundary { out += "<path d=\"\(proj.path(s))\"/>" } }
        out += "</g>"
        if let scoped = j[scope], scoped.code != root.code, let s = scoped.boundary {
            out += "<path class=\"scope\" d=\"\(proj.path(s))\"/>"
        }
        out += "<g class=\"labels\" aria-hidden=\"true\">"
        for t in townships {
            guard let s = t.boundary else { continue }
            let p = s.interiorPoint
            out += "<text x=\"\(Int(proj.x(p)))\" y=\"\(Int(proj.y(p)))\">\(HTML.escape(t.name))</text>"
        }
        out += "</g></svg>"
        return out
    }

    /// A county imported without its own boundary: frame the map on everything that has one.
    private static func unionBox(_ j: Jurisdiction) -> MultiPolygon? {
        let boxes = j.areas.compactMap { $0.boundary?.bbox }
        guard let first = boxes.first else { return nil }
        let b = boxes.dropFirst().reduce(first) { $0.union($1) }
        let ring = Ring([GeoPoint(lon: b.minLon, lat: b.minLat), GeoPoint(lon: b.maxLon, lat: b.minLat),
                         GeoPoint(lon: b.maxLon, lat: b.maxLat), GeoPoint(lon: b.minLon, lat: b.maxLat),
                         GeoPoint(lon: b.minLon, lat: b.minLat)])
        return MultiPolygon([Polygon(outer: ring)])
    }
}
