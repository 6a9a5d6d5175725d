import Foundation

/// The little of ZIP an .xlsx needs: reading entries through the central directory (stored or deflated, CRC
/// checked, every size bounded), and writing an archive of stored entries.
struct ZipArchive {
    struct Entry {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localOffset: Int
    }

    let bytes: [UInt8]
    private(set) var entries: [String: Entry] = [:]

    init(_ data: Data) throws(TableError) {
        bytes = [UInt8](data)
        let end = try Self.endOfCentralDirectory(bytes)
        let count = Int(try u16(end + 10)), directorySize = Int(try u32(end + 12)), directoryOffset = Int(try u32(end + 16))
        if count == 0xFFFF || directoryOffset == 0xFFFF_FFFF { throw .notXLSX("ZIP64 archives are not supported") }
        guard count <= TableLimits.maximumEntries else { throw .tooLarge("\(count) entries in the archive") }
        guard directoryOffset + directorySize <= end else { throw .notXLSX("the central directory lies outside the file") }
        var at = directoryOffset
        for _ in 0..<count {
            guard try u32(at) == 0x0201_4B50 else { throw .notXLSX("a damaged central directory") }
            let nameLength = Int(try u16(at + 28)), extraLength = Int(try u16(at + 30)), commentLength = Int(try u16(at + 32))
            guard at + 46 + nameLength <= bytes.count else { throw .notXLSX("a damaged central directory") }
            let name = String(decoding: bytes[at + 46..<at + 46 + nameLength], as: UTF8.self)
            entries[name] = Entry(name: name, method: try u16(at + 10), flags: try u16(at + 8), crc: try u32(at + 16),
                                  compressedSize: Int(try u32(at + 20)), size: Int(try u32(at + 24)), localOffset: Int(try u32(at + 42)))
            at += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The offset of the end-of-central-directory record, searched back from the end past any archive comment.
    private static func endOfCentralDirectory(_ b: [UInt8]) throws(TableError) -> Int {
        guard b.count >= 22 else { throw .notXLSX("too short to be a ZIP archive") }
        var at = b.count - 22
        let lowest = max(0, b.count - 22 - 0xFFFF)
        while at >= lowest {
            if b[at] == 0x50, b[at + 1] == 0x4B, b[at + 2] == 0x05, b[at + 3] == 0x06 { return at }
            at -= 1
        }
        throw .notXLSX("no ZIP central directory")
    }

    private func u16(_ at: Int) throws(TableError) -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { throw .notXLSX("a field lies past the end of the file") }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private func u32(_ at: Int) throws(TableError) -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { throw .notXLSX("a field lies past the end of the file") }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    /// The contents of entry `name`, nil when the archive has none. `budget` is what may still be inflated in all;
    /// the entry's declared size is checked against it and against the ratio limit before anything is inflated,
    /// and the inflater stops at the declared size whatever the data says.
    func read(_ name: String, budget: inout Int) throws(TableError) -> [UInt8]? {
        guard let e = entries[name] else { return nil }
        guard e.flags & 1 == 0 else { throw .notXLSX("\(name) is encrypted") }
        guard e.size <= budget else {
            throw .tooLarge("\(name) inflates to \(e.size) bytes; at most \(TableLimits.maximumInflatedBytes) in all are read")
        }
        if e.size > TableLimits.ratioFloorBytes, e.size / max(e.compressedSize, 1) > TableLimits.maximumRatio {
            throw .tooLarge("\(name) inflates \(e.size / max(e.compressedSize, 1)) times its compressed size (a zip bomb?)")
        }
        guard try u32(e.localOffset) == 0x0403_4B50 else { throw .notXLSX("the local header of \(name) is missing") }
        let start = e.localOffset + 30 + Int(try u16(e.localOffset + 26)) + Int(try u16(e.localOffset + 28))
        guard start + e.compressedSize <= bytes.count else { throw .notXLSX("\(name) runs past the end of the file") }
        let raw = Array(bytes[start..<start + e.compressedSize])
        let content: [UInt8]
        switch e.method {
        case 0: content = raw
        case 8:
            do { content = try Inflater.inflate(raw, limit: e.size, expected: e.size) } catch {
                switch error {
                case .tooLarge: throw .tooLarge("\(name) inflates beyond the \(e.size) bytes it declares")
                case .damaged(let why): throw .damaged("\(name): \(why)")
                }
            }
        default: throw .notXLSX("\(name) uses compression method \(e.method); only stored and deflated entries are read")
        }
        guard content.count == e.size else { throw .damaged("\(name) is \(content.count) bytes, not the \(e.size) it declares") }
        guard CRC32.checksum(content) == e.crc else { throw .damaged("\(name) fails its CRC check") }
        budget -= content.count
        return content
    }

    // MARK: Writing

    /// One entry to write. Tests build deflated entries with a made-up `size`; the writer itself stores.
    struct Item {
        var name: String
        var data: [UInt8]
        var method: UInt16 = 0
        var size: Int? = nil
        var crc: UInt32? = nil
    }

    /// An archive of `items`, in order, dated 1980-01-01 so the same rows always give the same bytes.
    static func write(_ items: [Item]) throws(TableError) -> [UInt8] {
        var out: [UInt8] = [], directory: [UInt8] = []
        func le16(_ v: Int, _ to: inout [UInt8]) { to += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: UInt32, _ to: inout [UInt8]) { to += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        for item in items {
            let size = item.size ?? item.data.count
            guard size <= 0xFFFF_FFFE, item.data.count <= 0xFFFF_FFFE, out.count <= 0xFFFF_FFFE else {
                throw .tooLarge("\(item.name) would need a ZIP64 archive")
            }
            let name = Array(item.name.utf8), crc = item.crc ?? CRC32.checksum(item.data)
            let offset = UInt32(out.count)
            // Shared by the local header and the central directory: version 2.0, UTF-8 names, method, time, date,
            // CRC, sizes, name length.
            var common: [UInt8] = []
            le16(20, &common); le16(0x0800, &common); le16(Int(item.method), &common); le16(0, &common); le16(0x21, &common)
            le32(crc, &common); le32(UInt32(item.data.count), &common); le32(UInt32(size), &common); le16(name.count, &common)
            le32(0x0403_4B50, &out); out += common; le16(0, &out); out += name; out += item.data
            le32(0x0201_4B50, &directory); le16(20, &directory); directory += common
            le16(0, &directory); le16(0, &directory); le16(0, &directory); le16(0, &directory); le32(0, &directory)
            le32(offset, &directory); directory += name
        }
        guard items.count < 0xFFFF, out.count + directory.count <= 0xFFFF_FFFE else { throw .tooLarge("the archive would need ZIP64") }
        let directoryOffset = UInt32(out.count)
        out += directory
        le32(0x0605_4B50, &out); le16(0, &out); le16(0, &out); le16(items.count, &out); le16(items.count, &out)
        le32(UInt32(directory.count), &out); le32(directoryOffset, &out); le16(0, &out)
        return out
    }
}

/// CRC-32 (ISO-HDLC, polynomial 0xEDB88320), as ZIP records it.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
