import Foundation

/// The image types a report may carry, recognised by their bytes, never by name or declared type.
public enum PhotoType: String, Sendable, CaseIterable {
    case jpeg = "image/jpeg"
    case png = "image/png"
    case webp = "image/webp"

    public static func sniff(_ bytes: [UInt8]) -> PhotoType? {
        if bytes.count > 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.count > 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count > 12, bytes[0..<4].elementsEqual(Array("RIFF".utf8)), bytes[8..<12].elementsEqual(Array("WEBP".utf8)) { return .webp }
        return nil
    }
}

public enum PhotoProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    case notAnImage
    case damaged(PhotoType)
    /// A well-formed file of a kind that cannot be made safe by keeping only its primary picture
    /// (an animated WebP, a hierarchical JPEG, a PNG with a critical chunk we do not know).
    case unsupported(PhotoType, reason: String)

    public var description: String {
        switch self {
        case let .tooLarge(bytes, limit): "the photo has \(bytes) bytes; at most \(limit) are allowed"
        case .notAnImage: "the file is not a JPEG, PNG or WebP image"
        case .damaged(let t): "the \(t.rawValue) file is damaged or cut short"
        case let .unsupported(t, reason): "the \(t.rawValue) file cannot be accepted because \(reason); please send an ordinary still photo"
        }
    }
}

/// Keeps nothing of a photo but the pixels of its primary image before it is stored: a resident's report must not
/// publish where their home is, and metadata (EXIF with GPS tags, XMP, IPTC, MPF second images, PNG text chunks,
/// ICC profiles, comments, unknown chunks) can carry it.
///
/// The file is rebuilt from an ALLOWLIST of the structures a decoder needs for the primary picture; everything
/// else — known or unknown — is dropped, and anything after the primary image's end is ignored. The compressed
/// picture data is copied byte for byte (no decode, no re-encode, no quality loss). A file that cannot be made safe
/// this way is refused with `.damaged` or `.unsupported`. All length arithmetic is bounds-checked before it is done,
/// so hostile length fields throw rather than trap.
public enum PhotoSanitizer {
    public static let maximumBytes = 10 * 1024 * 1024

    public static func sanitize(_ bytes: [UInt8], limit: Int = maximumBytes) throws(PhotoProblem) -> (type: PhotoType, bytes: [UInt8]) {
        guard bytes.count <= limit else { throw .tooLarge(bytes: bytes.count, limit: limit) }
        guard let type = PhotoType.sniff(bytes) else { throw .notAnImage }
        switch type {
        case .jpeg: return (type, try stripJPEG(bytes))
        case .png: return (type, try stripPNG(bytes))
        case .webp: return (type, try stripWebP(bytes))
        }
    }

    // MARK: - JPEG

    /// A fresh minimal JFIF APP0 (version 1.01, aspect 1:1, no thumbnail). Emitted only when the input had a JFIF
    /// APP0, because its presence tells decoders that three components are YCbCr; an input without it keeps none.
    static let jfifSegment: [UInt8] = [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]

    /// A fresh Adobe APP14 carrying only the colour-transform byte of the original (the rest of the original
    /// segment, which could hide anything after "Adobe", is not copied).
    static func adobeSegment(transform: UInt8) -> [UInt8] {
        [0xFF, 0xEE, 0x00, 0x0E] + Array("Adobe".utf8) + [0x00, 0x64, 0x00, 0x00, 0x00, 0x00, transform]
    }

    /// Start-of-frame markers of the sequential, progressive and lossless processes (C4 DHT, C8 JPG, CC DAC excluded).
    static func isStartOfFrame(_ m: UInt8) -> Bool {
        (0xC0...0xCF).contains(m) && m != 0xC4 && m != 0xC8 && m != 0xCC
    }

