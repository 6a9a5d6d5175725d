/// A uniform bucket grid over bounding boxes: a query looks at the items of one bucket instead of every item.
public struct SpatialIndex: Sendable {
    private let box: BoundingBox
    private let columns: Int, rows: Int
    private let cellWidth: Double, cellHeight: Double
    private var buckets: [[Int]]

    /// `boxes[i]` is item i's bounding box; `order` decides the order of items within a bucket.
    public init(boxes: [BoundingBox], order: (Int, Int) -> Bool = { $0 < $1 }) {
        let all = boxes.dropFirst().reduce(boxes.first ?? BoundingBox(minLon: 0, minLat: 0, maxLon: 1, maxLat: 1)) { $0.union($1) }
        box = all
        let side = Swift.max(1, Int((Double(boxes.count) * 2).squareRoot().rounded(.up)))
        columns = side
        rows = side
        cellWidth = Swift.max(all.width / Double(side), 1e-12)
        cellHeight = Swift.max(all.height / Double(side), 1e-12)
        buckets = Array(repeating: [], count: side * side)
        for (i, b) in boxes.enumerated() {
            let (c0, r0) = cell(of: GeoPoint(lon: b.minLon, lat: b.minLat))
            let (c1, r1) = cell(of: GeoPoint(lon: b.maxLon, lat: b.maxLat))
            for r in r0...r1 { for c in c0...c1 { buckets[r * columns + c].append(i) } }
        }
        for k in buckets.indices { buckets[k].sort(by: order) }
    }

    private func cell(of p: GeoPoint) -> (Int, Int) {
        let c = Int((p.lon - box.minLon) / cellWidth), r = Int((p.lat - box.minLat) / cellHeight)
        return (Swift.min(columns - 1, Swift.max(0, c)), Swift.min(rows - 1, Swift.max(0, r)))
    }

    /// The items whose bounding box may contain `p`, in the index's order.
    public func candidates(at p: GeoPoint) -> [Int] {
        guard box.contains(p) else { return [] }
        let (c, r) = cell(of: p)
        return buckets[r * columns + c]
    }
}
