import Fluent
import Foundation
import Vapor
import WanggeStore

/// A formula kept as a versioned document (the safety index's settings, the assessment's formula): the version in
/// force (the standard is version 1 until a county saves its own), and saving a new version; a saved version is
/// never rewritten.
struct VersionedFormula<Document: Codable & Sendable>: Sendable {
    let table: FormulaTable
    let standard: Document
    /// Writes the version into the document.
    let stamp: @Sendable (inout Document, Int) -> Void

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }

    func text(_ d: Document) throws -> String { String(decoding: try Self.encoder.encode(d), as: UTF8.self) }

    func current(on db: any Database) async throws -> (version: Int, document: Document) {
        guard let (version, text) = try await FormulaQueries.latest(table, on: db) else {
            var d = standard
            stamp(&d, 1)
            return (1, d)
        }
        var d = try JSONDecoder().decode(Document.self, from: Data(text.utf8))
        stamp(&d, version)
        return (version, d)
    }

    /// Saves `document` as the next version (the standard first becomes version 1 if nothing was saved yet).
    func save(_ document: Document, by: String, app: Application) async throws -> Int {
        let db = app.db, now = app.wangge.clock.now(), standard = standard, stamp = stamp, table = table
        let text = { @Sendable (d: Document) throws -> String in String(decoding: try Self.encoder.encode(d), as: UTF8.self) }
        return try await app.wangge.writes.run(on: db) {
            if try await FormulaQueries.latest(table, on: db) == nil {
                _ = try await FormulaQueries.save(table, by: nil, at: now, on: db) { v in
                    var d = standard
                    stamp(&d, v)
                    return try text(d)
                }
            }
            return try await FormulaQueries.save(table, by: by, at: now, on: db) { v in
                var d = document
                stamp(&d, v)
                return try text(d)
            }
        }
    }

    /// Version 1 written, before the first result names it.
    func ensureSaved(app: Application) async throws {
        let db = app.db, now = app.wangge.clock.now(), standard = standard, stamp = stamp, table = table
        let text = { @Sendable (d: Document) throws -> String in String(decoding: try Self.encoder.encode(d), as: UTF8.self) }
        try await app.wangge.writes.run(on: db) {
            if try await FormulaQueries.latest(table, on: db) == nil {
                _ = try await FormulaQueries.save(table, by: nil, at: now, on: db) { v in
                    var d = standard
                    stamp(&d, v)
                    return try text(d)
                }
            }
        }
    }
}
