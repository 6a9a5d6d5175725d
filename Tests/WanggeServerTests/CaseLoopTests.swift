import Foundation
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// The case loop through the HTTP API, on whichever database the suite runs on.
final class CaseLoopTests: XCTestCase {
    struct Created: Decodable {
        struct Ref: Decodable { var code: String; var name: String }
        struct Dept: Decodable { var id: String; var name: String }
        var id: UUID; var code: String; var trackingCode: String; var status: String
        var area: Ref; var department: Dept?; var routingReason: String; var likelyDuplicates: [Dup]
        struct Dup: Decodable { var code: String }
    }
    struct Detail: Decodable { var status: String; var allowedActions: [String]; var timeline: [Step]; struct Step: Decodable { var action: String; var actor: String? } }
    struct Track: Decodable { var status: String; var canRate: Bool; var timeline: [Step]; struct Step: Decodable { var action: String } }
    struct ErrorWithAllowed: Decodable { struct E: Decodable { var code: String; var field: String?; var allowedActions: [String]? }; var error: E }

    static var marketCategory: String {
        try! CoreResources.defaultCatalogue().categories.first { $0.handler == .department(.marketRegulation) }!.code
    }

    static func report(_ app: Application, lat: Double = 30.1, lon: Double = 120.25, key: String? = nil, body: [String: Any]? = nil,
                token: String? = nil) async throws -> (HTTPStatus, Data) {
        var status = HTTPStatus.ok
        var data = Data()
        let json = try JSONSerialization.data(withJSONObject: body ?? [
            "category_code": Self.marketCategory, "description": "菜场熟食摊无证经营", "lat": lat, "lon": lon,
            "reporter": ["name": "张三", "phone": "13800138000"],
        ])
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let key { headers.add(name: "Idempotency-Key", value: key) }
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        try await app.test(.POST, "/api/v1/cases", headers: headers, body: ByteBuffer(data: json)) { res async throws in
            status = res.status
            data = Data(res.body.readableBytesView)
        }
        return (status, data)
    }

