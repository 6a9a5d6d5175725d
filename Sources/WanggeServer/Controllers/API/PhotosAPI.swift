import Vapor
import WanggeCore
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

extension PhotosAPI {
    struct Uploaded: Content { var sha256: String; var contentType: String; var size: Int }

    /// `POST /api/v1/photos` (staff, multipart parts `photos`): stores photos for a later action's `attachments`,
    /// stripped of location metadata like intake's.
    static func upload(_ req: Request) async throws -> [Uploaded] {
        _ = try req.requireStaff()
        guard req.headers.contentType?.type == "multipart", let boundary = req.headers.contentType?.parameters["boundary"],
              let body = req.body.data
        else { throw APIError.badRequest("send the photos as multipart parts named photos", field: "photos") }
        let photos = try MultipartParts.parse(body: body, boundary: boundary).filter { $0.name == "photos" || $0.name == "photos[]" }
        guard !photos.isEmpty, photos.count <= CaseIntakeRules.maximumPhotos else {
            throw APIError.badRequest("send 1 to \(CaseIntakeRules.maximumPhotos) photos", field: "photos")
        }
        var out: [Uploaded] = []
        for (i, p) in photos.enumerated() {
            guard p.data.count <= PhotoSanitizer.maximumBytes else {
                throw APIError(.payloadTooLarge, "invalid_photo", "photo \(i + 1) is larger than 10 MB", field: "photos")
            }
            do {
                let stored = try req.wangge.photos.store(p.data)
                try await CaseQueries.recordPhoto(sha256: stored.sha256, contentType: stored.type.rawValue, size: stored.size, at: req.now, on: req.db)
                out.append(Uploaded(sha256: stored.sha256, contentType: stored.type.rawValue, size: stored.size))
            } catch let problem as PhotoProblem {
                throw APIError(problem == .notAnImage ? .unsupportedMediaType : .badRequest, "invalid_photo", "photo \(i + 1): \(problem)", field: "photos")
            }
        }
        return out
    }
}
