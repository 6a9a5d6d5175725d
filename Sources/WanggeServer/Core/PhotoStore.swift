import Crypto
import Foundation
import WanggeCore

/// Photos on disk under the data folder, by the SHA-256 of their (sanitised) bytes: the same photo sent twice is
/// stored once. Written to a temporary file, synced and renamed, so a killed server never leaves half a photo.
struct PhotoStore: Sendable {
    let directory: String

    init(dataDirectory: String) { directory = (dataDirectory as NSString).appendingPathComponent("photos") }

    func path(for sha: String) -> String { "\(directory)/\(sha.prefix(2))/\(sha)" }

    /// Sanitises and stores a photo; returns its id (the hash) and type.
    func store(_ bytes: [UInt8], limit: Int = PhotoSanitizer.maximumBytes) throws -> (sha256: String, type: PhotoType, size: Int) {
        let (type, clean) = try PhotoSanitizer.sanitize(bytes, limit: limit)
        let sha = SHA256.hash(data: clean).map { String(format: "%02x", $0) }.joined()
        let target = path(for: sha)
        let fm = FileManager.default
        if !fm.fileExists(atPath: target) {
            // The data directory, `photos` and its subfolders are private (0700), as `PrivateFiles` makes them.
            try PrivateFiles.makeDirectory((target as NSString).deletingLastPathComponent)
            let temp = target + ".tmp-\(UUID().uuidString)"
            guard fm.createFile(atPath: temp, contents: Data(clean)) else { throw CocoaError(.fileWriteUnknown) }
            if let h = FileHandle(forUpdatingAtPath: temp) { try? h.synchronize(); try? h.close() }
            if rename(temp, target) != 0 { try? fm.removeItem(atPath: temp) }
        }
        return (sha, type, clean.count)
    }

    func read(_ sha: String) -> Data? {
        guard sha.count == 64, sha.allSatisfy(\.isHexDigit) else { return nil }
        return FileManager.default.contents(atPath: path(for: sha))
    }
}
