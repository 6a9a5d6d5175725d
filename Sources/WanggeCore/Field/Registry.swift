import Foundation

/// The one registry (一表通, issue 20): buildings, households and places, each entered once, located in its grid by
/// its point, and picked from by every form afterwards. A change keeps the fields it changed as history.
///
/// A household holds an address and a size and nothing else about people (DESIGN §2): no names, no categories of
/// residents. A place holds its type's attributes and a contact (name and phone, masked by the personal-data
/// policy). No entry is a file on a person.
public enum RegistryKind: String, CaseIterable, Codable, Sendable {
    case building = "buildings"
    case household = "households"
    case place = "places"

    public var nameZH: String {
        switch self {
        case .building: "楼栋"
        case .household: "住户"
        case .place: "场所"
        }
    }
}

/// An entry as kept: what was typed, checked. The grid is found from the point by the server.
public struct RegistryEntry: Hashable, Sendable, Codable {
    public var kind: RegistryKind
    /// A building's or a place's name; nil for a household.
    public var name: String?
    public var address: String
    public var point: GeoPoint
    /// A place's type (`PlaceType.code`).
    public var typeCode: String?
    /// A household's size (people living there).
    public var size: Int?
    /// A household's building, when it is registered.
    public var buildingID: UUID?
    /// A place's attributes, by the type's attribute codes.
    public var attributes: [String: String]
    public var contactName: String?
    public var contactPhone: String?

    public init(kind: RegistryKind, name: String? = nil, address: String, point: GeoPoint, typeCode: String? = nil, size: Int? = nil,
                buildingID: UUID? = nil, attributes: [String: String] = [:], contactName: String? = nil, contactPhone: String? = nil) {
        self.kind = kind
        self.name = name
        self.address = address
        self.point = point
        self.typeCode = typeCode
        self.size = size
        self.buildingID = buildingID
        self.attributes = attributes
        self.contactName = contactName
        self.contactPhone = contactPhone
    }

    /// What a form shows and searches by: the name, else the address.
    public var label: String { name ?? address }
}

/// One field a change changed, with its value before and after (as text; nil: absent).
public struct RegistryChange: Hashable, Sendable, Codable {
    public var field: String
    public var from: String?
    public var to: String?

    public init(field: String, from: String?, to: String?) {
        self.field = field
        self.from = from
        self.to = to
    }
}

public enum RegistryRules {
    public static let nameLength = 100
    public static let addressLength = 200
    public static let maximumHouseholdSize = 50
    public static let maximumAttributes = 50

    /// `entry` checked for its kind under `catalogue`: every bad field named, text trimmed. A household has a size
    /// (1–50) and no name, type, attributes or contact; a place has a name, a known type and the attributes its type
    /// takes (the required ones present); a building has a name or an address. Contacts are a place's only.
    public static func checked(_ entry: RegistryEntry, catalogue: FieldCatalogue) throws(FieldRuleError) -> RegistryEntry {
        var e = entry
        func text(_ value: String?, _ field: String, max: Int) throws(FieldRuleError) -> String? {
            guard let v = value?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            guard v.count <= max, TextInput.isClean(v) else { throw .invalidField(field: field, reason: "must be at most \(max) characters of plain text") }
            return v
        }
        guard let address = try text(e.address, "address", max: addressLength) else { throw .invalidField(field: "address", reason: "is required") }
        e.address = address
        guard e.point.lat.isFinite, e.point.lon.isFinite, (-90...90).contains(e.point.lat), (-180...180).contains(e.point.lon) else {
            throw .invalidField(field: "lat", reason: "lat and lon are a point on the Earth")
        }
        e.name = try text(e.name, "name", max: nameLength)
        e.contactName = try text(e.contactName, "contact_name", max: 50)
        e.contactPhone = try text(e.contactPhone, "contact_phone", max: 30)
        if let p = e.contactPhone, !p.allSatisfy({ $0.isASCII && ($0.isNumber || "+- ".contains($0)) }) {
            throw .invalidField(field: "contact_phone", reason: "is digits, spaces, + and - only")
        }
        switch e.kind {
        case .household:
            guard let size = e.size, (1...maximumHouseholdSize).contains(size) else {
                throw .invalidField(field: "size", reason: "a household's size is 1 to \(maximumHouseholdSize)")
            }
            for (value, field) in [(e.name, "name"), (e.typeCode, "type_code"), (e.contactName, "contact_name"), (e.contactPhone, "contact_phone")] where value != nil {
                throw .invalidField(field: field, reason: "a household holds an address and a size, nothing about its people")
            }
            guard e.attributes.isEmpty else { throw .invalidField(field: "attributes", reason: "a household has no attributes") }
        case .place:
            guard e.name != nil else { throw .invalidField(field: "name", reason: "a place has a name") }
            guard let code = e.typeCode, let type = catalogue.placeType(code) else {
                throw .invalidField(field: "type_code", reason: "is one of \(catalogue.placeTypes.map(\.code).joined(separator: ", "))")
            }
            guard e.size == nil else { throw .invalidField(field: "size", reason: "a place has no size") }
            guard e.attributes.count <= maximumAttributes else { throw .invalidField(field: "attributes", reason: "at most \(maximumAttributes)") }
            for (k, v) in e.attributes.sorted(by: { $0.key < $1.key }) {
                guard let a = type.attributes.first(where: { $0.code == k }) else {
                    throw .invalidField(field: "attributes.\(k.prefix(64))", reason: "is not an attribute of \(type.code)")
                }
                guard a.accepts(v) else { throw .invalidField(field: "attributes.\(k)", reason: "is not a value \(a.name) takes") }
                e.attributes[k] = v.trimmingCharacters(in: .whitespaces)
            }
            for a in type.attributes where a.required && e.attributes[a.code] == nil {
                throw .invalidField(field: "attributes.\(a.code)", reason: "is required for \(type.name)")
            }
        case .building:
            guard e.size == nil, e.typeCode == nil, e.attributes.isEmpty else {
                throw .invalidField(field: "type_code", reason: "a building has a name, an address and a point")
            }
            guard e.contactName == nil, e.contactPhone == nil else { throw .invalidField(field: "contact_name", reason: "a building has no contact") }
            guard e.buildingID == nil else { throw .invalidField(field: "building_id", reason: "a building is not in a building") }
        }
        return e
    }

    /// The fields `new` changed from `old`, in a fixed order (empty: nothing changed).
    public static func changes(from old: RegistryEntry, to new: RegistryEntry) -> [RegistryChange] {
        func point(_ p: GeoPoint) -> String { String(format: "%.6f,%.6f", p.lat, p.lon) }
        var out: [RegistryChange] = []
        let pairs: [(String, String?, String?)] = [
            ("name", old.name, new.name), ("address", old.address, new.address), ("point", point(old.point), point(new.point)),
            ("type_code", old.typeCode, new.typeCode), ("size", old.size.map(String.init), new.size.map(String.init)),
            ("building_id", old.buildingID?.uuidString, new.buildingID?.uuidString),
            ("contact_name", old.contactName, new.contactName), ("contact_phone", old.contactPhone, new.contactPhone),
        ]
        for (f, a, b) in pairs where a != b { out.append(RegistryChange(field: f, from: a, to: b)) }
        for k in Set(old.attributes.keys).union(new.attributes.keys).sorted() where old.attributes[k] != new.attributes[k] {
            out.append(RegistryChange(field: "attributes.\(k)", from: old.attributes[k], to: new.attributes[k]))
        }
        return out
    }
}
