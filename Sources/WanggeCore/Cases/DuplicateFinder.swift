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

    /// How many likely duplicates an answer names: the nearest. How many there are in all is said beside them, so
    /// a spot that a crowd reports (thousands of open reports) gives a small answer that costs little to find.
    public static let nearestShown = 5

    /// How far the count goes: past this many, an answer says "more than `countCap`" (a spot a crowd reports), so
    /// finding them costs the same however many there are (measured: 7,000 open reports at one spot took intake from
    /// about 1,500 to 185 reports a second when every one was counted).
    public static let countCap = 200

    /// The Earth's mean radius, in metres.
    public static let earthRadius = 6_371_008.8

    /// Great-circle distance on a sphere of the Earth's mean radius.
    public static func haversineMetres(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let radius = earthRadius
        let rad = Double.pi / 180
        let dLat = (b.lat - a.lat) * rad
        let dLon = (b.lon - a.lon) * rad
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * rad) * cos(b.lat * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * radius * asin(min(1, sqrt(h)))
    }
}

/// Distance near a point on the local plane, as a store ranks and counts candidates in SQL: metres² =
/// (Δlat·k)² + (Δlon·k·cos φ)² with k the metres of one degree. Within `DuplicateFinder.defaultDistanceMetres` it
/// differs from the great circle by far less than a millimetre, so the store's count and the finder's list agree.
public struct LocalPlane: Sendable, Equatable {
    public var origin: GeoPoint
    /// Metres per degree of latitude, and of longitude at the origin's latitude.
    public var metresPerDegreeLat: Double
    public var metresPerDegreeLon: Double

    public init(around origin: GeoPoint) {
        self.origin = origin
        metresPerDegreeLat = DuplicateFinder.earthRadius * .pi / 180
        metresPerDegreeLon = metresPerDegreeLat * cos(origin.lat * .pi / 180)
    }

    public func squaredMetres(to p: GeoPoint) -> Double {
        let y = (p.lat - origin.lat) * metresPerDegreeLat, x = (p.lon - origin.lon) * metresPerDegreeLon
        return x * x + y * y
    }
}

/// The nearest candidates of a report and how many there are in all (within the distance and time of the search).
public struct NearbyCandidates: Sendable, Equatable {
    public var nearest: [DuplicateCandidate]
    public var total: Int

    public init(nearest: [DuplicateCandidate], total: Int) {
        self.nearest = nearest
        self.total = total
    }

    public static let none = NearbyCandidates(nearest: [], total: 0)
}

/// What a report's answer and its case page show: the nearest likely duplicates and how many there are in all.
public struct LikelyDuplicates: Sendable, Equatable {
    public var nearest: [DuplicateMatch]
    /// How many there are, up to `DuplicateFinder.countCap`.
    public var total: Int
    /// There are more than `total` (= `DuplicateFinder.countCap`).
    public var moreThanTotal: Bool

    public init(nearest: [DuplicateMatch], total: Int) {
        self.nearest = nearest
        self.total = min(total, DuplicateFinder.countCap)
        moreThanTotal = total > DuplicateFinder.countCap
    }

    public static let none = LikelyDuplicates(nearest: [], total: 0)

    /// The finder's rule over the store's nearest candidates; the total is the store's count (at least the list).
    public init(report categoryCode: String, at point: GeoPoint, time: Date, nearby: NearbyCandidates) {
        let matches = DuplicateFinder.likely(categoryCode: categoryCode, point: point, at: time, open: nearby.nearest)
        self.init(nearest: Array(matches.prefix(DuplicateFinder.nearestShown)), total: max(nearby.total, matches.count))
    }
}
