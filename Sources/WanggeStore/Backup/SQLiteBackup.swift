import Foundation
import VaporCSQLite

/// Copies an SQLite database with SQLite's online backup API, page by page, while it stays in use: readers and
/// writers carry on, and the copy is one consistent moment of the database. The same SQLite library as Fluent's
/// driver, so its locks are the ones the server's own connections take.
public enum SQLiteBackup {
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Copies the database at `source` into the file `destination` (created or replaced).
    public static func copy(from source: String, to destination: String) throws {
        let src = try open(source, create: false)
        defer { sqlite_nio_sqlite3_close_v2(src) }
        let dst = try open(destination, create: true)
        defer { sqlite_nio_sqlite3_close_v2(dst) }
        guard let backup = sqlite_nio_sqlite3_backup_init(dst, "main", src, "main") else {
            throw Failure(message: "cannot start the backup: \(String(cString: sqlite_nio_sqlite3_errmsg(dst)))")
        }
        // A hundred pages at a time, so the server's writers are held up only briefly between steps.
        var rc: Int32
        repeat {
            rc = sqlite_nio_sqlite3_backup_step(backup, 100)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite_nio_sqlite3_sleep(20) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        sqlite_nio_sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else {
            throw Failure(message: "the backup stopped: \(String(cString: sqlite_nio_sqlite3_errstr(rc)))")
        }
    }

    /// Whether a file is an SQLite database that opens and passes SQLite's quick check.
    public static func check(_ path: String) throws {
        let db = try open(path, create: false)
        defer { sqlite_nio_sqlite3_close_v2(db) }
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &statement, nil) == SQLITE_OK else {
            throw Failure(message: "\(path) is not an SQLite database")
        }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        guard sqlite_nio_sqlite3_step(statement) == SQLITE_ROW, let text = sqlite_nio_sqlite3_column_text(statement, 0),
              String(cString: text) == "ok"
        else { throw Failure(message: "\(path) is not a sound SQLite database") }
    }

    private static func open(_ path: String, create: Bool) throws -> OpaquePointer {
        // A database file made here (a backup, or a restore into a new place) is its owner's alone: it holds the
        // password hashes and reporters' contacts. SQLite would make it 0644; an empty file is an empty database
        // that SQLite opens as it is, and its journal takes the file's mode.
        if create, !FileManager.default.fileExists(atPath: path),
           !FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) {
            throw Failure(message: "cannot create \(path)")
        }
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX
        let rc = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw Failure(message: "cannot open \(path): \(String(cString: sqlite_nio_sqlite3_errstr(rc)))")
        }
        sqlite_nio_sqlite3_busy_timeout(handle, 5_000)
        return handle
    }
}
