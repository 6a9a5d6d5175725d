import Fluent
import Foundation
import WanggeCore

final class GridTeamMemberModel: Model, @unchecked Sendable {
    static let schema = "grid_team_members"

    @ID(key: .id) var id: UUID?
    @Field(key: "grid_code") var gridCode: String
    @Field(key: "position") var position: String
    @Field(key: "name") var name: String
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "username") var username: String?

    init() {}

    init(_ m: GridTeamMember) {
        gridCode = m.gridCode
        position = m.position.rawValue
        name = m.name
        phone = m.phone
        username = m.username
    }

    func toMember() throws -> GridTeamMember {
        guard let p = TeamPosition(rawValue: position) else { throw StoreError.corrupt("team member \(name) has position \(position)") }
        return GridTeamMember(gridCode: gridCode, position: p, name: name, phone: phone, username: username)
    }
}
