import XCTVapor
import XCTest
import WanggeCore
@testable import WanggeServer

final class AreaAPITests: XCTestCase {
    struct AreaList: Decodable { struct A: Decodable { var code: String; var name: String; var level: String; var parentCode: String? }; var areas: [A] }

    func testATownshipUserSeesOnlyItsOwnTownship() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let east = try await app.token("eastop")
            try await app.test(.GET, "/api/v1/areas?level=village", headers: ["Authorization": "Bearer \(east)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(try res.content.decode(AreaList.self).areas.map(\.code), ["3301001001"])
            }
            try await app.test(.GET, "/api/v1/areas?parent=3301002", headers: ["Authorization": "Bearer \(east)"]) { res async throws in
                XCTAssertEqual(res.status, .notFound)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.field, "parent")
            }
            try await app.test(.GET, "/api/v1/areas/3301002001001/team", headers: ["Authorization": "Bearer \(east)"]) { res async throws in
                XCTAssertEqual(res.status, .notFound)
            }
            let county = try await app.token("countyop")
            try await app.test(.GET, "/api/v1/areas?level=village", headers: ["Authorization": "Bearer \(county)"]) { res async throws in
                XCTAssertEqual(try res.content.decode(AreaList.self).areas.map(\.code), ["3301001001", "3301002001"])
            }
            try await app.test(.GET, "/api/v1/areas?parent=3301002001", headers: ["Authorization": "Bearer \(county)"]) { res async throws in
                XCTAssertEqual(try res.content.decode(AreaList.self).areas.map(\.code), ["3301002001001", "3301002001002"])
            }
            try await app.test(.GET, "/api/v1/areas?level=district", headers: ["Authorization": "Bearer \(county)"]) { res async throws in
                XCTAssertEqual(res.status, .badRequest)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.field, "level")
            }
        }
    }

    func testAreasAsGeoJSON() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let west = try await app.token("westworker")
            try await app.test(.GET, "/api/v1/areas", headers: ["Authorization": "Bearer \(west)", "Accept": "application/geo+json"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType?.subType, "geo+json")
                let json = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as! [String: Any]
                XCTAssertEqual(json["type"] as? String, "FeatureCollection")
                let features = json["features"] as! [[String: Any]]
                XCTAssertEqual(features.count, 1)  // a grid worker's scope is one grid
                let props = features[0]["properties"] as! [String: Any]
                XCTAssertEqual(props["code"] as? String, "3301002001001")
                XCTAssertEqual(props["parent_code"] as? String, "3301002001")
                XCTAssertEqual((features[0]["geometry"] as! [String: Any])["type"] as? String, "Polygon")
            }
        }
    }

    func testLocate() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await app.test(.GET, "/api/v1/locate?lat=30.1&lon=120.25") { res async throws in
                XCTAssertEqual(res.status, .ok)
                let json = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as! [String: Any]
                XCTAssertEqual((json["grid"] as? [String: Any])?["code"] as? String, "3301002001001")
                XCTAssertEqual((json["township"] as? [String: Any])?["name"] as? String, "西镇")
                XCTAssertEqual((json["county"] as? [String: Any])?["code"] as? String, "3301")
            }
            try await app.test(.GET, "/api/v1/locate?lat=31&lon=120.25") { res async throws in
                XCTAssertEqual(res.status, .notFound)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.code, "outside_jurisdiction")
            }
            try await app.test(.GET, "/api/v1/locate?lat=abc&lon=120.25") { res async throws in
                XCTAssertEqual(res.status, .badRequest)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.field, "lat")
            }
            try await app.test(.GET, "/api/v1/locate?lat=30.1") { res async throws in
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.field, "lon")
            }
        }
    }

    func testImportErrorsLeaveTheDatabaseUnchanged() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let before = try await WanggeStoreProbe.areaCount(app)
            let bad = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"code": "3301001001003", "name": "新网格", "level": "grid", "parent_code": "3301001001"},
               "geometry": {"type": "Polygon", "coordinates": [[[120,30],[120.05,30],[120.05,30.05],[120,30.05],[120,30]]]}},
              {"type": "Feature", "properties": {"code": "3301001001001", "name": "重复", "level": "grid", "parent_code": "3301001001"},
               "geometry": {"type": "Polygon", "coordinates": [[[120,30],[120.05,30],[120.05,30.05],[120,30.05],[120,30]]]}},
              {"type": "Feature", "properties": {"code": "X", "name": "无父", "level": "grid", "parent_code": "nowhere"},
               "geometry": {"type": "Polygon", "coordinates": [[[120,30],[120.05,30],[120.05,30.05],[120,30]]]}}
            ]}
            """
            do {
                try await Setup.importAreas(app, geojson: Data(bad.utf8))
                XCTFail("the import should fail")
            } catch let failure as AreaImportFailure {
                XCTAssertEqual(failure.issues.map(\.featureIndex), [1, 2])
                XCTAssertTrue(failure.issues[0].reason.contains("duplicate code"))
                XCTAssertTrue(failure.issues[1].reason.contains("unknown parent nowhere"))
            }
            let after = try await WanggeStoreProbe.areaCount(app)
            XCTAssertEqual(before, after)
        }
    }

    func testCategories() async throws {
        try await withApp { app, _ in
            try await app.test(.GET, "/api/v1/categories") { res async throws in
                XCTAssertEqual(res.status, .ok)
                let json = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as! [String: Any]
                let cats = json["categories"] as! [[String: Any]]
                let majors = cats.filter { $0["parent_code"] == nil || $0["parent_code"] is NSNull }
                XCTAssertGreaterThanOrEqual(majors.count, 15)
                XCTAssertGreaterThanOrEqual(cats.count - majors.count, 80)
                let minor = cats.first { ($0["parent_code"] as? String) != nil }!
                XCTAssertNotNil(minor["handler_kind"] as? String)
                XCTAssertNotNil((minor["limits"] as? [String: Any])?["sign"] as? String)
                XCTAssertNotNil(minor["photo_required"] as? Bool)
            }
        }
    }

    func testHealthAndMetrics() async throws {
        try await withApp { app, _ in
            try await app.test(.GET, "/healthz") { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertContains(res.body.string, "\"database\":\"ok\"")
            }
            // In process there is no client address: not loopback, so /metrics does not answer.
            try await app.test(.GET, "/metrics") { res async throws in XCTAssertEqual(res.status, .notFound) }
        }
        // Over a real connection from loopback it does.
        try await withApp { app, _ in
            try await app.testable(method: .running(hostname: "127.0.0.1", port: 0)).test(.GET, "/metrics") { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertContains(res.body.string, "http_requests_total")
            }
        }
        // Configured off, it answers nobody, loopback included.
        try await withApp(configure: { $0.network.metricsAllowed = nil }) { app, _ in
            try await app.testable(method: .running(hostname: "127.0.0.1", port: 0)).test(.GET, "/metrics") { res async throws in
                XCTAssertEqual(res.status, .notFound)
            }
        }
    }

    func testCalendarYearsCanBeAddedByAnAdministratorOnly() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await Setup.createUser(app, username: "root", password: "Orchard-lantern-42", role: .admin, areaCode: "3301", departmentCode: nil, displayName: nil)
            let op = try await app.token("countyop"), admin = try await app.token("root")
            let year2027 = #"{"off": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}], "work": []}"#
            try await app.test(.GET, "/api/v1/calendar", headers: ["Authorization": "Bearer \(op)"]) { res async throws in
                XCTAssertContains(res.body.string, "\"missing_years\":[2027]")
            }
            try await app.test(.PUT, "/api/v1/calendar/2027", headers: ["Authorization": "Bearer \(op)", "Content-Type": "application/json"], body: .init(string: year2027)) { res async throws in
                XCTAssertEqual(res.status, .forbidden)
            }
            try await app.test(.PUT, "/api/v1/calendar/2027", headers: ["Authorization": "Bearer \(admin)", "Content-Type": "application/json"], body: .init(string: #"{"off": [{"name": "x", "from": "2026-01-01", "to": "2026-01-02"}], "work": []}"#)) { res async throws in
                XCTAssertEqual(res.status, .badRequest)  // a 2026 date in the 2027 schedule
            }
            try await app.test(.PUT, "/api/v1/calendar/2027", headers: ["Authorization": "Bearer \(admin)", "Content-Type": "application/json"], body: .init(string: year2027)) { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertContains(res.body.string, "\"missing_years\":[]")
            }
        }
    }
}
