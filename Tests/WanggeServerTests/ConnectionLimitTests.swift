import Foundation
import NIOCore
import XCTVapor
import XCTest
@testable import WanggeServer
#if canImport(Glibc)
import Glibc
#endif

/// Issue 17, finding 2: connections never timed out and were never capped. The gate on the listening channel caps
/// them per address and in all, and closes a connection whose request head does not arrive in time. These start
/// the real server on loopback and open raw sockets (from 127.0.0.2, another loopback address, as an attacker).
final class ConnectionLimitTests: XCTestCase {
    /// A TCP connection to `port` on 127.0.0.1 from `source`; the descriptor.
    static func connect(port: Int, from source: String) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, source, &local.sin_addr)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
        let bound = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        let connected = withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, connected == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func send(_ fd: Int32, _ text: String) { _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) } }

    /// Whether the server has closed the connection (a read gives end of file or a reset) within the socket's timeout.
    static func closedByServer(_ fd: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    static func healthz(port: Int, from source: String = "127.0.0.1") throws -> String {
        let fd = try connect(port: port, from: source)
        defer { close(fd) }
        send(fd, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }

    func withServer(_ adjust: @escaping (inout AppConfig) -> Void, _ body: (Application, Int) async throws -> Void) async throws {
        try await withApp(configure: adjust) { app, _ in
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try XCTUnwrap(app.http.server.shared.localAddress?.port)
            do { try await body(app, port) } catch { await app.server.shutdown(); throw error }
            await app.server.shutdown()
        }
    }

    func testOneAddressCannotHoldMoreThanItsShareAndOthersStillGetAnswers() async throws {
        try await withServer({ $0.connections.perAddress = 20 }) { app, port in
            // The attacker opens 30 connections that each send half a request head.
            var fds: [Int32] = []
            defer { fds.forEach { close($0) } }
            for _ in 0..<30 {
                let fd = try Self.connect(port: port, from: "127.0.0.2")
                Self.send(fd, "GET /healthz HTTP/1.1\r\n")
                fds.append(fd)
            }
            try await Task.sleep(for: .milliseconds(300))
            XCTAssertEqual(app.wangge.gate.open, 20, "20 held, the rest closed at once")
            XCTAssertEqual(app.wangge.gate.refused, 10)
            XCTAssertTrue(Self.closedByServer(fds[29]), "the 30th was closed")
            // A well-behaved client at another address is answered at once.
            XCTAssertTrue(try Self.healthz(port: port).hasPrefix("HTTP/1.1 200"))
        }
    }

    func testAFullServerMakesRoomByClosingTheOldestConnectionWithoutAHead() async throws {
        try await withServer({ $0.connections.total = 20; $0.connections.perAddress = 1_000 }) { app, port in
            var fds: [Int32] = []
            defer { fds.forEach { close($0) } }
            for _ in 0..<20 {
                let fd = try Self.connect(port: port, from: "127.0.0.2")
                Self.send(fd, "GET /healthz HTTP/1.1\r\n")
                fds.append(fd)
            }
            try await Task.sleep(for: .milliseconds(200))
            XCTAssertEqual(app.wangge.gate.open, 20)
            // Full: a well-behaved client is answered at once, and the oldest half-sent head made room.
            XCTAssertTrue(try Self.healthz(port: port).hasPrefix("HTTP/1.1 200"))
            try await Task.sleep(for: .milliseconds(200))
            var buffer = [UInt8](repeating: 0, count: 16)
            let closed = fds.filter { recv($0, &buffer, buffer.count, Int32(MSG_DONTWAIT)) == 0 }
            XCTAssertEqual(closed.count, 1, "one connection without a head was closed to make room")
            XCTAssertEqual(app.wangge.gate.refused, 0)
        }
    }

    func testAHeadThatDoesNotArriveInTimeClosesTheConnection() async throws {
        try await withServer({ $0.connections.headerSeconds = 1 }) { app, port in
            let slow = try Self.connect(port: port, from: "127.0.0.2")
            defer { close(slow) }
            Self.send(slow, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let started = Date()
            XCTAssertTrue(Self.closedByServer(slow), "no blank line within a second: closed")
            XCTAssertLessThan(Date().timeIntervalSince(started), 2.5)
            // A connection that answers in time and then keeps the connection is not cut by the head deadline.
            let ok = try Self.connect(port: port, from: "127.0.0.2")
            defer { close(ok) }
            Self.send(ok, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            var buffer = [UInt8](repeating: 0, count: 4096)
            XCTAssertGreaterThan(recv(ok, &buffer, buffer.count, 0), 0)
            try await Task.sleep(for: .milliseconds(1_500))
            Self.send(ok, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            XCTAssertGreaterThan(recv(ok, &buffer, buffer.count, 0), 0, "a second request on a kept connection is served")
            // A head whose blank line is split between two reads, and one sent a byte at a time, end where they end.
            for pieces in [["GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r", "\n"],
                           "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".map { String($0) }] {
                for p in pieces {
                    Self.send(ok, p)
                    try await Task.sleep(for: .milliseconds(pieces.count > 2 ? 5 : 300))
                }
                let n = recv(ok, &buffer, buffer.count, 0)
                XCTAssertGreaterThan(n, 0)
                XCTAssertTrue(String(decoding: buffer[0..<max(0, n)], as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            }
            try await Task.sleep(for: .milliseconds(200))
            XCTAssertEqual(app.wangge.gate.open, 1)
        }
    }

    func testLiveStreamsAreCappedPerAccount() async throws {
        try await withApp(configure: { $0.connections.streamsPerAccount = 2 }) { app, _ in
            let slots = app.wangge.streams
            var held: [StreamSlots.Slot] = []
            for _ in 0..<2 { held.append(try XCTUnwrap(slots.take(account: "a", address: "x", perAccount: 2, perAddress: 10))) }
            XCTAssertNil(slots.take(account: "a", address: "y", perAccount: 2, perAddress: 10))
            held.removeAll()
            XCTAssertEqual(slots.open(account: "a"), 0, "a slot is released with its response")
        }
    }
}
