import Foundation
import FoundationXML
import NIOCore
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// Open311 GeoReport v2 (issue 21) against the small county: keys per township, reports through the case intake,
/// reads in both formats, and every kind of bad input answered with the spec's error array and nothing written.
final class Open311Tests: XCTestCase {
    static let base = "/open311/v2"

    static var category: WanggeCore.Category {
        try! CoreResources.defaultCatalogue().categories.first { !$0.isMajor && !$0.photoRequired && $0.handler == .department(.marketRegulation) }!
    }
    static var photoCategory: WanggeCore.Category {
        try! CoreResources.defaultCatalogue().categories.first { !$0.isMajor && $0.photoRequired }!
    }

    struct Keys { var east: String; var west: String; var county: String }

    static func keys(_ app: Application, westRate: Int? = nil) async throws -> Keys {
        try await SmallCounty.load(app)
        return Keys(east: try await Setup.createAPIKey(app, name: "east-app", areaCode: "3301001", rate: 1_000, by: "test").key,
                    west: try await Setup.createAPIKey(app, name: "west-app", areaCode: "3301002", rate: westRate ?? 1_000, by: "test").key,
                    county: try await Setup.createAPIKey(app, name: "county-app", areaCode: "3301", rate: 1_000, by: "test").key)
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    static func report(key: String, lon: Double = 120.25, description: String = "菜场熟食摊无证经营", extra: [(String, String)] = []) -> [(String, String)] {
        [("api_key", key), ("service_code", category.code), ("lat", "30.1"), ("long", String(lon)), ("description", description),
         ("first_name", "三"), ("last_name", "张"), ("phone", "13800138000"), ("email", "zhang@example.cn")] + extra
    }

    @discardableResult
    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil, body: ByteBuffer? = nil,
                     headers: HTTPHeaders = [:]) async throws -> (HTTPStatus, String, HTTPHeaders) {
        var h = headers
        var b = body
        if let form {
            h.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
            b = ByteBuffer(string: Self.form(form))
        }
        var out: (HTTPStatus, String, HTTPHeaders) = (.ok, "", [:])
        try await app.test(method, path, headers: h, body: b) { res async throws in out = (res.status, res.body.string, res.headers) }
        return out
    }

