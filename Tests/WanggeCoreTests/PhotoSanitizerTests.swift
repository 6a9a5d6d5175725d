import Foundation
import Testing
@testable import WanggeCore

/// A small deterministic random source (SplitMix64), so the property tests are the same on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
    mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
}

@Suite struct PhotoSanitizerTests {
    static let gps = Array("Exif\0\0MM\0*GPSLatitude 30.6N GPSLongitude 119.6E".utf8)

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        contains(haystack, Array(needle.utf8))
    }

    static func contains(_ haystack: [UInt8], _ n: [UInt8]) -> Bool {
        guard !n.isEmpty, haystack.count >= n.count else { return n.isEmpty }
        return (0...(haystack.count - n.count)).contains { haystack[$0..<($0 + n.count)].elementsEqual(n) }
    }

    // MARK: JPEG building blocks

    static let soi: [UInt8] = [0xFF, 0xD8], eoi: [UInt8] = [0xFF, 0xD9]

    static func seg(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let n = payload.count + 2
        return [0xFF, marker, UInt8(n >> 8), UInt8(n & 0xFF)] + payload
    }

    static func seg(_ marker: UInt8, _ text: String) -> [UInt8] { seg(marker, Array(text.utf8)) }

    static let dqt = seg(0xDB, [0x00] + (1...64).map { UInt8($0) })
    static func sof(_ marker: UInt8 = 0xC0) -> [UInt8] { seg(marker, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]) }
    static let dht = seg(0xC4, [0x00, 1] + [UInt8](repeating: 0, count: 15) + [0x00])
    static let dht2 = seg(0xC4, [0x10, 0, 2] + [UInt8](repeating: 0, count: 14) + [0x01, 0x02])
    static let sos = seg(0xDA, [1, 1, 0x00, 0, 63, 0])
    /// Entropy-coded data with a stuffed 0xFF00 and a restart marker inside it.
    static let scanData: [UInt8] = [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A, 0xFF, 0x00, 0xBC]
    /// Scan data with 0xFF fill bytes before a restart marker and before a stuffed zero, which belong to the data.
    static let scanData2: [UInt8] = [0x01, 0xFF, 0x00, 0xFF, 0xD7, 0x02, 0xFF, 0xFF, 0xD1, 0x03, 0xFF, 0xFF, 0x00, 0x04]
    static let jfifPayload = Array("JFIF\0\u{1}\u{1}\0\0\u{1}\0\u{1}\0\0".utf8)
    static func exif(_ text: String) -> [UInt8] { seg(0xE1, Array("Exif\0\0MM\0*".utf8) + Array(text.utf8)) }

    static func jpeg(withExif: Bool) -> [UInt8] {
        var b: [UInt8] = [0xFF, 0xD8]
        if withExif { b += seg(0xE1, gps) }
        b += seg(0xE0, jfifPayload)
        b += dqt + sof() + dht + sos + scanData + eoi
        return b
    }

    // MARK: PNG building blocks

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Bitwise CRC-32 written independently of the sanitizer's table-driven one.
    static func crc(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c >> 1) ^ (c & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~c
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func pngChunk(_ type: String, _ data: [UInt8], badCRC: Bool = false) -> [UInt8] {
        let body = Array(type.utf8) + data
        let c = crc(body) ^ (badCRC ? 1 : 0)
        return be32(data.count) + body + be32(Int(c))
    }

    static func pngChunk(_ type: String, _ text: String) -> [UInt8] { pngChunk(type, Array(text.utf8)) }

    static let ihdr = pngChunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
    static let iend = pngChunk("IEND", [])

    static func png(withExif: Bool) -> [UInt8] {
        var b = pngSignature + ihdr
        if withExif {
            b += pngChunk("eXIf", Array(gps.dropFirst(6)))
            b += pngChunk("iTXt", "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>GPS</x:xmpmeta>")
        }
        b += pngChunk("IDAT", [1, 2, 3]) + iend
        return b
    }

    // MARK: WebP building blocks

    static func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }

    static func riffChunk(_ f: String, _ d: [UInt8]) -> [UInt8] {
        Array(f.utf8) + le32(d.count) + d + (d.count % 2 == 1 ? [0] : [])
    }

    static func riff(_ chunks: [UInt8]) -> [UInt8] {
        Array("RIFF".utf8) + le32(chunks.count + 4) + Array("WEBP".utf8) + chunks
    }

    static func vp8x(_ flags: UInt8) -> [UInt8] { riffChunk("VP8X", [flags, 0, 0, 0, 15, 0, 0, 9, 0, 0]) }

    static func webp(withExif: Bool) -> [UInt8] {
        var chunks = vp8x(withExif ? 0x0C : 0) + riffChunk("VP8 ", [9, 9, 9, 9])
        if withExif { chunks += riffChunk("EXIF", gps) + riffChunk("XMP ", Array("<x>GPS</x>".utf8)) }
        return riff(chunks)
    }

    // MARK: - The original behaviour, with the new rules

    @Test func jpegLosesItsExifButKeepsThePicture() throws {
        let (type, clean) = try PhotoSanitizer.sanitize(Self.jpeg(withExif: true))
        #expect(type == .jpeg)
        #expect(!Self.contains(clean, "GPS"))
        #expect(clean == Self.jpeg(withExif: false))  // the JFIF APP0 is rebuilt as the same minimal segment
    }

    @Test func pngLosesExifAndXMP() throws {
        let (type, clean) = try PhotoSanitizer.sanitize(Self.png(withExif: true))
        #expect(type == .png)
        #expect(!Self.contains(clean, "GPS"))
        #expect(clean == Self.png(withExif: false))
    }

    @Test func webpLosesExifAndXMPAndItsFlags() throws {
        let (type, clean) = try PhotoSanitizer.sanitize(Self.webp(withExif: true))
        #expect(type == .webp)
        #expect(!Self.contains(clean, "GPS"))
        #expect(clean == Self.webp(withExif: false))
    }

    @Test func fakesAndOversizedFilesAreRefused() {
        #expect(throws: PhotoProblem.notAnImage) { try PhotoSanitizer.sanitize(Array("GIF89a not allowed".utf8)) }
        #expect(throws: PhotoProblem.notAnImage) { try PhotoSanitizer.sanitize(Array("<html>a photo.jpg</html>".utf8)) }
        #expect(throws: PhotoProblem.damaged(.jpeg)) { try PhotoSanitizer.sanitize(Array(Self.jpeg(withExif: true).prefix(12))) }
        let small = Self.jpeg(withExif: false)
        #expect(throws: PhotoProblem.tooLarge(bytes: small.count + 1, limit: small.count)) { try PhotoSanitizer.sanitize(small + [0], limit: small.count) }
    }

    // MARK: - 1. JPEG

    /// The finding: a phone's multi-picture JPEG carries a second full image after the primary image's EOI, with its
    /// own Exif GPS block. Only the primary image's decoding segments and entropy data may be stored.
    @Test func jpegWithAnMPFSecondImageKeepsOnlyThePrimaryPicture() throws {
        let mpf = Self.seg(0xE2, Array("MPF\0MM\0*".utf8) + [0, 0, 0, 8, 0, 3, 0xB0, 0, 0, 7, 0, 0, 0, 4, 0x30, 0x31, 0x30, 0x30])
        let primary = Self.soi + Self.exif("GPSLatitude 30.62794 GPSLongitude 119.61") + mpf
            + Self.dqt + Self.sof() + Self.dht + Self.sos + Self.scanData + Self.eoi
        let second = Self.soi + Self.exif("GPSLatitude 30.62794") + Self.dqt + Self.sof() + Self.dht + Self.sos + Self.scanData + Self.eoi
        let (type, clean) = try PhotoSanitizer.sanitize(primary + second + Array("trailing 30.62794".utf8))
        #expect(type == .jpeg)
        for secret in ["GPS", "30.62794", "MPF", "Exif"] { #expect(!Self.contains(clean, secret), "\(secret) survived") }
        #expect(clean == Self.soi + Self.dqt + Self.sof() + Self.dht + Self.sos + Self.scanData + Self.eoi)
        #expect(clean.suffix(2).elementsEqual(Self.eoi))
        #expect(Self.contains(clean, Self.sos + Self.scanData + Self.eoi), "the entropy-coded bytes are unchanged")
    }

    @Test func progressiveJPEGKeepsEveryScanAndTheTablesBetweenThem() throws {
        let input = Self.soi + Self.seg(0xFE, "GPS comment") + Self.dqt + Self.sof(0xC2) + Self.seg(0xDD, [0, 4]) + Self.dht
            + Self.sos + Self.scanData
            + Self.seg(0xFE, "GPS between scans") + Self.exif("GPS late") + Self.dht2 + [0xFF, 0xFF]
            + Self.sos + Self.scanData2 + [0xFF, 0xFF, 0xFF] + Self.eoi
        let clean = try PhotoSanitizer.sanitize(input).bytes
        #expect(clean == Self.soi + Self.dqt + Self.sof(0xC2) + Self.seg(0xDD, [0, 4]) + Self.dht + Self.sos + Self.scanData
            + Self.dht2 + Self.sos + Self.scanData2 + Self.eoi)
        #expect(!Self.contains(clean, "GPS"))
    }

    @Test func jfifAndAdobeSegmentsAreRebuiltWithNothingButWhatDecodersRead() throws {
        let jfifWithThumbnail = Self.seg(0xE0, Array("JFIF\0".utf8) + [1, 2, 1, 0, 72, 0, 72, 1, 1] + Array("GPS".utf8))
        let adobe = Self.seg(0xEE, Array("Adobe".utf8) + [0, 100, 0x80, 0, 0, 0, 2] + Array("GPS 30.62794".utf8))
        let notAdobe = Self.seg(0xEE, "Photoshop GPS 30.62794 padding")
        let input = Self.soi + jfifWithThumbnail + notAdobe + adobe + Self.dqt + Self.sof() + Self.dht + Self.sos + Self.scanData + Self.eoi
        let clean = try PhotoSanitizer.sanitize(input).bytes
        let freshAdobe = Self.seg(0xEE, Array("Adobe".utf8) + [0, 100, 0, 0, 0, 0, 2])
        #expect(clean == Self.soi + Self.seg(0xE0, Self.jfifPayload) + freshAdobe + Self.dqt + Self.sof() + Self.dht + Self.sos + Self.scanData + Self.eoi)
        #expect(!Self.contains(clean, "GPS"))
        // Without a JFIF or Adobe segment in the input, none is added (their presence changes how colours are read).
        let plain = Self.soi + Self.exif("GPS") + Self.dqt + Self.sof() + Self.dht + Self.sos + Self.scanData + Self.eoi
        #expect(try PhotoSanitizer.sanitize(plain).bytes == Self.soi + Self.dqt + Self.sof() + Self.dht + Self.sos + Self.scanData + Self.eoi)
    }

    @Test func jpegsThatCannotBeMadeSafeAreRefused() {
        let body = Self.dqt + Self.dht + Self.sos + Self.scanData + Self.eoi
        #expect(throws: PhotoProblem.damaged(.jpeg), "no frame") { try PhotoSanitizer.sanitize(Self.soi + body) }
        #expect(throws: PhotoProblem.damaged(.jpeg), "no scan") { try PhotoSanitizer.sanitize(Self.soi + Self.dqt + Self.sof() + Self.eoi) }
        #expect(throws: PhotoProblem.damaged(.jpeg), "scan before frame") { try PhotoSanitizer.sanitize(Self.soi + Self.sos + Self.scanData + Self.sof() + Self.eoi) }
        #expect(throws: PhotoProblem.damaged(.jpeg), "SOS with no EOI") { try PhotoSanitizer.sanitize(Self.soi + Self.dqt + Self.sof() + Self.sos + Self.scanData) }
        #expect(throws: PhotoProblem.damaged(.jpeg), "a second SOI") { try PhotoSanitizer.sanitize(Self.soi + Self.dqt + Self.soi + Self.sof() + body) }
        #expect(throws: PhotoProblem.damaged(.jpeg), "garbage between segments") { try PhotoSanitizer.sanitize(Self.soi + Self.dqt + [0x00, 0x01] + Self.sof() + body) }
        #expect(throws: PhotoProblem.unsupported(.jpeg, reason: "it has more than one frame")) { try PhotoSanitizer.sanitize(Self.soi + Self.sof() + Self.sof(0xC2) + body) }
        #expect(throws: PhotoProblem.unsupported(.jpeg, reason: "it is a hierarchical JPEG")) { try PhotoSanitizer.sanitize(Self.soi + Self.seg(0xDE, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]) + Self.sof(0xC5) + body) }
        #expect(PhotoProblem.unsupported(.jpeg, reason: "it is a hierarchical JPEG").description
            == "the image/jpeg file cannot be accepted because it is a hierarchical JPEG; please send an ordinary still photo")
    }

    @Test func aDNLSegmentAfterTheFirstScanIsKept() throws {
        let dnl = Self.seg(0xDC, [0, 16])
        let input = Self.soi + Self.dqt + Self.sof() + Self.dht + Self.sos + Self.scanData + dnl + Self.eoi
        #expect(try PhotoSanitizer.sanitize(input).bytes == input)
        #expect(throws: PhotoProblem.damaged(.jpeg)) { try PhotoSanitizer.sanitize(Self.soi + Self.dqt + Self.sof() + Self.dht + Self.sos + Self.scanData + Self.seg(0xDC, [0, 16, 9]) + Self.eoi) }
    }

    // MARK: - 2. PNG

    @Test func pngKeepsOnlyItsPictureChunks() throws {
        let idat1 = Self.pngChunk("IDAT", [0x78, 0x9C, 1, 2, 3]), idat2 = Self.pngChunk("IDAT", [4, 5, 6])
        var input = Self.pngSignature + Self.ihdr
        input += Self.pngChunk("iCCP", "sRGB GPS profile\0\0" + "30.62794 inside the profile")
        input += Self.pngChunk("tEXt", "Comment\0GPS 30.62794")
        input += Self.pngChunk("zTXt", "Raw profile type exif\0\0" + "\nexif\n 40\n GPSLatitude 30.62794 GPSLongitude 119.61\n")
        input += Self.pngChunk("eXIf", "MM\0*GPSLatitude 30.62794")
        input += Self.pngChunk("iTXt", "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>exif:GPSLatitude 30.62794</x:xmpmeta>")
        input += Self.pngChunk("gpSx", "30.62794,119.61")
        input += Self.pngChunk("pHYs", [0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1])
        input += idat1 + Self.pngChunk("tIME", [7, 0xE8, 5, 1, 12, 0, 0]) + idat2 + Self.iend
        input += Array("GPS 30.62794 after IEND".utf8)
        let (type, clean) = try PhotoSanitizer.sanitize(input)
        #expect(type == .png)
        #expect(clean == Self.pngSignature + Self.ihdr + idat1 + idat2 + Self.iend)
        for secret in ["GPS", "30.62794", "Raw profile", "Comment", "xmp", "gpSx", "tEXt", "zTXt", "iCCP"] {
            #expect(!Self.contains(clean, secret), "\(secret) survived")
        }
    }

    @Test func pngRenderingHintsAreKeptOnlyInTheirPlaceAndSize() throws {
        let plte = Self.pngChunk("PLTE", [0, 0, 0, 255, 255, 255])
        let gama = Self.pngChunk("gAMA", [0, 0, 0xB1, 0x8F]), srgb = Self.pngChunk("sRGB", [0])
        let trns = Self.pngChunk("tRNS", [0, 255]), idat = Self.pngChunk("IDAT", [1, 2, 3])
        var input = Self.pngSignature + Self.ihdr + gama + srgb
        input += Self.pngChunk("gAMA", [0, 1, 0, 0])               // a second one: dropped
        input += Self.pngChunk("bKGD", "GPS 30.62794 too long")    // not a bKGD's size: dropped
        input += plte + trns + idat
        input += Self.pngChunk("tRNS", "GPS after the picture")    // after IDAT: dropped
        input += Self.iend
        let clean = try PhotoSanitizer.sanitize(input).bytes
        #expect(clean == Self.pngSignature + Self.ihdr + gama + srgb + plte + trns + idat + Self.iend)
        #expect(!Self.contains(clean, "GPS"))
    }

    @Test func animatedPNGBecomesItsDefaultStillImage() throws {
        let idat = Self.pngChunk("IDAT", [1, 2, 3])
        let fctl = Self.pngChunk("fcTL", [0, 0, 0, 0] + [0, 0, 0, 1, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 14))
        var input = Self.pngSignature + Self.ihdr + Self.pngChunk("acTL", [0, 0, 0, 2, 0, 0, 0, 0]) + fctl + idat
        input += fctl + Self.pngChunk("fdAT", [0, 0, 0, 2] + Array("GPS frame".utf8)) + Self.iend
        #expect(try PhotoSanitizer.sanitize(input).bytes == Self.pngSignature + Self.ihdr + idat + Self.iend)
    }

    @Test func pngCRCsOfKeptChunksAreVerified() throws {
        #expect(PhotoSanitizer.crc32(ArraySlice(Array("IEND".utf8))) == 0xAE42_6082)
        #expect(Self.crc(Array("IEND".utf8)) == 0xAE42_6082)
        let idat = Self.pngChunk("IDAT", [1, 2, 3])
        let badText = Self.pngChunk("tEXt", Array("Comment\0x".utf8), badCRC: true)
        #expect(try PhotoSanitizer.sanitize(Self.pngSignature + Self.ihdr + badText + idat + Self.iend).bytes
            == Self.pngSignature + Self.ihdr + idat + Self.iend, "a dropped chunk's CRC does not matter")
        #expect(throws: PhotoProblem.damaged(.png)) {
            try PhotoSanitizer.sanitize(Self.pngSignature + Self.ihdr + Self.pngChunk("IDAT", [1, 2, 3], badCRC: true) + Self.iend)
        }
    }

    @Test func pngsThatCannotBeMadeSafeAreRefused() {
        let idat = Self.pngChunk("IDAT", [1, 2, 3])
        #expect(throws: PhotoProblem.damaged(.png), "IHDR not first") { try PhotoSanitizer.sanitize(Self.pngSignature + Self.pngChunk("tEXt", "a\0b") + Self.ihdr + idat + Self.iend) }
        #expect(throws: PhotoProblem.damaged(.png), "no IHDR") { try PhotoSanitizer.sanitize(Self.pngSignature + idat + Self.iend) }
        #expect(throws: PhotoProblem.damaged(.png), "two IHDR") { try PhotoSanitizer.sanitize(Self.pngSignature + Self.ihdr + Self.ihdr + idat + Self.iend) }
        #expect(throws: PhotoProblem.damaged(.png), "no IDAT") { try PhotoSanitizer.sanitize(Self.pngSignature + Self.ihdr + Self.iend) }
        #expect(throws: PhotoProblem.damaged(.png), "no IEND") { try PhotoSanitizer.sanitize(Self.pngSignature + Self.ihdr + idat) }
        #expect(throws: PhotoProblem.damaged(.png), "PLTE after IDAT") { try PhotoSanitizer.sanitize(Self.pngSignature + Self.ihdr + idat + Self.pngChunk("PLTE", [1, 2, 3]) + Self.iend) }
        #expect(throws: PhotoProblem.damaged(.png), "type not letters") { try PhotoSanitizer.sanitize(Self.pngSignature + Self.ihdr + Self.pngChunk("ID4T", [1]) + idat + Self.iend) }
        #expect(throws: PhotoProblem.unsupported(.png, reason: "it has an unknown critical chunk QQQQ")) {
            try PhotoSanitizer.sanitize(Self.pngSignature + Self.ihdr + Self.pngChunk("QQQQ", [1]) + idat + Self.iend)
        }
    }

    // MARK: - 3. WebP

    @Test func extendedWebPKeepsOnlyTheHeaderAlphaAndImage() throws {
        let alph = Self.riffChunk("ALPH", [0, 1, 2]), vp8 = Self.riffChunk("VP8 ", [0x30, 0x01, 0x00, 0x9D, 0x01])
        var chunks = Self.vp8x(0x20 | 0x10 | 0x08 | 0x04)
        chunks += Self.riffChunk("ICCP", Array("profile GPS 30.62794".utf8))
        chunks += Self.riffChunk("GPSX", Array("30.62794".utf8))
        chunks += alph + vp8
        chunks += Self.riffChunk("EXIF", Self.gps) + Self.riffChunk("XMP ", Array("<x>GPS 30.62794</x>".utf8))
        chunks += Self.riffChunk("zzzz", Array("GPS".utf8))
        let (type, clean) = try PhotoSanitizer.sanitize(Self.riff(chunks))
        #expect(type == .webp)
        #expect(clean == Self.riff(Self.vp8x(0x10) + alph + vp8))
        #expect(clean[20] == 0x10, "only the alpha flag is left")
        let size = Int(clean[4]) | Int(clean[5]) << 8 | Int(clean[6]) << 16 | Int(clean[7]) << 24
        #expect(size == clean.count - 8)
        for secret in ["GPS", "30.62794", "ICCP", "EXIF", "XMP", "zzzz"] { #expect(!Self.contains(clean, secret), "\(secret) survived") }
    }

    @Test func simpleWebPPassesWithItsPixelsUnchanged() throws {
        let vp8l = Self.riffChunk("VP8L", [0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11])
        #expect(try PhotoSanitizer.sanitize(Self.riff(vp8l)).bytes == Self.riff(vp8l))
        let withJunk = Self.riff(vp8l + Self.riffChunk("EXIF", Self.gps)) + Array("GPS".utf8)
        #expect(try PhotoSanitizer.sanitize(withJunk).bytes == Self.riff(vp8l))
        // ALPH belongs to lossy images only; a lossless image carries its own alpha.
        let extended = Self.riff(Self.vp8x(0x10) + Self.riffChunk("ALPH", [1]) + vp8l)
        #expect(try PhotoSanitizer.sanitize(extended).bytes == Self.riff(Self.vp8x(0x10) + vp8l))
    }

    @Test func animatedWebPIsRefused() {
        let frame = Self.riffChunk("ANMF", [UInt8](repeating: 0, count: 16) + Self.riffChunk("VP8L", [0x2F, 0, 0, 0, 0]))
        let anim = Self.riffChunk("ANIM", [0, 0, 0, 0, 0, 0])
        let problem = PhotoProblem.unsupported(.webp, reason: "it is animated")
        #expect(throws: problem) { try PhotoSanitizer.sanitize(Self.riff(Self.vp8x(0x12) + anim + frame)) }
        #expect(throws: problem, "ANIM without the flag") { try PhotoSanitizer.sanitize(Self.riff(Self.vp8x(0x10) + anim + frame)) }
        #expect(problem.description == "the image/webp file cannot be accepted because it is animated; please send an ordinary still photo")
    }

    @Test func webpsThatCannotBeMadeSafeAreRefused() {
        let vp8 = Self.riffChunk("VP8 ", [1, 2, 3, 4])
        #expect(throws: PhotoProblem.damaged(.webp), "no image chunk") { try PhotoSanitizer.sanitize(Self.riff(Self.vp8x(0) + Self.riffChunk("EXIF", [1, 2]))) }
        #expect(throws: PhotoProblem.damaged(.webp), "unknown first chunk") { try PhotoSanitizer.sanitize(Self.riff(Self.riffChunk("EXIF", [1, 2]) + vp8)) }
        #expect(throws: PhotoProblem.damaged(.webp), "VP8X of the wrong size") { try PhotoSanitizer.sanitize(Self.riff(Self.riffChunk("VP8X", [0, 0, 0, 0]) + vp8)) }
        var long = Self.riff(vp8)
        long[4] = 0xFF
        #expect(throws: PhotoProblem.damaged(.webp), "RIFF longer than the file") { try PhotoSanitizer.sanitize(long) }
    }

    // MARK: - 4. Property: whatever is wrapped around the picture, a marker in a disallowed place never survives

    static let marker = Array("LEAK-3q7Z".utf8)

    static func junkPayload(_ rng: inout SplitMix64, prefix: [UInt8] = []) -> [UInt8] {
        prefix + rng.bytes(rng.below(12)) + marker + rng.bytes(rng.below(12))
    }

    /// A random JPEG and the exact output expected of it.
    static func randomJPEG(_ rng: inout SplitMix64) -> (input: [UInt8], expected: [UInt8]) {
        var input = soi, body: [UInt8] = []
        var sawJFIF = false
        var adobe: UInt8? = nil
        func fill(_ rng: inout SplitMix64) -> [UInt8] { rng.chance(0.2) ? [UInt8](repeating: 0xFF, count: 1 + rng.below(3)) : [] }
        func junk(_ rng: inout SplitMix64, _ input: inout [UInt8]) {
            for _ in 0..<rng.below(3) {
                let prefixes = ["", "Exif\0\0", "JFIF\0", "Adobe", "MPF\0", "http://ns.adobe.com/xap/1.0/\0", "ICC_PROFILE\0"].map { Array($0.utf8) }
                let payload = junkPayload(&rng, prefix: rng.pick(prefixes))
                let m: UInt8 = rng.pick([UInt8(0xE0 + rng.below(16)), 0xFE, UInt8(0xF0 + rng.below(14)), UInt8(0x02 + rng.below(0xBE)), 0xC8])
                if m == 0xE0, payload.starts(with: Array("JFIF\0".utf8)) { sawJFIF = true }
                if m == 0xEE, adobe == nil, payload.count >= 12, payload.starts(with: Array("Adobe".utf8)) { adobe = payload[11] }
                input += fill(&rng) + seg(m, payload)
            }
        }
        func allowed(_ s: [UInt8], _ rng: inout SplitMix64) { input += fill(&rng) + s; body += s }
        func scan(_ rng: inout SplitMix64) {
            var data: [UInt8] = []
            for _ in 0..<(1 + rng.below(40)) {
                let b = UInt8(truncatingIfNeeded: rng.next())
                data.append(b)
                if b == 0xFF { data.append(0x00) }
                if rng.chance(0.05) { data += [0xFF, 0xD0 + UInt8(rng.below(8))] }
            }
            let s = seg(0xDA, [1, 1, 0x00, 0, 63, 0])
            input += fill(&rng) + s + data
            body += s + data
        }
        junk(&rng, &input)
        allowed(seg(0xDB, [0] + rng.bytes(64)), &rng)
        junk(&rng, &input)
        allowed(seg(rng.pick([0xC0, 0xC1, 0xC2, 0xC3, 0xC9]), [8, 0, 16, 0, 16, 1, 1, 0x11, 0]), &rng)
        junk(&rng, &input)
        if rng.chance(0.3) { allowed(seg(0xDD, [0, UInt8(rng.below(200))]), &rng) }
        allowed(seg(0xC4, [0x00, 1] + [UInt8](repeating: 0, count: 15) + [UInt8(rng.below(256))]), &rng)
        junk(&rng, &input)
        scan(&rng)
        for _ in 0..<rng.below(3) {
            junk(&rng, &input)
            if rng.chance(0.5) { allowed(seg(0xC4, [0x10, 1] + [UInt8](repeating: 0, count: 15) + [7]), &rng) }
            junk(&rng, &input)
            scan(&rng)
        }
        junk(&rng, &input)
        input += fill(&rng) + eoi
        input += soi + exif("GPS") + seg(0xE1, junkPayload(&rng)) + junkPayload(&rng)  // an appended second image
        var expected = soi
        if sawJFIF { expected += seg(0xE0, jfifPayload) }
        if let adobe { expected += seg(0xEE, Array("Adobe".utf8) + [0, 100, 0, 0, 0, 0, adobe]) }
        return (input, expected + body + eoi)
    }

    static let pngHintSizes: [String: ClosedRange<Int>] = ["tRNS": 1...256, "gAMA": 4...4, "cHRM": 32...32, "sRGB": 1...1, "sBIT": 1...4, "bKGD": 1...6]

    static func randomPNG(_ rng: inout SplitMix64) -> (input: [UInt8], expected: [UInt8]) {
        var input = pngSignature + ihdr, expected = pngSignature + ihdr
        func randomAncillaryType(_ rng: inout SplitMix64) -> String {
            while true {
                let lower = Array("abcdefghijklmnopqrstuvwxyz".utf8), upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
                let t = String(decoding: [rng.pick(lower)] + (0..<3).map { _ in rng.pick(lower + upper) }, as: UTF8.self)
                if pngHintSizes[t] == nil { return t }
            }
        }
        func junk(_ rng: inout SplitMix64, afterIDAT: Bool) {
            for _ in 0..<rng.below(3) {
                let type: String
                switch rng.below(4) {
                case 0: type = rng.pick(["tEXt", "zTXt", "iTXt", "eXIf", "iCCP", "tIME", "pHYs", "acTL", "fcTL", "fdAT", "sPLT", "hIST"])
                case 1: type = randomAncillaryType(&rng)
                case 2: type = afterIDAT ? rng.pick(Array(pngHintSizes.keys)) : rng.pick(["gAMA", "sRGB", "sBIT", "bKGD", "cHRM"])
                default: type = rng.pick(["tEXt", "zTXt", "iTXt", "eXIf"])
                }
                var payload = junkPayload(&rng)
                if type == "cHRM", payload.count == 32 { payload.append(0) }
                input += pngChunk(type, payload, badCRC: rng.chance(0.2))
            }
        }
        func allowed(_ c: [UInt8]) { input += c; expected += c }
        junk(&rng, afterIDAT: false)
        if rng.chance(0.5) { allowed(pngChunk("PLTE", rng.bytes(3 * (1 + rng.below(8))))) }
        for type in pngHintSizes.keys.sorted() where rng.chance(0.4) {
            let sizes = pngHintSizes[type]!
            allowed(pngChunk(type, rng.bytes(sizes.lowerBound + rng.below(Swift.min(8, sizes.count)))))
            junk(&rng, afterIDAT: false)
        }
        for _ in 0..<(1 + rng.below(3)) {
            allowed(pngChunk("IDAT", rng.bytes(1 + rng.below(30))))
            junk(&rng, afterIDAT: true)
        }
        allowed(iend)
        input += junkPayload(&rng)
        return (input, expected)
    }

    static func randomWebP(_ rng: inout SplitMix64) -> (input: [UInt8], expected: [UInt8]) {
        func randomFourCC(_ rng: inout SplitMix64) -> String {
            while true {
                let t = String(decoding: (0..<4).map { _ in UInt8(0x20 + rng.below(0x5F)) }, as: UTF8.self)
                if !["VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF"].contains(t) { return t }
            }
        }
        func junk(_ rng: inout SplitMix64) -> [UInt8] {
            var out: [UInt8] = []
            for _ in 0..<rng.below(3) {
                out += riffChunk(rng.chance(0.5) ? rng.pick(["ICCP", "EXIF", "XMP "]) : randomFourCC(&rng), junkPayload(&rng))
            }
            return out
        }
        let lossy = rng.chance(0.5)
        let image = riffChunk(lossy ? "VP8 " : "VP8L", rng.bytes(1 + rng.below(30)))
        var input: [UInt8], expected: [UInt8]
        if rng.chance(0.3) {
            input = image + junk(&rng)
            expected = image
        } else {
            let flags = UInt8(rng.below(256)) & ~0x02
            let canvas = rng.bytes(6)
            let alph = riffChunk("ALPH", rng.bytes(1 + rng.below(9)))
            let hasAlpha = rng.chance(0.5)
            input = riffChunk("VP8X", [flags] + rng.bytes(3) + canvas) + junk(&rng)
            if hasAlpha { input += alph + junk(&rng) }
            if hasAlpha, rng.chance(0.3) { input += riffChunk("ALPH", junkPayload(&rng)) }  // a second ALPH: dropped
            input += image + junk(&rng) + riffChunk("ALPH", junkPayload(&rng))
            expected = riffChunk("VP8X", [flags & 0x10, 0, 0, 0] + canvas) + (hasAlpha && lossy ? alph : []) + image
        }
        return (riff(input) + junkPayload(&rng), riff(expected))
    }

    @Test func aMarkerInADisallowedPlaceNeverSurvives() throws {
        var rng = SplitMix64(seed: 0x5EED_2024)
        for round in 0..<300 {
            for (input, expected) in [Self.randomJPEG(&rng), Self.randomPNG(&rng), Self.randomWebP(&rng)] {
                #expect(Self.contains(input, Self.marker))
                let clean = try PhotoSanitizer.sanitize(input).bytes
                #expect(!Self.contains(clean, Self.marker), "round \(round)")
                #expect(clean == expected, "round \(round)")
                #expect(try PhotoSanitizer.sanitize(clean).bytes == clean, "sanitizing is idempotent (round \(round))")
            }
        }
    }

    // MARK: - 5. Hostile input: refused, never a trap

    @Test func hostileLengthsAndTruncationsThrowAndNeverTrap() throws {
        let idat = Self.pngChunk("IDAT", [1, 2, 3])
        // Length fields of 0xFFFFFFFF (PNG, a WebP chunk, the RIFF) and 0xFFFF / 0 / 1 (JPEG).
        #expect(throws: PhotoProblem.damaged(.png)) { try PhotoSanitizer.sanitize(Self.pngSignature + Self.ihdr + [0xFF, 0xFF, 0xFF, 0xFF] + Array("tEXt".utf8) + [1, 2, 3, 4] + idat + Self.iend) }
        #expect(throws: PhotoProblem.damaged(.png)) { try PhotoSanitizer.sanitize(Self.pngSignature + [0xFF, 0xFF, 0xFF, 0xFF] + Array("IHDR".utf8) + [UInt8](repeating: 0, count: 17)) }
        #expect(throws: PhotoProblem.damaged(.webp)) { try PhotoSanitizer.sanitize(Self.riff(Self.vp8x(0) + Array("EXIF".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + [1, 2, 3, 4])) }
        #expect(throws: PhotoProblem.damaged(.webp)) { try PhotoSanitizer.sanitize(Self.riff(Array("VP8 ".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + [1, 2, 3, 4])) }
        #expect(throws: PhotoProblem.damaged(.webp)) { try PhotoSanitizer.sanitize(Array("RIFF".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + Array("WEBP".utf8) + Self.riffChunk("VP8 ", [1, 2])) }
        #expect(throws: PhotoProblem.damaged(.webp)) { try PhotoSanitizer.sanitize(Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8) + Self.riffChunk("VP8 ", [1, 2])) }
        for length: [UInt8] in [[0xFF, 0xFF], [0, 0], [0, 1]] {
            #expect(throws: PhotoProblem.damaged(.jpeg)) { try PhotoSanitizer.sanitize(Self.soi + [0xFF, 0xE1] + length + Array("Exif".utf8) + Self.eoi) }
        }
        #expect(throws: PhotoProblem.damaged(.jpeg), "only fill bytes") { try PhotoSanitizer.sanitize(Self.soi + [UInt8](repeating: 0xFF, count: 20)) }
        #expect(throws: PhotoProblem.damaged(.jpeg), "SOS with no EOI") { try PhotoSanitizer.sanitize(Self.soi + Self.dqt + Self.sof() + Self.dht + Self.sos + Self.scanData + [0xFF]) }

        // Every proper prefix of a valid file is refused; every mutated file is refused or comes out clean and stable.
        var rng = SplitMix64(seed: 7)
        var samples = [Self.jpeg(withExif: true), Self.png(withExif: true), Self.webp(withExif: true)]
        for _ in 0..<10 { samples += [Self.randomJPEG(&rng), Self.randomPNG(&rng), Self.randomWebP(&rng)].map(\.expected) }
        for sample in samples {
            for k in 0..<sample.count {
                #expect(throws: PhotoProblem.self, "prefix \(k) of \(sample.count)") { try PhotoSanitizer.sanitize(Array(sample.prefix(k))) }
            }
            for _ in 0..<200 {
                var mutated = sample
                for _ in 0..<(1 + rng.below(4)) {
                    let at = rng.below(mutated.count)
                    mutated[at] = rng.chance(0.5) ? UInt8(rng.below(256)) : rng.pick([0x00, 0xFF, 0x7F, 0x80])
                }
                if let clean = try? PhotoSanitizer.sanitize(mutated).bytes {
                    #expect(try PhotoSanitizer.sanitize(clean).bytes == clean)
                }
            }
        }
    }
}
