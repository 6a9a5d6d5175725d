import Foundation

/// What field work reads besides the registry (issue 20's core): the place types a county registers, with the
/// attributes each type needs, and the inspection checklists for key places, whose failed items become hazard cases
/// of a case category (and, where an item says so, a risk entry). A county keeps its own as data; the standard is
/// below. Places and households hold no categories of people (DESIGN §2).
public struct FieldCatalogue: Hashable, Sendable, Codable {
    public var placeTypes: [PlaceType]
    public var checklists: [Checklist]
    /// How often each grid's households are to be visited (every household once a quarter unless set).
    public var visitTargets: VisitTargets

    public init(placeTypes: [PlaceType], checklists: [Checklist], visitTargets: VisitTargets = .standard) {
        self.placeTypes = placeTypes
        self.checklists = checklists
        self.visitTargets = visitTargets
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        placeTypes = try c.decode([PlaceType].self, forKey: .placeTypes)
        checklists = try c.decode([Checklist].self, forKey: .checklists)
        visitTargets = try c.decodeIfPresent(VisitTargets.self, forKey: .visitTargets) ?? .standard
    }

    public func placeType(_ code: String) -> PlaceType? { placeTypes.first { $0.code == code } }
    public func checklist(_ code: String) -> Checklist? { checklists.first { $0.code == code } }

    enum CodingKeys: String, CodingKey {
        case placeTypes = "place_types", checklists, visitTargets = "visit_targets"
    }

    /// Every bad field, named: codes unique and well formed, names plain text, a place type's checklists known, an
    /// item's case category well formed, at most 200 types, 100 checklists and 100 items each.
    public var problems: [RiskCatalogueProblem] {
        var out: [RiskCatalogueProblem] = []
        func name(_ text: String, _ field: String) {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.count > RiskLimits.nameLength || !TextInput.isClean(t) {
                out.append(.init(field, "must be 1 to \(RiskLimits.nameLength) characters of plain text"))
            }
        }
        if placeTypes.isEmpty || placeTypes.count > 200 { out.append(.init("place_types", "must be 1 to 200 types")) }
        if checklists.count > 100 { out.append(.init("checklists", "must be at most 100")) }
        if visitTargets.areas.count > 100_000 { out.append(.init("visit_targets.areas", "must be at most 100,000")) }
        var targeted = Set<String>()
        for (i, a) in visitTargets.areas.enumerated() where !RiskLimits.isCode(a.areaCode) || !targeted.insert(a.areaCode).inserted {
            out.append(.init("visit_targets.areas[\(i)].area_code", "must be an area's code, given once"))
        }
        let listCodes = Set(checklists.map(\.code))
        var seen = Set<String>()
        for (i, t) in placeTypes.enumerated() {
            let f = "place_types[\(i)]"
            if !RiskLimits.isCode(t.code) || !seen.insert(t.code).inserted { out.append(.init("\(f).code", "must be a code that no other type has")) }
            name(t.name, "\(f).name")
            name(t.nameEN, "\(f).name_en")
            for (k, c) in t.checklistCodes.enumerated() where !listCodes.contains(c) {
                out.append(.init("\(f).checklist_codes[\(k)]", "names no checklist"))
            }
            var attributes = Set<String>()
            if t.attributes.count > 50 { out.append(.init("\(f).attributes", "must be at most 50")) }
            for (k, a) in t.attributes.enumerated() {
                if !RiskLimits.isCode(a.code) || !attributes.insert(a.code).inserted { out.append(.init("\(f).attributes[\(k)].code", "must be a code used once")) }
                name(a.name, "\(f).attributes[\(k)].name")
                if case .choice(let options) = a.kind, options.isEmpty || options.count > 50 {
                    out.append(.init("\(f).attributes[\(k)].options", "must be 1 to 50 choices"))
                }
            }
        }
        seen = []
        for (i, l) in checklists.enumerated() {
            let f = "checklists[\(i)]"
            if !RiskLimits.isCode(l.code) || !seen.insert(l.code).inserted { out.append(.init("\(f).code", "must be a code that no other checklist has")) }
            name(l.name, "\(f).name")
            if l.items.isEmpty || l.items.count > 100 { out.append(.init("\(f).items", "must be 1 to 100 items")) }
            var items = Set<String>()
            for (k, item) in l.items.enumerated() {
                if !RiskLimits.isCode(item.code) || !items.insert(item.code).inserted { out.append(.init("\(f).items[\(k)].code", "must be a code used once")) }
                name(item.name, "\(f).items[\(k)].name")
                if !RiskLimits.isCode(item.categoryCode) { out.append(.init("\(f).items[\(k)].category_code", "must be a case category's code")) }
                if let r = item.riskCategoryCode, !RiskLimits.isCode(r) { out.append(.init("\(f).items[\(k)].risk_category_code", "must be a risk category's code")) }
            }
        }
        return out
    }
}

