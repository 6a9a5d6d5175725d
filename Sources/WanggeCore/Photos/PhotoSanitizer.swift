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

    public var description: String {
        switch self {
        case let .tooLarge(bytes, limit): "the photo has \(bytes) bytes; at most \(limit) are allowed"
        case .notAnImage: "the file is not a JPEG, PNG or WebP image"
        case .damaged(let t): "the \(t.rawValue) file is damaged or cut short"
        }
    }
}

/// Removes metadata that can carry a location (EXIF, which holds GPS tags, and XMP) from a photo before it is
/// stored: a resident's report must not publish where their home is. The picture itself is left byte for byte.
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

    /// JPEG: drop APP1 (Exif, XMP) and APP13 (Photoshop IRB, which may hold IPTC location) segments.
    static func stripJPEG(_ b: [UInt8]) throws(PhotoProblem) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        var i = 2
        while i < b.count {
            guard b[i] == 0xFF, i + 1 < b.count else { throw .damaged(.jpeg) }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            if marker == 0xD9 { out += [0xFF, 0xD9]; return out }
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { out += [0xFF, marker]; i += 2; continue }
            guard i + 3 < b.count else { throw .damaged(.jpeg) }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2, i + 2 + length <= b.count else { throw .damaged(.jpeg) }
            let end = i + 2 + length
            if marker == 0xDA {
                // Start of scan: the entropy-coded data and everything after it are copied as they are.
                out += b[i...]
                return out
            }
            if marker != 0xE1 && marker != 0xED { out += b[i..<end] }
            i = end
        }
        throw .damaged(.jpeg)
    }

    /// PNG: drop eXIf chunks and text chunks holding XMP.
    static func stripPNG(_ b: [UInt8]) throws(PhotoProblem) -> [UInt8] {
        var out = Array(b[0..<8])
        var i = 8
        while i + 12 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 0, i + 12 + length <= b.count else { throw .damaged(.png) }
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            let end = i + 12 + length
            let data = b[(i + 8)..<(i + 8 + length)]
            let isXMP = (type == "iTXt" || type == "tEXt" || type == "zTXt")
                && data.starts(with: Array("XML:com.adobe.xmp".utf8))
            if type != "eXIf" && !isXMP { out += b[i..<end] }
            i = end
            if type == "IEND" { return out }
        }
        throw .damaged(.png)
    }

    /// WebP: drop EXIF and XMP chunks, clear their flags in VP8X and fix the RIFF size.
    static func stripWebP(_ b: [UInt8]) throws(PhotoProblem) -> [UInt8] {
        var chunks: [UInt8] = []
        var i = 12
        while i + 8 <= b.count {
            let fourcc = String(decoding: b[i..<(i + 4)], as: UTF8.self)
            let size = Int(b[i + 4]) | Int(b[i + 5]) << 8 | Int(b[i + 6]) << 16 | Int(b[i + 7]) << 24
            let padded = size + (size & 1)
            guard size >= 0, i + 8 + size <= b.count else { throw .damaged(.webp) }
            let end = Swift.min(b.count, i + 8 + padded)
            if fourcc == "VP8X", size >= 1 {
                var chunk = Array(b[i..<end])
                chunk[8] &= ~(0x08 | 0x04)  // EXIF and XMP present flags
                chunks += chunk
            } else if fourcc != "EXIF" && fourcc != "XMP " {
                chunks += b[i..<end]
            }
            i = end
        }
        guard i == b.count || i + 8 > b.count, !chunks.isEmpty else { throw .damaged(.webp) }
        let riffSize = UInt32(chunks.count + 4)
        var out = Array("RIFF".utf8)
        out += [UInt8(riffSize & 0xFF), UInt8(riffSize >> 8 & 0xFF), UInt8(riffSize >> 16 & 0xFF), UInt8(riffSize >> 24)]
        out += Array("WEBP".utf8)
        return out + chunks
    }
}
