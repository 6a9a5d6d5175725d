import Foundation
import NIOConcurrencyHelpers
import XCTVapor
import XCTest
import WanggeStore
@testable import WanggeServer

/// Issue 18: a periodic job runs once per period however many app servers share the database, and a run killed
/// halfway is run again (once) after its lease. On PostgreSQL when DATABASE_URL is set (two app servers on one
/// database, as in production), else on one SQLite file.
final class PeriodicJobTests: XCTestCase {
    func testTwoServersOnOneDatabaseRunAPeriodOnce() async throws {
        var config = testConfig()
        let clock = TestClock()
        let first = try await AppFactory.make(config, clock: clock, environment: .testing)
        defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
        try await first.autoRevert()
        try await Setup.migrate(first)
        config.port += 1
        let second = try await AppFactory.make(config, clock: clock, environment: .testing)
        do {
            let runs = NIOLockedValueBox(0)
            let job = PeriodicJob(name: "test-job", lease: 60)
            // Both servers try the same hour at once, many times over.
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<20 {
                    let app = i % 2 == 0 ? first : second
                    group.addTask {
                        try await job.run(app, period: "2026-11-23T10") {
                            runs.withLockedValue { $0 += 1 }
                            try await Task.sleep(for: .milliseconds(20))
                        }
                    }
                }
                var ran = 0
                for try await r in group where r { ran += 1 }
                XCTAssertEqual(ran, 1)
            }
            XCTAssertEqual(runs.withLockedValue { $0 }, 1, "the period ran once")
            let state = try await JobRuns.state(job: "test-job", period: "2026-11-23T10", on: first.db)
            XCTAssertEqual(state?.attempts, 1)
            XCTAssertEqual(state?.finished, true)
            // The next period runs again, once.
            let ran = try await job.run(second, period: "2026-11-23T11") {}
            XCTAssertTrue(ran)
            let again = try await job.run(first, period: "2026-11-23T11") {}
            XCTAssertFalse(again)

            // Killed halfway: the run never finishes; within its lease nobody else runs it, after it someone does, once.
            struct Killed: Error {}
            do { _ = try await job.run(first, period: "2026-11-23T12") { throw Killed() } } catch is Killed {}
            let blocked = try await job.run(second, period: "2026-11-23T12") {}
            XCTAssertFalse(blocked, "the lease still holds")
            clock.advance(61)
            let retried = try await job.run(second, period: "2026-11-23T12") {}
            XCTAssertTrue(retried, "after the lease, another server runs it")
            let afterRetry = try await job.run(first, period: "2026-11-23T12") {}
            XCTAssertFalse(afterRetry, "and then it is done")
            let killedState = try await JobRuns.state(job: "test-job", period: "2026-11-23T12", on: first.db)
            XCTAssertEqual(killedState?.attempts, 2)

            // The clock job's hourly pruning goes through the seam: both servers' clock jobs, one pruning.
            try await ClockRunner.runOnce(first)
            try await ClockRunner.runOnce(second)
            let prune = try await JobRuns.state(job: "prune", period: PeriodicJob.hour(of: clock.now()), on: first.db)
            XCTAssertEqual(prune?.attempts, 1)
        } catch {
            try? await second.asyncShutdown()
            try? await first.asyncShutdown()
            throw error
        }
        try await second.asyncShutdown()
        try await first.asyncShutdown()
    }
}