/// A kind of place (shop, restaurant, factory…) with the attributes a place of the kind records and the checklists
/// its inspections use.
public struct PlaceType: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var nameEN: String
    public var attributes: [PlaceAttribute]
    /// The checklists of a key place's inspections; empty for places that are not inspected.
    public var checklistCodes: [String]

    public init(code: String, name: String, nameEN: String, attributes: [PlaceAttribute] = [], checklistCodes: [String] = []) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.attributes = attributes
        self.checklistCodes = checklistCodes
    }

    enum CodingKeys: String, CodingKey {
        case code, name, nameEN = "name_en", attributes
        case checklistCodes = "checklist_codes"
    }

    public var isKeyPlace: Bool { !checklistCodes.isEmpty }
}

public struct PlaceAttribute: Hashable, Sendable, Codable {
    public enum Kind: Hashable, Sendable, Codable {
        case text
        case number
        case yesNo
        case choice([String])
    }

    public var code: String
    public var name: String
    public var kind: Kind
    public var required: Bool

    public init(code: String, name: String, kind: Kind, required: Bool = false) {
        self.code = code
        self.name = name
        self.kind = kind
        self.required = required
    }

    /// Whether `value` (as typed) is one this attribute takes.
    public func accepts(_ value: String) -> Bool {
        let v = value.trimmingCharacters(in: .whitespaces)
        guard !v.isEmpty, v.count <= 200, TextInput.isClean(v) else { return false }
        switch kind {
        case .text: return true
        case .number: return Double(v).map { $0.isFinite && abs($0) <= 1e9 } ?? false
        case .yesNo: return v == "yes" || v == "no"
        case .choice(let options): return options.contains(v)
        }
    }
}

/// An inspection checklist (检查表): items checked one by one, each passed or failed.
public struct Checklist: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var items: [ChecklistItem]

    public init(code: String, name: String, items: [ChecklistItem]) {
        self.code = code
        self.name = name
        self.items = items
    }
}

public struct ChecklistItem: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    /// The case category a failed item is reported under (routed like any case).
    public var categoryCode: String
    /// A failed item asks for a photo (evidence only where the item needs it, DESIGN §7).
    public var photoWhenFailed: Bool
    /// A failed item is also registered in the risk register under this category.
    public var riskCategoryCode: String?

    public init(code: String, name: String, categoryCode: String, photoWhenFailed: Bool = false, riskCategoryCode: String? = nil) {
        self.code = code
        self.name = name
        self.categoryCode = categoryCode
        self.photoWhenFailed = photoWhenFailed
        self.riskCategoryCode = riskCategoryCode
    }

    enum CodingKeys: String, CodingKey {
        case code, name
        case categoryCode = "category_code"
        case photoWhenFailed = "photo_when_failed"
        case riskCategoryCode = "risk_category_code"
    }
}

