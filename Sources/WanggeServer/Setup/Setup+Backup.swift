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
            // Into a file only its owner may read, made before pg_dump writes to it (pg_dump would make it 0644).
            let temporary = file + ".partial"
            try? FileManager.default.removeItem(atPath: temporary)
            guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw SetupError("cannot write \(temporary)")
            }
            do {
                let call = try PostgresClientCall.dump(url: url, to: temporary)
                try run(try postgresTool("pg_dump"), call.arguments, environment: call.environment)
                try? FileManager.default.removeItem(atPath: file)
                try FileManager.default.moveItem(atPath: temporary, toPath: file)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw error
            }
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
            let call = try PostgresClientCall.restore(url: url, from: file)
            try run(try postgresTool("pg_restore"), call.arguments, environment: call.environment)
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

    static func run(_ program: String, _ arguments: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = environment
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

/// How `wangge backup` and `wangge restore` call `pg_dump` and `pg_restore` for `DATABASE_URL` without its password
/// on their command lines, which every user of the machine can read (`ps`, `/proc/PID/cmdline`): the URL goes
/// without the password, and the password goes in the child's `PGPASSWORD`, which on Linux only the same user and
/// root can read (`/proc/PID/environ` is 0400).
struct PostgresClientCall: Equatable {
    var arguments: [String]
    var environment: [String: String]

    static func dump(url: String, to file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresClientCall {
        let (dbname, env) = try connection(url, environment: environment)
        return PostgresClientCall(arguments: ["--format=custom", "--no-owner", "--no-privileges", "--no-password", "--file", file, "--dbname", dbname],
                                  environment: env)
    }

    static func restore(url: String, from file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresClientCall {
        let (dbname, env) = try connection(url, environment: environment)
        return PostgresClientCall(arguments: ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                                              "--exit-on-error", "--no-password", "--dbname", dbname, file],
                                  environment: env)
    }

    /// The URL without its password (in the user part or a `password=` query parameter), and `environment` with
    /// `PGPASSWORD` set to it when the URL had one.
    static func connection(_ url: String, environment: [String: String]) throws -> (url: String, environment: [String: String]) {
        guard var parts = URLComponents(string: url) else { throw SetupError("DATABASE_URL is not a URL") }
        var password = parts.password
        parts.password = nil
        if let items = parts.queryItems, items.contains(where: { $0.name == "password" }) {
            password = password ?? items.first { $0.name == "password" }?.value
            let rest = items.filter { $0.name != "password" }
            parts.queryItems = rest.isEmpty ? nil : rest
        }
        guard let bare = parts.string else { throw SetupError("DATABASE_URL is not a URL") }
        var env = environment
        if let password, !password.isEmpty { env["PGPASSWORD"] = password }
        return (bare, env)
    }
}
