import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Vapor

/// Connection limits that Vapor's server does not offer (issue 17: 1,100 connections that each sent only
/// `GET /healthz HTTP/1.1\r\n` exhausted a 1,024-descriptor limit and `/healthz` got no answer):
/// - at most `perAddress` open connections from one client address (an IPv6 /64 counts as one), except from the
///   trusted proxies when a client-address header is configured (they carry everyone's connections);
/// - at most `total` open connections in all, kept below the descriptor limit so the database and the photo files
///   always have descriptors left;
/// - a request head must arrive whole within `headerSeconds` of its first byte (or of the connection opening);
/// - when the server is full, the connection that has waited longest for its first request head is closed to make
///   room for the new one.
/// Idle connections are closed by Vapor's own `idleTimeout`.
///
/// Vapor builds each connection's pipeline itself and offers no hook into it, so the gate sits on the listening
/// channel, where every accepted connection passes before Vapor's initialiser runs: it adds its own handler at the
/// front of the new connection's pipeline, or closes the connection. The listening channel is found once at start
/// by reflection on `HTTPServer` (`connection.channel`); if Vapor's layout changes, the start fails loudly rather
/// than serving without limits, and `ConnectionLimitTests` fails.
final class ConnectionGate: Sendable {
    struct Limits: Sendable, Equatable {
        var perAddress = 256
        var total = 4_096
        var headerSeconds: Int64 = 10
        var exempt: [AddressRange] = []
    }

    let limits: Limits
    private let counts = NIOLockedValueBox<(total: Int, byAddress: [String: Int])>((0, [:]))
    private let refusedCount = NIOLockedValueBox<Int>(0)

    init(_ limits: Limits) { self.limits = limits }

    /// Open connections now, and how many were refused since the start (for tests and `/metrics`).
    var open: Int { counts.withLockedValue { $0.total } }
    var refused: Int { refusedCount.withLockedValue { $0 } }

    /// Connections waiting for their first request head (none of it yet, or part of it), oldest first out when the
    /// server is full: a new connection is worth more than one that has not yet said what it wants.
    private let waiting = NIOLockedValueBox<[ObjectIdentifier: (since: NIODeadline, channel: any Channel)]>([:])

    func waitingForHead(_ channel: any Channel) {
        waiting.withLockedValue { $0[ObjectIdentifier(channel)] = (.now(), channel) }
    }

    func gotHead(_ channel: any Channel) {
        _ = waiting.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Closes the connection that has waited longest for a head, if any; true when one was closed.
    private func evictOldestWaiting() -> Bool {
        let oldest = waiting.withLockedValue { w -> (any Channel)? in
            guard let (key, entry) = w.min(by: { $0.value.since < $1.value.since }) else { return nil }
            w.removeValue(forKey: key)
            return entry.channel
        }
        guard let oldest else { return false }
        oldest.close(promise: nil)
        return true
    }

    /// Takes a slot for a connection from `address`, or returns false when it is over a limit. When the server is
    /// full, the connection that has waited longest for its request head is closed to make room.
    func admit(_ address: ClientAddress) -> Bool {
        let exempt = address.isIn(limits.exempt)
        let key = address.limitKey
        // Evictions are asynchronous (the closed connection's slot comes back when it has closed), so a full
        // server may run over by the few evictions under way: bounded by `limits.total / 8`.
        // Only a connection its address may still open makes room (one read of the counts).
        let (total, mayOpen) = counts.withLockedValue { c in (c.total, exempt || c.byAddress[key, default: 0] < limits.perAddress) }
        let evicted = mayOpen && total >= limits.total && total < limits.total + limits.total / 8 && evictOldestWaiting()
        let ok = counts.withLockedValue { c -> Bool in
            guard c.total < limits.total || evicted else { return false }
            if !exempt {
                let n = c.byAddress[key, default: 0]
                guard n < limits.perAddress else { return false }
                c.byAddress[key] = n + 1
            }
            c.total += 1
            return true
        }
        if !ok { refusedCount.withLockedValue { $0 += 1 } }
        return ok
    }

    func release(_ address: ClientAddress) {
        let exempt = address.isIn(limits.exempt)
        let key = address.limitKey
        counts.withLockedValue { c in
            c.total -= 1
            guard !exempt, let n = c.byAddress[key] else { return }
            if n <= 1 { c.byAddress[key] = nil } else { c.byAddress[key] = n - 1 }
        }
    }

    /// Puts the gate on the server's listening channel. Call after the server has started.
    func install(on server: HTTPServer) throws {
        guard let channel = Self.listeningChannel(of: server) else {
            throw Abort(.internalServerError, reason: "the connection limits could not be put on Vapor's listening channel; refusing to serve without them")
        }
        try channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(AcceptGate(gate: self), position: .first)
        }.wait()
    }

    /// `HTTPServer.connection` (a lock box holding `HTTPServerConnection?`) → `channel`, by reflection.
    static func listeningChannel(of server: HTTPServer) -> (any Channel)? {
        func child(_ value: Any, _ label: String) -> Any? {
            var mirror: Mirror? = Mirror(reflecting: value)
            while let m = mirror {
                if let found = m.children.first(where: { $0.label == label }) { return found.value }
                mirror = m.superclassMirror
            }
            return nil
        }
        func unwrap(_ value: Any) -> Any? {
            let m = Mirror(reflecting: value)
            guard m.displayStyle == .optional else { return value }
            return m.children.first?.value
        }
        guard let box = child(server, "connection"), let storage = child(box, "_storage"),
              let header = child(storage, "header"), let connection = unwrap(header),
              let channel = child(connection, "channel") as? any Channel else { return nil }
        return channel
    }
}

