import Vapor
import WanggeStore

extension ClockRunner {
    /// Removes photos uploaded through `POST /api/v1/photos` that no case uses after `UNATTACHED_PHOTO_HOURS`
    /// (issue 17: uploads nobody attached were kept for ever), with the hourly pruning: the row first, then the
    /// file, unless the same bytes were stored again meanwhile.
    static func prunePhotos(_ app: Application, now: Date) async throws {
        let before = now.addingTimeInterval(-Double(app.wangge.config.limits.unattachedPhotoHours) * 3_600), db = app.db
        let removed = try await app.wangge.writes.run(on: db) { try await TrustQueries.pruneUnattachedPhotos(before: before, on: db) }
        for sha in removed where try await CaseQueries.photo(sha256: sha, on: db) == nil {
            try? FileManager.default.removeItem(atPath: app.wangge.photos.path(for: sha))
        }
        if !removed.isEmpty { app.logger.info("photos: \(removed.count) uploads no case used within \(app.wangge.config.limits.unattachedPhotoHours) hours removed") }
    }
}
