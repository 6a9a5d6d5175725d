import Fluent
import Foundation
import WanggeCore

public enum CategoryQueries {
    /// Loads the catalogue into an empty table; a table that already has categories is left as it is.
    public static func seedIfEmpty(_ catalogue: CategoryCatalogue, on db: any Database) async throws {
        guard try await CategoryModel.query(on: db).count() == 0 else { return }
        let models = catalogue.categories.enumerated().map { CategoryModel($1, position: $0) }
        for chunk in models.chunked(by: 200) { try await chunk.create(on: db) }
    }

    public static func catalogue(on db: any Database) async throws -> CategoryCatalogue {
        try CategoryCatalogue(try await CategoryModel.query(on: db).sort(\.$position).all().map { try $0.toCategory() })
    }
}
