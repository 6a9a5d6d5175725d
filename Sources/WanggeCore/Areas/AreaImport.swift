import Foundation

/// One problem found in an area import: which feature (by its index in the file), its code if known, and why.
public struct AreaImportIssue: Error, Equatable, Sendable, CustomStringConvertible {
    public var featureIndex: Int?
    public var code: String?
    public var reason: String

    public init(featureIndex: Int?, code: String?, reason: String) {
        self.featureIndex = featureIndex
        self.code = code
        self.reason = reason
    }

    public var description: String {
        let place = featureIndex.map { "feature \($0)" } ?? "file"
        return code.map { "\(place) (\($0)): \(reason)" } ?? "\(place): \(reason)"
    }
}

/// All the problems of an import; nothing is written when there is any.
public struct AreaImportFailure: Error, Sendable, CustomStringConvertible {
    public var issues: [AreaImportIssue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Reads a GeoJSON FeatureCollection of areas and checks it against the areas already known.
public enum AreaImport {
    /// Parses and checks the file. `existing` are the areas already stored (parents may be among them; their codes
    /// may not be reused). Returns the new areas, parents before children, or throws every problem found.
    public static func parse(_ data: Data, existing: [Area] = []) throws(AreaImportFailure) -> [Area] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw AreaImportFailure(issues: [.init(featureIndex: nil, code: nil, reason: "not valid JSON: \(error.localizedDescription)")])
        }
        guard let root = object as? [String: Any], root["type"] as? String == "FeatureCollection",
              let features = root["features"] as? [Any]
        else {
            throw AreaImportFailure(issues: [.init(featureIndex: nil, code: nil, reason: "not a GeoJSON FeatureCollection with a features array")])
        }
        var issues: [AreaImportIssue] = []
        var parsed: [(index: Int, area: Area)] = []
        for (i, raw) in features.enumerated() {
            switch feature(raw, index: i) {
            case .success(let area): parsed.append((i, area))
            case .failure(let issue): issues.append(issue)
            }
        }
        issues += check(parsed, existing: existing)
        guard issues.isEmpty else { throw AreaImportFailure(issues: issues.sorted { ($0.featureIndex ?? -1) < ($1.featureIndex ?? -1) }) }
        return parsed.map(\.area).sorted { $0.level != $1.level ? $0.level < $1.level : $0.code < $1.code }
    }

    private static func feature(_ raw: Any, index i: Int) -> Result<Area, AreaImportIssue> {
        guard let f = raw as? [String: Any], f["type"] as? String == "Feature" else {
            return .failure(.init(featureIndex: i, code: nil, reason: "not a GeoJSON Feature"))
        }
        let props = f["properties"] as? [String: Any] ?? [:]
        let code = (props["code"] as? String) ?? (props["code"] as? NSNumber)?.stringValue
        func fail(_ reason: String) -> Result<Area, AreaImportIssue> { .failure(.init(featureIndex: i, code: code, reason: reason)) }
        guard let code, !code.trimmingCharacters(in: .whitespaces).isEmpty else { return fail("property code is missing") }
        guard let name = props["name"] as? String, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            return fail("property name is missing")
        }
        guard let levelText = props["level"] as? String, let level = AreaLevel(rawValue: levelText) else {
            return fail("property level must be one of \(AreaLevel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let parent = (props["parent_code"] as? String) ?? (props["parent_code"] as? NSNumber)?.stringValue
        let population = (props["population"] as? NSNumber)?.intValue ?? 0
        let households = (props["households"] as? NSNumber)?.intValue ?? 0
        guard population >= 0, households >= 0 else { return fail("population and households cannot be negative") }
        var boundary: MultiPolygon? = nil
        if let g = f["geometry"], !(g is NSNull) {
            do {
                let data = try JSONSerialization.data(withJSONObject: g)
                boundary = try JSONDecoder().decode(GeoJSONGeometry.self, from: data).boundary()
            } catch let problem as GeometryProblem {
                return fail("bad geometry: \(problem)")
            } catch {
                return fail("bad geometry: must be a Polygon or MultiPolygon of [lon, lat] positions")
            }
        } else if level == .grid {
            return fail("a grid needs a boundary (Polygon or MultiPolygon geometry)")
        }
        let trimmedParent = parent.flatMap { $0.isEmpty ? nil : $0 }
        return .success(Area(code: code, name: name, level: level, parentCode: trimmedParent, boundary: boundary,
                             population: population, households: households))
    }

    /// Tree rules: unique codes, known parents of a higher level, one county at the root, no cycles.
    static func check(_ parsed: [(index: Int, area: Area)], existing: [Area]) -> [AreaImportIssue] {
        var issues: [AreaImportIssue] = []
        let existingByCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var firstIndex: [String: Int] = [:]
        for (i, a) in parsed {
            if existingByCode[a.code] != nil {
                issues.append(.init(featureIndex: i, code: a.code, reason: "duplicate code: \(a.code) already exists"))
            } else if let j = firstIndex[a.code] {
                issues.append(.init(featureIndex: i, code: a.code, reason: "duplicate code: also used by feature \(j)"))
            } else {
                firstIndex[a.code] = i
            }
        }
        let byCode = Dictionary(parsed.map { ($0.area.code, $0.area) }, uniquingKeysWith: { a, _ in a })
        for (i, a) in parsed {
            guard let p = a.parentCode else {
                if a.level != .county { issues.append(.init(featureIndex: i, code: a.code, reason: "only a county may have no parent_code")) }
                else if existing.contains(where: { $0.parentCode == nil }) || parsed.contains(where: { $0.area.parentCode == nil && $0.index < i }) {
                    issues.append(.init(featureIndex: i, code: a.code, reason: "a second county root; the jurisdiction already has one"))
                }
                continue
            }
            guard let parent = byCode[p] ?? existingByCode[p] else {
                issues.append(.init(featureIndex: i, code: a.code, reason: "unknown parent \(p)"))
                continue
            }
            if parent.level >= a.level && parent.code != a.code {
                issues.append(.init(featureIndex: i, code: a.code,
                                    reason: "a \(a.level.rawValue) cannot sit under a \(parent.level.rawValue) (\(p))"))
            }
        }
        // Cycles: follow parents within the file; a walk that comes back to where it started is a cycle.
        for (i, a) in parsed {
            var seen: Set<String> = [a.code]
            var current = a.parentCode
            while let c = current, let next = byCode[c] {
                if !seen.insert(c).inserted {
                    if c == a.code { issues.append(.init(featureIndex: i, code: a.code, reason: "parent_code cycle through \(seen.sorted().joined(separator: " → "))")) }
                    break
                }
                current = next.parentCode
            }
        }
        return issues
    }
}
