/// The whole area tree of one county, with a spatial index over the boundaries for `locate`.
public struct Jurisdiction: Sendable {
    public let areas: [Area]
    private let indexByCode: [String: Int]
    private let childIndexes: [String: [Int]]
    private let spatial: SpatialIndex
    private let indexed: [Int]  // positions in `areas` of the areas that have a boundary, as the spatial index numbers them

    /// Builds the tree; the areas must already be consistent (see `JurisdictionCheck`).
    public init(areas: [Area]) {
        self.areas = areas
        var byCode: [String: Int] = [:]
        var children: [String: [Int]] = [:]
        for (i, a) in areas.enumerated() {
            byCode[a.code] = i
            if let p = a.parentCode { children[p, default: []].append(i) }
        }
        for key in children.keys { children[key]!.sort { areas[$0].code < areas[$1].code } }
        indexByCode = byCode
        childIndexes = children
        let withBoundary = areas.indices.filter { areas[$0].boundary != nil }
        indexed = withBoundary
        // Deepest level first, then by code, so the first hit at a level is the deterministic one.
        spatial = SpatialIndex(boxes: withBoundary.map { areas[$0].boundary!.bbox }) { x, y in
            let a = areas[withBoundary[x]], b = areas[withBoundary[y]]
            return a.level != b.level ? a.level > b.level : a.code < b.code
        }
    }

    public subscript(code: String) -> Area? { indexByCode[code].map { areas[$0] } }

    public var root: Area? { areas.first { $0.parentCode == nil } }

    public func children(of code: String) -> [Area] { (childIndexes[code] ?? []).map { areas[$0] } }

    /// The area and its ancestors, nearest first.
    public func chain(from code: String) -> [Area] {
        var result: [Area] = []
        var current = self[code]
        while let a = current, result.count <= AreaLevel.allCases.count {
            result.append(a)
            current = a.parentCode.flatMap { self[$0] }
        }
        return result
    }

    /// Whether `code` is `ancestor` itself or lies below it.
    public func isWithin(_ code: String, ancestor: String) -> Bool {
        chain(from: code).contains { $0.code == ancestor }
    }

    /// All areas of the subtree rooted at `code`, the root included, in depth-first order.
    public func subtree(of code: String) -> [Area] {
        guard let start = indexByCode[code] else { return [] }
        var result: [Area] = []
        var stack = [start]
        while let i = stack.popLast() {
            result.append(areas[i])
            stack.append(contentsOf: (childIndexes[areas[i].code] ?? []).reversed())
        }
        return result
    }

    /// The smallest area whose boundary contains the point, and its ancestors.
    ///
    /// Interiors are tested with a half-open rule that gives a point on an edge shared by two areas to exactly one
    /// of them; a point on an outer edge (no interior hit) goes to the deepest area whose boundary it touches. Among
    /// areas of the same level the lowest code wins, so overlapping imports still resolve deterministically.
    public func locate(_ point: GeoPoint) -> Location {
        let candidates = spatial.candidates(at: point)
        if let hit = firstHit(candidates, { $0.contains(point) }) ?? firstHit(candidates, { $0.touches(point) }) {
            return Location(chain: chain(from: areas[hit].code))
        }
        return .outside
    }

    /// Candidates come deepest level first; the first area that passes wins (the lowest code of the deepest level).
    private func firstHit(_ candidates: [Int], _ test: (MultiPolygon) -> Bool) -> Int? {
        for c in candidates {
            let i = indexed[c]
            if test(areas[i].boundary!) { return i }
        }
        return nil
    }
}

/// Where a point lies: the chain of areas from the smallest up, or outside the jurisdiction.
public struct Location: Sendable, Equatable {
    public let chain: [Area]
    public static let outside = Location(chain: [])

    public var isOutside: Bool { chain.isEmpty }
    public var smallest: Area? { chain.first }
    public func area(at level: AreaLevel) -> Area? { chain.first { $0.level == level } }
}

extension Jurisdiction {
    /// Codes from the root down to `code`, each followed by "/" ("330599/330599001/"): the stored path that
    /// subtree queries match with a prefix.
    public func path(of code: String) -> String {
        chain(from: code).reversed().map { $0.code + "/" }.joined()
    }
}
