import Foundation

/// Why a DEFLATE stream could not be inflated; the ZIP reader names the entry when it reports it.
enum InflateError: Error, Equatable {
    case damaged(String)
    /// The output would pass the limit the caller set.
    case tooLarge
}

/// RFC 1951 DEFLATE decoding: stored, fixed-Huffman and dynamic-Huffman blocks, with a hard limit on the output so
/// that a small archive cannot make us allocate gigabytes. Huffman codes are decoded through a lookup table indexed
/// by the next (bit-reversed) `maxLength` bits of input.
struct Inflater {
    private let input: [UInt8]
    private var position = 0
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    private var output: [UInt8] = []
    private let limit: Int

    /// The inflated bytes of `input`, at most `limit` of them.
    static func inflate(_ input: [UInt8], limit: Int, expected: Int? = nil) throws(InflateError) -> [UInt8] {
        var inflater = Inflater(input: input, limit: limit)
        inflater.output.reserveCapacity(min(expected ?? input.count * 4, limit))
        var final = false
        while !final {
            final = try inflater.bits(1) == 1
            switch try inflater.bits(2) {
            case 0: try inflater.stored()
            case 1: try inflater.codes(Huffman.fixedLiterals, Huffman.fixedDistances)
            case 2: try inflater.dynamic()
            default: throw .damaged("a block of reserved type 3")
            }
        }
        return inflater.output
    }

    private init(input: [UInt8], limit: Int) {
        self.input = input
        self.limit = limit
    }

    // MARK: Bits

    /// Tops the buffer up with whole bytes while there is input and room.
    private mutating func fill() {
        while bitCount <= 56, position < input.count {
            bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
    }

    private mutating func bits(_ n: Int) throws(InflateError) -> Int {
        if bitCount < n { fill() }
        guard bitCount >= n else { throw .damaged("the data ends in the middle of a block") }
        let value = Int(bitBuffer & ((1 << UInt64(n)) - 1))
        bitBuffer >>= UInt64(n)
        bitCount -= n
        return value
    }

    private mutating func decode(_ h: Huffman) throws(InflateError) -> Int {
        if bitCount < h.maxLength { fill() }
        let entry = h.table[Int(bitBuffer & h.mask)]
        let length = Int(entry & 15)
        guard length != 0, length <= bitCount else { throw .damaged("an invalid Huffman code") }
        bitBuffer >>= UInt64(length)
        bitCount -= length
        return Int(entry >> 4)
    }

    private mutating func append(count n: Int) throws(InflateError) {
        guard output.count + n <= limit else { throw .tooLarge }
    }

    // MARK: Blocks

    private mutating func stored() throws(InflateError) {
        let drop = bitCount % 8
        bitBuffer >>= UInt64(drop)
        bitCount -= drop
        let length = try bits(16), complement = try bits(16)
        guard length == ~complement & 0xFFFF else { throw .damaged("a stored block whose length does not match its complement") }
        try append(count: length)
        var left = length
        while left > 0, bitCount >= 8 {
            output.append(UInt8(truncatingIfNeeded: bitBuffer))
            bitBuffer >>= 8
            bitCount -= 8
            left -= 1
        }
        guard input.count - position >= left else { throw .damaged("a stored block runs past the end of the data") }
        output.append(contentsOf: input[position..<position + left])
        position += left
    }

    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func dynamic() throws(InflateError) {
        let literalCount = try bits(5) + 257, distanceCount = try bits(5) + 1, codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .damaged("a dynamic block with too many codes") }
        var codeLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengths[Self.codeLengthOrder[i]] = UInt8(try bits(3)) }
        let lengthCode = try Huffman(lengths: codeLengths)
        var lengths: [UInt8] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(lengthCode)
            var repeated: UInt8 = 0, times = 0
            switch symbol {
            case 0...15: lengths.append(UInt8(symbol)); continue
            case 16:
                guard let last = lengths.last else { throw .damaged("a repeat with no length before it") }
                repeated = last; times = 3 + (try bits(2))
            case 17: times = 3 + (try bits(3))
            default: times = 11 + (try bits(7))
            }
            guard lengths.count + times <= literalCount + distanceCount else { throw .damaged("code lengths run past their count") }
            lengths.append(contentsOf: repeatElement(repeated, count: times))
        }
        guard lengths[256] != 0 else { throw .damaged("a block without an end-of-block code") }
        try codes(Huffman(lengths: Array(lengths[..<literalCount])), Huffman(lengths: Array(lengths[literalCount...])))
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
                                       3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    private mutating func codes(_ literals: Huffman, _ distances: Huffman) throws(InflateError) {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                try append(count: 1)
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let l = symbol - 257
            guard l < Self.lengthBase.count else { throw .damaged("an invalid length code") }
            let length = Self.lengthBase[l] + (try bits(Self.lengthExtra[l]))
            let d = try decode(distances)
            guard d < Self.distanceBase.count else { throw .damaged("an invalid distance code") }
            let distance = Self.distanceBase[d] + (try bits(Self.distanceExtra[d]))
            guard distance <= output.count else { throw .damaged("a distance before the start of the data") }
            try append(count: length)
            let start = output.count - distance
            for i in 0..<length { output.append(output[start + i]) }
        }
    }
}

/// A canonical Huffman code as a lookup table: entry = symbol << 4 | code length, 0 where no code lands.
struct Huffman: Sendable {
    let table: [UInt16]
    let maxLength: Int
    let mask: UInt64

    init(lengths: [UInt8]) throws(InflateError) {
        var counts = [Int](repeating: 0, count: 16)
        for l in lengths { counts[Int(l)] += 1 }
        counts[0] = 0
        let maxLength = (1...15).last { counts[$0] > 0 } ?? 0
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for bits in 1...15 {
            code = (code + counts[bits - 1]) << 1
            next[bits] = code
        }
        var table = [UInt16](repeating: 0, count: 1 << maxLength)
        for (symbol, l) in lengths.enumerated() where l > 0 {
            let length = Int(l)
            let c = next[length]
            next[length] += 1
            guard c < 1 << length else { throw .damaged("an over-subscribed Huffman code") }
            var reversed = 0
            for b in 0..<length where c & (1 << b) != 0 { reversed |= 1 << (length - 1 - b) }
            for i in stride(from: reversed, to: table.count, by: 1 << length) { table[i] = UInt16(symbol << 4 | length) }
        }
        self.table = table
        self.maxLength = maxLength
        self.mask = (1 << UInt64(maxLength)) - 1
    }

    // The fixed code's lengths are valid, so building it cannot fail.
    static let fixedLiterals = try! Huffman(lengths: (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
    static let fixedDistances = try! Huffman(lengths: [UInt8](repeating: 5, count: 30))
}
