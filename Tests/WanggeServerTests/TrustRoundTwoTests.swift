import Foundation
import NIOCore
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// Issue 17 (trust, second round): one test per finding, each failing on the code before it.
final class TrustRoundTwoTests: XCTestCase {
    typealias M = MediationAPITests

    static func status(_ r: (HTTPStatus, Data)) -> String { "\(r.0) \(String(decoding: r.1, as: UTF8.self).prefix(400))" }
    static func error(_ d: Data) -> ErrorBody.Detail? { try? JSONDecoder().decode(ErrorBody.self, from: d).error }

    /// Registers, accepts and assigns a direct mediation in the east grid; returns its id.
    static func mediating(_ app: Application, op: String, mediator: String) async throws -> UUID {
        let (s, d) = try await M.send(app, .POST, "/api/v1/mediations", token: op, body: M.direct())
        XCTAssertEqual(s, .created, String(decoding: d, as: UTF8.self))
        let id = try CaseLoopTests.decoder.decode(M.Summary.self, from: d).id
        let v1 = try await M.act(app, mediator, id, ["action": "accept", "complexity": "simple"]).0
        XCTAssertEqual(v1, .ok)
        let v2 = try await M.act(app, mediator, id, ["action": "assign", "mediator_ids": ["m_grid"]]).0
        XCTAssertEqual(v2, .ok)
        return id
    }

    // MARK: 1. No stored number can trap

    func testExtremeAmountsAreBoundedNamedAndNeverTrapAMeasure() async throws {
        try await withApp { app, clock in
            try await M.world(app)
            let op = try await app.token("eastop"), grid = try await app.token("m_grid")
            // Over the bounds: refused, naming the field, nothing written.
            var tooMuch = M.direct()
            tooMuch["amount_yuan"] = 1e10 + 1
            let r0 = try await M.send(app, .POST, "/api/v1/mediations", token: op, body: tooMuch)
            XCTAssertEqual(r0.0, .badRequest, Self.status(r0))
            XCTAssertEqual(Self.error(r0.1)?.field, "amount_yuan")
            // At the bounds: an amount of 10^10 yuan, and 50 terms of 10^10 yuan each, many times over.
            for _ in 0..<3 {
                var most = M.direct()
                most["amount_yuan"] = 1e10
                let (s, d) = try await M.send(app, .POST, "/api/v1/mediations", token: op, body: most)
                XCTAssertEqual(s, .created, String(decoding: d, as: UTF8.self))
                let id = try CaseLoopTests.decoder.decode(M.Summary.self, from: d).id
                let v3 = try await M.act(app, grid, id, ["action": "accept", "complexity": "simple"]).0
                XCTAssertEqual(v3, .ok)
                let v4 = try await M.act(app, grid, id, ["action": "assign", "mediator_ids": ["m_grid"]]).0
                XCTAssertEqual(v4, .ok)
                // Numbers past any bound in every other numeric field: a 400 each, never a 500.
                for body: [String: Any] in [["action": "extend", "days": Int.max, "consent": ["applicant": true, "respondent": true]],
                                            ["action": "extend", "days": -5, "consent": ["applicant": true, "respondent": true]],
                                            ["action": "record_performance", "term": Int.max, "amount_yuan": 1, "performed_on": "2026-11-23"],
                                            ["action": "agree", "terms": [["obligor": "李四", "description": "x", "amount_yuan": 1e300, "due_date": "2026-12-31"]]],
                                            ["action": "agree", "terms": [["obligor": "李四", "description": "x", "amount_yuan": -1, "due_date": "2026-12-31"]]]] {
                    let r = try await M.act(app, grid, id, body)
                    XCTAssertTrue([400, 409].contains(r.0.code), "\(body): \(Self.status(r))")
                }
                let terms = (0..<50).map { i in ["obligor": "李四", "description": "赔偿第\(i)项", "amount_yuan": 1e10, "due_date": "2026-12-31"] as [String: Any] }
                let agreed = try await M.act(app, grid, id, ["action": "agree", "terms": terms])
                XCTAssertEqual(agreed.0, .ok, Self.status(agreed))
                // A payment above what the term has left is refused; the whole term is accepted.
                let over = try await M.act(app, grid, id, ["action": "record_performance", "term": 0, "amount_yuan": 1e10 + 1, "performed_on": "2026-11-23"])
                XCTAssertEqual(over.0, .badRequest, Self.status(over))
                XCTAssertEqual(Self.error(over.1)?.field, "amount_yuan")
                let full = try await M.act(app, grid, id, ["action": "record_performance", "term": 0, "amount_yuan": 1e10, "performed_on": "2026-11-23"])
                XCTAssertEqual(full.0, .ok, Self.status(full))
                let again = try await M.act(app, grid, id, ["action": "record_performance", "term": 0, "amount_yuan": 1, "performed_on": "2026-11-23"])
                XCTAssertEqual(again.0, .badRequest, "nothing is left of the term: \(Self.status(again))")
            }
            clock.advance(3_600)
            // Every measures and list route answers.
            let admin = try await app.token("countyop")
            for path in ["/api/v1/mediations/measures?from=2026-11-01&to=2026-11-30", "/api/v1/measures?from=2026-11-01&to=2026-11-30",
                         "/api/v1/mediations", "/api/v1/cases", "/dashboard?from=2026-11-01&to=2026-11-30", "/screen", "/mediations"] {
                let r = try await M.send(app, .GET, path, token: admin)
                XCTAssertEqual(r.0, .ok, "\(path): \(Self.status(r))")
            }
        }
    }

