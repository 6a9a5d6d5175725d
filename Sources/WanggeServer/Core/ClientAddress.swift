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
        let found = resolve(peer: req.remoteAddress, headers: req.headers, network: req.application.wangge.config.network)
        req.storage[Key.self] = found
        return found
    }

    static func resolve(peer: SocketAddress?, headers: HTTPHeaders, network: AppConfig.Network) -> ClientAddress {
        let direct = ClientAddress(bytes: peer?.ipAddress.flatMap(AddressRange.parse))
        guard let name = network.clientAddressHeader, direct.isIn(network.trustedProxies) else { return direct }
        let entries = headers[name].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var chosen: ClientAddress? = nil
        for entry in entries.reversed() {
            guard let bytes = AddressRange.parse(entry) else { break }  // junk: trust nothing further left
            chosen = ClientAddress(bytes: bytes)
            if !chosen!.isIn(network.trustedProxies) { break }
        }
        return chosen ?? direct
    }

    private struct Key: StorageKey { typealias Value = ClientAddress }
}

extension Request {
    var client: ClientAddress { ClientAddress.of(self) }
}
