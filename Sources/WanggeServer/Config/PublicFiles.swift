import Foundation
import Vapor

/// Serves the files under `Public/` without asking the file system about every other request. Vapor's
/// `FileMiddleware` looks each request's path up on disk (a hop to the file-system thread pool and back), which on
/// the API and the pages always finds nothing; this passes it only the paths whose first segment is one of the
/// folder's own entries (`static`, `api`), read once at start.
struct PublicFiles: AsyncMiddleware {
    let files: FileMiddleware
    let roots: Set<Substring>

    init(directory: String) {
        files = FileMiddleware(publicDirectory: directory, defaultFile: nil)
        roots = Set(((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map { Substring($0) })
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = req.url.path.drop { $0 == "/" }
        let first = path.prefix { $0 != "/" }
        guard roots.contains(first) || first.contains("%") else { return try await next.respond(to: req) }
        return try await files.respond(to: req, chainingTo: next)
    }
}
