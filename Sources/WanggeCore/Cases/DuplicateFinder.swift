import Foundation

/// An existing case as the duplicate search sees it.
public struct DuplicateCandidate: Hashable, Sendable {
    public var code: String
    public var categoryCode: String
    public var point: GeoPoint?
    public var reportedAt: Date
    public var state: CaseState

    public init(code: String, categoryCode: String, point: GeoPoint?, reportedAt: Date, state: CaseState) {
        self.code = code
        self.categoryCode = categoryCode
        self.point = point
        self.reportedAt = reportedAt
        self.state = state
    }
}

public struct DuplicateMatch: Hashable, Sendable {
    public var code: String
    public var distanceMetres: Double
}

/// Likely duplicates of a new report (DESIGN §4): open cases of the same 小类 reported within `maxDistanceMetres`
/// (great-circle distance) and within `maxAge` (wall-clock time, either side) of it.
public enum DuplicateFinder {
    public static let defaultDistanceMetres = 200.0
    public static let defaultMaxAge: TimeInterval = 72 * 3600

    /// The likely duplicates, nearest first (then by code). Candidates without a point, closed, rejected or
    /// merged ones never match.
    public static func likely(categoryCode: String, point: GeoPoint, at time: Date, open candidates: [DuplicateCandidate],
                              maxDistanceMetres: Double = defaultDistanceMetres,
                              maxAge: TimeInterval = defaultMaxAge) -> [DuplicateMatch] {
        candidates.compactMap { c -> DuplicateMatch? in
            guard c.categoryCode == categoryCode, c.state.isOpen, let p = c.point,
                  abs(time.timeIntervalSince(c.reportedAt)) <= maxAge
            else { return nil }
            let distance = haversineMetres(point, p)
            return distance <= maxDistanceMetres ? DuplicateMatch(code: c.code, distanceMetres: distance) : nil
        }
        .sorted { ($0.distanceMetres, $0.code) < ($1.distanceMetres, $1.code) }
    }

    /// Great-circle distance on a sphere of the Earth's mean radius.
    public static func haversineMetres(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let radius = 6_371_008.8
        let rad = Double.pi / 180
        let dLat = (b.lat - a.lat) * rad
        let dLon = (b.lon - a.lon) * rad
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * rad) * cos(b.lat * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * radius * asin(min(1, sqrt(h)))
    }
}
