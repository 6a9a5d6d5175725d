import Foundation
import Logging

/// Every setting the product reads, read once at start from the environment.
public struct AppConfig: Sendable {
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case sqliteInMemory
        case postgres(url: String, host: String, port: Int)
    }

    public var database: Database
    public var host: String
    public var port: Int
    public var dataDirectory: String
    public var logLevel: Logger.Level
    /// The password every demo account shares.
    public var demoPassword: String
    /// How long an API token and a page session last.
    public var tokenLifetime: TimeInterval
    /// Bcrypt cost for new password hashes (tests lower it to stay fast).
    public var bcryptCost: Int

    public init(database: Database, host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./data",
                logLevel: Logger.Level = .info, demoPassword: String = "wangge-demo",
                tokenLifetime: TimeInterval = 12 * 3600, bcryptCost: Int = 12) {
        self.database = database
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.logLevel = logLevel
        self.demoPassword = demoPassword
        self.tokenLifetime = tokenLifetime
        self.bcryptCost = bcryptCost
    }

    /// Reads `DATABASE_URL`, `HOST`, `PORT`, `DATA_DIR`, `LOG_LEVEL`, `WANGGE_DEMO_PASSWORD`, `TOKEN_HOURS`.
    /// Every problem is collected, so one start-up tells the operator everything there is to fix.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> AppConfig {
        var problems: [String] = []
        let dataDir = env["DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        var database = Database.sqlite(path: (dataDir as NSString).appendingPathComponent("wangge.sqlite"))
        if let url = env["DATABASE_URL"], !url.isEmpty {
            if let parsed = URLComponents(string: url), ["postgres", "postgresql"].contains(parsed.scheme ?? ""), let host = parsed.host, !host.isEmpty {
                database = .postgres(url: url, host: host, port: parsed.port ?? 5432)
            } else if url.hasPrefix("sqlite://") {
                database = .sqlite(path: String(url.dropFirst("sqlite://".count)))
            } else {
                problems.append("DATABASE_URL must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE (or be unset for SQLite under DATA_DIR)")
            }
        }
        var port = 8080
        if let p = env["PORT"], !p.isEmpty {
            if let n = Int(p), (1...65535).contains(n) { port = n } else { problems.append("PORT must be a number from 1 to 65535, not \"\(p)\"") }
        }
        var level = Logger.Level.info
        if let l = env["LOG_LEVEL"], !l.isEmpty {
            if let parsed = Logger.Level(rawValue: l.lowercased()) { level = parsed } else {
                problems.append("LOG_LEVEL must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        var lifetime: TimeInterval = 12 * 3600
        if let h = env["TOKEN_HOURS"], !h.isEmpty {
            if let n = Double(h), n > 0 { lifetime = n * 3600 } else { problems.append("TOKEN_HOURS must be a positive number of hours") }
        }
        let demoPassword = env["WANGGE_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 } ?? "wangge-demo"
        if demoPassword.count < 8 { problems.append("WANGGE_DEMO_PASSWORD must have at least 8 characters") }
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        return AppConfig(database: database, host: env["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1", port: port,
                         dataDirectory: dataDir, logLevel: level, demoPassword: demoPassword, tokenLifetime: lifetime)
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public var problems: [String]
    public var description: String { "Wangge cannot start:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
}
