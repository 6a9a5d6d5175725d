import Foundation
import Testing

@testable import WanggeCore

@Suite struct CaseDuplicateTests {
    let here = GeoPoint(lon: 119.68, lat: 30.64)
    let now = CaseFixture.at("2026-11-20 10:00")

    /// A point `metres` north of `here` (one degree of latitude ≈ 111,195 m on the mean sphere).
    func north(_ metres: Double) -> GeoPoint { GeoPoint(lon: here.lon, lat: here.lat + metres / 111_194.93) }

    func candidate(_ code: String, _ point: GeoPoint?, hoursAgo: Double, category: String = "0301",
                   state: CaseState = .dispatched) -> DuplicateCandidate {
        DuplicateCandidate(code: code, categoryCode: category, point: point,
                           reportedAt: now.addingTimeInterval(-hoursAgo * 3600), state: state)
    }

    @Test func nearbyRecentOpenCasesOfTheSameCategoryAreFoundNearestFirst() {
        let open = [
            candidate("far", north(210), hoursAgo: 1),
            candidate("b-150m", north(150), hoursAgo: 70),
            candidate("a-20m", north(20), hoursAgo: 2, state: .reported),
            candidate("old", north(10), hoursAgo: 73),
            candidate("other-category", north(5), hoursAgo: 1, category: "0302"),
            candidate("closed", north(5), hoursAgo: 1, state: .closed),
            candidate("merged", north(5), hoursAgo: 1, state: .merged),
            candidate("rejected", north(5), hoursAgo: 1, state: .rejected),
            candidate("no-point", nil, hoursAgo: 1),
            candidate("edge-199m", north(199), hoursAgo: 71.9, state: .signed),
        ]
        let found = DuplicateFinder.likely(categoryCode: "0301", point: here, at: now, open: open)
        #expect(found.map(\.code) == ["a-20m", "b-150m", "edge-199m"])
        #expect(abs(found[0].distanceMetres - 20) < 0.01)
    }

    @Test func distanceAndAgeAreConfigurable() {
        let open = [candidate("x", north(300), hoursAgo: 100)]
        #expect(DuplicateFinder.likely(categoryCode: "0301", point: here, at: now, open: open).isEmpty)
        let found = DuplicateFinder.likely(categoryCode: "0301", point: here, at: now, open: open,
                                           maxDistanceMetres: 500, maxAge: 120 * 3600)
        #expect(found.map(\.code) == ["x"])
    }

    @Test func haversineAgreesWithAKnownDistance() {
        // Beijing Tiananmen to Shanghai People's Square: about 1,067 km.
        let d = DuplicateFinder.haversineMetres(GeoPoint(lon: 116.3975, lat: 39.9087), GeoPoint(lon: 121.4737, lat: 31.2304))
        #expect(abs(d - 1_067_000) < 5_000)
    }
}
