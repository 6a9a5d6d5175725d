import Foundation
import Testing
@testable import WanggeCore

@Suite struct AreaImportTests {
    static func feature(_ code: String, _ level: String, parent: String?, rect: (Double, Double, Double, Double)?) -> String {
        let props = "\"code\": \"\(code)\", \"name\": \"N\(code)\", \"level\": \"\(level)\"" + (parent.map { ", \"parent_code\": \"\($0)\"" } ?? "")
        let geom = rect.map { r in
            "{\"type\": \"Polygon\", \"coordinates\": [[[\(r.0),\(r.1)],[\(r.2),\(r.1)],[\(r.2),\(r.3)],[\(r.0),\(r.3)],[\(r.0),\(r.1)]]]}"
        } ?? "null"
        return "{\"type\": \"Feature\", \"properties\": {\(props)}, \"geometry\": \(geom)}"
    }

    static func collection(_ features: [String]) -> Data {
        Data("{\"type\": \"FeatureCollection\", \"features\": [\(features.joined(separator: ","))]}".utf8)
    }

    static let good = [
        feature("9", "county", parent: nil, rect: (0, 0, 2, 1)),
        feature("9001", "township", parent: "9", rect: (0, 0, 2, 1)),
        feature("9001001", "village", parent: "9001", rect: (0, 0, 2, 1)),
        feature("9001001001", "grid", parent: "9001001", rect: (0, 0, 1, 1)),
        feature("9001001002", "grid", parent: "9001001", rect: (1, 0, 2, 1)),
    ]

    @Test func aGoodFileParsesParentsFirst() throws {
        let areas = try AreaImport.parse(Self.collection(Self.good.reversed()))
        #expect(areas.map(\.code) == ["9", "9001", "9001001", "9001001001", "9001001002"])
        #expect(areas[3].boundary?.area == 1)
    }

    @Test func everyProblemIsReportedWithItsFeatureIndex() {
        let bad = Self.good + [
            Self.feature("9001001003", "grid", parent: "9001001", rect: (3, 3, 3, 4)),       // 5: zero area
            Self.feature("9001001004", "grid", parent: "nope", rect: (0, 0, 1, 1)),          // 6: unknown parent
            Self.feature("9001001001", "grid", parent: "9001001", rect: (0, 0, 1, 1)),       // 7: duplicate
            Self.feature("X1", "village", parent: "X2", rect: nil),                          // 8: cycle X1 → X2 → X1
            Self.feature("X2", "village", parent: "X1", rect: nil),                          // 9
            "{\"type\": \"Feature\", \"properties\": {\"code\": \"B\", \"name\": \"b\", \"level\": \"grid\", \"parent_code\": \"9001001\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[0,0],[2,2],[2,0],[0,1],[0,0]]]}}", // 10: bow tie
            Self.feature("L", "district", parent: "9", rect: nil),                           // 11: unknown level
        ]
        do {
            _ = try AreaImport.parse(Self.collection(bad))
            Issue.record("expected a failure")
        } catch {
            let byIndex = Dictionary(grouping: error.issues, by: { $0.featureIndex ?? -1 })
            #expect(byIndex[5]?.first?.reason.contains("no area") == true)
            #expect(byIndex[6]?.first?.reason.contains("unknown parent nope") == true)
            #expect(byIndex[7]?.first?.reason.contains("duplicate code") == true)
            #expect(byIndex[8]?.contains { $0.reason.contains("cycle") } == true)
            #expect(byIndex[9]?.contains { $0.reason.contains("cycle") } == true)
            #expect(byIndex[10]?.first?.reason.contains("crosses itself") == true)
            #expect(byIndex[11]?.first?.reason.contains("level") == true)
            #expect(byIndex[0] == nil && byIndex[4] == nil)
        }
    }

    @Test func parentsMayAlreadyExistButCodesMayNotBeReused() throws {
        let existing = try AreaImport.parse(Self.collection(Array(Self.good.prefix(3))))
        let more = try AreaImport.parse(Self.collection(Array(Self.good.suffix(2))), existing: existing)
        #expect(more.count == 2)
        #expect(throws: AreaImportFailure.self) { try AreaImport.parse(Self.collection([Self.good[2]]), existing: existing) }
    }

    @Test func notAFeatureCollection() {
        #expect(throws: AreaImportFailure.self) { try AreaImport.parse(Data("[1,2]".utf8)) }
        #expect(throws: AreaImportFailure.self) { try AreaImport.parse(Data("{oops".utf8)) }
    }

    @Test func holesMustLieInsideTheirShell() {
        #expect(throws: GeometryProblem.self) {
            try MultiPolygon.validated([[Fixture.rect(0, 0, 1, 1), Fixture.rect(5, 5, 6, 6)]])
        }
    }
}
