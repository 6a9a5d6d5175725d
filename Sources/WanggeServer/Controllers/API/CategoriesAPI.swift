import Vapor
import WanggeStore

enum CategoriesAPI {
    /// `GET /api/v1/categories`: the whole catalogue, 大类 each followed by its 小类.
    static func list(_ req: Request) async throws -> CategoryListDTO {
        CategoryListDTO(categories: try await CategoryQueries.catalogue(on: req.db).categories.map(CategoryDTO.init))
    }
}
