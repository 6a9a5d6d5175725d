import Foundation

/// GeoJSON geometry as it travels on the wire and is stored: Polygon or MultiPolygon, [lon, lat] positions.
public struct GeoJSONGeometry: Codable, Sendable, Equatable {
    public var type: String
    /// Always held as MultiPolygon coordinates: polygons → rings → positions → [lon, lat].
    public var polygons: [[[[Double]]]]

    public init(_ boundary: MultiPolygon) {
        type = boundary.polygons.count == 1 ? "Polygon" : "MultiPolygon"
        polygons = boundary.polygons.map { p in
            ([p.outer] + p.holes).map { ring in ring.points.map { [$0.lon, $0.lat] } }
        }
    }

    enum CodingKeys: String, CodingKey { case type, coordinates }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        switch type {
        case "Polygon": polygons = [try c.decode([[[Double]]].self, forKey: .coordinates)]
        case "MultiPolygon": polygons = try c.decode([[[[Double]]]].self, forKey: .coordinates)
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c,
                debugDescription: "geometry type \(type) is not Polygon or MultiPolygon")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        if type == "Polygon", polygons.count == 1 {
            try c.encode(polygons[0], forKey: .coordinates)
        } else {
            try c.encode("MultiPolygon", forKey: .type)
            try c.encode(polygons, forKey: .coordinates)
        }
    }

    /// The checked boundary; a position must be [lon, lat] (a third value, altitude, is ignored).
    public func boundary() throws(GeometryProblem) -> MultiPolygon {
        var raw: [[[GeoPoint]]] = []
        for (pi, rings) in polygons.enumerated() {
            var rr: [[GeoPoint]] = []
            for (ri, ring) in rings.enumerated() {
                var pts: [GeoPoint] = []
                for (k, pos) in ring.enumerated() {
                    guard pos.count >= 2 else {
                        throw .coordinateOutOfRange(ring: ri == 0 ? "polygon \(pi) outer ring" : "polygon \(pi) hole \(ri - 1)", index: k)
                    }
                    pts.append(GeoPoint(lon: pos[0], lat: pos[1]))
                }
                rr.append(pts)
            }
            raw.append(rr)
        }
        return try MultiPolygon.validated(raw)
    }

    /// Compact JSON text for storage.
    public func jsonText() -> String {
        String(decoding: try! JSONEncoder().encode(self), as: UTF8.self)
    }

    public static func parse(_ text: String) throws -> GeoJSONGeometry {
        try JSONDecoder().decode(GeoJSONGeometry.self, from: Data(text.utf8))
    }
}
