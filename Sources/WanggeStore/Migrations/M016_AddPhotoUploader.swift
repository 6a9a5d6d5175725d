import Fluent

/// Who uploaded a photo through `POST /api/v1/photos`: only they may attach it to an action, so that no one can
/// gain sight of another area's photo by attaching its hash to a case of their own.
struct M016_AddPhotoUploader: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("photos").field("uploaded_by", .uuid).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("photos").deleteField("uploaded_by").update()
    }
}
