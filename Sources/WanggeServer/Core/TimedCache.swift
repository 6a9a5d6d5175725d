import Foundation

/// Values kept a few minutes per server, by key: the league tables of ended months and the dashboard's coverage
/// panel, which many people open and which change slowly. At most `capacity` values; the oldest goes first.
actor TimedCache<Value: Sendable> {
    private var items: [String: (at: Date, value: Value)] = [:]
    let lifetime: TimeInterval
    let capacity: Int

    init(lifetime: TimeInterval = 300, capacity: Int = 64) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func get(_ key: String, at now: Date) -> Value? {
        guard let e = items[key], now.timeIntervalSince(e.at) < lifetime, now >= e.at else { return nil }
        return e.value
    }

    func put(_ key: String, _ value: Value, at now: Date) {
        if items.count >= capacity { items = items.filter { now.timeIntervalSince($0.value.at) < lifetime } }
        if items.count >= capacity, let oldest = items.min(by: { $0.value.at < $1.value.at })?.key { items[oldest] = nil }
        items[key] = (now, value)
    }
}
