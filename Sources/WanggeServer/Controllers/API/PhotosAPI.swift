import Vapor
import WanggeCore
import WanggeStore

enum PhotosAPI {
    /// `GET /api/v1/photos/{sha256}` (staff): a stored photo, location metadata already removed, to staff whose scope
    /// holds a case that uses it; to anyone else it does not exist.
    static func show(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let sha = try photoID(req)
        let scoped = try await CaseQueries.cases(usingPhoto: sha, on: req.db)
            .contains { CasePermissions.isInScope($0.snapshot, of: RecordActor(staff).staff!) }
        guard scoped else { throw APIError.notFound("no photo \(sha) in your scope") }
        return try serve(sha, on: req)
    }

    /// `GET /api/v1/track/{code}/photos/{sha256}`: a photo of the case with this tracking code, for its reporter.
    static func showTracked(_ req: Request) async throws -> Response {
        let c = try await TrackingAPI.tracked(req)
        let sha = try photoID(req)
        guard try await CaseQueries.caseUses(c.id, photo: sha, on: req.db) else { throw APIError.notFound("no photo \(sha) on this report") }
        return try serve(sha, on: req)
    }

    /// A photo id is a SHA-256 in lower-case hex.
    static func photoID(_ req: Request) throws -> String {
        let sha = try req.parameters.require("sha")
        guard isPhotoID(sha) else { throw APIError.notFound("no photo \(sha.prefix(64))") }
        return sha
    }

    static func isPhotoID(_ s: String) -> Bool { s.utf8.count == 64 && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) } }

    /// A stored photo as an answer; `cache` private unless a caller says otherwise.
    static func serve(_ sha: String, on req: Request, cache: HTTPHeaders.CacheControl = .init(isPrivate: true, maxAge: 86_400 * 30)) throws -> Response {
        guard let data = req.wangge.photos.read(sha), let type = PhotoType.sniff(Array(data.prefix(16))) else {
            throw APIError.notFound("no photo \(sha)")
        }
        let r = Response(status: .ok, body: .init(data: data))
        r.headers.replaceOrAdd(name: .contentType, value: type.rawValue)
        r.headers.cacheControl = cache
        return r
    }
}

extension PhotosAPI {
    struct Uploaded: Content { var sha256: String; var contentType: String; var size: Int }

    /// `POST /api/v1/photos` (staff, multipart parts `photos`): stores photos for a later action's `attachments`,
    /// stripped of location metadata like intake's.
    static func upload(_ req: Request) async throws -> [Uploaded] {
        let staff = try req.requireStaff()
        let limits = req.wangge.config.limits
        let photos = try MultipartForm.parse(req, limits: .init(maximumParts: limits.photosPerReport) { name in
            name == "photos" || name == "photos[]" ? limits.photoBytes : nil
        }).parts
        guard !photos.isEmpty else {
            throw APIError.badRequest("send 1 to \(limits.photosPerReport) photos as parts named photos", field: "photos")
        }
        // Per account: a rate, and a day's quota of bytes (issue 17: 475 MB nobody attached, in 3.8 s).
        for _ in photos {
            if let wait = req.wangge.limiters.uploads.take(staff.id.uuidString, now: req.now) {
                throw APIError.tooManyRequests(wait: wait, field: "photos", message: "too many photos uploaded from your account; wait a little")
            }
        }
        let sent = photos.reduce(0) { $0 + $1.data.readableBytes }
        let day = try await TrustQueries.uploads(by: staff.id, since: req.now.addingTimeInterval(-86_400), on: req.db)
        guard day.bytes <= limits.uploadBytesPerDay - sent else {
            throw APIError(.tooManyRequests, "upload_quota", "your account has uploaded \(day.bytes >> 20) MB of photos in the last 24 hours; at most \(limits.uploadBytesPerDay >> 20) MB are allowed", field: "photos")
        }
        var out: [Uploaded] = []
        for (i, p) in photos.enumerated() {
            do {
                let stored = try req.wangge.photos.store(Array(buffer: p.data), limit: limits.photoBytes)
                try await CaseQueries.recordPhoto(sha256: stored.sha256, contentType: stored.type.rawValue, size: stored.size, at: req.now,
                                                  uploadedBy: staff.id, on: req.db)
                out.append(Uploaded(sha256: stored.sha256, contentType: stored.type.rawValue, size: stored.size))
            } catch let problem as PhotoProblem {
                throw APIError(problem == .notAnImage ? .unsupportedMediaType : .badRequest, "invalid_photo", "photo \(i + 1): \(problem)", field: "photos")
            }
        }
        return out
    }
}
