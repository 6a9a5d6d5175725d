import Vapor
import WanggeStore

enum PhotosAPI {
    /// `GET /api/v1/photos/{sha256}` (staff): a stored photo, location metadata already removed.
    static func show(_ req: Request) async throws -> Response {
        _ = try req.requireStaff()
        let sha = try req.parameters.require("sha")
        guard let meta = try await CaseQueries.photo(sha256: sha, on: req.db), let data = req.wangge.photos.read(sha) else {
            throw APIError.notFound("no photo \(sha)")
        }
        let r = Response(status: .ok, body: .init(data: data))
        r.headers.replaceOrAdd(name: .contentType, value: meta.contentType)
        r.headers.cacheControl = .init(isPrivate: true, maxAge: 86_400 * 30)
        return r
    }
}
