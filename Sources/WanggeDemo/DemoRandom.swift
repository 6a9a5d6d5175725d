import WanggeCore
/// SplitMix64, the demo county's only source of chance. `SystemRandomNumberGenerator` cannot be seeded and the
/// standard library's `random(in:using:)` algorithms may change between releases; this generator's output depends on
/// the seed alone, so the same seed gives the same county on every machine.
public struct DemoRandom {
    private var state: UInt64

    /// Each stage of the generation draws from its own `stream`, so changing one stage leaves the others alone.
    init(seed: UInt64, stream: DemoStream) {
        state = Self.mix(seed ^ Self.mix(stream.rawValue &* 0x632B_E59B_D9B4_E019))
    }

    /// A generator for one seed alone, for benchmarks that want the same points every run.
    public init(seed: UInt64) { state = Self.mix(seed) }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Uniform in 0..<n; n must be positive. (The modulo bias is far below anything a demo can show.)
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A random direction as a unit vector, without trigonometry (libm's sin and cos may differ in the last bit
    /// between platforms; `squareRoot` is exact everywhere).
    mutating func direction() -> (x: Double, y: Double) {
        while true {
            let x = uniform(-1, 1), y = uniform(-1, 1)
            let r2 = x * x + y * y
            if r2 > 0.01 && r2 <= 1 {
                let r = r2.squareRoot()
                return (x / r, y / r)
            }
        }
    }

    /// A value in [0, 1) fixed by its inputs alone, for properties of a place that must not depend on the order in
    /// which places are visited (the jitter of a lattice vertex).
    static func unit(seed: UInt64, _ a: Int, _ b: Int, salt: UInt64) -> Double {
        let h = mix(mix(mix(seed ^ mix(salt)) ^ UInt64(bitPattern: Int64(a))) ^ UInt64(bitPattern: Int64(b)))
        return Double(h >> 11) * 0x1.0p-53
    }
}

/// The stages of the demo generation, each with its own random stream.
enum DemoStream: UInt64 {
    case outline = 1, townships, townshipGrowth, villages, villageGrowth, grids, gridGrowth
    case population, placeNames, people, jitter, terrain
}
