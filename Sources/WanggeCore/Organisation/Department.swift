/// What kind of body a department is; categories name the kind that handles them.
public enum DepartmentKind: String, CaseIterable, Codable, Sendable {
    case publicSecurity = "public_security"
    case marketRegulation = "market_regulation"
    case emergencyManagement = "emergency_management"
    case fireRescue = "fire_rescue"
    case ecologyEnvironment = "ecology_environment"
    case urbanManagement = "urban_management"
    case justiceMediation = "justice_mediation"
    case civilAffairs = "civil_affairs"
    case housing
    case water
    case health
    case humanResources = "human_resources"
    case naturalResources = "natural_resources"
    case transport
    case education
    case agriculture
    case cultureTourism = "culture_tourism"
    case governanceCentre = "governance_centre"
    case townshipOffice = "township_office"
    case villageCommittee = "village_committee"
    case other

    public var nameZH: String {
        switch self {
        case .publicSecurity: "公安"
        case .marketRegulation: "市场监管"
        case .emergencyManagement: "应急管理（安全生产）"
        case .fireRescue: "消防救援"
        case .ecologyEnvironment: "生态环境"
        case .urbanManagement: "综合执法（城市管理）"
        case .justiceMediation: "司法调解"
        case .civilAffairs: "民政"
        case .housing: "住房建设"
        case .water: "水利"
        case .health: "卫生健康"
        case .humanResources: "人力资源和社会保障"
        case .naturalResources: "自然资源"
        case .transport: "交通运输"
        case .education: "教育"
        case .agriculture: "农业农村"
        case .cultureTourism: "文化旅游"
        case .governanceCentre: "社会治理中心"
        case .townshipOffice: "乡镇办公室"
        case .villageCommittee: "村（居）委会"
        case .other: "其他单位"
        }
    }

    public var nameEN: String {
        switch self {
        case .publicSecurity: "Public security"
        case .marketRegulation: "Market regulation"
        case .emergencyManagement: "Emergency management and work safety"
        case .fireRescue: "Fire and rescue"
        case .ecologyEnvironment: "Ecology and environment"
        case .urbanManagement: "Urban management"
        case .justiceMediation: "Justice and mediation"
        case .civilAffairs: "Civil affairs"
        case .housing: "Housing and construction"
        case .water: "Water resources"
        case .health: "Health"
        case .humanResources: "Human resources and social security"
        case .naturalResources: "Natural resources"
        case .transport: "Transport"
        case .education: "Education"
        case .agriculture: "Agriculture and rural affairs"
        case .cultureTourism: "Culture and tourism"
        case .governanceCentre: "Social governance centre"
        case .townshipOffice: "Township office"
        case .villageCommittee: "Village committee"
        case .other: "Other body"
        }
    }
}

/// A body that handles work (职能部门), serving the subtree of `areaCode`.
public struct Department: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var kind: DepartmentKind
    public var areaCode: String

    public init(code: String, name: String, kind: DepartmentKind, areaCode: String) {
        self.code = code
        self.name = name
        self.kind = kind
        self.areaCode = areaCode
    }
}
