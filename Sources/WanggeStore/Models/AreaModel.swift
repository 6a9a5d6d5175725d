import Fluent
import Foundation
import WanggeCore

final class AreaModel: Model, @unchecked Sendable {
    static let schema = "areas"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "level") var level: String
    @OptionalField(key: "parent_code") var parentCode: String?
    /// Codes from the root down to this area, each followed by "/": "330599/330599001/". Subtree queries use it.
    @Field(key: "path") var path: String
    /// GeoJSON geometry text (Polygon or MultiPolygon).
    @OptionalField(key: "boundary") var boundary: String?
    @Field(key: "population") var population: Int
    @Field(key: "households") var households: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(_ area: Area, path: String) {
        code = area.code
        name = area.name
        level = area.level.rawValue
        parentCode = area.parentCode
        self.path = path
        boundary = area.boundary.map { GeoJSONGeometry($0).jsonText() }
        population = area.population
        households = area.households
    }

    func toArea() throws -> Area {
        guard let level = AreaLevel(rawValue: level) else { throw StoreError.corrupt("area \(code) has level \(self.level)") }
        let shape = try boundary.map { try GeoJSONGeometry.parse($0).boundary() }
        return Area(code: code, name: name, level: level, parentCode: parentCode, boundary: shape,
                    population: population, households: households)
    }
}
