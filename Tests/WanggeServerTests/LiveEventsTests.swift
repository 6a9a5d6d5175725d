import Foundation
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// Live case events: a report reaches the live pages' hub; on PostgreSQL it reaches every app server's hub.
final class LiveEventsTests: XCTestCase {
    /// The next event from the hub, or nil after `seconds`.
    static func next(_ hub: EventHub, within seconds: Double, after send: () async throws -> Void) async throws -> RecordEvent? {
        let (id, stream) = await hub.subscribe()
        defer { Task { await hub.unsubscribe(id) } }
        try await send()
        return await withTaskGroup(of: RecordEvent?.self) { group in
            group.addTask { for await e in stream { return e }; return nil }
            group.addTask { try? await Task.sleep(for: .seconds(seconds)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    func testAReportAndAnActionReachTheLivePages() async throws {
        try await withApp { app, _ in
            try await app.asyncBoot()  // starts the PostgreSQL listener when the suite runs there
            try await SmallCounty.load(app)
            try await Task.sleep(for: .milliseconds(300))
            var created: CaseLoopTests.Created? = nil
            let event = try await Self.next(app.wangge.events, within: 5) {
                created = try CaseLoopTests.decoder.decode(CaseLoopTests.Created.self, from: try await CaseLoopTests.report(app).1)
            }
            XCTAssertEqual(event?.kind, "created")
            XCTAssertEqual(event?.code, created?.code)
            XCTAssertEqual(event?.state, "reported")
            XCTAssertTrue(event?.isVisible(to: StaffAccount(id: UUID(), username: "w", displayName: "w", role: .operator, scope: Scope(areaCode: "3301002"))) == true)
            XCTAssertFalse(event?.isVisible(to: StaffAccount(id: UUID(), username: "e", displayName: "e", role: .operator, scope: Scope(areaCode: "3301001"))) == true,
                           "another township's staff never get it")
            let west = try await app.token("westop")
            let changed = try await Self.next(app.wangge.events, within: 5) {
                _ = try await CaseLoopTests.act(app, west, created!.id, ["action": "accept"])
            }
            XCTAssertEqual(changed?.kind, "changed")
            XCTAssertEqual(changed?.state, "accepted")
        }
    }

    /// Two app servers on one PostgreSQL database: a report made through one shows on the other's live pages.
    func testOnPostgreSQLAnotherAppServerHearsIt() async throws {
        guard case .postgres = testConfig().database else { throw XCTSkip("PostgreSQL only (scripts/test.sh's second pass)") }
        try await withApp { a, _ in
            try await SmallCounty.load(a)
            let b = try await AppFactory.make(testConfig(), clock: TestClock(), environment: .testing)
            do {
                try await b.asyncBoot()
                try await Task.sleep(for: .milliseconds(500))  // its LISTEN connection comes up
                let heard = try await Self.next(b.wangge.events, within: 5) { _ = try await CaseLoopTests.report(a) }
                XCTAssertEqual(heard?.kind, "created")
                XCTAssertEqual(heard?.areaCode, "3301002001001")
            } catch {
                try? await b.asyncShutdown()
                throw error
            }
            try await b.asyncShutdown()
        }
    }
}