    /// JPEG: SOI, then only the segments needed to decode the primary image — DQT, DHT, DAC, DRI, the one SOFn,
    /// every SOS with its entropy-coded data (RSTn inside it), DNL — then EOI. Every APPn (Exif, XMP, MPF, ICC,
    /// Photoshop/IPTC, …), COM and any other marker is dropped; JFIF APP0 and Adobe APP14 are replaced by fresh
    /// minimal ones. Parsing stops at the primary image's EOI, so an appended MPF second image is never read.
    static func stripJPEG(_ b: [UInt8]) throws(PhotoProblem) -> [UInt8] {
        let n = b.count
        var body: [UInt8] = []
        body.reserveCapacity(n)
        var sawJFIF = false
        var adobeTransform: UInt8? = nil
        var sawFrame = false, sawScan = false
        var i = 2
        while true {
            // A marker: 0xFF, any number of 0xFF fill bytes, then its code.
            guard i < n, b[i] == 0xFF else { throw .damaged(.jpeg) }
            while i < n, b[i] == 0xFF { i += 1 }
            guard i < n else { throw .damaged(.jpeg) }
            let marker = b[i]
            i += 1
            switch marker {
            case 0xD9:  // EOI of the primary image: whatever follows (an MPF second image, trailing bytes) is dropped
                guard sawFrame, sawScan else { throw .damaged(.jpeg) }
                var out: [UInt8] = [0xFF, 0xD8]
                out.reserveCapacity(body.count + 40)
                if sawJFIF { out += jfifSegment }
                if let t = adobeTransform { out += adobeSegment(transform: t) }
                out += body
                out += [0xFF, 0xD9]
                return out
            case 0xD8, 0x00:  // a second SOI before EOI, or a stuffed zero outside entropy-coded data
                throw .damaged(.jpeg)
            case 0x01, 0xD0...0xD7:  // TEM and stray RSTn carry no payload: dropped
                continue
            default:
                break
            }
            guard n - i >= 2 else { throw .damaged(.jpeg) }
            let length = Int(b[i]) << 8 | Int(b[i + 1])
            guard length >= 2, length <= n - i else { throw .damaged(.jpeg) }
            let segment = b[i..<(i + length)]          // length field and payload
            let payload = b[(i + 2)..<(i + length)]
            let next = i + length
            switch marker {
            case _ where isStartOfFrame(marker):
                guard !sawFrame else { throw .unsupported(.jpeg, reason: "it has more than one frame") }
                sawFrame = true
                body += [0xFF, marker]
                body += segment
            case 0xDB, 0xC4, 0xCC, 0xDD:  // DQT, DHT, DAC, DRI
                body += [0xFF, marker]
                body += segment
            case 0xDC:  // DNL: the number of lines, when the frame header left it 0
                guard sawScan, length == 4 else { throw .damaged(.jpeg) }
                body += [0xFF, marker]
                body += segment
            case 0xDE, 0xDF:  // DHP, EXP
                throw .unsupported(.jpeg, reason: "it is a hierarchical JPEG")
            case 0xDA:  // SOS: header, then entropy-coded data up to the next marker that is not RSTn
                guard sawFrame else { throw .damaged(.jpeg) }
                body += [0xFF, marker]
                body += segment
                // The data ends at the first 0xFF (with any 0xFF fill bytes after it) followed by a code that is
                // neither a stuffed 0x00 nor RSTn. Fill bytes before a stuffed zero or RSTn stay in the data, as
                // decoders read them there; fill bytes before the ending marker are not copied.
                var j = next
                while true {
                    guard j < n else { throw .damaged(.jpeg) }
                    if b[j] == 0xFF {
                        var k = j + 1
                        while k < n, b[k] == 0xFF { k += 1 }
                        guard k < n else { throw .damaged(.jpeg) }
                        let c = b[k]
                        if c == 0x00 || (0xD0...0xD7).contains(c) { j = k + 1; continue }
                        break
                    }
                    j += 1
                }
                body += b[next..<j]
                sawScan = true
                i = j
                continue
            case 0xE0:
                if payload.starts(with: Array("JFIF".utf8) + [0]) { sawJFIF = true }
            case 0xEE:
                if adobeTransform == nil, payload.count >= 12, payload.starts(with: Array("Adobe".utf8)) {
                    adobeTransform = payload[payload.startIndex + 11]
                }
            default:
                break  // every other APPn, COM, JPGn and reserved marker: dropped
            }
            i = next
        }
    }

