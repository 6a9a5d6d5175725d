import WanggeCore
extension DemoCounty {
    /// The county's departments, in the order they are listed; kinds may repeat (the nearest kind, or `.other`).
    static let countyDepartments: [(name: String, kind: DepartmentKind)] = [
        ("县社会治理中心", .governanceCentre),
        ("县公安局", .publicSecurity),
        ("县市场监督管理局", .marketRegulation),
        ("县应急管理局", .emergencyManagement),
        ("县消防救援大队", .fireRescue),
        ("市生态环境局安澜分局", .ecologyEnvironment),
        ("县综合行政执法局", .urbanManagement),
        ("县司法局", .justiceMediation),
        ("县民政局", .civilAffairs),
        ("县住房和城乡建设局", .housing),
        ("县水利局", .water),
        ("县卫生健康局", .health),
        ("县人力资源和社会保障局", .humanResources),
        ("自然资源和规划局安澜分局", .naturalResources),
        ("县交通运输局", .transport),
        ("县教育局", .education),
        ("县农业农村局", .agriculture),
        ("县文化和广电旅游体育局", .cultureTourism),
        ("县林业局", .naturalResources),
        ("县医疗保障局", .health),
        ("县人民法院", .justiceMediation),
        ("县退役军人事务局", .civilAffairs),
        ("县残疾人联合会", .civilAffairs),
        ("县总工会", .humanResources),
        ("县妇女联合会", .other),
        ("县商务局", .other),
        ("县经济和信息化局", .other),
        ("县供水公司", .water),
        ("县供电公司", .other),
    ]

    /// Every township's offices.
    static let townshipOffices: [(suffix: String, kind: DepartmentKind)] = [
        ("社会治理中心", .governanceCentre),
        ("派出所", .publicSecurity),
        ("市场监管所", .marketRegulation),
        ("司法所", .justiceMediation),
        ("综合行政执法中队", .urbanManagement),
        ("应急管理站", .emergencyManagement),
        ("党政办", .townshipOffice),
    ]

    /// A department's code: its area's code and its kind, with "-2", "-3"… where a kind repeats at one area.
    static func departmentCode(areaCode: String, kind: DepartmentKind, ordinal: Int) -> String {
        ordinal == 1 ? "\(areaCode)-\(kind.rawValue)" : "\(areaCode)-\(kind.rawValue)-\(ordinal)"
    }

    static func buildDepartments(_ areas: [Area]) -> [Department] {
        var result: [Department] = []
        var seen: [DepartmentKind: Int] = [:]
        for (name, kind) in countyDepartments {
            seen[kind, default: 0] += 1
            result.append(Department(code: departmentCode(areaCode: countyCode, kind: kind, ordinal: seen[kind]!),
                                     name: name, kind: kind, areaCode: countyCode))
        }
        for township in areas where township.level == .township {
            for (suffix, kind) in townshipOffices {
                result.append(Department(code: departmentCode(areaCode: township.code, kind: kind, ordinal: 1),
                                         name: township.name + suffix, kind: kind, areaCode: township.code))
            }
        }
        for village in areas where village.level == .village {
            let committee = village.name.hasSuffix("社区") ? "居民委员会" : "村民委员会"
            result.append(Department(code: departmentCode(areaCode: village.code, kind: .villageCommittee, ordinal: 1),
                                     name: village.name + committee, kind: .villageCommittee, areaCode: village.code))
        }
        return result
    }

    /// The "6+X" team of every grid: leader, instructor, one full-time and two part-time workers, a safety envoy, a
    /// party-building envoy, and two or three volunteers.
    static func buildTeam(_ areas: [Area], people: inout DemoPeople) -> [GridTeamMember] {
        let positions: [TeamPosition] = [.gridLeader, .instructor, .fullTimeWorker, .partTimeWorker, .partTimeWorker,
                                         .safetyEnvoy, .partyEnvoy, .volunteer, .volunteer]
        var result: [GridTeamMember] = []
        for grid in areas where grid.level == .grid {
            let volunteers = people.chance(0.4) ? 1 : 0  // a third volunteer in about two grids in five
            for position in positions + Array(repeating: .volunteer, count: volunteers) {
                result.append(GridTeamMember(gridCode: grid.code, position: position, name: people.name(),
                                             phone: people.phone()))
            }
        }
        guard let demoGrid = demoGridCode(areas) else { return result }
        for i in result.indices where result[i].gridCode == demoGrid {
            switch result[i].position {
            case .gridLeader: result[i].username = "gridleader"
            case .fullTimeWorker: result[i].username = "gridworker"
            default: break
            }
        }
        return result
    }

    /// The grid of the demo grid accounts: the first grid of the first township.
    static func demoGridCode(_ areas: [Area]) -> String? {
        areas.first { $0.level == .grid && $0.code.hasPrefix(countyCode + "001") }?.code
    }

    static func buildAccounts(_ areas: [Area], team: [GridTeamMember], people: inout DemoPeople) -> [DemoAccount] {
        let township1 = countyCode + "001", township2 = countyCode + "002"
        let grid = demoGridCode(areas) ?? township1
        func member(_ username: String) -> String {
            team.first { $0.username == username }?.name ?? "网格员"
        }
        let countyMarket = departmentCode(areaCode: countyCode, kind: .marketRegulation, ordinal: 1)
        let townshipMarket = departmentCode(areaCode: township1, kind: .marketRegulation, ordinal: 1)
        return [
            DemoAccount(username: "admin", displayName: people.name(), role: .admin, areaCode: countyCode),
            DemoAccount(username: "leader", displayName: people.name(), role: .leader, areaCode: countyCode),
            DemoAccount(username: "operator", displayName: people.name(), role: .operator, areaCode: countyCode),
            DemoAccount(username: "handler", displayName: people.name(), role: .handler, areaCode: countyCode,
                        departmentCode: countyMarket),
            DemoAccount(username: "mediator", displayName: people.name(), role: .mediator, areaCode: township1),
            DemoAccount(username: "gridleader", displayName: member("gridleader"), role: .gridLeader, areaCode: grid),
            DemoAccount(username: "gridworker", displayName: member("gridworker"), role: .gridWorker, areaCode: grid),
            DemoAccount(username: "op_t01", displayName: people.name(), role: .operator, areaCode: township1),
            DemoAccount(username: "op_t02", displayName: people.name(), role: .operator, areaCode: township2),
            DemoAccount(username: "handler_t01", displayName: people.name(), role: .handler, areaCode: township1,
                        departmentCode: townshipMarket),
            DemoAccount(username: "leader_t01", displayName: people.name(), role: .leader, areaCode: township1),
        ]
    }
}
