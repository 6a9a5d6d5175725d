import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
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
        /// The same reports through Open311 (form-encoded, an API key of the county), in the same run.
        public var open311: Phase
        public var storedOpen311: Int
    }

    public static func run(count: Int, clients: Int, database: AppConfig.Database? = nil, log: (String) -> Void) async throws -> Result {
        let dir = NSTemporaryDirectory() + "wangge-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = Int.random(in: 20_000...40_000)
        var config = AppConfig(database: database ?? .sqlite(path: dir + "/wangge.sqlite"), host: "127.0.0.1", port: port,
                               dataDirectory: dir, logLevel: .error)
        // One client address sends everything: the public doors' rate limits would refuse nearly all of it.
        config.rateLimits = .off
        let app = try await AppFactory.make(config)
        do {
            try await Setup.migrate(app)
            if try await AreaQueries.count(on: app.db) == 0 { _ = try await Setup.loadDemo(app) }
            let grids = try await AreaQueries.all(on: app.db).filter { $0.level == .grid && $0.boundary != nil }
            let points = grids.map { $0.boundary!.interiorPoint }
            // One without a required photo: Open311 asks a photo of those categories (the JSON API only of grid workers).
            let category = try CoreResources.defaultCatalogue().categories.first { $0.handler == .department(.urbanManagement) && !$0.photoRequired }!.code
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            log("server on http://127.0.0.1:\(port), \(grids.count) grids, SQLite at \(dir)")
            _ = try await phase(port: port, count: 200, clients: clients) { c, _ in try await c.send(.GET, "/healthz") }
            let trivial = try await phase(port: port, count: count, clients: clients) { c, _ in try await c.send(.GET, "/healthz") }
            log(String(format: "healthz: %.0f req/s, p50 %.2f ms, p99 %.2f ms", trivial.perSecond, trivial.p50 * 1000, trivial.p99 * 1000))
            let report: @Sendable (BenchConnection, Int) async throws -> HTTPResponseStatus = { c, i in
                let p = points[i % points.count]
                let body = try plain.encode(BenchReport(category_code: category, description: "路面破损 #\(i)", lat: p.lat, lon: p.lon,
                                                        reporter: .init(name: "测试", phone: "13800138000")))
                return try await c.send(.POST, "/api/v1/cases", headers: ["Idempotency-Key": "bench-\(i)-\(port)", "Content-Type": "application/json"],
                                        body: ByteBuffer(data: body))
            }
            // Warm-up, as for /healthz: the first reports load the reference data and prepare the writer's statements.
            _ = try await phase(port: port, count: 200, clients: clients) { c, i in try await report(c, count + i) }
            let before = try await CaseQueries.count(on: app.db)
            let intake = try await phase(port: port, count: count, clients: clients, report)
            let stored = try await CaseQueries.count(on: app.db) - before
            if intake.failures > 0 { log("\(intake.failures) reports were refused: the figure below is not intake's") }
            log(String(format: "intake: %.0f cases/s, p50 %.2f ms, p99 %.2f ms, %d failed, %d stored", intake.perSecond,
                       intake.p50 * 1000, intake.p99 * 1000, intake.failures, stored))
            // The same reports through Open311: a form with an API key instead of JSON, each answered in JSON.
            let key = try await Setup.createAPIKey(app, name: "bench-\(port)", areaCode: AreaQueries.all(on: app.db).first { $0.parentCode == nil }!.code,
                                                   rate: APIKeyRules.maximumRate, by: "bench").key
            let open311: @Sendable (BenchConnection, Int) async throws -> HTTPResponseStatus = { c, i in
                let p = points[i % points.count]
                let form = "api_key=\(key)&service_code=\(category)&lat=\(p.lat)&long=\(p.lon)&description=%E8%B7%AF%E9%9D%A2%E7%A0%B4%E6%8D%9F+%23\(i)-\(port)"
                    + "&first_name=%E8%AF%95&last_name=%E6%B5%8B&phone=13800138000"
                return try await c.send(.POST, "/open311/v2/requests.json", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                        body: ByteBuffer(string: form))
            }
            _ = try await phase(port: port, count: 200, clients: clients) { c, i in try await open311(c, 2 * count + 400 + i) }
            let before311 = try await CaseQueries.count(on: app.db)
            let o = try await phase(port: port, count: count, clients: clients) { c, i in try await open311(c, 3 * count + 400 + i) }
            let stored311 = try await CaseQueries.count(on: app.db) - before311
            if o.failures > 0 { log("\(o.failures) Open311 reports were refused: the figure below is not intake's") }
            log(String(format: "open311: %.0f cases/s, p50 %.2f ms, p99 %.2f ms, %d failed, %d stored", o.perSecond,
                       o.p50 * 1000, o.p99 * 1000, o.failures, stored311))
            await app.server.shutdown()
            try await app.asyncShutdown()
            return Result(trivial: trivial, intake: intake, stored: stored, open311: o, storedOpen311: stored311)
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }

    private static let plain = JSONEncoder()

    struct BenchReport: Encodable {
        struct Reporter: Encodable { var name: String; var phone: String }
        var category_code: String
        var description: String
        var lat: Double
        var lon: Double
        var reporter: Reporter
    }

    /// `count` requests shared by `clients` workers that each send one at a time on a keep-alive connection of
    /// their own.
    static func phase(port: Int, count: Int, clients: Int,
                      _ send: @escaping @Sendable (BenchConnection, Int) async throws -> HTTPResponseStatus) async throws -> Phase {
        var connections: [BenchConnection] = []
        for _ in 0..<clients { connections.append(try await BenchConnection.connect(port: port)) }
        defer { for c in connections { c.close() } }
        let next = NIOLockedValueBox(0)
        let start = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: [(Double, Bool)].self) { group in
            for connection in connections {
                group.addTask {
                    var mine: [(Double, Bool)] = []
                    while true {
                        let i = next.withLockedValue { v -> Int in defer { v += 1 }; return v }
                        guard i < count else { break }
                        let t0 = ContinuousClock.now
                        let ok = (try? await send(connection, i)).map { $0.code < 300 } ?? false
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

/// The load generator's client: one HTTP/1.1 keep-alive connection that sends a request and waits for the whole
/// answer before the next, as a plain load tool does. Lighter than a general HTTP client (no pool, no redirects,
/// no body collection), so that less of the shared machine goes to the side that measures.
final class BenchConnection: Sendable {
    private let channel: any Channel
    private let waiter: ResponseWaiter

    private init(channel: any Channel, waiter: ResponseWaiter) {
        self.channel = channel
        self.waiter = waiter
    }

    static func connect(port: Int) async throws -> BenchConnection {
        let waiter = ResponseWaiter()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(waiter)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return BenchConnection(channel: channel, waiter: waiter)
    }

    /// Sends one request and answers its status once the whole response has arrived.
    func send(_ method: HTTPMethod, _ uri: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) async throws -> HTTPResponseStatus {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
        head.headers.replaceOrAdd(name: "Host", value: "127.0.0.1")
        if let body { head.headers.replaceOrAdd(name: "Content-Length", value: "\(body.readableBytes)") }
        let channel = self.channel, waiter = self.waiter
        return try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<HTTPResponseStatus> in
            let answer = channel.eventLoop.makePromise(of: HTTPResponseStatus.self)
            waiter.waiting = answer
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            return answer.futureResult
        }.get()
    }

    func close() { channel.close(promise: nil) }
}

/// Completes the waiting request with the response's status at the response's end.
/// Touched on its channel's event loop only.
private final class ResponseWaiter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    var waiting: EventLoopPromise<HTTPResponseStatus>?
    private var status: HTTPResponseStatus = .ok

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = head.status
        case .body: break
        case .end:
            let promise = waiting
            waiting = nil
            promise?.succeed(status)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        waiting?.fail(error)
        waiting = nil
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        waiting?.fail(ChannelError.ioOnClosedChannel)
        waiting = nil
    }
}
