import Foundation
import Vapor
import WanggeStore

extension Setup {
    /// `wangge backup FILE`: a consistent copy of the whole database while the server runs. SQLite: the online
    /// backup API into a new SQLite file. PostgreSQL: `pg_dump` in its custom format. Photos are files named by
    /// their content under `DATA_DIR/photos` that never change once written: copy that folder alongside.
    public static func backup(_ app: Application, to file: String) async throws {
        switch app.wangge.config.database {
        case .sqlite(let path):
            let temporary = file + ".partial"
            try? FileManager.default.removeItem(atPath: temporary)
            do {
                try SQLiteBackup.copy(from: path, to: temporary)
                try SQLiteBackup.check(temporary)
                try? FileManager.default.removeItem(atPath: file)
                try FileManager.default.moveItem(atPath: temporary, toPath: file)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw SetupError("the backup to \(file) failed: \(error)")
            }
        case .postgres(let url, _, _):
            try run(try postgresTool("pg_dump"), ["--format=custom", "--no-owner", "--no-privileges", "--file", file, "--dbname", url])
        case .sqliteInMemory:
            throw SetupError("an in-memory database cannot be backed up")
        }
    }

    /// `wangge restore FILE`: replaces the whole database with a backup, then brings its schema up to date. Stop
    /// the servers first: they would go on with what they had read before.
    public static func restore(_ app: Application, from file: String) async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw SetupError("there is no backup at \(file)") }
        switch app.wangge.config.database {
        case .sqlite(let path):
            do { try SQLiteBackup.check(file) } catch { throw SetupError("\(file) is not an SQLite backup of Wangge: \(error)") }
            try SQLiteBackup.copy(from: file, to: path)
        case .postgres(let url, _, _):
            try run(try postgresTool("pg_restore"), ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                                                     "--exit-on-error", "--dbname", url, file])
        case .sqliteInMemory:
            throw SetupError("an in-memory database cannot be restored")
        }
        await app.wangge.jurisdictions.invalidate()
        try await migrate(app)
    }

    /// A PostgreSQL client program: on the PATH, or the newest of Debian's `/usr/lib/postgresql/*/bin`.
    static func postgresTool(_ name: String) throws -> String {
        let fm = FileManager.default
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where fm.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted()
        for v in versions.reversed() where fm.isExecutableFile(atPath: "/usr/lib/postgresql/\(v)/bin/\(name)") {
            return "/usr/lib/postgresql/\(v)/bin/\(name)"
        }
        throw SetupError("\(name) is not installed (Debian: apt-get install postgresql-client)")
    }

    static func run(_ program: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            // The message may quote the connection URL, password and all: leave it out.
            let text = String(decoding: said, as: UTF8.self).replacingOccurrences(of: #"postgres(ql)?://[^\s"']+"#, with: "postgres://…", options: .regularExpression)
            throw SetupError("\((program as NSString).lastPathComponent) failed (\(process.terminationStatus)): \(text.prefix(600))")
        }
    }
}