    // MARK: - PNG

    static func fourCC(_ s: String) -> UInt32 {
        s.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }

    static let IHDR = fourCC("IHDR"), PLTE = fourCC("PLTE"), IDAT = fourCC("IDAT"), IEND = fourCC("IEND")

    /// Rendering hints that carry no text, with the payload lengths the PNG specification allows them; a hint of
    /// any other length is dropped, so none can smuggle a blob. Kept only before the first IDAT, once each.
    static let pngHints: [UInt32: ClosedRange<Int>] = [
        fourCC("tRNS"): 1...256, fourCC("gAMA"): 4...4, fourCC("cHRM"): 32...32,
        fourCC("sRGB"): 1...1, fourCC("sBIT"): 1...4, fourCC("bKGD"): 1...6,
    ]

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        // Through buffer pointers, so that a debug build (`swift run`) checks a 10 MB PNG in a fraction of a second.
        crcTable.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { data in
                var c: UInt32 = 0xFFFF_FFFF
                for byte in data { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
                return c ^ 0xFFFF_FFFF
            }
        }
    }

    /// PNG: the signature, IHDR (first), PLTE, the IDATs, IEND, and the rendering hints tRNS, gAMA, cHRM, sRGB,
    /// sBIT, bKGD. Everything else is dropped: tEXt, zTXt, iTXt, eXIf, iCCP (a profile can carry text), tIME,
    /// pHYs, the APNG chunks acTL/fcTL/fdAT (what remains is the default image as a valid still PNG) and every
    /// unknown ancillary chunk. An unknown critical chunk is refused, since a decoder may not ignore it. Bytes after
    /// IEND are dropped. Chunks are copied with their CRCs, and the CRC of every kept chunk is verified: a bad CRC
    /// is `.damaged` (decoders refuse such files anyway, and we would rather refuse at upload than store them).
    static func stripPNG(_ b: [UInt8]) throws(PhotoProblem) -> [UInt8] {
        let n = b.count
        var out = Array(b[0..<8])
        out.reserveCapacity(n)
        var i = 8
        var sawIHDR = false, sawPLTE = false, sawIDAT = false
        var hintsSeen = Set<UInt32>()
        while true {
            guard n - i >= 12 else { throw .damaged(.png) }
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length <= n - i - 12 else { throw .damaged(.png) }
            let typeBytes = b[(i + 4)..<(i + 8)]
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else { throw .damaged(.png) }
            let type = typeBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let end = i + 12 + length
            guard sawIHDR || type == IHDR else { throw .damaged(.png) }
            var keep = false
            switch type {
            case IHDR:
                guard !sawIHDR, length == 13 else { throw .damaged(.png) }
                sawIHDR = true
                keep = true
            case PLTE:
                guard !sawPLTE, !sawIDAT, length > 0, length <= 768, length % 3 == 0 else { throw .damaged(.png) }
                sawPLTE = true
                keep = true
            case IDAT:
                sawIDAT = true
                keep = true
            case IEND:
                guard sawIDAT, length == 0 else { throw .damaged(.png) }
                keep = true
            default:
                if let allowed = pngHints[type] {
                    keep = !sawIDAT && allowed.contains(length) && hintsSeen.insert(type).inserted
                } else if typeBytes.first.map({ $0 & 0x20 == 0 }) == true {
                    // Critical (upper-case first letter) and not one we know: dropping it could change the picture.
                    let name = String(decoding: typeBytes, as: UTF8.self)
                    throw .unsupported(.png, reason: "it has an unknown critical chunk \(name)")
                }
            }
            if keep {
                let stored = UInt32(b[end - 4]) << 24 | UInt32(b[end - 3]) << 16 | UInt32(b[end - 2]) << 8 | UInt32(b[end - 1])
                guard crc32(b[(i + 4)..<(end - 4)]) == stored else { throw .damaged(.png) }
                out += b[i..<end]
            }
            if type == IEND { return out }
            i = end
        }
    }

    // MARK: - WebP

    static let VP8X = fourCC("VP8X"), VP8 = fourCC("VP8 "), VP8L = fourCC("VP8L"), ALPH = fourCC("ALPH")
    static let ANIM = fourCC("ANIM"), ANMF = fourCC("ANMF")

    static func riffChunk(_ fourcc: String, _ data: ArraySlice<UInt8>) -> [UInt8] {
        let size = data.count
        var c = Array(fourcc.utf8)
        c += [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24 & 0xFF)]
        c += data
        if size & 1 == 1 { c.append(0) }  // a fresh zero pad byte; the original one is not copied
        return c
    }

    /// WebP: a simple file (`VP8 ` or `VP8L` first) keeps only that chunk. An extended file (`VP8X` first) keeps a
    /// fresh VP8X whose flags keep only the alpha bit, then `ALPH` (for lossy images) and the image chunk; ICCP,
    /// EXIF, XMP and every unknown chunk are dropped, as is anything after the image chunk or the RIFF size.
    /// Animated files are refused: keeping one frame of an animation is not keeping the picture that was sent.
    static func stripWebP(_ b: [UInt8]) throws(PhotoProblem) -> [UInt8] {
        let n = b.count
        func le32(_ at: Int) -> Int {
            Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
        }
        let riffSize = le32(4)
        guard riffSize >= 4, riffSize <= n - 8 else { throw .damaged(.webp) }
        let limit = 8 + riffSize  // bytes after the RIFF are dropped

        /// The chunk at `at`: its fourcc, its payload and where the next chunk starts.
        func chunk(at i: Int) throws(PhotoProblem) -> (fourcc: UInt32, data: ArraySlice<UInt8>, next: Int) {
            guard limit - i >= 8 else { throw .damaged(.webp) }
            let fourcc = b[i..<(i + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let size = le32(i + 4)
            guard size <= limit - i - 8 else { throw .damaged(.webp) }
            let dataEnd = i + 8 + size
            // An odd chunk is followed by a pad byte; one missing at the very end of the file is tolerated.
            return (fourcc, b[(i + 8)..<dataEnd], Swift.min(limit, dataEnd + (size & 1)))
        }
        func name(_ f: UInt32) -> String { f == VP8 ? "VP8 " : "VP8L" }

        var chunks: [UInt8] = []
        let first = try chunk(at: 12)
        switch first.fourcc {
        case VP8, VP8L:
            chunks = riffChunk(name(first.fourcc), first.data)
        case VP8X:
            guard first.data.count == 10 else { throw .damaged(.webp) }
            let flags = first.data[first.data.startIndex]
            if flags & 0x02 != 0 { throw .unsupported(.webp, reason: "it is animated") }
            var alpha: ArraySlice<UInt8>? = nil
            var i = first.next
            var image: (fourcc: UInt32, data: ArraySlice<UInt8>, next: Int)? = nil
            while image == nil {
                let c = try chunk(at: i)
                switch c.fourcc {
                case ANIM, ANMF: throw .unsupported(.webp, reason: "it is animated")
                case ALPH: if alpha == nil { alpha = c.data }
                case VP8, VP8L: image = c
                default: break  // ICCP, EXIF, XMP, unknown: dropped
                }
                i = c.next
            }
            guard let image else { throw .damaged(.webp) }
            var header = ArraySlice<UInt8>([flags & 0x10, 0, 0, 0])  // keep only the alpha bit; reserved bytes zero
            header += first.data.dropFirst(4)                         // canvas width - 1, height - 1 (24 bits each)
            chunks = riffChunk("VP8X", header)
            if image.fourcc == VP8, let alpha { chunks += riffChunk("ALPH", alpha) }
            chunks += riffChunk(name(image.fourcc), image.data)
        default:
            throw .damaged(.webp)
        }
        guard chunks.count + 4 <= Int(UInt32.max) else { throw .damaged(.webp) }
        let size = chunks.count + 4
        var out = Array("RIFF".utf8)
        out += [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24 & 0xFF)]
        out += Array("WEBP".utf8)
        return out + chunks
    }
}
