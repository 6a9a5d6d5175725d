import Foundation

public enum Priority: String, CaseIterable, Codable, Sendable {
    case urgent, high, normal
    public var nameZH: String { switch self { case .urgent: "紧急"; case .high: "较急"; case .normal: "一般" } }
    public var nameEN: String { switch self { case .urgent: "Urgent"; case .high: "High"; case .normal: "Normal" } }
}

/// Who handles a category: a department of a kind, or the area's own centre (属地).
public enum HandlerKind: Hashable, Sendable {
    case local
    case department(DepartmentKind)

    public init?(rawValue: String) {
        if rawValue == "local" { self = .local } else if let k = DepartmentKind(rawValue: rawValue) { self = .department(k) } else { return nil }
    }

    public var rawValue: String {
        switch self {
        case .local: "local"
        case .department(let k): k.rawValue
        }
    }
}

/// Time limits per stage, on the working calendar.
public struct StageLimits: Hashable, Sendable {
    public var sign: WorkingDuration
    public var resolve: WorkingDuration
    public var verify: WorkingDuration

    public init(sign: WorkingDuration, resolve: WorkingDuration, verify: WorkingDuration) {
        self.sign = sign
        self.resolve = resolve
        self.verify = verify
    }
}

/// One entry of the two-level catalogue (大类 has no parent and no handler; 小类 has both).
public struct Category: Hashable, Sendable {
    public var code: String
    public var name: String
    public var nameEN: String
    public var parentCode: String?
    public var handler: HandlerKind?
    public var lead: DepartmentKind?
    public var priority: Priority?
    public var limits: StageLimits?
    public var photoRequired: Bool
    public var keywords: [String]

    public init(code: String, name: String, nameEN: String, parentCode: String? = nil, handler: HandlerKind? = nil,
                lead: DepartmentKind? = nil, priority: Priority? = nil, limits: StageLimits? = nil,
                photoRequired: Bool = false, keywords: [String] = []) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.parentCode = parentCode
        self.handler = handler
        self.lead = lead
        self.priority = priority
        self.limits = limits
        self.photoRequired = photoRequired
        self.keywords = keywords
    }

    public var isMajor: Bool { parentCode == nil }
}

public struct CatalogueError: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: String?
    public var reason: String
    public var description: String { code.map { "category \($0): \(reason)" } ?? reason }
}

/// The category catalogue: 大类 in code order, each followed by its 小类.
public struct CategoryCatalogue: Sendable {
    public let categories: [Category]
    private let byCode: [String: Category]

    public init(_ categories: [Category]) throws(CatalogueError) {
        var seen: [String: Category] = [:]
        for c in categories {
            guard seen[c.code] == nil else { throw CatalogueError(code: c.code, reason: "duplicate code") }
            seen[c.code] = c
        }
        for c in categories where !c.isMajor {
            guard let p = c.parentCode, let parent = seen[p], parent.isMajor else {
                throw CatalogueError(code: c.code, reason: "parent \(c.parentCode ?? "") is not a 大类 of this catalogue")
            }
            guard c.handler != nil, c.limits != nil, c.priority != nil else {
                throw CatalogueError(code: c.code, reason: "a 小类 needs handler_kind, priority and limits")
            }
        }
        self.categories = categories
        self.byCode = seen
    }

    public subscript(code: String) -> Category? { byCode[code] }
    public var majors: [Category] { categories.filter(\.isMajor) }
    /// The 大类 a category belongs to (itself, for a 大类; the code itself when the catalogue does not know it).
    public func majorCode(of code: String) -> String { byCode[code].map { $0.parentCode ?? $0.code } ?? code }
    public func minors(of code: String) -> [Category] { categories.filter { $0.parentCode == code } }

    /// Decodes the catalogue file format (`Resources/categories.json`).
    public static func decode(_ data: Data) throws -> CategoryCatalogue {
        let file = try JSONDecoder().decode(CatalogueFile.self, from: data)
        var result: [Category] = []
        for major in file.categories {
            result.append(Category(code: major.code, name: major.name, nameEN: major.name_en))
            for minor in major.children ?? [] {
                guard let handler = minor.handler_kind.flatMap(HandlerKind.init(rawValue:)) else {
                    throw CatalogueError(code: minor.code, reason: "unknown handler_kind \(minor.handler_kind ?? "")")
                }
                guard let l = minor.limits, let sign = WorkingDuration(l.sign), let resolve = WorkingDuration(l.resolve),
                      let verify = WorkingDuration(l.verify)
                else { throw CatalogueError(code: minor.code, reason: "limits must be like \"2h\" or \"3d\"") }
                guard let priority = minor.priority.flatMap(Priority.init(rawValue:)) else {
                    throw CatalogueError(code: minor.code, reason: "priority must be urgent, high or normal")
                }
                let lead = minor.lead_kind.flatMap(DepartmentKind.init(rawValue:))
                result.append(Category(code: minor.code, name: minor.name, nameEN: minor.name_en, parentCode: major.code,
                                       handler: handler, lead: lead, priority: priority,
                                       limits: StageLimits(sign: sign, resolve: resolve, verify: verify),
                                       photoRequired: minor.photo_required ?? false, keywords: minor.keywords ?? []))
            }
        }
        return try CategoryCatalogue(result)
    }

    private struct CatalogueFile: Decodable {
        struct Limits: Decodable { var sign: String; var resolve: String; var verify: String }
        struct Entry: Decodable {
            var code: String
            var name: String
            var name_en: String
            var handler_kind: String?
            var lead_kind: String?
            var priority: String?
            var limits: Limits?
            var photo_required: Bool?
            var keywords: [String]?
            var children: [Entry]?
        }
        var categories: [Entry]
    }
}
