import Fluent
import Foundation
import SQLKit
import WanggeCore

/// Reading and writing the jurisdiction tree.
public enum AreaQueries {
    /// Inserts areas (parents before children, as `AreaImport.parse` returns them), computing each one's path from
    /// its parent's. Run inside a transaction so a failure writes nothing.
    public static func insert(_ areas: [Area], on db: any Database) async throws {
        var paths: [String: String] = [:]
        let parentCodes = Set(areas.compactMap(\.parentCode)).subtracting(areas.map(\.code))
        if !parentCodes.isEmpty {
            for m in try await AreaModel.query(on: db).filter(\.$code ~~ Array(parentCodes)).all() {
                paths[m.code] = m.path
            }
        }
        var models: [AreaModel] = []
        models.reserveCapacity(areas.count)
        for a in areas {
            let prefix = a.parentCode.map { paths[$0] ?? "" } ?? ""
            let path = prefix + a.code + "/"
            paths[a.code] = path
            models.append(AreaModel(a, path: path))
        }
        for chunk in models.chunked(by: 200) { try await chunk.create(on: db) }
    }

    /// Every area, for building the in-memory `Jurisdiction`.
    public static func all(on db: any Database) async throws -> [Area] {
        try await AreaModel.query(on: db).sort(\.$path).all().map { try $0.toArea() }
    }

    /// A cheap fingerprint of the tree that changes whenever an area is added, removed or edited.
    public static func version(on db: any Database) async throws -> String {
        let count = try await AreaModel.query(on: db).count()
        let latest = try await AreaModel.query(on: db).max(\.$updatedAt)
        return "\(count)@\(latest?.timeIntervalSince1970 ?? 0)"
    }

    public static func count(on db: any Database) async throws -> Int {
        try await AreaModel.query(on: db).count()
    }
}

extension Array {
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension ArraySlice where Element: Model {
    func create(on db: any Database) async throws { try await Array(self).create(on: db) }
}
