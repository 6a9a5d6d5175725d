import Foundation
import Testing
@testable import WanggeCore

@Suite struct PhotoSanitizerTests {
    static let gps = Array("Exif\0\0MM\0*GPSLatitude 30.6N GPSLongitude 119.6E".utf8)

    static func jpeg(withExif: Bool) -> [UInt8] {
        var b: [UInt8] = [0xFF, 0xD8]
        if withExif {
            let len = gps.count + 2
            b += [0xFF, 0xE1, UInt8(len >> 8), UInt8(len & 0xFF)] + gps
        }
        let jfif = Array("JFIF\0\u{1}\u{1}\0\0\u{1}\0\u{1}\0\0".utf8)
        b += [0xFF, 0xE0, 0, UInt8(jfif.count + 2)] + jfif
        b += [0xFF, 0xDA, 0, 4, 1, 2] + [0x12, 0x34, 0xFF, 0x00, 0x56] + [0xFF, 0xD9]
        return b
    }

    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let n = data.count
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + Array(type.utf8) + data + [0, 0, 0, 0]
    }

    static func png(withExif: Bool) -> [UInt8] {
        var b: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        b += pngChunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
        if withExif {
            b += pngChunk("eXIf", Array(gps.dropFirst(6)))
            b += pngChunk("iTXt", Array("XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>GPS</x:xmpmeta>".utf8))
        }
        b += pngChunk("IDAT", [1, 2, 3]) + pngChunk("IEND", [])
        return b
    }

    static func webp(withExif: Bool) -> [UInt8] {
        func chunk(_ f: String, _ d: [UInt8]) -> [UInt8] {
            let n = d.count
            return Array(f.utf8) + [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), 0, 0] + d + (n % 2 == 1 ? [0] : [])
        }
        var chunks = chunk("VP8X", [withExif ? 0x0C : 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) + chunk("VP8 ", [9, 9, 9, 9])
        if withExif { chunks += chunk("EXIF", gps) + chunk("XMP ", Array("<x>GPS</x>".utf8)) }
        let size = chunks.count + 4
        return Array("RIFF".utf8) + [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), 0, 0] + Array("WEBP".utf8) + chunks
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard haystack.count >= n.count else { return false }
        return (0...(haystack.count - n.count)).contains { haystack[$0..<($0 + n.count)].elementsEqual(n) }
    }

    @Test func jpegLosesItsExifButKeepsThePicture() throws {
        let (type, clean) = try PhotoSanitizer.sanitize(Self.jpeg(withExif: true))
        #expect(type == .jpeg)
        #expect(!Self.contains(clean, "GPS"))
        #expect(clean == Self.jpeg(withExif: false))
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
        #expect(throws: PhotoProblem.tooLarge(bytes: 101, limit: 100)) { try PhotoSanitizer.sanitize(Self.jpeg(withExif: false) + [UInt8](repeating: 0, count: 101 - Self.jpeg(withExif: false).count), limit: 100) }
    }
}