/// On the listening channel: each accepted connection is admitted (and given its head deadline) or closed.
private final class AcceptGate: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel
    let gate: ConnectionGate

    init(gate: ConnectionGate) { self.gate = gate }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = unwrapInboundIn(data)
        let address = ClientAddress(bytes: child.remoteAddress?.ipAddress.flatMap(AddressRange.parse))
        guard gate.admit(address) else {
            child.close(promise: nil)
            return
        }
        let gate = self.gate
        child.closeFuture.whenComplete { _ in gate.release(address) }
        let seconds = gate.limits.headerSeconds
        // Before Vapor's initialiser, which runs on the child's loop after this.
        let add = { try child.pipeline.syncOperations.addHandler(HeadDeadline(seconds: seconds, gate: gate), position: .first) }
        if child.eventLoop.inEventLoop {
            do { try add() } catch { child.close(promise: nil); return }
            context.fireChannelRead(data)
        } else {
            child.eventLoop.execute { try? add() }
            context.fireChannelRead(data)
        }
    }
}

/// First in a connection's pipeline: closes it when a request head has not arrived whole (up to the blank line)
/// within `seconds` of its first byte, or of the connection opening. After the server has answered, the next
/// request's head gets its own deadline from its first byte; a connection that sends nothing is left to the idle
/// timeout.
private final class HeadDeadline: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    let seconds: Int64
    let gate: ConnectionGate
    private var awaitingHead = true
    private var deadline: Scheduled<Void>?
    /// The last bytes of the head seen so far (the blank line can straddle two reads).
    private var tail: UInt32 = 0

    init(seconds: Int64, gate: ConnectionGate) {
        self.seconds = seconds
        self.gate = gate
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        gate.waitingForHead(context.channel)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            arm(context)
            gate.waitingForHead(context.channel)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        gate.gotHead(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        gate.gotHead(context.channel)
        context.fireChannelInactive()
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let ctx = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: .seconds(seconds)) { ctx.value.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if awaitingHead {
            arm(context)
            let buffer = unwrapInboundIn(data)
            let end = buffer.withUnsafeReadableBytes { bytes -> Bool in
                // The blank line across the previous read's last bytes, then anywhere in this one.
                var t = tail
                for b in bytes.prefix(3) {
                    t = t << 8 | UInt32(b)
                    if t == 0x0D0A_0D0A { return true }
                }
                if bytes.count >= 4, let base = bytes.baseAddress {
                    // From line feed to line feed (memchr), a few per header line.
                    var i = 3
                    while i < bytes.count, let hit = memchr(base + i, 0x0A, bytes.count - i) {
                        let at = base.distance(to: UnsafeRawPointer(hit))
                        if bytes[at - 1] == 0x0D && bytes[at - 2] == 0x0A && bytes[at - 3] == 0x0D { return true }
                        i = at + 1
                    }
                }
                for b in bytes.suffix(3) { tail = tail << 8 | UInt32(b) }
                if bytes.count < 3 { tail = t }
                return false
            }
            if end {
                awaitingHead = false
                tail = 0
                deadline?.cancel()
                deadline = nil
                gate.gotHead(context.channel)
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // The server answers: the next bytes the client sends start a new request. (A kept-alive or streaming
        // connection is not offered for eviction: only one that has never sent a whole head is.)
        if !awaitingHead { awaitingHead = true }
        context.write(data, promise: promise)
    }
}

/// Vapor's HTTP server with the connection gate put on its listening channel once it listens.
struct GatedServer: Server {
    let inner: HTTPServer
    let gate: ConnectionGate

    var onShutdown: EventLoopFuture<Void> { inner.onShutdown }

    @available(*, noasync)
    func start(address: BindAddress?) throws {
        try inner.start(address: address)
        try gate.install(on: inner)
    }

    func start(address: BindAddress?) async throws {
        try await inner.start(address: address)
        try gate.install(on: inner)
    }

    @available(*, noasync)
    func shutdown() { inner.shutdown() }

    func shutdown() async { await inner.shutdown() }
}

extension ConnectionGate.Limits {
    /// The limits of a configuration: the total kept under the process's descriptor limit, leaving room for the
    /// database's connections, the photo files and the log.
    init(_ config: AppConfig) {
        self.init()
        perAddress = config.connections.perAddress
        headerSeconds = Int64(config.connections.headerSeconds)
        let descriptors = ConnectionGate.descriptorLimit()
        let room = max(64, descriptors - config.connections.reservedDescriptors)
        total = min(config.connections.total ?? room, room)
        exempt = config.network.clientAddressHeader != nil ? config.network.trustedProxies : []
    }
}

extension ConnectionGate {
    /// The soft limit on open descriptors (`ulimit -n`).
    static func descriptorLimit() -> Int {
        var r = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &r) == 0 else { return 1_024 }
        return Int(min(r.rlim_cur, 1 << 20))  // RLIM_INFINITY is the largest value, so it is capped too
    }
}