    // MARK: 3. The tracking code is the reporter's

    func testStaffDoNotSeeTrackingCodesAndARatingWithASeenCodeIsMarked() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            let op = try await app.token("westop"), handler = try await app.token("westmarket"), worker = try await app.token("westworker")
            // A staff report's answer carries no code; an anonymous one's does.
            let (ss, sd) = try await CaseLoopTests.report(app, body: ["category_code": CaseLoopTests.marketCategory, "description": "来电反映无证经营",
                                                                      "lat": 30.1, "lon": 120.25, "source": "hotline",
                                                                      "reporter": ["name": "来电人", "phone": "13800138001"]], token: op)
            XCTAssertEqual(ss, .created, String(decoding: sd, as: UTF8.self))
            let staffMade = try JSONSerialization.jsonObject(with: sd) as! [String: Any]
            XCTAssertNil(staffMade["tracking_code"], "a staff report's answer carries no tracking code")
            let (s0, d0) = try await CaseLoopTests.report(app)
            XCTAssertEqual(s0, .created)
            let created = try CaseLoopTests.decoder.decode(CaseLoopTests.Created.self, from: d0)
            // Staff reading the case do not get the code.
            let (_, detail) = try await M.send(app, .GET, "/api/v1/cases/\(created.id)", token: op)
            let json = String(decoding: detail, as: UTF8.self)
            XCTAssertFalse(json.contains(created.trackingCode), "no staff answer carries the code")
            XCTAssertFalse(json.contains("\"tracking_code\""))
            // A handler may not ask for it; an operator may, and that is audited and remembered.
            let v5 = try await M.send(app, .POST, "/api/v1/cases/\(created.id)/tracking-code", token: handler).0
            XCTAssertEqual(v5, .forbidden)
            let (rs, rd) = try await M.send(app, .POST, "/api/v1/cases/\(created.id)/tracking-code", token: op)
            XCTAssertEqual(rs, .ok, String(decoding: rd, as: UTF8.self))
            XCTAssertTrue(String(decoding: rd, as: UTF8.self).contains(created.trackingCode))
            let audit = try await AuditQueries.search(.init(), page: 1, per: 50, on: app.db)
            XCTAssertTrue(audit.events.contains { $0.view.recordID == created.code && $0.view.fields == ["tracking_code"] && $0.username == "westop" },
                          "reading the code to a caller is audited")
            // Carried to closure, then rated with that code: the rating is marked.
            for (token, body) in [(op, ["action": "accept"]), (op, ["action": "dispatch", "department_code": "3301002-market_regulation"]),
                                  (handler, ["action": "sign"]), (handler, ["action": "resolve", "note": "已整改"]),
                                  (worker, ["action": "verify_pass", "note": "已核实"]), (op, ["action": "close"])] {
                clock.advance(60)
                let r = try await CaseLoopTests.act(app, token, created.id, body)
                XCTAssertEqual(r.0, .ok, Self.status(r))
            }
            var rated: HTTPStatus = .ok
            try await app.test(.POST, "/api/v1/track/\(created.trackingCode)/rating", beforeRequest: { req async throws in
                try req.content.encode(["rating": "satisfied"], as: .json)
            }) { res async throws in rated = res.status }
            XCTAssertEqual(rated, .ok)
            let (_, after) = try await M.send(app, .GET, "/api/v1/cases/\(created.id)", token: op)
            let timeline = (try JSONSerialization.jsonObject(with: after) as! [String: Any])["timeline"] as! [[String: Any]]
            let rating = try XCTUnwrap(timeline.last { $0["action"] as? String == "rate" })
            XCTAssertEqual(rating["code_seen_by_staff"] as? Bool, true, "a rating made with a code staff have seen is marked")
        }
    }

    // MARK: 4–6. Mediation assignment, registration, pool phones

    func testOnlyThePoolsMediatorsServingTheCommitteeCanBeAssigned() async throws {
        try await withApp { app, _ in
            try await M.world(app)
            let op = try await app.token("eastop"), grid = try await app.token("m_grid")
            let (_, d) = try await M.send(app, .POST, "/api/v1/mediations", token: op, body: M.direct())
            let id = try CaseLoopTests.decoder.decode(M.Summary.self, from: d).id
            let v6 = try await M.act(app, grid, id, ["action": "accept", "complexity": "simple"]).0
            XCTAssertEqual(v6, .ok)
            for foreign in ["m_west", "countyop", "eastgrid", "nobody", "<b>x</b>"] {
                let r = try await M.act(app, grid, id, ["action": "assign", "mediator_ids": [foreign]])
                XCTAssertEqual(r.0, .badRequest, "\(foreign): \(Self.status(r))")
                XCTAssertEqual(Self.error(r.1)?.field, "mediator_ids")
                XCTAssertFalse(String(decoding: r.1, as: UTF8.self).contains("<b>"))
            }
            // The west mediator still cannot read it.
            let west = try await app.token("m_west")
            let v7 = try await M.send(app, .GET, "/api/v1/mediations/\(id)", token: west).0
            XCTAssertEqual(v7, .notFound)
            let v8 = try await M.act(app, grid, id, ["action": "assign", "mediator_ids": ["m_grid", "m_east"]]).0
            XCTAssertEqual(v8, .ok)
        }
    }

    func testRegistrationAnswersOnlyWhatTheCallerMaySeeAndKeysAreTheCallersOwn() async throws {
        try await withApp { app, _ in
            try await M.world(app)
            let op = try await app.token("eastop"), county = try await app.token("countyop"), grid = try await app.token("m_grid")
            // Leaders supervise; they do not register.
            let v9 = try await M.send(app, .POST, "/api/v1/mediations", token: try await app.token("lead"), body: M.direct()).0
            XCTAssertEqual(v9, .forbidden)
            // A key is per account: another account's same key makes its own registration and learns nothing.
            let (s1, d1) = try await M.send(app, .POST, "/api/v1/mediations", token: op, body: M.direct(), headers: ["Idempotency-Key": "k-1"])
            XCTAssertEqual(s1, .created)
            let first = try CaseLoopTests.decoder.decode(M.Summary.self, from: d1)
            var other = M.direct()
            other["description"] = "另一起纠纷"
            let (s2, d2) = try await M.send(app, .POST, "/api/v1/mediations", token: county, body: other, headers: ["Idempotency-Key": "k-1"])
            XCTAssertEqual(s2, .created, String(decoding: d2, as: UTF8.self))
            XCTAssertNotEqual(try CaseLoopTests.decoder.decode(M.Summary.self, from: d2).id, first.id)
            // The owner's retry answers their own.
            let (s3, d3) = try await M.send(app, .POST, "/api/v1/mediations", token: op, body: M.direct(), headers: ["Idempotency-Key": "k-1"])
            XCTAssertEqual(s3, .ok)
            XCTAssertEqual(try CaseLoopTests.decoder.decode(M.Summary.self, from: d3).id, first.id)
            // A dispute case opened as a mediation and escalated to the county is out of the township's sight:
            // opening it again does not hand it over.
            let (_, dc) = try await CaseLoopTests.report(app, lon: 120.05, body: ["category_code": M.disputeCategory, "description": "邻居堆放杂物堵路",
                                                                                 "lat": 30.1, "lon": 120.05, "reporter": ["name": "王五", "phone": "13900001111"]])
            let reported = try CaseLoopTests.decoder.decode(CaseLoopTests.Created.self, from: dc)
            let (so, dO) = try await M.send(app, .POST, "/api/v1/mediations", token: county, body: ["case_id": reported.id.uuidString])
            XCTAssertEqual(so, .created, String(decoding: dO, as: UTF8.self))
            let opened = try CaseLoopTests.decoder.decode(M.Summary.self, from: dO)
            let v10 = try await M.act(app, grid, opened.id, ["action": "accept", "complexity": "simple"]).0
            XCTAssertEqual(v10, .ok)
            for _ in 0..<3 { _ = try await M.act(app, county, opened.id, ["action": "escalate", "reason": "上交"]) }
            let east = try await app.token("m_east")
            let hidden = try await M.send(app, .GET, "/api/v1/mediations/\(opened.id)", token: east)
            XCTAssertEqual(hidden.0, .notFound, "escalated to the county, out of the township mediator's sight")
            let (sa, da) = try await M.send(app, .POST, "/api/v1/mediations", token: east, body: ["case_id": reported.id.uuidString])
            XCTAssertEqual(sa, .conflict, String(decoding: da, as: UTF8.self))
            XCTAssertFalse(String(decoding: da, as: UTF8.self).contains(opened.code), "nothing of the mediation is told")
            _ = grid
        }
    }

    func testPoolPhonesFollowThePolicyAndEveryUnmaskedViewIsAudited() async throws {
        try await withApp { app, _ in
            try await M.world(app)
            let before = try await AuditQueries.search(.init(), page: 1, per: 200, on: app.db).total
            let (s, d) = try await M.send(app, .GET, "/api/v1/mediators", token: try await app.token("countyop"))
            XCTAssertEqual(s, .ok)
            XCTAssertTrue(String(decoding: d, as: UTF8.self).contains("13800000002"), "an operator calls the mediators they assign")
            let rows = try await AuditQueries.search(.init(), page: 1, per: 200, on: app.db).events
            XCTAssertEqual(rows.count - before, 2, "one view per mediator whose phone was shown")
            XCTAssertTrue(rows.contains { $0.view.recordKind == "mediator" && $0.view.recordID == "m_east" })
            // A mediator sees them masked, and nothing is logged.
            let (_, dm) = try await M.send(app, .GET, "/api/v1/mediators", token: try await app.token("m_east"))
            XCTAssertFalse(String(decoding: dm, as: UTF8.self).contains("13800000002"))
            let v12 = try await AuditQueries.search(.init(), page: 1, per: 200, on: app.db).events.count
            XCTAssertEqual(v12, rows.count)
        }
    }

    // MARK: 8. Uploads: a quota, a rate, and removal of what nobody attached

    static func jpeg(_ size: Int, seed: UInt8) -> [UInt8] {
        var b: [UInt8] = [0xFF, 0xD8]
        b += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        b += [0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]
        b += [0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01] + [UInt8](repeating: 0, count: 15) + [0x00]
        b += [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]
        b += (0..<max(0, size - b.count - 2)).map { i in UInt8(truncatingIfNeeded: i &* 31 &+ Int(seed)) & 0x7F }
        b += [0xFF, 0xD9]
        return b
    }

    static func upload(_ app: Application, token: String, _ photos: [[UInt8]]) async throws -> (HTTPStatus, String) {
        let boundary = "b0undary"
        var body = ByteBuffer()
        for p in photos {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
            body.writeBytes(p)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var out: (HTTPStatus, String) = (.ok, "")
        try await app.test(.POST, "/api/v1/photos", headers: ["Authorization": "Bearer \(token)", "Content-Type": "multipart/form-data; boundary=\(boundary)"],
                           body: body) { res async throws in out = (res.status, res.body.string) }
        return out
    }

    func testUploadsHaveAQuotaAndWhatNobodyAttachedIsRemoved() async throws {
        try await withApp(configure: { $0.limits.uploadBytesPerDay = 1 << 20; $0.limits.unattachedPhotoHours = 24 }) { app, clock in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker")
            let a = try await Self.upload(app, token: worker, [Self.jpeg(600_000, seed: 1)])
            XCTAssertEqual(a.0, .ok, a.1)
            let b = try await Self.upload(app, token: worker, [Self.jpeg(600_000, seed: 2)])
            XCTAssertEqual(b.0, .tooManyRequests, "over the day's quota: \(b.1)")
            XCTAssertTrue(b.1.contains("upload_quota"))
            // Another account has its own quota.
            let v13 = try await Self.upload(app, token: try await app.token("eastop"), [Self.jpeg(600_000, seed: 3)]).0
            XCTAssertEqual(v13, .ok)
            let sha = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(a.1.utf8)) as? [[String: Any]])?.first?["sha256"] as? String)
            XCTAssertTrue(FileManager.default.fileExists(atPath: app.wangge.photos.path(for: sha)))
            // A day and an hour later, unattached: row and file are gone, and the quota is free again.
            clock.advance(25 * 3_600)
            try await ClockRunner.runOnce(app)
            let worker2 = try await app.token("westworker")
            let gone = try await CaseQueries.photo(sha256: sha, on: app.db)
            XCTAssertNil(gone)
            XCTAssertFalse(FileManager.default.fileExists(atPath: app.wangge.photos.path(for: sha)))
            let v14 = try await Self.upload(app, token: worker2, [Self.jpeg(600_000, seed: 2)]).0
            XCTAssertEqual(v14, .ok)
        }
    }

    func testUploadsPerMinuteArePerAccount() async throws {
        try await withApp(configure: { $0.rateLimits.uploadsPerMinute = 2 }) { app, _ in
            try await SmallCounty.load(app)
            let worker = try await app.token("westworker")
            let v15 = try await Self.upload(app, token: worker, [Self.jpeg(2_000, seed: 1), Self.jpeg(2_000, seed: 2)]).0
            XCTAssertEqual(v15, .ok)
            let v16 = try await Self.upload(app, token: worker, [Self.jpeg(2_000, seed: 3)]).0
            XCTAssertEqual(v16, .tooManyRequests)
            let v17 = try await Self.upload(app, token: try await app.token("eastop"), [Self.jpeg(2_000, seed: 4)]).0
            XCTAssertEqual(v17, .ok)
        }
    }

    // MARK: 9. Sign-in from a shared address

    func testFailuresFromASharedAddressDoNotLockOutItsKnownUsers() async throws {
        try await withApp(configure: { $0.rateLimits.signInsPerMinute = 10 }) { app, _ in
            try await SmallCounty.load(app)
            // Everyone in the tests shares one (unknown) address, like an office behind NAT.
            _ = try await app.token("eastop")
            for i in 0..<12 {
                try await app.test(.POST, "/api/v1/auth/token", beforeRequest: { req async throws in
                    try req.content.encode(["username": i % 2 == 0 ? "westop" : "nosuchuser", "password": "wrong-password-\(i)"], as: .json)
                }) { _ async throws in }
            }
            // The address is now over its limit; the account that has signed in from here still gets in.
            var known: HTTPStatus = .ok, fresh: HTTPStatus = .ok
            try await app.test(.POST, "/api/v1/auth/token", beforeRequest: { req async throws in
                try req.content.encode(["username": "eastop", "password": "Orchard-lantern-42"], as: .json)
            }) { res async throws in known = res.status }
            XCTAssertEqual(known, .ok, "a correct password of a known user at a shared address gets in")
            try await app.test(.POST, "/api/v1/auth/token", beforeRequest: { req async throws in
                try req.content.encode(["username": "countyop", "password": "Orchard-lantern-42"], as: .json)
            }) { res async throws in fresh = res.status }
            XCTAssertEqual(fresh, .tooManyRequests, "a name new to this address waits while the address is over its limit")
        }
    }

    // MARK: 10. A junk forwarded address is an error, never loopback

    func testAnUnreadableForwardedAddressIsRefused() throws {
        var network = AppConfig.Network()
        network.clientAddressHeader = "X-Forwarded-For"
        let proxy = try SocketAddress(ipAddress: "127.0.0.1", port: 5000)
        for junk in ["junk", "unknown", "", " , ", "1.2.3.4, junk", "999.1.1.1"] {
            XCTAssertThrowsError(try ClientAddress.resolve(peer: proxy, headers: ["X-Forwarded-For": junk], network: network), "\(junk)")
        }
        XCTAssertEqual(try ClientAddress.resolve(peer: proxy, headers: ["X-Forwarded-For": "1.2.3.4:5678"], network: network).text, "1.2.3.4")
        XCTAssertEqual(try ClientAddress.resolve(peer: proxy, headers: ["X-Forwarded-For": "[2001:db8::1]:4711"], network: network).text, "2001:db8:0:0:0:0:0:1")
        XCTAssertEqual(try ClientAddress.resolve(peer: proxy, headers: [:], network: network).text, "127.0.0.1", "the proxy's own request")
    }

    func testAJunkForwardedAddressGetsA400AndNoMetrics() async throws {
        try await withApp(configure: { $0.network.clientAddressHeader = "X-Forwarded-For" }) { app, _ in
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await app.server.shutdown() } }
            let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
            for junk in ["junk", "unknown", ""] {
                let res = try await app.client.get(URI(string: "http://127.0.0.1:\(port)/metrics"), headers: ["X-Forwarded-For": junk])
                XCTAssertEqual(res.status, .badRequest, "\(junk)")
            }
            let ok = try await app.client.get(URI(string: "http://127.0.0.1:\(port)/metrics"))
            XCTAssertEqual(ok.status, .ok, "the proxy's own request")
            let outside = try await app.client.get(URI(string: "http://127.0.0.1:\(port)/metrics"), headers: ["X-Forwarded-For": "203.0.113.5"])
            XCTAssertEqual(outside.status, .notFound, "a forwarded client is not loopback")
        }
    }

    // MARK: 14. Host, cookies, the OpenAPI document's type

    func testForeignHostsAreRefusedAndACookieFloodIsCutToOurOwn() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            // Served on loopback without PUBLIC_URL: only loopback names (a rebound name gets 421).
            try await app.test(.GET, "/healthz", headers: ["Host": "evil.example"]) { res async throws in XCTAssertEqual(res.status, .misdirectedRequest) }
            try await app.test(.GET, "/healthz", headers: ["Host": "127.0.0.1:8080"]) { res async throws in XCTAssertEqual(res.status, .ok) }
            try await app.test(.GET, "/healthz", headers: ["Host": "localhost"]) { res async throws in XCTAssertEqual(res.status, .ok) }
            // 9,000 cookies beside the session: cut to ours, and the page still knows who is signed in.
            let browser = Browser(app)
            try await browser.signIn("westop")
            let junk = (0..<9_000).map { "c\($0)=v" }.joined(separator: "; ")
            let session = browser.cookieHeader.first(name: .cookie) ?? ""
            try await app.test(.GET, "/workbench", headers: ["Cookie": junk + "; " + session]) { res async throws in
                XCTAssertEqual(res.status, .ok, "still signed in")
            }
            try await app.test(.GET, "/api/openapi.yaml") { res async throws in
                XCTAssertEqual(res.headers.first(name: .contentType), "application/yaml; charset=utf-8")
            }
        }
    }

    func testAPublicURLNamesTheOneHostServed() async throws {
        try await withApp(configure: { $0.network.publicURL = "https://wangge.example.gov.cn" }) { app, _ in
            try await app.test(.GET, "/healthz", headers: ["Host": "wangge.example.gov.cn"]) { res async throws in XCTAssertEqual(res.status, .ok) }
            try await app.test(.GET, "/healthz", headers: ["Host": "other.example"]) { res async throws in XCTAssertEqual(res.status, .misdirectedRequest) }
        }
    }

    // MARK: 2/8. Large bodies go to a file as they arrive

    func testALargePhotoUploadIsSpooledToAFileAndTheFileIsRemoved() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let token = try await app.token("westworker")
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await app.server.shutdown() } }
            let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
            let boundary = "b0undary"
            var body = ByteBuffer()
            for seed in [UInt8(7), 8] {
                body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
                body.writeBytes(Self.jpeg(700_000, seed: seed))
                body.writeString("\r\n")
            }
            body.writeString("--\(boundary)--\r\n")
            let res = try await app.client.post(URI(string: "http://127.0.0.1:\(port)/api/v1/photos"),
                                                headers: ["Authorization": "Bearer \(token)", "Content-Type": "multipart/form-data; boundary=\(boundary)"]) { req in
                req.body = body
            }
            XCTAssertEqual(res.status, .ok, res.body.map { String(buffer: $0) } ?? "")
            let stored = try JSONSerialization.jsonObject(with: Data(buffer: try XCTUnwrap(res.body))) as? [[String: Any]]
            XCTAssertEqual(stored?.count, 2)
            let spool = app.wangge.spool.directory
            XCTAssertTrue(FileManager.default.fileExists(atPath: spool), "the body went through the spool")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spool), [], "and its file is gone")
            let mode = try FileManager.default.attributesOfItem(atPath: spool)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o700)
            // Over the limit while it streams: 413, and no file is left.
            var big = ByteBuffer()
            big.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"p.jpg\"\r\n\r\n")
            big.writeBytes([UInt8](repeating: 0x41, count: app.wangge.config.limits.reportBytes + 10))
            let refused = try await app.client.post(URI(string: "http://127.0.0.1:\(port)/api/v1/photos"),
                                                    headers: ["Authorization": "Bearer \(token)", "Content-Type": "multipart/form-data; boundary=\(boundary)"]) { req in
                req.body = big
            }
            XCTAssertEqual(refused.status, .payloadTooLarge)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spool), [])
        }
    }
}
