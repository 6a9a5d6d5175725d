import Foundation
import FluentKit
import SQLKit
import XCTVapor
import XCTest
import WanggeCore
import WanggeStore
@testable import WanggeServer

/// `wangge backup` and `wangge restore`: a backup taken while the server works brings back every table exactly.
final class BackupTests: XCTestCase {
    func testABackupRestoresEveryTableExactly() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let op = try await app.token("westop")
            for i in 0..<5 {
                let (_, d) = try await CaseLoopTests.report(app, lat: 30.1 + Double(i) * 0.001, lon: 120.25, key: "k\(i)")
                let c = try CaseLoopTests.decoder.decode(CaseLoopTests.Created.self, from: d)
                _ = try await CaseLoopTests.act(app, op, c.id, ["action": "accept"])
                _ = try await CaseQueries.find(id: c.id, on: app.db)
            }
            try await app.test(.GET, "/api/v1/cases/AL-20261123-000001", headers: ["Authorization": "Bearer \(op)"]) { _ async throws in }
            let tables = try await Self.tables(app.db)
            for expected in ["cases", "case_actions", "users", "areas", "audit_events", "record_sequences", "record_keys"] {
                XCTAssertTrue(tables.contains(expected), "\(expected) among \(tables)")
            }
            let before = try await Self.dump(app.db)
            XCTAssertGreaterThan(before["case_actions"]?.count ?? 0, 5)
            XCTAssertGreaterThan(before["audit_events"]?.count ?? 0, 0)

            try FileManager.default.createDirectory(atPath: app.wangge.config.dataDirectory, withIntermediateDirectories: true)
            let file = app.wangge.config.dataDirectory + "/backup.bin"
            try await Setup.backup(app, to: file)
            // Changes after the backup: a new case, an action, a deleted account.
            _ = try await CaseLoopTests.report(app, lat: 30.15, lon: 120.25)
            try await (app.db as! any SQLDatabase).raw("DELETE FROM users WHERE username = 'eastop'").run()
            let v1 = try await Self.dump(app.db)
            XCTAssertNotEqual(v1, before)

            try await Setup.restore(app, from: file)
            let after = try await Self.dump(app.db)
            XCTAssertEqual(Set(after.keys), Set(before.keys))
            for table in before.keys.sorted() { XCTAssertEqual(after[table], before[table], "table \(table)") }
            // And the restored database works.
            let (s, _) = try await CaseLoopTests.report(app, lat: 30.16, lon: 120.25)
            XCTAssertEqual(s, .created)
        }
    }

    func testABadBackupFileIsRefusedAndChangesNothing() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let before = try await Self.dump(app.db)
            try FileManager.default.createDirectory(atPath: app.wangge.config.dataDirectory, withIntermediateDirectories: true)
            let file = app.wangge.config.dataDirectory + "/not-a-backup.bin"
            try Data("this is not a backup".utf8).write(to: URL(fileURLWithPath: file))
            do {
                try await Setup.restore(app, from: file)
                XCTFail("a file that is no backup was restored")
            } catch {}
            do {
                try await Setup.restore(app, from: file + ".missing")
                XCTFail("a missing file was restored")
            } catch {}
            let v2 = try await Self.dump(app.db)
            XCTAssertEqual(v2, before)
        }
    }

    /// The application's tables (not the database's own).
    static func tables(_ db: any Database) async throws -> [String] {
        let sql = db as! any SQLDatabase
        let rows: [any SQLRow]
        if sql.dialect.name == "sqlite" {
            rows = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
        } else {
            rows = try await sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name").all()
        }
        return try rows.map { try $0.decode(column: "name", as: String.self) }
    }

    /// Every row of every table, each as text, sorted: equal dumps are equal databases.
    static func dump(_ db: any Database) async throws -> [String: [String]] {
        let sql = db as! any SQLDatabase
        var out: [String: [String]] = [:]
        for table in try await tables(db) {
            let rows = try await sql.raw("SELECT * FROM \(unsafeRaw: "\"" + table + "\"")").all()
            out[table] = try rows.map { row in
                try row.allColumns.sorted().map { column -> String in
                    if try row.decodeNil(column: column) { return "\(column)=NULL" }
                    if let v = try? row.decode(column: column, as: String.self) { return "\(column)=s:\(v)" }
                    if let v = try? row.decode(column: column, as: Int64.self) { return "\(column)=i:\(v)" }
                    if let v = try? row.decode(column: column, as: Double.self) { return "\(column)=d:\(v)" }
                    if let v = try? row.decode(column: column, as: Bool.self) { return "\(column)=b:\(v)" }
                    if let v = try? row.decode(column: column, as: UUID.self) { return "\(column)=u:\(v)" }
                    if let v = try? row.decode(column: column, as: Date.self) { return "\(column)=t:\(v.timeIntervalSince1970)" }
                    if let v = try? row.decode(column: column, as: Data.self) { return "\(column)=x:\(v.base64EncodedString())" }
                    return "\(column)=?"
                }.joined(separator: "|")
            }.sorted()
        }
        return out
    }
}
