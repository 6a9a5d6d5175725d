import Foundation
import NIOConcurrencyHelpers

/// A token bucket per key (a client address): `perMinute` requests at once, then refilled evenly over a minute.
/// Held in memory: each app server counts its own requests, so behind a load balancer of N servers a client gets at
/// most N times the limit, which is still a limit. The table forgets buckets that have refilled when it grows.
final class RateLimiter: Sendable {
    let perMinute: Int
    private struct Bucket { var tokens: Double; var at: Date }
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])
    private let maximumKeys: Int

    init(perMinute: Int, maximumKeys: Int = 100_000) {
        self.perMinute = perMinute
        self.maximumKeys = maximumKeys
    }

    var isOff: Bool { perMinute <= 0 }

    /// Takes one request's token: nil when it may go ahead, else the seconds until a token is back.
    func take(_ key: String, now: Date) -> TimeInterval? { spend(key, now: now, consume: true) }

    /// Takes a token from a bucket of its own rate (an API key's `perMinute`), whatever the table's.
    func take(_ key: String, now: Date, perMinute rate: Int) -> TimeInterval? { spend(key, now: now, consume: true, rate: rate) }

    /// Whether a request may go ahead, without spending (for counting only failures: sign-in).
    func check(_ key: String, now: Date) -> TimeInterval? { spend(key, now: now, consume: false) }

    /// Spends a token whether or not one is left (a failed sign-in already happened).
    func charge(_ key: String, now: Date) { _ = spend(key, now: now, consume: true, force: true) }

    private func spend(_ key: String, now: Date, consume: Bool, force: Bool = false, rate: Int? = nil) -> TimeInterval? {
        let perMinute = rate ?? self.perMinute
        guard perMinute > 0 else { return nil }
        let capacity = Double(perMinute), perSecond = Double(perMinute) / 60
        return buckets.withLockedValue { table -> TimeInterval? in
            var b = table[key] ?? Bucket(tokens: capacity, at: now)
            b.tokens = min(capacity, b.tokens + max(0, now.timeIntervalSince(b.at)) * perSecond)
            b.at = now
            defer {
                if table.count >= maximumKeys && table[key] == nil { Self.forgetFull(&table, now: now, capacity: capacity, perSecond: perSecond, maximum: maximumKeys) }
                table[key] = b
            }
            if b.tokens >= 1 {
                if consume { b.tokens -= 1 }
                return nil
            }
            if force { b.tokens = max(b.tokens - 1, -capacity) }
            return (1 - b.tokens) / perSecond
        }
    }

    private static func forgetFull(_ table: inout [String: Bucket], now: Date, capacity: Double, perSecond: Double, maximum: Int) {
        table = table.filter { $0.value.tokens + now.timeIntervalSince($0.value.at) * perSecond < capacity }
        // Still full of active clients (a spread-out flood): start over rather than grow without bound.
        if table.count >= maximum { table.removeAll() }
    }
}

/// A budget of request-body bytes held in memory at once, over all requests. A body reserves its declared size
/// (or its route's limit) before it is read; one that does not fit waits up to `patience`, then is refused with 503.
final class BodyMemory: Sendable {
    let budget: Int
    let patience: TimeInterval
    private let used = NIOLockedValueBox<Int>(0)

    init(budget: Int, patience: TimeInterval = 5) {
        self.budget = budget
        self.patience = patience
    }

    var inUse: Int { used.withLockedValue { $0 } }

    /// Reserves `bytes` (small bodies, up to 64 KB, always fit: a flood of them is the rate limits' business).
    func reserve(_ bytes: Int) async throws -> Int {
        guard bytes > 64 * 1024 else { return 0 }
        let deadline = Date().addingTimeInterval(patience)
        while true {
            let ok = used.withLockedValue { u -> Bool in
                guard u + bytes <= budget || u == 0 else { return false }
                u += bytes
                return true
            }
            if ok { return bytes }
            guard Date() < deadline else {
                throw APIError(.serviceUnavailable, "busy", "the server is receiving many large bodies at once; try again in a few seconds", field: nil)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        used.withLockedValue { $0 -= bytes }
    }
}
