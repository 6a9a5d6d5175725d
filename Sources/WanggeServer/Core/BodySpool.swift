import Foundation
import NIOCore
import Vapor

/// Multipart bodies (reports with photos, photo uploads) above a small size are written to a file under the data
/// directory as they arrive, not collected in memory (issue 17): a slow upload on a village's 4G link then holds a
/// file, not 30 MB of the server's memory, for the minute it takes. The parts are read from the file once the body
/// is whole; the file is removed when the request ends.
struct BodySpool: Sendable {
    /// Bodies up to this size are simply collected.
    static let threshold = 256 * 1024

    let directory: String

    init(dataDirectory: String) { directory = (dataDirectory as NSString).appendingPathComponent("tmp") }

    /// Streams `req`'s body into a new file of at most `max` bytes (else 413, the file removed); returns its path
    /// and size.
    func spool(_ req: Request, max: Int, tooLarge: @autoclosure () -> any Error) async throws -> (path: String, size: Int) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = directory + "/body-" + UUID().uuidString
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Abort(.internalServerError, reason: "cannot write a temporary file under \(directory)") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var size = 0
        do {
            for try await chunk in req.body {
                size += chunk.readableBytes
                guard size <= max else { throw tooLarge() }
                try handle.write(contentsOf: chunk.readableBytesView)
            }
            try handle.close()
        } catch {
            try? handle.close()
            unlink(path)
            throw error
        }
        return (path, size)
    }

    /// Feeds a spooled file to `consume` in 64 KB pieces.
    static func read(_ path: String, _ consume: (ByteBuffer) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Abort(.internalServerError, reason: "the spooled body is gone") }
        defer { try? handle.close() }
        while let data = try handle.read(upToCount: 64 * 1024), !data.isEmpty {
            try consume(ByteBuffer(data: data))
        }
    }

    /// Removes bodies left behind by a server that was killed mid-request (at start).
    func clearLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix("body-") { unlink(directory + "/" + name) }
    }
}

extension Request {
    private struct SpooledKey: StorageKey { typealias Value = String }

    /// The file a multipart body was spooled to, if it was.
    var spooledBody: String? {
        get { storage[SpooledKey.self] }
        set { storage[SpooledKey.self] = newValue }
    }
}