    static func act(_ app: Application, _ token: String, _ id: UUID, _ body: [String: Any]) async throws -> (HTTPStatus, Data) {
        var status = HTTPStatus.ok
        var data = Data()
        try await app.test(.POST, "/api/v1/cases/\(id)/actions",
                           headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                           body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))) { res async throws in
            status = res.status
            data = Data(res.body.readableBytesView)
        }
        return (status, data)
    }

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()

    func testTheWholeLoopFromAResidentsReportToTheRating() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            let (status, data) = try await Self.report(app)
            XCTAssertEqual(status, .created, String(decoding: data, as: UTF8.self))
            let created = try Self.decoder.decode(Created.self, from: data)
            // A point in 西村第一网格 of 西镇: routed to 西镇's market regulation office, with the reason kept.
            XCTAssertEqual(created.area.code, "3301002001001")
            XCTAssertEqual(created.department?.id, "3301002-market_regulation")
            XCTAssertFalse(created.routingReason.isEmpty)
            XCTAssertEqual(created.status, "reported")
            XCTAssertTrue(created.code.hasPrefix("AL-"))

            let op = try await app.token("westop"), handler = try await app.token("westmarket"), worker = try await app.token("westworker")
            let steps: [(String, [String: Any], String)] = [
                (op, ["action": "accept"], "accepted"),
                (op, ["action": "dispatch", "department_code": "3301002-market_regulation"], "dispatched"),
                (handler, ["action": "sign"], "signed"),
                (handler, ["action": "resolve", "note": "已责令停业整改"], "resolved"),
                (worker, ["action": "verify_pass", "note": "现场核实已整改"], "verified"),
                (op, ["action": "close"], "closed"),
                (op, ["action": "feedback", "note": "已电话告知处理结果"], "closed"),
            ]
            for (token, body, expected) in steps {
                clock.advance(60)
                let (s, d) = try await Self.act(app, token, created.id, body)
                XCTAssertEqual(s, .ok, "\(body): \(String(decoding: d, as: UTF8.self))")
                XCTAssertEqual(try Self.decoder.decode(Detail.self, from: d).status, expected)
            }
            // The resident follows the case and rates it; the public timeline names no staff.
            try await app.test(.GET, "/api/v1/track/\(created.trackingCode)") { res async throws in
                XCTAssertEqual(res.status, .ok)
                let t = try Self.decoder.decode(Track.self, from: Data(res.body.readableBytesView))
                XCTAssertTrue(t.canRate)
                XCTAssertEqual(t.timeline.first?.action, "report")
                XCTAssertFalse(res.body.string.contains("westop"))
                XCTAssertFalse(res.body.string.contains("13800138000"))
            }
            try await app.test(.POST, "/api/v1/track/\(created.trackingCode)/rating", beforeRequest: { req async throws in
                try req.content.encode(["rating": "satisfied"], as: .json)
            }) { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertFalse(try Self.decoder.decode(Track.self, from: Data(res.body.readableBytesView)).canRate)
            }
            try await app.test(.POST, "/api/v1/track/\(created.trackingCode)/rating", beforeRequest: { req async throws in
                try req.content.encode(["rating": "unsatisfied"], as: .json)
            }) { res async throws in
                XCTAssertEqual(res.status, .conflict)  // rated once
            }
            try await app.test(.GET, "/api/v1/track/ZZZZZZZZZZ") { res async throws in
                XCTAssertEqual(res.status, .notFound)
            }
            // The measures of that day count the case.
            try await app.test(.GET, "/api/v1/measures?area=3301&from=2026-11-01&to=2026-11-30",
                               headers: ["Authorization": "Bearer \(try await app.token("countyop"))"]) { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let json = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as! [String: Any]
                let m = json["measures"] as! [String: [String: Any]]
                XCTAssertEqual(m["satisfaction"]?["numerator"] as? Int, 1)
                XCTAssertEqual(m["satisfaction"]?["denominator"] as? Int, 1)
                XCTAssertEqual(m["instant_response"]?["numerator"] as? Int, 1)
            }
        }
    }

    func testAForbiddenActionIsA409ListingWhatIsAllowed() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let created = try Self.decoder.decode(Created.self, from: try await Self.report(app).1)
            let handler = try await app.token("westmarket")
            let (s, d) = try await Self.act(app, handler, created.id, ["action": "sign"])
            XCTAssertEqual(s, .conflict)
            let e = try Self.decoder.decode(ErrorWithAllowed.self, from: d).error
            XCTAssertEqual(e.code, "action_not_allowed")
            XCTAssertNotNil(e.allowedActions)
            let (s2, d2) = try await Self.act(app, try await app.token("westop"), created.id, ["action": "close"])
            XCTAssertEqual(s2, .conflict)
            XCTAssertEqual(try Self.decoder.decode(ErrorWithAllowed.self, from: d2).error.allowedActions?.contains("accept"), true)
            let (s3, _) = try await Self.act(app, handler, created.id, ["action": "fly"])
            XCTAssertEqual(s3, .badRequest)
        }
    }

    func testAnotherTownshipsStaffGet404() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let created = try Self.decoder.decode(Created.self, from: try await Self.report(app).1)
            let east = try await app.token("eastmarket"), eastOp = try await app.token("eastop")
            try await app.test(.GET, "/api/v1/cases/\(created.id)", headers: ["Authorization": "Bearer \(east)"]) { res async throws in
                XCTAssertEqual(res.status, .notFound)
            }
            let (s, _) = try await Self.act(app, eastOp, created.id, ["action": "accept"])
            XCTAssertEqual(s, .notFound)
            try await app.test(.GET, "/api/v1/cases", headers: ["Authorization": "Bearer \(eastOp)"]) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertFalse(res.body.string.contains(created.code))
            }
            try await app.test(.GET, "/api/v1/cases?status=reported", headers: ["Authorization": "Bearer \(try await app.token("westop"))"]) { res async throws in
                XCTAssertTrue(res.body.string.contains(created.code))
            }
        }
    }

    func testBadInputNamesTheFieldAndWritesNothing() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let good: [String: Any] = ["category_code": Self.marketCategory, "description": "问题", "lat": 30.1, "lon": 120.25]
            func with(_ change: [String: Any]) -> [String: Any] { good.merging(change) { _, new in new } }
            let cases: [([String: Any], String)] = [
                (with(["category_code": "9999"]), "category_code"),
                (with(["lat": 40.0, "lon": 100.0]), "lat"),
                (with(["description": "  "]), "description"),
                (with(["description": String(repeating: "长", count: 2_001)]), "description"),
                (with(["reporter": ["phone": "12345"]]), "reporter.phone"),
                (with(["source": "pigeon"]), "source"),
            ]
            for (body, field) in cases {
                let (s, d) = try await Self.report(app, body: body)
                XCTAssertTrue((400..<500).contains(Int(s.code)), "\(field): \(s)")
                XCTAssertEqual(try? Self.decoder.decode(ErrorWithAllowed.self, from: d).error.field, field, String(decoding: d, as: UTF8.self))
            }
            let count = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(count, 0)
        }
    }

    func testIdempotencyKeys() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let (s1, d1) = try await Self.report(app, key: "k-1")
            let (s2, d2) = try await Self.report(app, key: "k-1")
            XCTAssertEqual(s1, .created)
            XCTAssertEqual(s2, .ok)
            XCTAssertEqual(try Self.decoder.decode(Created.self, from: d1).id, try Self.decoder.decode(Created.self, from: d2).id)
            let (s3, d3) = try await Self.report(app, lat: 30.05, key: "k-1")
            XCTAssertEqual(s3, .conflict, String(decoding: d3, as: UTF8.self))
            let count = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(count, 1)
            // A second report nearby of the same category comes back with the first as a likely duplicate.
            let (_, d4) = try await Self.report(app, lat: 30.1005, lon: 120.2502)
            XCTAssertEqual(try Self.decoder.decode(Created.self, from: d4).likelyDuplicates.map(\.code), [try Self.decoder.decode(Created.self, from: d1).code])
        }
    }

    func testTwoConcurrentIntakesWithOneKeyCreateOneCase() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            async let a = Self.report(app, key: "race")
            async let b = Self.report(app, key: "race")
            let (ra, rb) = try await (a, b)
            XCTAssertEqual(Set([ra.0, rb.0]), Set([.created, .ok]), "\(ra.0) \(rb.0)")
            let count = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(count, 1)
        }
    }

    func testOfTwoWritersOnOneCaseOneWins() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            let created = try Self.decoder.decode(Created.self, from: try await Self.report(app).1)
            let stored = try await XCTUnwrapAsync(try await CaseQueries.find(id: created.id, on: app.db))
            let ref = try await app.wangge.reference.current(on: app.db, now: clock.now())
            let op = RecordActor.staff(ActingStaff(username: "westop", role: .operator, areaCode: "3301002"))
            let accept = try CaseStateMachine.apply(.accept(), to: stored.snapshot, actor: op, at: clock.now(), calendar: ref.calendar)
            let reject = try CaseStateMachine.apply(.reject(reason: "重复"), to: stored.snapshot, actor: op, at: clock.now(), calendar: ref.calendar)
            let db = app.db, context = ref.measureContext
            async let first = Result(catching: { try await CaseQueries.append(accept, to: stored, context: context, on: db) })
            async let second = Result(catching: { try await CaseQueries.append(reject, to: stored, context: context, on: db) })
            var wins = 0, conflicts = 0
            for result in await [first, second] {
                switch result {
                case .success: wins += 1
                case .failure(let e): XCTAssertTrue(e is RecordConflict, "\(e)"); conflicts += 1
                }
            }
            XCTAssertEqual(wins, 1)
            XCTAssertEqual(conflicts, 1)
            let actions = try await CaseQueries.actions(caseID: created.id, on: app.db)
            XCTAssertEqual(actions.count, 2)
            let reloaded = try await CaseQueries.find(id: created.id, on: app.db)
            XCTAssertEqual(try CaseSnapshot.replay(actions.map(\.record)), reloaded?.snapshot)
        }
    }

    func testTheClockJobRaisesASupervisionOnceHoweverOftenItRuns() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            let created = try Self.decoder.decode(Created.self, from: try await Self.report(app).1)
            let op = try await app.token("westop")
            _ = try await Self.act(app, op, created.id, ["action": "accept"])
            _ = try await Self.act(app, op, created.id, ["action": "dispatch", "department_code": "3301002-market_regulation"])
            var total = ClockRunner.Outcome()
            for _ in 0..<5 {
                clock.advance(3 * 24 * 3600)
                let o = try await ClockRunner.runOnce(app)
                total.supervisions += o.supervisions
                total.escalations += o.escalations
            }
            XCTAssertEqual(total.supervisions, 1)
            XCTAssertGreaterThanOrEqual(total.escalations, 1)
            let stored = try await CaseQueries.find(id: created.id, on: app.db)
            XCTAssertEqual(stored?.snapshot.supervisionCount, 1)
        }
    }

    func testAPhotoLosesItsLocationAndAFakeIsRefused() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let gps = Array("Exif\0\0MM\0*GPSLatitude".utf8)
            var jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0, UInt8(gps.count + 2)] + gps
            jpeg += [0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xDA, 0, 4, 1, 2, 9, 9, 0xFF, 0xD9]
            func multipart(_ photo: [UInt8]) -> (HTTPHeaders, ByteBuffer) {
                let boundary = "XyZ123"
                var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"case\"\r\nContent-Type: application/json\r\n\r\n".utf8)
                body += Array("{\"category_code\": \"\(Self.marketCategory)\", \"description\": \"带照片\", \"lat\": 30.1, \"lon\": 120.25}".utf8)
                body += Array("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
                body += photo + Array("\r\n--\(boundary)--\r\n".utf8)
                return (["Content-Type": "multipart/form-data; boundary=\(boundary)"], ByteBuffer(bytes: body))
            }
            let (h, b) = multipart(jpeg)
            var id = UUID()
            try await app.test(.POST, "/api/v1/cases", headers: h, body: b) { res async throws in
                XCTAssertEqual(res.status, .created, res.body.string)
                id = try Self.decoder.decode(Created.self, from: Data(res.body.readableBytesView)).id
            }
            let actions = try await CaseQueries.actions(caseID: id, on: app.db)
            let sha = try XCTUnwrap(actions.first?.record.attachmentIDs.first)
            let stored = try XCTUnwrap(app.wangge.photos.read(sha))
            XCTAssertFalse(String(decoding: stored, as: UTF8.self).contains("GPS"))
            let (h2, b2) = multipart(Array("<html>not a photo</html>".utf8))
            try await app.test(.POST, "/api/v1/cases", headers: h2, body: b2) { res async throws in
                XCTAssertEqual(res.status, .unsupportedMediaType)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.field, "photos")
            }
        }
    }
}

func XCTUnwrapAsync<T>(_ value: T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    try XCTUnwrap(value, file: file, line: line)
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
