/// Where a new case goes, and why (DESIGN §4 routing).
public struct RoutingDecision: Hashable, Sendable {
    /// The department proposed for the dispatch; nil when no rule matched.
    public var assigneeDepartment: Department?
    /// The centre whose operators receive the case (county, township or village).
    public var operatorArea: Area
    /// A plain explanation, Chinese then English.
    public var reason: String
}

/// Routing by place (属地) and category. Never nowhere: a case that matches no rule goes to the operators of the
/// smallest centre containing it.
///
/// - A category handled by a department kind goes to the department of that kind serving the case's area, the
///   nearest level up the tree (grid → village → township → county; the lowest code among equals). If none serves
///   it, the category's lead kind (牵头部门) is tried the same way. The receiving centre is the one at the
///   department's level (a township office is dispatched by the township centre, a county bureau by the county's).
/// - A "local" category goes to the area's own centre: the township's governance centre, else the township office,
///   else the county governance centre; received by that township's (or the county's) centre.
/// - Otherwise no department, and the centre of the smallest area containing the case with a level that has
///   operators (village or above: grids and cells have none).
public enum CaseRouter {
    public static func route(category: Category, location: Location, departments: [Department],
                             jurisdiction: Jurisdiction) throws(CaseRuleError) -> RoutingDecision {
        guard !location.isOutside else { throw .outsideJurisdiction }
        let chain = location.chain
        func centre(from index: Int) -> Area { chain[index...].first { $0.level <= .village } ?? chain[chain.count - 1] }
        func nearest(_ kind: DepartmentKind) -> (Department, Int)? {
            // One pass over the departments rather than one per level: routing runs on every report.
            var best: (Department, Int)?
            for department in departments where department.kind == kind {
                guard let index = chain.firstIndex(where: { $0.code == department.areaCode }) else { continue }
                if let b = best, (b.1, b.0.code) <= (index, department.code) { continue }
                best = (department, index)
            }
            return best
        }
        func placed(_ area: Area) -> String { "\(area.name)（\(area.level.nameZH)）" }
        func placedEN(_ area: Area) -> String { "\(area.name) (\(area.level.nameEN))" }

        switch category.handler {
        case .local?:
            if let township = location.area(at: .township) {
                for kind in [DepartmentKind.governanceCentre, .townshipOffice] {
                    let local = departments.filter { $0.kind == kind && $0.areaCode == township.code }
                    if let department = local.min(by: { $0.code < $1.code }) {
                        return RoutingDecision(
                            assigneeDepartment: department, operatorArea: township,
                            reason: "按属地：\(category.name) 属属地事务，交 \(placed(township)) \(department.name)。"
                                + "By place: \(category.nameEN) is a local matter, for \(department.name) of \(placedEN(township)).")
                    }
                }
            }
            if let county = location.area(at: .county),
               let department = departments.filter({ $0.kind == .governanceCentre && $0.areaCode == county.code })
                .min(by: { $0.code < $1.code }) {
                return RoutingDecision(
                    assigneeDepartment: department, operatorArea: county,
                    reason: "按属地：\(category.name) 属属地事务，所在乡镇无社会治理中心或党政办，交 \(department.name)。"
                        + "By place: \(category.nameEN) is a local matter and the township has no governance centre or "
                        + "office, so it goes to \(department.name).")
            }
        case .department(let kind)?:
            var kinds = [kind]
            if let lead = category.lead, lead != kind { kinds.append(lead) }
            for (n, k) in kinds.enumerated() {
                guard let (department, index) = nearest(k) else { continue }
                let area = chain[index]
                let viaLead = n == 0 ? "" : "无 \(kind.nameZH) 部门服务此地，由牵头部门 "
                let viaLeadEN = n == 0 ? "" : "no \(kind.nameEN) body serves here, so the lead kind "
                return RoutingDecision(
                    assigneeDepartment: department, operatorArea: centre(from: index),
                    reason: "按类别：\(category.name) → \(viaLead)\(k.nameZH)；服务区域 \(placed(area))：\(department.name)。"
                        + "By category: \(category.nameEN) → \(viaLeadEN)\(k.nameEN); serving area "
                        + "\(placedEN(area)): \(department.name).")
            }
        case nil:
            break
        }
        let fallback = centre(from: 0)
        let wanted = category.handler.map { $0 == .local ? "属地中心" : HandlerKind.nameZH($0) } ?? "未指定"
        let wantedEN = category.handler.map { $0 == .local ? "a local centre" : HandlerKind.nameEN($0) } ?? "none named"
        return RoutingDecision(
            assigneeDepartment: nil, operatorArea: fallback,
            reason: "无匹配规则：\(category.name) 需 \(wanted)，无此类部门服务此地；交 \(placed(fallback)) 受理员分拨。"
                + "No rule matched: \(category.nameEN) needs \(wantedEN) and none serves this place; it goes to the "
                + "operators of \(placedEN(fallback)).")
    }

    /// Routing for a case placed by an area code (no point): the area and its ancestors.
    public static func route(category: Category, areaCode: String, departments: [Department],
                             jurisdiction: Jurisdiction) throws(CaseRuleError) -> RoutingDecision {
        try route(category: category, location: jurisdiction.location(ofArea: areaCode), departments: departments,
                  jurisdiction: jurisdiction)
    }
}

extension Jurisdiction {
    /// The location of a case placed in an area without a point: the area and its ancestors; outside for an
    /// unknown code.
    public func location(ofArea code: String) -> Location {
        self[code] == nil ? .outside : Location(chain: chain(from: code))
    }
}

extension HandlerKind {
    fileprivate static func nameZH(_ kind: HandlerKind) -> String {
        if case .department(let k) = kind { return k.nameZH }
        return "属地"
    }

    fileprivate static func nameEN(_ kind: HandlerKind) -> String {
        if case .department(let k) = kind { return k.nameEN }
        return "local"
    }
}
