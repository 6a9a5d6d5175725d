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

    /// Path data for a boundary in whole view-box units, relative commands, each ring simplified (Douglas–Peucker)
    /// to within `tolerance` units: detail finer than a pixel costs bytes and shows nothing.
    func path(_ shape: MultiPolygon, tolerance: Double = 0.9) -> String {
        var d = ""
        for polygon in shape.polygons {
            for ring in [polygon.outer] + polygon.holes {
                let projected = ring.points.map { (x($0), y($0)) }
                let kept = Self.simplify(projected, tolerance: tolerance)
                var last: (Int, Int)? = nil
                for (px, py) in kept.dropLast() {
                    let pt = (Int(px.rounded()), Int(py.rounded()))
                    if let l = last {
                        if l == pt { continue }
                        d += "l\(pt.0 - l.0)" + (pt.1 - l.1 < 0 ? "" : " ") + "\(pt.1 - l.1)"
                    } else {
                        d += "M\(pt.0) \(pt.1)"
                    }
                    last = pt
                }
                d += "z"
            }
        }
        return d
    }

    /// Douglas–Peucker on a closed ring (first point == last point); keeps at least a triangle.
    static func simplify(_ pts: [(Double, Double)], tolerance: Double) -> [(Double, Double)] {
        guard pts.count > 4 else { return pts }
        // Split the ring at its first point and the point farthest from it, and simplify both halves as lines.
        let a = pts[0]
        var far = 1
        var best = -1.0
        for i in 1..<(pts.count - 1) {
            let dx = pts[i].0 - a.0, dy = pts[i].1 - a.1
            let d = dx * dx + dy * dy
            if d > best { best = d; far = i }
        }
        var keep = [Bool](repeating: false, count: pts.count)
        keep[0] = true; keep[far] = true; keep[pts.count - 1] = true
        func run(_ lo: Int, _ hi: Int) {
            var stack = [(lo, hi)]
            while let (l, h) = stack.popLast() {
                guard h > l + 1 else { continue }
                let (x1, y1) = pts[l], (x2, y2) = pts[h]
                let dx = x2 - x1, dy = y2 - y1
                let len = max((dx * dx + dy * dy).squareRoot(), 1e-12)
                var idx = -1
                var maxD = 0.0
                for i in (l + 1)..<h {
                    let d = abs(dy * pts[i].0 - dx * pts[i].1 + x2 * y1 - y2 * x1) / len
                    if d > maxD { maxD = d; idx = i }
                }
                if maxD > tolerance, idx > 0 {
                    keep[idx] = true
                    stack.append((l, idx))
                    stack.append((idx, h))
                }
            }
        }
        run(0, far)
        run(far, pts.count - 1)
        let result = pts.indices.filter { keep[$0] }.map { pts[$0] }
        return result.count >= 4 ? result : pts
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
        let fill = townshipFill(j, otherwise: "#ddd")
        var out = "<svg class=\"map\" viewBox=\"0 0 \(Int(proj.width)) \(Int(proj.height))\" \(proj.dataAttributes) role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<g class=\"grids\">"
        for a in j.areas where a.level == .grid {
            guard let shape = a.boundary else { continue }
            let inScope = j.chain(from: a.code).contains { $0.code == scope }
            out += "<path d=\"\(proj.path(shape))\" fill=\"\(HTML.escape(fill(a)))\" data-code=\"\(HTML.escape(a.code))\"\(inScope ? " class=\"in\"" : " class=\"out\"")><title>\(HTML.escape(a.name))</title></path>"
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

    /// Each area's fill: its township's colour from the palette (`otherwise` outside every township).
    static func townshipFill(_ j: Jurisdiction, otherwise: String) -> (Area) -> String {
        var colour: [String: String] = [:]
        if let root = j.root {
            for (i, t) in j.children(of: root.code).filter({ $0.level == .township }).enumerated() { colour[t.code] = palette[i % palette.count] }
        }
        return { a in colour[j.chain(from: a.code).first { $0.level == .township }?.code ?? ""] ?? otherwise }
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

extension MapProjection {
    /// For scripts that turn a tap on the map into a place: lon = minLon + x / kx, lat = maxLat − y / ky.
    var dataAttributes: String {
        "data-min-lon=\"\(box.minLon)\" data-max-lat=\"\(box.maxLat)\" data-kx=\"\(kxValue)\" data-ky=\"\(kyValue)\""
    }
    var kxValue: Double { x(GeoPoint(lon: box.minLon + 1, lat: box.maxLat)) }
    var kyValue: Double { y(GeoPoint(lon: box.minLon, lat: box.maxLat - 1)) }
}

/// Small and mid-size maps: a set of areas framed on their own box, with optional fills, points and extras.
enum AreaMap {
    struct Options {
        var width: Double = 600
        var cssClass = "map"
        var title: String
        var fill: (Area) -> String = { _ in "#dbe4ee" }
        var highlight: String? = nil
        var tooltip: (Area) -> String = { $0.name }
        var links: ((Area) -> String)? = nil
    }

    /// Areas projected into their frame: the part of a map that depends only on the tree, so a page that colours
    /// the same areas differently on every request (the dashboard's heat map) can keep it.
    struct Drawing: Sendable {
        struct Shape: Sendable { let area: Area; let path: String }
        let projection: MapProjection
        let shapes: [Shape]
    }

    static func drawing(_ areas: [Area], frame: BoundingBox, width: Double) -> Drawing {
        let pad = max(frame.width, frame.height) * 0.03
        let box = BoundingBox(minLon: frame.minLon - pad, minLat: frame.minLat - pad, maxLon: frame.maxLon + pad, maxLat: frame.maxLat + pad)
        let proj = MapProjection(box: box, width: width)
        return Drawing(projection: proj, shapes: areas.compactMap { a in a.boundary.map { .init(area: a, path: proj.path($0)) } })
    }

    static func svg(_ areas: [Area], frame: BoundingBox, _ o: Options, overlay: (MapProjection) -> String = { _ in "" }) -> String {
        svg(drawing(areas, frame: frame, width: o.width), o, overlay: overlay)
    }

    static func svg(_ d: Drawing, _ o: Options, overlay: (MapProjection) -> String = { _ in "" }) -> String {
        let proj = d.projection
        var out = "<svg class=\"\(HTML.escape(o.cssClass))\" viewBox=\"0 0 \(Int(proj.width)) \(Int(proj.height))\" role=\"img\" aria-label=\"\(HTML.escape(o.title))\" \(proj.dataAttributes) xmlns=\"http://www.w3.org/2000/svg\"><g class=\"areas\">"
        for s in d.shapes {
            let a = s.area
            let cls = a.code == o.highlight ? " class=\"hl\"" : ""
            let path = "<path d=\"\(s.path)\" fill=\"\(HTML.escape(o.fill(a)))\" data-code=\"\(HTML.escape(a.code))\"\(cls)><title>\(HTML.escape(o.tooltip(a)))</title></path>"
            if let link = o.links?(a) { out += "<a href=\"\(HTML.escape(link))\">\(path)</a>" } else { out += path }
        }
        out += "</g>" + overlay(proj) + "</svg>"
        return out
    }
}
