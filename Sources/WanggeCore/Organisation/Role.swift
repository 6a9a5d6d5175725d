/// Staff roles (DESIGN §1). Residents have no account.
public enum Role: String, CaseIterable, Codable, Sendable {
    case admin, leader, `operator`, handler, mediator
    case gridLeader = "grid_leader"
    case gridWorker = "grid_worker"

    public var nameZH: String {
        switch self {
        case .admin: "管理员"
        case .leader: "领导"
        case .operator: "受理员/派遣员"
        case .handler: "职能部门承办人"
        case .mediator: "调解员"
        case .gridLeader: "网格长"
        case .gridWorker: "网格员"
        }
    }

    public var nameEN: String {
        switch self {
        case .admin: "Administrator"
        case .leader: "Leader"
        case .operator: "Operator"
        case .handler: "Department handler"
        case .mediator: "Mediator"
        case .gridLeader: "Grid leader"
        case .gridWorker: "Grid worker"
        }
    }

    /// Handlers act for a department and must name one.
    public var needsDepartment: Bool { self == .handler }
}

/// What a staff account may see: the subtree of one area (and, for handlers, one department's work).
public struct Scope: Sendable, Equatable {
    public var areaCode: String
    public var departmentCode: String?

    public init(areaCode: String, departmentCode: String? = nil) {
        self.areaCode = areaCode
        self.departmentCode = departmentCode
    }

    /// Whether an area lies inside this scope, given the jurisdiction.
    public func covers(_ code: String, in jurisdiction: Jurisdiction) -> Bool {
        jurisdiction.isWithin(code, ancestor: areaCode)
    }
}
