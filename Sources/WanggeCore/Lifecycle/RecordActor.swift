/// Who takes a step: a member of staff (with the role and scope they act in), the reporter through the tracking
/// code, or the system's clock job. Recorded on every action.
public enum RecordActor: Hashable, Sendable, Codable {
    case staff(ActingStaff)
    case reporter
    case system

    public init(_ account: StaffAccount) {
        self = .staff(ActingStaff(username: account.username, role: account.role, areaCode: account.scope.areaCode,
                                departmentCode: account.scope.departmentCode))
    }

    public var staff: ActingStaff? {
        if case .staff(let s) = self { return s }
        return nil
    }

    /// "staff", "reporter" or "system", for a database column.
    public var kind: String {
        switch self {
        case .staff: "staff"
        case .reporter: "reporter"
        case .system: "system"
        }
    }
}

/// The parts of a staff account that the case rules look at.
public struct ActingStaff: Hashable, Sendable, Codable {
    public var username: String
    public var role: Role
    /// The account's scope: it sees (and acts in) the subtree of this area.
    public var areaCode: String
    /// A handler's department.
    public var departmentCode: String?

    public init(username: String, role: Role, areaCode: String, departmentCode: String? = nil) {
        self.username = username
        self.role = role
        self.areaCode = areaCode
        self.departmentCode = departmentCode
    }
}