    static func json(_ text: String) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], text)
    }

    /// The XML as elements: the root's name and its items, each a dictionary of child name → text.
    final class Items: NSObject, XMLParserDelegate {
        var root = "", items: [[String: String]] = [], depth = 0, current: [String: String] = [:], text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            depth += 1
            if depth == 1 { root = name }
            if depth == 2 { current = [:] }
            text = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if depth == 3 { current[name] = text }
            if depth == 2 { items.append(current) }
            depth -= 1
            text = ""
        }
    }

    static func xml(_ text: String) throws -> Items {
        let p = XMLParser(data: Data(text.utf8))
        let d = Items()
        p.delegate = d
        XCTAssertTrue(p.parse(), "well-formed: \(p.parserError.map { "\($0)" } ?? "") \(text.prefix(300))")
        return d
    }

    func testAReportIsRoutedLikeAnyOtherAndMarkedWithItsKey() async throws {
        try await withApp { app, _ in
            let keys = try await Self.keys(app)
            let (status, text, headers) = try await Self.send(app, .POST, "\(Self.base)/requests.json", form: Self.report(key: keys.west, extra: [("account_id", "u-1")]))
            XCTAssertEqual(status, .created, text)
            XCTAssertEqual(headers.first(name: .contentType), "application/json; charset=utf-8")
            let answer = try Self.json(text)
            let code = try XCTUnwrap(answer.first?["service_request_id"] as? String)
            XCTAssertEqual(answer.first?["account_id"] as? String, "u-1")
            XCTAssertNotNil(answer.first?["service_notice"] as? String)
            let found = try await CaseQueries.find(code: code, on: app.db)
            let c = try XCTUnwrap(found)
            // Routed by place and category, exactly as a report through the JSON API.
            XCTAssertEqual(c.snapshot.intake.routedDepartmentCode, "3301002-market_regulation")
            XCTAssertEqual(c.snapshot.areaCode, "3301002001001")
            XCTAssertEqual(c.report.source, .open311)
            XCTAssertEqual(c.report.channelKey, "west-app")
            XCTAssertEqual(c.report.reporterName, "张三")
            XCTAssertEqual(c.report.reporterPhone, "13800138000")
            // The audit log names the key that made it.
            let audit = try await AuditQueries.search(.init(recordID: code), page: 1, per: 10, on: app.db).events
            XCTAssertEqual(audit.map(\.username), ["apikey:west-app"])
            XCTAssertEqual(audit.first?.view.fields, ["report", "reporter_name", "reporter_phone"])
            // The case page shows the channel and the key; a handler sees the reporter masked as ever.
            let b = Browser(app)
            try await b.signIn("westop")
            let page = try await b.get("/cases/\(c.id.uuidString)")
            XCTAssertTrue(page.body.string.contains("Open311 接口 (west-app)"), page.body.string)
            let h = Browser(app)
            try await h.signIn("westmarket")
            let masked = try await h.get("/cases/\(c.id.uuidString)")
            XCTAssertFalse(masked.body.string.contains("13800138000"))
            XCTAssertFalse(masked.body.string.contains("张三"))
            // The case's detail through the JSON API names the key too.
            let op = try await app.token("westop")
            try await app.test(.GET, "/api/v1/cases/\(c.id.uuidString)", headers: ["Authorization": "Bearer \(op)"]) { res async throws in
                XCTAssertTrue(res.body.string.contains(#""channel_key":"west-app""#), res.body.string)
                XCTAssertTrue(res.body.string.contains(#""source":"open311""#))
            }
            // The workbench's source filter knows the channel.
            let list = try await b.get("/workbench?source=open311")
            XCTAssertTrue(list.body.string.contains(code))
        }
    }

    func testARetriedPostMakesOneCaseInBothFormats() async throws {
        try await withApp { app, _ in
            let keys = try await Self.keys(app)
            let form = Self.report(key: keys.west)
            let (s1, t1, _) = try await Self.send(app, .POST, "\(Self.base)/requests.json", form: form)
            let (s2, t2, _) = try await Self.send(app, .POST, "\(Self.base)/requests.xml", form: form)
            XCTAssertEqual(s1, .created)
            XCTAssertEqual(s2, .ok, t2)
            let first = try XCTUnwrap(try Self.json(t1).first?["service_request_id"] as? String)
            XCTAssertEqual(try Self.xml(t2).items.first?["service_request_id"], first)
            let n1x = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(n1x, 1)
            // Another report (other words) is another case.
            let (s3, _, _) = try await Self.send(app, .POST, "\(Self.base)/requests.json", form: Self.report(key: keys.west, description: "另一个问题"))
            XCTAssertEqual(s3, .created)
            let n2x = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(n2x, 2)
        }
    }

    func testAKeyReadsAndReportsOnlyInItsArea() async throws {
        try await withApp { app, _ in
            let keys = try await Self.keys(app)
            let (_, west, _) = try await Self.send(app, .POST, "\(Self.base)/requests.json", form: Self.report(key: keys.west))
            let westCode = try XCTUnwrap(try Self.json(west).first?["service_request_id"] as? String)
            let westToken = try XCTUnwrap(try Self.json(west).first?["token"] as? String)
            let (_, east, _) = try await Self.send(app, .POST, "\(Self.base)/requests.json", form: Self.report(key: keys.east, lon: 120.05))
            let eastCode = try XCTUnwrap(try Self.json(east).first?["service_request_id"] as? String)
            // Township 1's key cannot read township 2's request: not in its list, 404 alone, 404 by token.
            let (_, list, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json?api_key=\(keys.east)")
            XCTAssertEqual(try Self.json(list).compactMap { $0["service_request_id"] as? String }, [eastCode])
            let (_, byIDs, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json?api_key=\(keys.east)&service_request_id=\(westCode),\(eastCode)")
            XCTAssertEqual(try Self.json(byIDs).compactMap { $0["service_request_id"] as? String }, [eastCode])
            for path in ["requests/\(westCode).json", "requests/\(westCode).xml", "tokens/\(westToken).json"] {
                let (status, text, headers) = try await Self.send(app, .GET, "\(Self.base)/\(path)?api_key=\(keys.east)")
                XCTAssertEqual(status, .notFound, path)
                XCTAssertFalse(text.contains("菜场") || text.contains("<html"), text)
                XCTAssertTrue(headers.first(name: .contentType)?.hasPrefix(path.hasSuffix("xml") ? "text/xml" : "application/json") == true)
            }
            // The county's key sees both; Basic auth carries a key for clients that send none on reads.
            let basic = "Basic " + Data("any:\(keys.county)".utf8).base64EncodedString()
            let (_, all, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json", headers: ["Authorization": basic])
            XCTAssertEqual(Set(try Self.json(all).compactMap { $0["service_request_id"] as? String }), [eastCode, westCode])
            let (_, token, _) = try await Self.send(app, .GET, "\(Self.base)/tokens/\(westToken).json", headers: ["Authorization": basic])
            XCTAssertEqual(try Self.json(token).first?["service_request_id"] as? String, westCode)
            // Reporting in the other township is refused and writes nothing.
            let before = try await CaseQueries.count(on: app.db)
            let (status, text, _) = try await Self.send(app, .POST, "\(Self.base)/requests.json", form: Self.report(key: keys.east, lon: 120.3, description: "越界"))
            XCTAssertEqual(status, .badRequest, text)
            XCTAssertTrue(text.contains("outside the area of this api_key"), text)
            let after = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(after, before)
        }
    }

    func testReadsShowWhatTheTrackingPageShowsInBothFormatsWithMarkupAndChinese() async throws {
        try await withApp { app, clock in
            let keys = try await Self.keys(app)
            let address = "西村<幸福>路 & \"3\" 号'"
            let (_, posted, _) = try await Self.send(app, .POST, "\(Self.base)/requests.json",
                                                    form: Self.report(key: keys.west, extra: [("address_string", address)]))
            let code = try XCTUnwrap(try Self.json(posted).first?["service_request_id"] as? String)
            let found = try await CaseQueries.find(code: code, on: app.db)
            let c = try XCTUnwrap(found)
            // Staff act: an internal comment the resident never sees, then accept and dispatch.
            let op = try await app.token("westop")
            for body in [#"{"action": "comment", "note": "内部备注：勿外传"}"#, #"{"action": "accept"}"#, #"{"action": "dispatch", "department_code": "3301002-market_regulation"}"#] {
                try await app.test(.POST, "/api/v1/cases/\(c.id.uuidString)/actions", headers: ["Authorization": "Bearer \(op)", "Content-Type": "application/json"],
                                   body: ByteBuffer(string: body)) { res async throws in XCTAssertEqual(res.status, .ok, res.body.string) }
                clock.advance(60)
            }
            let (_, j, _) = try await Self.send(app, .GET, "\(Self.base)/requests/\(code).json?api_key=\(keys.west)")
            let (_, x, _) = try await Self.send(app, .GET, "\(Self.base)/requests/\(code).xml?api_key=\(keys.west)")
            let fromJSON = try XCTUnwrap(try Self.json(j).first)
            let parsed = try Self.xml(x)
            XCTAssertEqual(parsed.root, "service_requests")
            let fromXML = try XCTUnwrap(parsed.items.first)
            XCTAssertEqual(fromJSON["address"] as? String, address)
            XCTAssertEqual(fromXML["address"], address)
            for key in ["service_request_id", "status", "service_code", "service_name", "agency_responsible", "requested_datetime", "updated_datetime",
                        "expected_datetime", "service_notice"] {
                XCTAssertEqual(fromJSON[key] as? String, fromXML[key], key)
            }
            XCTAssertEqual(fromJSON["status"] as? String, "open")
            XCTAssertEqual(fromJSON["agency_responsible"] as? String, "西镇市场监管所")
            XCTAssertTrue((fromJSON["expected_datetime"] as? String)?.hasSuffix("+08:00") == true, "the closure deadline, once accepted")
            XCTAssertEqual(fromJSON["lat"] as? Double, 30.1)
            XCTAssertEqual(fromXML["long"], "120.25")
            // No personal data, no words of the report, no internal note, in either format.
            for text in [j, x] {
                for secret in ["张三", "13800138000", "zhang@example.cn", "内部备注", "菜场熟食摊无证经营"] { XCTAssertFalse(text.contains(secret), secret) }
            }
            // The updates since the report: open, then action scheduled.
            let (_, u, _) = try await Self.send(app, .GET, "\(Self.base)/servicerequestupdates.json?api_key=\(keys.west)")
            XCTAssertEqual(try Self.json(u).compactMap { $0["status"] as? String }, ["OPEN", "OPEN", "ACTION_SCHEDULED"])
            XCTAssertFalse(u.contains("内部备注"))
            let (_, ux, _) = try await Self.send(app, .GET, "\(Self.base)/servicerequestupdates.xml?api_key=\(keys.west)")
            XCTAssertEqual(try Self.xml(ux).items.compactMap { $0["status"] }, ["OPEN", "OPEN", "ACTION_SCHEDULED"])
            // Filters: status, service code, dates.
            let (_, closed, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json?api_key=\(keys.west)&status=closed")
            XCTAssertEqual(try Self.json(closed).count, 0)
            let (_, open, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json?api_key=\(keys.west)&status=open&service_code=\(Self.category.code)&start_date=2026-11-20T00:00:00%2B08:00&end_date=2026-11-30T00:00:00Z")
            XCTAssertEqual(try Self.json(open).count, 1)
            let (_, later, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json?api_key=\(keys.west)&start_date=2026-11-25")
            XCTAssertEqual(try Self.json(later).count, 0)
        }
    }

    func testServicesAndDiscoveryInBothFormats() async throws {
        try await withApp { app, _ in
            _ = try await Self.keys(app)
            let (_, j, _) = try await Self.send(app, .GET, "\(Self.base)/services.json")
            let (_, x, _) = try await Self.send(app, .GET, "\(Self.base)/services.xml")
            let services = try Self.json(j), parsed = try Self.xml(x)
            XCTAssertEqual(parsed.root, "services")
            XCTAssertEqual(services.count, parsed.items.count)
            let leaves = try CoreResources.defaultCatalogue().categories.filter { !$0.isMajor }
            XCTAssertEqual(services.count, leaves.count)
            for (a, b) in zip(services, parsed.items) {
                XCTAssertEqual(a["service_code"] as? String, b["service_code"])
                XCTAssertEqual(a["group"] as? String, b["group"])
                XCTAssertEqual((a["metadata"] as? Bool).map { $0 ? "true" : "false" }, b["metadata"])
                XCTAssertEqual(a["type"] as? String, "realtime")
            }
            let (_, d, _) = try await Self.send(app, .GET, "\(Self.base)/services/\(Self.photoCategory.code).json")
            let definition = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(d.utf8)) as? [String: Any])
            let attributes = try XCTUnwrap(definition["attributes"] as? [[String: Any]])
            XCTAssertEqual(attributes.first?["code"] as? String, "media")
            XCTAssertEqual(attributes.first?["required"] as? Bool, true)
            let (_, dx, _) = try await Self.send(app, .GET, "\(Self.base)/services/\(Self.photoCategory.code).xml")
            XCTAssertEqual(try Self.xml(dx).root, "service_definition")
            let (_, disc, _) = try await Self.send(app, .GET, "\(Self.base)/discovery.json")
            XCTAssertTrue(disc.contains("GeoReport_v2"))
            let (_, discx, _) = try await Self.send(app, .GET, "\(Self.base)/discovery.xml")
            XCTAssertEqual(try Self.xml(discx).root, "discovery")
            // A 大类 is no service; the county's own jurisdiction id is accepted, another is 404.
            let major = try CoreResources.defaultCatalogue().majors[0].code
            let (s, _, _) = try await Self.send(app, .GET, "\(Self.base)/services/\(major).json")
            XCTAssertEqual(s, .notFound)
            let (own, _, _) = try await Self.send(app, .GET, "\(Self.base)/services.json?jurisdiction_id=3301")
            XCTAssertEqual(own, .ok)
            let (empty, _, _) = try await Self.send(app, .GET, "\(Self.base)/services.json?jurisdiction_id=")
            XCTAssertEqual(empty, .ok)
            let (other, otherText, _) = try await Self.send(app, .GET, "\(Self.base)/services.xml?jurisdiction_id=sf.gov")
            XCTAssertEqual(other, .notFound)
            XCTAssertEqual(try Self.xml(otherText).root, "errors")
        }
    }

    func testBadInputGetsTheSpecsErrorArrayAndWritesNothing() async throws {
        try await withApp { app, _ in
            let keys = try await Self.keys(app)
            try await Setup.revokeAPIKey(app, name: "county-app")
            var cases: [(String, [(String, String)], HTTPStatus, String)] = [
                ("missing key", Self.report(key: "").filter { $0.0 != "api_key" }, .unauthorized, "api_key"),
                ("wrong key", Self.report(key: "wg_" + String(repeating: "x", count: 43)), .forbidden, "api_key"),
                ("malformed key", Self.report(key: "<script>"), .forbidden, "api_key"),
                ("revoked key", Self.report(key: keys.county), .forbidden, "revoked"),
                ("unknown service", Self.report(key: keys.west).map { $0.0 == "service_code" ? ($0.0, "9999") : $0 }, .badRequest, "service_code"),
                ("outside the county", Self.report(key: keys.west, lon: 0).map { $0.0 == "lat" ? ($0.0, "0") : $0 }, .badRequest, "outside the county"),
                ("missing description", Self.report(key: keys.west).filter { $0.0 != "description" }, .badRequest, "description"),
                ("blank description", Self.report(key: keys.west, description: "  "), .badRequest, "description"),
                ("XML-unsafe description", Self.report(key: keys.west, description: "坏\u{1}字"), .badRequest, "description"),
                ("XML-unsafe name", Self.report(key: keys.west, extra: [("first_name", "三\u{FFFE}")]), .badRequest, "first_name"),
                ("unplaceable address", Self.report(key: keys.west).filter { !["lat", "long"].contains($0.0) } + [("address_string", "火星基地 1 号")], .badRequest, "address_string"),
                ("lat without long", Self.report(key: keys.west).filter { $0.0 != "long" }, .badRequest, "long"),
                ("unknown jurisdiction", Self.report(key: keys.west, extra: [("jurisdiction_id", "sf.gov")]), .notFound, "jurisdiction"),
                ("bad phone", Self.report(key: keys.west).map { $0.0 == "phone" ? ($0.0, "12") : $0 }, .badRequest, "phone"),
                ("photo category without media", Self.report(key: keys.west).map { $0.0 == "service_code" ? ($0.0, Self.photoCategory.code) : $0 }, .badRequest, "media"),
            ]
            cases.append(("long description", Self.report(key: keys.west, description: String(repeating: "长", count: 2_001)), .badRequest, "description"))
            for (label, form, status, word) in cases {
                for format in ["json", "xml"] {
                    let (s, text, headers) = try await Self.send(app, .POST, "\(Self.base)/requests.\(format)", form: form)
                    XCTAssertEqual(s, status, "\(label) (\(format)): \(text)")
                    XCTAssertTrue(text.lowercased().contains(word.lowercased()), "\(label): \(text)")
                    XCTAssertFalse(text.contains("<html"), label)
                    if format == "json" {
                        let errors = try Self.json(text)
                        XCTAssertEqual(errors.first?["code"] as? Int, Int(status.code), label)
                        XCTAssertNotNil(errors.first?["description"] as? String, label)
                    } else {
                        XCTAssertTrue(headers.first(name: .contentType)?.hasPrefix("text/xml") == true, label)
                        let parsed = try Self.xml(text)
                        XCTAssertEqual(parsed.root, "errors", label)
                        XCTAssertEqual(parsed.items.first?["code"], String(status.code), label)
                    }
                }
            }
            // Media: not an image, and too large.
            func multipart(_ media: [UInt8], type: String = "image/jpeg") -> ByteBuffer {
                var b = Array("--B\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n\(keys.west)\r\n".utf8)
                for (k, v) in Self.report(key: keys.west).dropFirst() { b += Array("--B\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8) }
                b += Array("--B\r\nContent-Disposition: form-data; name=\"media\"; filename=\"a\"\r\nContent-Type: \(type)\r\n\r\n".utf8) + media + Array("\r\n--B--\r\n".utf8)
                return ByteBuffer(bytes: b)
            }
            let mp: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=B"]
            let (notImage, t1, _) = try await Self.send(app, .POST, "\(Self.base)/requests.json", body: multipart(Array("not a photo".utf8), type: "text/plain"), headers: mp)
            XCTAssertEqual(notImage, .unsupportedMediaType, t1)
            XCTAssertEqual(try Self.json(t1).first?["code"] as? Int, 415)
            let big = [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 7, count: app.wangge.config.limits.photoBytes + 10)
            let (tooBig, t2, _) = try await Self.send(app, .POST, "\(Self.base)/requests.xml", body: multipart(big), headers: mp)
            XCTAssertEqual(tooBig, .payloadTooLarge, t2)
            XCTAssertEqual(try Self.xml(t2).root, "errors")
            // Not a form at all.
            let (asJSON, t3, _) = try await Self.send(app, .POST, "\(Self.base)/requests.json", body: ByteBuffer(string: "{}"), headers: ["Content-Type": "application/json"])
            XCTAssertEqual(asJSON, .unsupportedMediaType, t3)
            XCTAssertEqual(try Self.json(t3).first?["code"] as? Int, 415)
            let n0x = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(n0x, 0, "nothing written")

            // Reads: thousands of ids, dates in the wrong format, a span over 90 days, bad status and paging.
            let ids = (1...5_000).map { "AL-20261123-\(String(format: "%06d", $0))" }.joined(separator: ",")
            for (query, word) in [("service_request_id=\(ids)", "service_request_id"), ("start_date=23/11/2026", "start_date"),
                                  ("end_date=2026-11-23T10:00:00", "end_date"), ("start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z", "90 days"),
                                  ("status=pending", "status"), ("page_size=100000", "page_size"), ("page=0", "page"), ("service_code=9999", "service_code")] {
                for format in ["json", "xml"] {
                    let (s, text, _) = try await Self.send(app, .GET, "\(Self.base)/requests.\(format)?api_key=\(keys.west)&\(query)")
                    XCTAssertEqual(s, .badRequest, "\(query.prefix(60)): \(text.prefix(200))")
                    XCTAssertTrue(text.contains(word), text.prefix(300).description)
                    XCTAssertTrue(text.utf8.count < 2_000, "the error does not echo the whole list")
                }
            }
            let (noKey, _, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json")
            XCTAssertEqual(noKey, .unauthorized)
            // No route under the prefix answers with HTML, not even one that does not exist.
            for path in ["nothing", "requests", "requests/AL-1", "services/0101.html", "requests.html", "discovery.json/x"] {
                let (s, text, headers) = try await Self.send(app, .GET, "\(Self.base)/\(path)", headers: ["Accept": "text/html"])
                XCTAssertEqual(s, .notFound, path)
                XCTAssertFalse(text.contains("<html"), path)
                XCTAssertFalse(headers.first(name: .contentType)?.contains("html") == true, path)
            }
        }
    }

    func testAPhotoGoesInAsMediaAndComesOutAsMediaURL() async throws {
        try await withApp { app, _ in
            let keys = try await Self.keys(app)
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 7, 7, 0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xDA, 0, 4, 1, 2, 9, 9, 0xFF, 0xD9]
            var b: [UInt8] = []
            for (k, v) in Self.report(key: keys.west).map({ $0.0 == "service_code" ? ($0.0, Self.photoCategory.code) : $0 }) {
                b += Array("--B\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
            }
            b += Array("--B\r\nContent-Disposition: form-data; name=\"media\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8) + jpeg + Array("\r\n--B--\r\n".utf8)
            let (s, text, _) = try await Self.send(app, .POST, "\(Self.base)/requests.json", body: ByteBuffer(bytes: b), headers: ["Content-Type": "multipart/form-data; boundary=B"])
            XCTAssertEqual(s, .created, text)
            let code = try XCTUnwrap(try Self.json(text).first?["service_request_id"] as? String)
            let (_, read, _) = try await Self.send(app, .GET, "\(Self.base)/requests/\(code).json?api_key=\(keys.west)")
            let url = try XCTUnwrap(try Self.json(read).first?["media_url"] as? String)
            let path = try XCTUnwrap(URLComponents(string: url)?.path)
            XCTAssertTrue(path.hasPrefix("\(Self.base)/media/"))
            try await app.test(.GET, path) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.first(name: .contentType), "image/jpeg")
            }
            try await app.test(.GET, "\(Self.base)/media/" + String(repeating: "a", count: 64)) { res async throws in XCTAssertEqual(res.status, .notFound) }
        }
    }

    func testEachKeyHasItsOwnRateLimit() async throws {
        try await withApp { app, _ in
            let keys = try await Self.keys(app, westRate: 2)
            var statuses: [HTTPStatus] = []
            for i in 0..<3 {
                let (s, _, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json?api_key=\(keys.west)&page=\(i + 1)")
                statuses.append(s)
            }
            XCTAssertEqual(statuses, [.ok, .ok, .tooManyRequests])
            let (s, text, headers) = try await Self.send(app, .POST, "\(Self.base)/requests.xml", form: Self.report(key: keys.west))
            XCTAssertEqual(s, .tooManyRequests)
            XCTAssertEqual(try Self.xml(text).root, "errors")
            XCTAssertNotNil(headers.first(name: "Retry-After"))
            // Another key is not slowed by it.
            let (east, _, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json?api_key=\(keys.east)")
            XCTAssertEqual(east, .ok)
        }
    }

    func testKeysAreMadeListedAndRevokedOnTheAdminPage() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            try await Setup.createUser(app, username: "keyadmin", password: "Orchard-lantern-42", role: .admin, areaCode: "3301", departmentCode: nil, displayName: nil)
            let b = Browser(app)
            try await b.signIn("keyadmin")
            _ = try await b.get("/api-keys")
            let made = try await b.post("/api-keys", form: ["name": "partner-1", "area": "3301002", "rate": "30"])
            XCTAssertEqual(made.status, .ok, made.body.string)
            let page = made.body.string
            let key = try XCTUnwrap(page.range(of: #"wg_[A-Za-z0-9_-]{43}"#, options: .regularExpression).map { String(page[$0]) })
            XCTAssertEqual(made.headers.cacheControl?.noStore, true)
            // Only the hash is kept; the key works, then is refused once revoked.
            let stored = try await APIKeyQueries.find(name: "partner-1", on: app.db)
            XCTAssertEqual(stored?.ratePerMinute, 30)
            XCTAssertNotEqual(stored.map { "\($0)" }?.contains(key), true)
            let (ok, _, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json?api_key=\(key)")
            XCTAssertEqual(ok, .ok)
            let again = try await b.post("/api-keys", form: ["name": "partner-1", "area": "3301002"])
            XCTAssertEqual(again.status, .badRequest)
            XCTAssertTrue(again.body.string.contains("exists already"))
            let bad = try await b.post("/api-keys", form: ["name": "坏 名", "area": "3301002"])
            XCTAssertEqual(bad.status, .badRequest)
            let revoked = try await b.post("/api-keys/partner-1/revoke", form: [:])
            XCTAssertEqual(revoked.status, .seeOther)
            let (gone, _, _) = try await Self.send(app, .GET, "\(Self.base)/requests.json?api_key=\(key)")
            XCTAssertEqual(gone, .forbidden)
            let listed = try await b.get("/api-keys")
            XCTAssertTrue(listed.body.string.contains("partner-1") && listed.body.string.contains("已吊销"))
            XCTAssertFalse(listed.body.string.contains(key))
            // Not for other roles; not without the page's token.
            let op = Browser(app)
            try await op.signIn("countyop")
            let refused = try await op.get("/api-keys")
            XCTAssertEqual(refused.status, .forbidden)
            let forged = try await b.post("/api-keys", form: ["name": "partner-2", "area": "3301"], token: "0000")
            XCTAssertEqual(forged.status, .forbidden)
        }
    }
}
