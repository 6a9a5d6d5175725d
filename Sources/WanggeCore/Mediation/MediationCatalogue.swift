import Foundation

/// A type of dispute (DESIGN §6), with the case categories that open as it and the mediators' specialities that
/// suit it. The list is county data: `MediationCatalogue.standard` is the default a county starts from.
public struct MediationType: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var nameEN: String
    /// Case categories (minor codes) whose disputes open as this type.
    public var categoryCodes: [String]
    /// Specialities that suit it, best first (the suggestion prefers them).
    public var specialities: [String]

    public init(code: String, name: String, nameEN: String, categoryCodes: [String] = [], specialities: [String] = []) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.categoryCodes = categoryCodes
        self.specialities = specialities
    }
}

/// A mediator's speciality (the seeds' "六师六家一官" is one county's list).
public struct MediatorSpeciality: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var nameEN: String

    public init(code: String, name: String, nameEN: String) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
    }
}

/// A catalogue file that cannot be used, with every problem named.
public struct CatalogueProblem: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public struct MediationCatalogue: Sendable, Hashable {
    public var types: [MediationType]
    public var specialities: [MediatorSpeciality]

    public init(types: [MediationType], specialities: [MediatorSpeciality]) {
        self.types = types
        self.specialities = specialities
    }

    public func type(_ code: String) -> MediationType? { types.first { $0.code == code } }
    public func speciality(_ code: String) -> MediatorSpeciality? { specialities.first { $0.code == code } }

    /// The type a case of `categoryCode` opens as; nil when the category is not a dispute.
    public func type(forCategory categoryCode: String) -> MediationType? {
        types.first { $0.categoryCodes.contains(categoryCode) }
    }

    /// The file a county keeps its own catalogue in (`mediation.json` in the data directory): `{"types": [{"code",
    /// "name", "name_en", "category_codes", "specialities"}], "specialities": [{"code", "name", "name_en"}]}`.
    /// Every problem is named; nothing is taken from a file with one.
    public static func decode(from data: Data) throws -> MediationCatalogue {
        struct File: Decodable {
            struct T: Decodable { var code: String; var name: String; var name_en: String; var category_codes: [String]?; var specialities: [String]? }
            struct S: Decodable { var code: String; var name: String; var name_en: String }
            var types: [T]
            var specialities: [S]
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw CatalogueProblem("mediation.json is not the catalogue's JSON (types, specialities): \(error)")
        }
        var problems: [String] = []
        let specialityCodes = file.specialities.map(\.code)
        if file.types.isEmpty { problems.append("no types") }
        for (what, codes) in [("type", file.types.map(\.code)), ("speciality", specialityCodes)] {
            for c in codes where c.trimmingCharacters(in: .whitespaces).isEmpty || c.count > 64 { problems.append("a \(what) code is empty or longer than 64: \"\(c)\"") }
            for c in Set(codes) where codes.filter({ $0 == c }).count > 1 { problems.append("\(what) code \(c) appears twice") }
        }
        for t in file.types {
            if t.name.isEmpty || t.name_en.isEmpty { problems.append("type \(t.code) needs name and name_en") }
            for sp in t.specialities ?? [] where !specialityCodes.contains(sp) { problems.append("type \(t.code) names speciality \(sp), which is not in specialities") }
        }
        let categories = file.types.flatMap { $0.category_codes ?? [] }
        for c in Set(categories) where categories.filter({ $0 == c }).count > 1 { problems.append("category \(c) opens as more than one type") }
        guard problems.isEmpty else { throw CatalogueProblem("mediation.json: " + problems.sorted().joined(separator: "; ")) }
        return MediationCatalogue(
            types: file.types.map { MediationType(code: $0.code, name: $0.name, nameEN: $0.name_en, categoryCodes: $0.category_codes ?? [], specialities: $0.specialities ?? []) },
            specialities: file.specialities.map { MediatorSpeciality(code: $0.code, name: $0.name, nameEN: $0.name_en) })
    }

    /// The catalogue a county starts from, when its data directory has no `mediation.json`.
    public static let standard = MediationCatalogue(
        types: [
            MediationType(code: "marriage_family", name: "婚姻家庭", nameEN: "Marriage and family", categoryCodes: ["0601", "0602"],
                          specialities: ["counsellor", "village_cadre", "volunteer"]),
            MediationType(code: "neighbour", name: "邻里", nameEN: "Neighbours", categoryCodes: ["0603"],
                          specialities: ["village_cadre", "volunteer", "police"]),
            MediationType(code: "land_forest", name: "土地山林", nameEN: "Land and forest", categoryCodes: ["0604", "0605", "0613"],
                          specialities: ["village_cadre", "lawyer", "retired_judge"]),
            MediationType(code: "labour_wages", name: "劳动争议/欠薪", nameEN: "Labour and unpaid wages", categoryCodes: ["0701", "0702", "0703"],
                          specialities: ["lawyer", "accountant"]),
            MediationType(code: "contract_debt", name: "合同债务", nameEN: "Contracts and debts", categoryCodes: ["0607"],
                          specialities: ["lawyer", "accountant", "retired_judge"]),
            MediationType(code: "property", name: "物业", nameEN: "Property management", categoryCodes: ["0606"],
                          specialities: ["lawyer", "village_cadre"]),
            MediationType(code: "medical", name: "医疗", nameEN: "Medical", categoryCodes: ["0611"],
                          specialities: ["doctor", "lawyer"]),
            MediationType(code: "traffic", name: "交通事故", nameEN: "Traffic accidents", categoryCodes: ["0608"],
                          specialities: ["police", "lawyer"]),
            MediationType(code: "damages", name: "损害赔偿", nameEN: "Damages", categoryCodes: ["0609"],
                          specialities: ["lawyer", "retired_judge"]),
            MediationType(code: "land_acquisition", name: "征地拆迁", nameEN: "Land acquisition and demolition", categoryCodes: ["0610"],
                          specialities: ["lawyer", "village_cadre", "accountant"]),
            MediationType(code: "other", name: "其他", nameEN: "Other", categoryCodes: ["0612", "0614"],
                          specialities: ["volunteer", "village_cadre"]),
        ],
        specialities: [
            MediatorSpeciality(code: "lawyer", name: "律师", nameEN: "Lawyer"),
            MediatorSpeciality(code: "counsellor", name: "心理咨询师", nameEN: "Counsellor"),
            MediatorSpeciality(code: "accountant", name: "会计师", nameEN: "Accountant"),
            MediatorSpeciality(code: "doctor", name: "医师", nameEN: "Doctor"),
            MediatorSpeciality(code: "retired_judge", name: "退休法官", nameEN: "Retired judge"),
            MediatorSpeciality(code: "police", name: "民警", nameEN: "Police officer"),
            MediatorSpeciality(code: "village_cadre", name: "村干部", nameEN: "Village cadre"),
            MediatorSpeciality(code: "volunteer", name: "乡贤志愿者", nameEN: "Respected local volunteer"),
        ])
}
