import Fluent
import Foundation
import WanggeCore

final class DepartmentModel: Model, @unchecked Sendable {
    static let schema = "departments"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @Field(key: "area_code") var areaCode: String

    init() {}

    init(_ d: Department) {
        code = d.code
        name = d.name
        kind = d.kind.rawValue
        areaCode = d.areaCode
    }

    func toDepartment() throws -> Department {
        guard let k = DepartmentKind(rawValue: kind) else { throw StoreError.corrupt("department \(code) has kind \(kind)") }
        return Department(code: code, name: name, kind: k, areaCode: areaCode)
    }
}
