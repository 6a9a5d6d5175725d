/// The positions of a grid's "6+X" team (网格长、网格指导员、专职、兼职、平安特派员、党建特派员, plus volunteers).
public enum TeamPosition: String, CaseIterable, Codable, Sendable {
    case gridLeader = "grid_leader"
    case instructor
    case fullTimeWorker = "full_time_worker"
    case partTimeWorker = "part_time_worker"
    case safetyEnvoy = "safety_envoy"
    case partyEnvoy = "party_envoy"
    case volunteer

    public var nameZH: String {
        switch self {
        case .gridLeader: "网格长"
        case .instructor: "网格指导员"
        case .fullTimeWorker: "专职网格员"
        case .partTimeWorker: "兼职网格员"
        case .safetyEnvoy: "平安特派员"
        case .partyEnvoy: "党建特派员"
        case .volunteer: "信息员（志愿者）"
        }
    }

    public var nameEN: String {
        switch self {
        case .gridLeader: "Grid leader"
        case .instructor: "Grid instructor"
        case .fullTimeWorker: "Full-time grid worker"
        case .partTimeWorker: "Part-time grid worker"
        case .safetyEnvoy: "Safety envoy"
        case .partyEnvoy: "Party-building envoy"
        case .volunteer: "Volunteer informant"
        }
    }
}

/// One member of a grid's team. A phone number is stored for the team's own use and masked in views.
public struct GridTeamMember: Hashable, Sendable, Codable {
    public var gridCode: String
    public var position: TeamPosition
    public var name: String
    public var phone: String?
    /// The staff account of this member, when they have one.
    public var username: String?

    public init(gridCode: String, position: TeamPosition, name: String, phone: String? = nil, username: String? = nil) {
        self.gridCode = gridCode
        self.position = position
        self.name = name
        self.phone = phone
        self.username = username
    }
}
