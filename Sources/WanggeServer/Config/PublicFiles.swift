import Foundation
import Vapor

/// Serves the files under `Public/` (`/static/…`, `/api/openapi.yaml`), and only those: the set of their paths is
/// read once at start, and any other path goes on to the routes without touching the file system. Vapor's
/// `FileMiddleware` looks every path up on disk, which costs a hop to the file-system thread pool per request,
/// and answered a 500 for a name too long for the file system.
struct PublicFiles: AsyncMiddleware {
    let files: FileMiddleware
    let paths: Set<String>

    init(directory: String) {
        files = FileMiddleware(publicDirectory: directory, defaultFile: nil)
        let root = URL(fileURLWithPath: directory).standardizedFileURL.path
        var found = Set<String>()
        if let walk = FileManager.default.enumerator(atPath: root) {
            while let relative = walk.nextObject() as? String {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                    found.insert("/" + relative)
                }
            }
        }
        paths = found
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard paths.contains(req.url.path) else { return try await next.respond(to: req) }
        let response = try await files.respond(to: req, chainingTo: next)
        // FileMiddleware knows no type for .yaml (the OpenAPI document was served without one).
        if req.url.path.hasSuffix(".yaml") { response.headers.replaceOrAdd(name: .contentType, value: "application/yaml; charset=utf-8") }
        return response
    }
}
