import Fluent
import Foundation
import WanggeCore

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    /// `UsernameKey.of(username)`, unique: no two accounts differ only in case or width.
    @OptionalField(key: "username_key") var usernameKey: String?
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: String
    @Field(key: "area_code") var areaCode: String
    @OptionalField(key: "department_code") var departmentCode: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// Set by `wangge user disable`: the account cannot sign in and has no tokens or sessions.
    @OptionalField(key: "disabled_at") var disabledAt: Date?

    init() {}

    init(username: String, displayName: String, passwordHash: String, role: Role, areaCode: String, departmentCode: String?) {
        self.username = username
        usernameKey = UsernameKey.of(username)
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role.rawValue
        self.areaCode = areaCode
        self.departmentCode = departmentCode
    }
}
