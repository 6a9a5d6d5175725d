import Foundation
import NIOConcurrencyHelpers
import Vapor
import WanggeCore
import WanggeStore

/// Starts the real server on loopback with a fresh SQLite file and the demo county, then sends reports from
/// concurrent clients and compares with the same server's /healthz in the same run.
public enum IntakeBench {
    public struct Phase: Sendable {
        public var requests: Int
        public var seconds: Double
        public var p50: Double
        public var p99: Double
        public var failures: Int
        public var perSecond: Double { Double(requests - failures) / seconds }
    }

    public struct Result: Sendable {
        public var trivial: Phase
        public var intake: Phase
        public var stored: Int
    }

    public static func run(count: Int, clients: Int, database: AppConfig.Database? = nil, log: (String) -> Void) async throws -> Result {
        let dir = NSTemporaryDirectory() + "wangge-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = Int.random(in: 20_000...40_000)
        let config = AppConfig(database: database ?? .sqlite(path: dir + "/wangge.sqlite"), host: "127.0.0.1", port: port,
                               dataDirectory: dir, logLevel: .error)
        let app = try await AppFactory.make(config)
        do {
            try await Setup.migrate(app)
            if try await AreaQueries.count(on: app.db) == 0 { _ = try await Setup.loadDemo(app) }
            let grids = try await AreaQueries.all(on: app.db).filter { $0.level == .grid && $0.boundary != nil }
            let points = grids.map { $0.boundary!.interiorPoint }
            let category = try CoreResources.defaultCatalogue().categories.first { $0.handler == .department(.urbanManagement) }!.code
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            log("server on http://127.0.0.1:\(port), \(grids.count) grids, SQLite at \(dir)")
            let base = "http://127.0.0.1:\(port)"
            _ = try await phase(app, count: 200, clients: clients) { _ in try await app.client.get(URI(string: base + "/healthz")) }
            let trivial = try await phase(app, count: count, clients: clients) { _ in try await app.client.get(URI(string: base + "/healthz")) }
            log(String(format: "healthz: %.0f req/s, p50 %.2f ms, p99 %.2f ms", trivial.perSecond, trivial.p50 * 1000, trivial.p99 * 1000))
            let before = try await CaseQueries.count(on: app.db)
            let intake = try await phase(app, count: count, clients: clients) { i in
                let p = points[i % points.count]
                return try await app.client.post(URI(string: base + "/api/v1/cases"), headers: ["Idempotency-Key": "bench-\(i)-\(port)"]) { req in
                    try req.content.encode(BenchReport(category_code: category, description: "路面破损 #\(i)", lat: p.lat, lon: p.lon,
                                                       reporter: .init(name: "测试", phone: "13800138000")), as: .json)
                }
            }
            let stored = try await CaseQueries.count(on: app.db) - before
            log(String(format: "intake: %.0f cases/s, p50 %.2f ms, p99 %.2f ms, %d failed, %d stored", intake.perSecond,
                       intake.p50 * 1000, intake.p99 * 1000, intake.failures, stored))
            await app.server.shutdown()
            try await app.asyncShutdown()
            return Result(trivial: trivial, intake: intake, stored: stored)
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }

    struct BenchReport: Content {
        struct Reporter: Content { var name: String; var phone: String }
        var category_code: String
        var description: String
        var lat: Double
        var lon: Double
        var reporter: Reporter
    }

    /// `count` requests shared by `clients` workers that each send one at a time.
    static func phase(_ app: Application, count: Int, clients: Int, _ send: @escaping @Sendable (Int) async throws -> ClientResponse) async throws -> Phase {
        let next = NIOLockedValueBox(0)
        let start = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: [(Double, Bool)].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var mine: [(Double, Bool)] = []
                    while true {
                        let i = next.withLockedValue { v -> Int in defer { v += 1 }; return v }
                        guard i < count else { break }
                        let t0 = ContinuousClock.now
                        let ok = ((try? await send(i))?.status.code).map { $0 < 300 } ?? false
                        let d = ContinuousClock.now - t0
                        mine.append((Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, ok))
                    }
                    return mine
                }
            }
            var all: [(Double, Bool)] = []
            for try await r in group { all += r }
            return all
        }
        let total = ContinuousClock.now - start
        let latencies = results.map { $0.0 }.sorted()
        func pct(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Phase(requests: results.count, seconds: Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18,
                     p50: pct(0.5), p99: pct(0.99), failures: results.filter { !$0.1 }.count)
    }
}
