import NIOCore
import Vapor

/// Where a request comes from, for rate limits, `/metrics` and the audit log. The connection's own address, unless
/// a reverse proxy is configured (`CLIENT_ADDRESS_HEADER`): then the header is read, but only on connections from
/// `TRUSTED_PROXIES`, and from the right, skipping the trusted proxies' own entries, since a client can write
/// anything into the left of the header itself.
struct ClientAddress: Sendable, Equatable {
    /// 4 bytes for IPv4, 16 for IPv6; nil when unknown (an in-process test request).
    var bytes: [UInt8]?

    /// The key a rate limit counts under: the address, or for IPv6 its /64 (one household or phone gets a whole /64).
    var limitKey: String {
        guard let bytes else { return "unknown" }
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":") + "::/64"
    }

    /// The address as text for the audit log.
    var text: String {
        guard let bytes else { return "unknown" }
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }

    func isIn(_ ranges: [AddressRange]) -> Bool {
        guard let bytes else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    static func of(_ req: Request) -> ClientAddress {
        if let known = req.storage[Key.self] { return known }
        // Only reached for a request the checking middleware has not seen (none in the app): an unreadable header
        // counts as an unknown address, never as the proxy's own.
        let found = (try? resolve(peer: req.remoteAddress, headers: req.headers, network: req.application.wangge.config.network)) ?? ClientAddress(bytes: nil)
        req.storage[Key.self] = found
        return found
    }

    /// The address a proxy forwarded an entry of the header for, or nil when the entry is not an address.
    /// Accepts `1.2.3.4`, `2001:db8::1`, and the forms with a port some proxies write: `1.2.3.4:5678`, `[2001:db8::1]:4711`.
    static func parseEntry(_ entry: String) -> [UInt8]? {
        if let b = AddressRange.parse(entry) { return b }
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
            let inner = String(entry[entry.index(after: entry.startIndex)..<close])
            let rest = entry[entry.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isNumber) && rest.count <= 6) else { return nil }
            return AddressRange.parse(inner)
        }
        let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts[1].allSatisfy(\.isNumber), (1...5).contains(parts[1].count) { return AddressRange.parse(String(parts[0])) }
        return nil
    }

    struct UnreadableHeader: Error { var entry: String }

    /// The client's address. A header entry from a trusted proxy that is not an address (`junk`, `unknown`, empty)
    /// throws: falling back to the proxy's own address would hand the client loopback's rights (`/metrics`) and one
    /// rate-limit bucket shared by everyone sending junk.
    static func resolve(peer: SocketAddress?, headers: HTTPHeaders, network: AppConfig.Network) throws(UnreadableHeader) -> ClientAddress {
        let direct = ClientAddress(bytes: peer?.ipAddress.flatMap(AddressRange.parse))
        guard let name = network.clientAddressHeader, direct.isIn(network.trustedProxies) else { return direct }
        let values = headers[name]
        guard !values.isEmpty else { return direct }  // the proxy's own request (a health check)
        let entries = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingCharacters(in: .whitespaces) }
        var chosen: ClientAddress? = nil
        for entry in entries.reversed() {
            guard let bytes = parseEntry(entry) else { throw UnreadableHeader(entry: String(entry.prefix(60))) }
            chosen = ClientAddress(bytes: bytes)
            if !chosen!.isIn(network.trustedProxies) { break }
        }
        guard let chosen else { throw UnreadableHeader(entry: "") }
        return chosen
    }

    /// Resolves every request's address first, so a request whose forwarded address cannot be read is refused with
    /// 400 before anything counts it.
    struct Check: AsyncMiddleware {
        func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            do {
                req.storage[Key.self] = try resolve(peer: req.remoteAddress, headers: req.headers, network: req.application.wangge.config.network)
            } catch {
                throw APIError.badRequest("the \(req.application.wangge.config.network.clientAddressHeader ?? "forwarded") header holds \"\(error.entry)\", which is not an address", field: nil)
            }
            return try await next.respond(to: req)
        }
    }

    private struct Key: StorageKey { typealias Value = ClientAddress }
}

extension Request {
    var client: ClientAddress { ClientAddress.of(self) }
}
