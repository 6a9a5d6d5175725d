import Foundation
import Testing
@testable import WanggeCore

/// A small hand-built jurisdiction:
///
///     county C: [0,4]×[0,2]
///     township T1: [0,2]×[0,2]  with village V1 = T1, grids G1 [0,1]×[0,2] and G2 [1,2]×[0,2]
///     township T2: [2,4]×[0,2]  with village V2 = T2; grid G3 = [2,4]×[0,2] minus the hole [2.5,3]×[0.5,1]
///                                 and grid G4 a MultiPolygon: [3.2,3.4]×[1.2,1.4] island ... (overlaps G3 on purpose? no:
///                                 G4 is the hole's filling [2.5,3]×[0.5,1] plus a far square outside C, [10,11]×[10,11])
///     a second hole in G3, [3.5,3.8]×[1.5,1.8], is covered by no grid: a point there belongs to V2 only.
enum Fixture {
    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [GeoPoint] {
        [GeoPoint(lon: x0, lat: y0), GeoPoint(lon: x1, lat: y0), GeoPoint(lon: x1, lat: y1), GeoPoint(lon: x0, lat: y1), GeoPoint(lon: x0, lat: y0)]
    }

    static func shape(_ rings: [[GeoPoint]]...) -> MultiPolygon {
        try! MultiPolygon.validated(rings)
    }

    static let jurisdiction: Jurisdiction = {
        let c = Area(code: "C", name: "县", level: .county, parentCode: nil, boundary: shape([rect(0, 0, 4, 2)]))
        let t1 = Area(code: "C01", name: "一镇", level: .township, parentCode: "C", boundary: shape([rect(0, 0, 2, 2)]))
        let t2 = Area(code: "C02", name: "二镇", level: .township, parentCode: "C", boundary: shape([rect(2, 0, 4, 2)]))
        let v1 = Area(code: "C01001", name: "一村", level: .village, parentCode: "C01", boundary: shape([rect(0, 0, 2, 2)]))
        let v2 = Area(code: "C02001", name: "二村", level: .village, parentCode: "C02", boundary: shape([rect(2, 0, 4, 2)]))
        let g1 = Area(code: "C01001001", name: "G1", level: .grid, parentCode: "C01001", boundary: shape([rect(0, 0, 1, 2)]))
        let g2 = Area(code: "C01001002", name: "G2", level: .grid, parentCode: "C01001", boundary: shape([rect(1, 0, 2, 2)]))
        let g3 = Area(code: "C02001001", name: "G3", level: .grid, parentCode: "C02001",
                      boundary: shape([rect(2, 0, 4, 2), rect(2.5, 0.5, 3, 1).reversed(), rect(3.5, 1.5, 3.8, 1.8).reversed()]))
        let g4 = Area(code: "C02001002", name: "G4", level: .grid, parentCode: "C02001",
                      boundary: shape([rect(2.5, 0.5, 3, 1)], [rect(10, 10, 11, 11)]))
        return Jurisdiction(areas: [c, t1, t2, v1, v2, g1, g2, g3, g4])
    }()

    static func gridAt(_ lon: Double, _ lat: Double) -> String? {
        jurisdiction.locate(GeoPoint(lon: lon, lat: lat)).area(at: .grid)?.code
    }
}

@Suite struct LocateTests {
    @Test func insideAGridGivesTheWholeChain() {
        let loc = Fixture.jurisdiction.locate(GeoPoint(lon: 0.5, lat: 1))
        #expect(loc.chain.map(\.code) == ["C01001001", "C01001", "C01", "C"])
        #expect(loc.area(at: .township)?.name == "一镇")
    }

    @Test func aPointOnASharedEdgeResolvesToExactlyOneGridEveryTime() {
        for lat in stride(from: 0.05, through: 1.95, by: 0.1) {
            let first = Fixture.gridAt(1, lat)
            #expect(first != nil)
            #expect(["C01001001", "C01001002"].contains(first ?? ""))
            #expect(Fixture.gridAt(1, lat) == first)  // deterministic
        }
        // The edge between townships, on which G2 and G3 meet.
        let between = Fixture.gridAt(2, 1.3)
        #expect(between == "C01001002" || between == "C02001001")
    }

    @Test func aSharedVertexResolvesToOneGrid() {
        let g = Fixture.gridAt(1, 2)  // top vertex shared by G1 and G2, on the county's outer edge
        #expect(g == "C01001001" || g == "C01001002")
        let inner = Fixture.gridAt(2.5, 0.5)  // corner of the hole filled by G4, shared with G3
        #expect(inner == "C02001001" || inner == "C02001002")
    }

    @Test func pointsOnTheOuterEdgeAreInsideTheJurisdiction() {
        #expect(Fixture.gridAt(0, 1) == "C01001001")
        #expect(Fixture.gridAt(4, 1) == "C02001001")
        #expect(Fixture.gridAt(0.5, 0) == "C01001001")
        #expect(Fixture.gridAt(3, 2) == "C02001001")
    }

    @Test func aHoleFilledByAnotherGridGoesToThatGrid() {
        #expect(Fixture.gridAt(2.75, 0.75) == "C02001002")
        #expect(Fixture.gridAt(2.4, 0.75) == "C02001001")
    }

    @Test func aHoleCoveredByNoGridGivesTheSmallestContainingArea() {
        let loc = Fixture.jurisdiction.locate(GeoPoint(lon: 3.6, lat: 1.6))
        #expect(loc.area(at: .grid) == nil)
        #expect(loc.smallest?.code == "C02001")
        #expect(loc.chain.map(\.code) == ["C02001", "C02", "C"])
    }

    @Test func aMultiPolygonPartOutsideTheCountyStillLocatesToItsGrid() {
        let loc = Fixture.jurisdiction.locate(GeoPoint(lon: 10.5, lat: 10.5))
        #expect(loc.area(at: .grid)?.code == "C02001002")
        #expect(loc.area(at: .county)?.code == "C")
    }

    @Test func outsideEverythingIsOutside() {
        #expect(Fixture.jurisdiction.locate(GeoPoint(lon: 5, lat: 1)).isOutside)
        #expect(Fixture.jurisdiction.locate(GeoPoint(lon: -0.001, lat: 1)).isOutside)
        #expect(Fixture.jurisdiction.locate(GeoPoint(lon: 9, lat: 9)).isOutside)
    }

    @Test func locateAgreesWithABruteForceScan() {
        let j = Fixture.jurisdiction
        var rng = LocateBenchRNG(seed: 7)
        for _ in 0..<2_000 {
            let p = GeoPoint(lon: rng.next() * 4.4 - 0.2, lat: rng.next() * 2.4 - 0.2)
            let brute = j.areas.filter { $0.level == .grid && $0.boundary!.contains(p) }.map(\.code)
            #expect(brute.count <= 1, "grids overlap at \(p)")
            let inside = j.areas.first { $0.code == "C" }!.boundary!.contains(p)
            if inside && !brute.isEmpty { #expect(j.locate(p).area(at: .grid)?.code == brute.first) }
        }
    }

    @Test func subtreeAndScope() {
        let j = Fixture.jurisdiction
        #expect(j.subtree(of: "C02").map(\.code) == ["C02", "C02001", "C02001001", "C02001002"])
        #expect(Scope(areaCode: "C01").covers("C01001002", in: j))
        #expect(!Scope(areaCode: "C01").covers("C02001", in: j))
    }
}

struct LocateBenchRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
}