extension FieldCatalogue {
    /// The standard types and checklists, with the standard case categories (消防 02xx, 安全生产 01xx, 食品 03xx,
    /// 出租房屋 05xx) and risk categories.
    public static let standard = FieldCatalogue(
        placeTypes: [
            PlaceType(code: "shop", name: "商铺", nameEN: "Shop", attributes: [
                PlaceAttribute(code: "floor_area", name: "经营面积（平方米）", kind: .number),
                PlaceAttribute(code: "sleeps_inside", name: "是否住人", kind: .yesNo, required: true),
            ], checklistCodes: ["fire_small"]),
            PlaceType(code: "restaurant", name: "餐饮店", nameEN: "Restaurant", attributes: [
                PlaceAttribute(code: "seats", name: "座位数", kind: .number),
                PlaceAttribute(code: "gas", name: "用气方式", kind: .choice(["pipeline", "cylinder", "none"]), required: true),
            ], checklistCodes: ["fire_small", "food"]),
            PlaceType(code: "factory", name: "生产企业", nameEN: "Factory", attributes: [
                PlaceAttribute(code: "workers", name: "从业人数", kind: .number),
            ], checklistCodes: ["work_safety"]),
            PlaceType(code: "school", name: "学校幼儿园", nameEN: "School or kindergarten", checklistCodes: ["fire_small", "food"]),
            PlaceType(code: "rental_housing", name: "出租房屋", nameEN: "Rental housing", attributes: [
                PlaceAttribute(code: "rooms", name: "出租间数", kind: .number, required: true),
            ], checklistCodes: ["rental"]),
            PlaceType(code: "hazardous_goods", name: "危险化学品场所", nameEN: "Hazardous goods site", checklistCodes: ["work_safety"]),
            PlaceType(code: "inn", name: "小旅馆", nameEN: "Small inn", checklistCodes: ["fire_small"]),
            PlaceType(code: "other", name: "其他场所", nameEN: "Other place"),
        ],
        checklists: [
            Checklist(code: "fire_small", name: "九小场所消防检查", items: [
                ChecklistItem(code: "extinguishers", name: "灭火器配置且在有效期内", categoryCode: "0203", photoWhenFailed: true),
                ChecklistItem(code: "exits", name: "安全出口、疏散通道畅通", categoryCode: "0202", photoWhenFailed: true, riskCategoryCode: "fire"),
                ChecklistItem(code: "wiring", name: "电气线路规范，无私拉乱接", categoryCode: "0205", photoWhenFailed: true),
                ChecklistItem(code: "ebikes", name: "无电动车室内停放充电", categoryCode: "0204"),
                ChecklistItem(code: "no_sleeping", name: "经营场所不住人（无“三合一”）", categoryCode: "0206", riskCategoryCode: "fire"),
            ]),
            Checklist(code: "food", name: "食品安全检查", items: [
                ChecklistItem(code: "licence", name: "证照齐全", categoryCode: "0302"),
                ChecklistItem(code: "kitchen", name: "后厨卫生达标", categoryCode: "0303", photoWhenFailed: true),
                ChecklistItem(code: "expiry", name: "无过期变质食品", categoryCode: "0304", photoWhenFailed: true),
            ]),
            Checklist(code: "work_safety", name: "安全生产检查", items: [
                ChecklistItem(code: "hazards", name: "作业场所无明显安全隐患", categoryCode: "0101", photoWhenFailed: true, riskCategoryCode: "work_safety"),
                ChecklistItem(code: "chemicals", name: "危险化学品规范存放", categoryCode: "0102", photoWhenFailed: true, riskCategoryCode: "work_safety"),
                ChecklistItem(code: "equipment", name: "特种设备定期检验", categoryCode: "0106"),
            ]),
            Checklist(code: "rental", name: "出租房屋安全检查", items: [
                ChecklistItem(code: "fire", name: "消防设施与逃生通道", categoryCode: "0501", photoWhenFailed: true),
                ChecklistItem(code: "partition", name: "无群租与违规隔断", categoryCode: "0502"),
                ChecklistItem(code: "structure", name: "房屋结构无明显安全问题", categoryCode: "0503", photoWhenFailed: true, riskCategoryCode: "work_safety"),
            ]),
        ])
}

extension FieldCatalogue {
    /// A county's own file (`field.json` in the data directory), in this type's JSON. Every problem is named;
    /// nothing is taken from a file with one.
    public static func decode(from data: Data) throws -> FieldCatalogue {
        let catalogue: FieldCatalogue
        do { catalogue = try JSONDecoder().decode(FieldCatalogue.self, from: data) } catch {
            throw CatalogueProblem("field.json is not the catalogue's JSON (place_types, checklists): \(error)")
        }
        let problems = catalogue.problems
        guard problems.isEmpty else { throw CatalogueProblem("field.json: " + problems.map(\.description).joined(separator: "; ")) }
        return catalogue
    }
}
