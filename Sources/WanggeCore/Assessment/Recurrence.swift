import Foundation

/// The same problem coming back (问题复发, issue 20): a closed case came back when a report of the same category was
/// made within `radiusMetres` of it within `window` after its closure (not refused as no case). The assessment's
/// recurrence part is, per grid, the cases closed in the month that came back over the cases closed in the month;
/// lower is better.
public enum Recurrence {
    public static let radiusMetres = 150.0
    public static let window: TimeInterval = 30 * 86_400

    public struct Closed: Hashable, Sendable {
        public var id: UUID
        public var gridCode: String
        public var categoryCode: String
        public var point: GeoPoint?
        public var closedAt: Date
        public init(id: UUID, gridCode: String, categoryCode: String, point: GeoPoint?, closedAt: Date) {
            self.id = id
            self.gridCode = gridCode
            self.categoryCode = categoryCode
            self.point = point
            self.closedAt = closedAt
        }
    }

    public struct Later: Hashable, Sendable {
        public var id: UUID
        public var categoryCode: String
        public var point: GeoPoint?
        public var reportedAt: Date
        public init(id: UUID, categoryCode: String, point: GeoPoint?, reportedAt: Date) {
            self.id = id
            self.categoryCode = categoryCode
            self.point = point
            self.reportedAt = reportedAt
        }
    }

    /// Per grid: (closed cases that came back as of `asOf`, closed cases). A case without a point cannot be matched
    /// and counts as not come back.
    public static func byGrid(closed: [Closed], later: [Later], asOf: Date) -> [String: Measure] {
        let byCategory = Dictionary(grouping: later.filter { $0.point != nil && $0.reportedAt <= asOf }, by: \.categoryCode)
        var out: [String: (Int, Int)] = [:]
        for c in closed {
            var came = false
            if let p = c.point {
                came = (byCategory[c.categoryCode] ?? []).contains { l in
                    l.id != c.id && l.reportedAt > c.closedAt && l.reportedAt <= c.closedAt.addingTimeInterval(window)
                        && DuplicateFinder.haversineMetres(p, l.point!) <= radiusMetres
                }
            }
            let was = out[c.gridCode] ?? (0, 0)
            out[c.gridCode] = (was.0 + (came ? 1 : 0), was.1 + 1)
        }
        return out.mapValues { Measure(numerator: $0.0, denominator: $0.1) }
    }
}
