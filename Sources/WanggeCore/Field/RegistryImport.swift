import Foundation

/// A problem of an import file, by row and column (the risk register's and the registry's imports alike).
public typealias TableProblem = RiskImportProblem

/// One entry of the registry read from an import file, checked and placed.
public struct RegistryImportRow: Hashable, Sendable {
    public var row: Int
    public var entry: RegistryEntry
    public var gridCode: String
    public var areaPath: String
}

/// Reads a registry table (CSV or XLSX through `TableFile.rows`) for one kind: the first non-blank row is the header,
/// its columns in any order, named in Chinese or English; blank rows are skipped. Columns: 地址/address (required),
/// 纬度/lat and 经度/lon (required), 名称/name, 人数/size (households), 类型/type_code (places), 联系人/contact_name,
/// 联系电话/contact_phone, 属性/attributes ("gas=cylinder; seats=24"). Every problem is named by row and column; a
/// household whose address is already registered in its grid, or appears twice in the file, is a problem.
public enum RegistryImport {
    public static let maximumRows = 200_000
    public static let maximumProblems = 500

    enum Column: String, CaseIterable {
        case address, lat, lon, name, size, typeCode = "type_code", contactName = "contact_name", contactPhone = "contact_phone", attributes
        /// Written by the export and ignored when read back: the grid follows from the point.
        case grid

        static func named(_ header: String) -> Column? {
            let h = header.trimmingCharacters(in: .whitespaces).lowercased()
            switch h {
            case "地址", "address": return .address
            case "纬度", "lat", "latitude": return .lat
            case "经度", "lon", "lng", "longitude": return .lon
            case "名称", "name": return .name
            case "人数", "size", "户人数": return .size
            case "类型", "type", "type_code": return .typeCode
            case "联系人", "contact", "contact_name": return .contactName
            case "联系电话", "phone", "contact_phone": return .contactPhone
            case "属性", "attributes": return .attributes
            case "网格", "grid": return .grid
            default: return nil
            }
        }
    }

    /// `locate` gives a point's grid code and stored path when the point lies in a grid the importer may write to.
    /// `existing(grid)` gives the normalised addresses of the grid's households already registered.
    public static func read(_ table: [[String]], kind: RegistryKind, catalogue: FieldCatalogue,
                            locate: (GeoPoint) -> (grid: String, path: String)?,
                            existing: (String) -> Set<String>) -> (rows: [RegistryImportRow], problems: [TableProblem]) {
        var problems: [TableProblem] = []
        guard let headerIndex = table.firstIndex(where: { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }) else {
            return ([], [TableProblem(row: nil, column: nil, reason: "the file has no header")])
        }
        var columns: [Column: Int] = [:]
        for (i, h) in table[headerIndex].enumerated() where !h.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let c = Column.named(h) else { problems.append(TableProblem(row: headerIndex + 1, column: h, reason: "is not a column of the registry")); continue }
            if columns[c] != nil { problems.append(TableProblem(row: headerIndex + 1, column: h, reason: "appears twice")) }
            columns[c] = i
        }
        for c in [Column.address, .lat, .lon] where columns[c] == nil {
            problems.append(TableProblem(row: headerIndex + 1, column: c.rawValue, reason: "is a required column"))
        }
        guard problems.isEmpty else { return ([], problems) }
        let body = table[(headerIndex + 1)...]
        guard body.count <= maximumRows else { return ([], [TableProblem(row: nil, column: nil, reason: "at most \(maximumRows) rows in one file")]) }
        var out: [RegistryImportRow] = []
        out.reserveCapacity(body.count)
        var seen: [String: Set<String>] = [:]
        for (offset, cells) in body.enumerated() {
            if problems.count >= maximumProblems { break }
            let row = headerIndex + 2 + offset
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func cell(_ c: Column) -> String? {
                guard let i = columns[c], i < cells.count else { return nil }
                let v = cells[i].trimmingCharacters(in: .whitespaces)
                return v.isEmpty ? nil : v
            }
            func bad(_ c: Column?, _ reason: String) { problems.append(TableProblem(row: row, column: c?.rawValue, reason: reason)) }
            guard let latText = cell(.lat), let lonText = cell(.lon), latText.count <= 20, lonText.count <= 20,
                  let lat = Double(latText), let lon = Double(lonText), lat.isFinite, lon.isFinite else {
                bad(.lat, "lat and lon are numbers"); continue
            }
            var size: Int?
            if let s = cell(.size) {
                guard s.count <= 4, let n = Int(s) else { bad(.size, "is a whole number"); continue }
                size = n
            }
            var attributes: [String: String] = [:]
            if let a = cell(.attributes) {
                for pair in a.split(separator: ";") where !pair.trimmingCharacters(in: .whitespaces).isEmpty {
                    let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard kv.count == 2, !kv[0].isEmpty else { bad(.attributes, "is code=value pairs separated by ;"); continue }
                    attributes[kv[0]] = kv[1]
                }
            }
            let draft = RegistryEntry(kind: kind, name: cell(.name), address: cell(.address) ?? "", point: GeoPoint(lon: lon, lat: lat),
                                      typeCode: cell(.typeCode), size: size, attributes: attributes,
                                      contactName: cell(.contactName), contactPhone: cell(.contactPhone))
            let entry: RegistryEntry
            do { entry = try RegistryRules.checked(draft, catalogue: catalogue) } catch {
                if case .invalidField(let f, let r) = error { problems.append(TableProblem(row: row, column: f, reason: r)) }
                continue
            }
            guard let place = locate(entry.point) else { bad(.lat, "the point lies in no grid you may write to"); continue }
            if kind == .household {
                let key = TextInput.searchKey(entry.address)
                if seen[place.grid] == nil { seen[place.grid] = existing(place.grid) }
                guard seen[place.grid]?.insert(key).inserted == true else { bad(.address, "this household is registered already in its grid"); continue }
            }
            out.append(RegistryImportRow(row: row, entry: entry, gridCode: place.grid, areaPath: place.path))
        }
        return problems.isEmpty ? (out, []) : ([], problems)
    }
}

/// A registry list as a table the import reads back (`RegistryImport`'s columns, in Chinese, and the grid, which the
/// import ignores): contacts as the caller may see them.
public enum RegistryExport {
    public static func header(_ kind: RegistryKind) -> [String] {
        switch kind {
        case .household: ["地址", "人数", "纬度", "经度", "网格"]
        case .building: ["名称", "地址", "纬度", "经度", "网格"]
        case .place: ["名称", "类型", "地址", "纬度", "经度", "联系人", "联系电话", "属性", "网格"]
        }
    }

    public static func cells(_ e: RegistryEntry, grid: String, contactName: String?, contactPhone: String?) -> [String] {
        func coordinate(_ x: Double) -> String { String(format: "%.6f", x) }
        switch e.kind {
        case .household: return [e.address, e.size.map(String.init) ?? "", coordinate(e.point.lat), coordinate(e.point.lon), grid]
        case .building: return [e.name ?? "", e.address, coordinate(e.point.lat), coordinate(e.point.lon), grid]
        case .place:
            let attributes = e.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
            return [e.name ?? "", e.typeCode ?? "", e.address, coordinate(e.point.lat), coordinate(e.point.lon), contactName ?? "", contactPhone ?? "",
                    attributes, grid]
        }
    }
}
