import Foundation
import Logging
import NIOCore

/// Every setting the product reads, read once at start from the environment.
public struct AppConfig: Sendable {
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case sqliteInMemory
        case postgres(url: String, host: String, port: Int)
    }

    /// How large a request may be. Bodies over a route's limit are refused with 413 before they are read whole.
    public struct Limits: Sendable, Equatable {
        /// A JSON body, and the JSON part of a multipart report.
        public var jsonBytes = 64 * 1024
        /// One photo.
        public var photoBytes = 10 * 1024 * 1024
        /// A whole report with its photos, and a whole photo upload.
        public var reportBytes = 30 * 1024 * 1024
        /// Photos on one report or one action.
        public var photosPerReport = 9
        /// Bytes of photos one staff account may upload in 24 hours.
        public var uploadBytesPerDay = 300 * 1024 * 1024
        /// Hours after which a staff upload that no case uses is removed.
        public var unattachedPhotoHours = 24
        /// Request bodies held in memory at once, over all requests.
        public var bodyMemoryBytes = 256 * 1024 * 1024

        public init() {}
    }

    /// Requests per minute one client address may make through the public doors (0: no limit). Each allows a burst of
    /// its own size, then refills evenly over the minute.
    public struct RateLimits: Sendable, Equatable {
        /// Anonymous reports (`POST /api/v1/cases` without an account).
        public var reportsPerMinute = 10
        /// Public tracking: the follow pages and their API, ratings included.
        public var trackingPerMinute = 60
        /// Sign-in attempts from one address, whatever the user name.
        public var signInsPerMinute = 10
        /// Photos one staff account may upload (`POST /api/v1/photos`) per minute.
        public var uploadsPerMinute = 60

        public init() {}
        public static let off: RateLimits = { var r = RateLimits(); r.reportsPerMinute = 0; r.trackingPerMinute = 0; r.signInsPerMinute = 0; r.uploadsPerMinute = 0; return r }()
    }

    /// Where requests come from and what a browser is told to trust.
    public struct Network: Sendable, Equatable {
        /// The site's public address (`https://wangge.example.gov.cn`): an `https` address makes cookies `Secure`,
        /// and its origin is accepted on writes besides the request's own `Host`.
        public var publicURL: String? = nil
        /// A header set by a reverse proxy with the client's address (`X-Forwarded-For`, `X-Real-IP`); read only
        /// from connections of `trustedProxies`. Unset: the connection's own address.
        public var clientAddressHeader: String? = nil
        public var trustedProxies: [AddressRange] = AddressRange.loopback
        /// Who may read `/metrics`: nil for nobody, else the client addresses allowed (default: loopback only).
        public var metricsAllowed: [AddressRange]? = AddressRange.loopback

        public init() {}

        public var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }
        /// `scheme://host[:port]` of `publicURL`.
        public var publicOrigin: String? {
            guard let publicURL, let u = URLComponents(string: publicURL), let scheme = u.scheme, let host = u.host else { return nil }
            return "\(scheme.lowercased())://\(host.lowercased())" + (u.port.map { ":\($0)" } ?? "")
        }
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
    /// How many connections, and for how long (issue 17).
    public struct Connections: Sendable, Equatable {
        /// Open connections from one client address (not counted for trusted proxies behind a client-address header).
        public var perAddress = 256
        /// Open connections in all; nil: the descriptor limit less `reservedDescriptors`.
        public var total: Int? = nil
        /// Descriptors kept free of client connections: database connections, photo files, logs.
        public var reservedDescriptors = 128
        /// Seconds a request head may take to arrive whole, from its first byte.
        public var headerSeconds = 10
        /// Seconds a connection may stay idle (nothing read or written); live streams send a keep-alive every 15 s.
        public var idleSeconds = 60
        /// Live event streams open at once per account and per client address.
        public var streamsPerAccount = 8
        public var streamsPerAddress = 64

        public init() {}
    }

    public var limits = Limits()
    public var connections = Connections()
    public var rateLimits = RateLimits()
    public var network = Network()
    /// How long views of personal data stay in the audit log.
    public var auditRetentionDays = 365
    /// How long an `Idempotency-Key` is remembered: a retry within it answers the first request's record.
    public var idempotencyKeyDays = 30
    /// The county's case-code prefix: `AL-20261207-000001` (the demo county, 安澜县, is "AL").
    public var caseCodePrefix = "AL"

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

    /// Reads `DATABASE_URL`, `HOST`, `PORT`, `DATA_DIR`, `LOG_LEVEL`, `WANGGE_DEMO_PASSWORD`, `TOKEN_HOURS`, the
    /// limits (`MAX_JSON_KB`, `MAX_PHOTO_MB`, `MAX_REPORT_MB`, `MAX_PHOTOS`), the rate limits (`REPORTS_PER_MINUTE`,
    /// `TRACKING_PER_MINUTE`, `SIGN_INS_PER_MINUTE`), the network (`PUBLIC_URL`, `CLIENT_ADDRESS_HEADER`,
    /// `TRUSTED_PROXIES`, `METRICS_ALLOW`), `AUDIT_RETENTION_DAYS`, `IDEMPOTENCY_KEY_DAYS` and `CASE_CODE_PREFIX`. Every problem is collected, so one start-up
    /// tells the operator everything there is to fix.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> AppConfig {
        var problems: [String] = []
        func value(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        func int(_ name: String, _ range: ClosedRange<Int>, unit: String, default d: Int) -> Int {
            guard let text = value(name) else { return d }
            guard let n = Int(text), range.contains(n) else {
                problems.append("\(name) must be a whole number of \(unit) from \(range.lowerBound) to \(range.upperBound), not \"\(text.prefix(40))\"")
                return d
            }
            return n
        }
        func ranges(_ name: String) -> [AddressRange]? {
            guard let text = value(name) else { return nil }
            var out: [AddressRange] = []
            for piece in text.split(separator: ",") {
                let p = piece.trimmingCharacters(in: .whitespaces)
                if p == "loopback" { out += AddressRange.loopback; continue }
                guard let r = AddressRange(p) else {
                    problems.append("\(name) must list addresses or ranges like 10.0.0.0/8, ::1 or loopback; \"\(p.prefix(60))\" is not one")
                    continue
                }
                out.append(r)
            }
            return out
        }

        let dataDir = value("DATA_DIR") ?? "./data"
        var database = Database.sqlite(path: (dataDir as NSString).appendingPathComponent("wangge.sqlite"))
        if let url = value("DATABASE_URL") {
            if let parsed = URLComponents(string: url), ["postgres", "postgresql"].contains(parsed.scheme ?? ""), let host = parsed.host, !host.isEmpty {
                database = .postgres(url: url, host: host, port: parsed.port ?? 5432)
            } else if url.hasPrefix("sqlite://") {
                database = .sqlite(path: String(url.dropFirst("sqlite://".count)))
            } else {
                problems.append("DATABASE_URL must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE (or be unset for SQLite under DATA_DIR)")
            }
        }
        var port = 8080
        if let p = value("PORT") {
            if let n = Int(p), (1...65535).contains(n) { port = n } else { problems.append("PORT must be a number from 1 to 65535, not \"\(p.prefix(40))\"") }
        }
        var level = Logger.Level.info
        if let l = value("LOG_LEVEL") {
            if let parsed = Logger.Level(rawValue: l.lowercased()) { level = parsed } else {
                problems.append("LOG_LEVEL must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        var lifetime: TimeInterval = 12 * 3600
        if let h = value("TOKEN_HOURS") {
            if let n = Double(h), n > 0, n <= 24 * 90 { lifetime = n * 3600 } else { problems.append("TOKEN_HOURS must be a positive number of hours, at most 2160") }
        }
        let demoPassword = value("WANGGE_DEMO_PASSWORD") ?? "wangge-demo"
        if demoPassword.count < 8 { problems.append("WANGGE_DEMO_PASSWORD must have at least 8 characters") }

        var limits = Limits()
        limits.jsonBytes = int("MAX_JSON_KB", 1...10_240, unit: "KB", default: limits.jsonBytes / 1024) * 1024
        limits.photoBytes = int("MAX_PHOTO_MB", 1...50, unit: "MB", default: limits.photoBytes >> 20) << 20
        limits.reportBytes = int("MAX_REPORT_MB", 1...500, unit: "MB", default: limits.reportBytes >> 20) << 20
        limits.photosPerReport = int("MAX_PHOTOS", 0...50, unit: "photos", default: limits.photosPerReport)
        if limits.reportBytes < limits.photoBytes { problems.append("MAX_REPORT_MB must be at least MAX_PHOTO_MB") }
        limits.uploadBytesPerDay = int("UPLOAD_MB_PER_DAY", 1...100_000, unit: "MB", default: limits.uploadBytesPerDay >> 20) << 20
        limits.bodyMemoryBytes = int("MAX_BODY_MEMORY_MB", 16...100_000, unit: "MB", default: limits.bodyMemoryBytes >> 20) << 20
        limits.unattachedPhotoHours = int("UNATTACHED_PHOTO_HOURS", 1...24 * 365, unit: "hours", default: limits.unattachedPhotoHours)

        var connections = Connections()
        connections.perAddress = int("CONNECTIONS_PER_ADDRESS", 1...1_000_000, unit: "connections", default: connections.perAddress)
        if value("MAX_CONNECTIONS") != nil { connections.total = int("MAX_CONNECTIONS", 16...1_000_000, unit: "connections", default: 4_096) }
        connections.headerSeconds = int("HEADER_TIMEOUT_SECONDS", 1...300, unit: "seconds", default: connections.headerSeconds)
        connections.idleSeconds = int("IDLE_TIMEOUT_SECONDS", 20...3_600, unit: "seconds", default: connections.idleSeconds)
        connections.streamsPerAccount = int("STREAMS_PER_ACCOUNT", 1...1_000, unit: "streams", default: connections.streamsPerAccount)
        connections.streamsPerAddress = int("STREAMS_PER_ADDRESS", 1...100_000, unit: "streams", default: connections.streamsPerAddress)

        var rates = RateLimits()
        rates.reportsPerMinute = int("REPORTS_PER_MINUTE", 0...100_000, unit: "requests", default: rates.reportsPerMinute)
        rates.trackingPerMinute = int("TRACKING_PER_MINUTE", 0...100_000, unit: "requests", default: rates.trackingPerMinute)
        rates.signInsPerMinute = int("SIGN_INS_PER_MINUTE", 0...100_000, unit: "requests", default: rates.signInsPerMinute)
        rates.uploadsPerMinute = int("UPLOADS_PER_MINUTE", 0...100_000, unit: "photos", default: rates.uploadsPerMinute)

        var network = Network()
        if let url = value("PUBLIC_URL") {
            network.publicURL = url
            if network.publicOrigin == nil || !["http", "https"].contains(URLComponents(string: url)?.scheme?.lowercased() ?? "") {
                problems.append("PUBLIC_URL must be an http or https address like https://wangge.example.gov.cn")
            }
        }
        if let header = value("CLIENT_ADDRESS_HEADER") {
            if header.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) { network.clientAddressHeader = header } else {
                problems.append("CLIENT_ADDRESS_HEADER must be a header name such as X-Forwarded-For")
            }
        }
        if let proxies = ranges("TRUSTED_PROXIES") { network.trustedProxies = proxies }
        if let m = value("METRICS_ALLOW") {
            network.metricsAllowed = m == "off" ? nil : ranges("METRICS_ALLOW")
        }

        let retention = int("AUDIT_RETENTION_DAYS", 1...3650, unit: "days", default: 365)
        let keyDays = int("IDEMPOTENCY_KEY_DAYS", 1...3650, unit: "days", default: 30)
        let prefix = value("CASE_CODE_PREFIX") ?? "AL"
        if !(1...6).contains(prefix.count) || !prefix.allSatisfy({ ($0.isASCII && $0.isUppercase) || $0.isASCII && $0.isNumber }) {
            problems.append("CASE_CODE_PREFIX must be 1 to 6 capital letters or digits, like AL")
        }
        guard problems.isEmpty else { throw ConfigError(problems: problems) }
        var config = AppConfig(database: database, host: value("HOST") ?? "127.0.0.1", port: port,
                               dataDirectory: dataDir, logLevel: level, demoPassword: demoPassword, tokenLifetime: lifetime)
        config.limits = limits
        config.connections = connections
        config.rateLimits = rates
        config.network = network
        config.auditRetentionDays = retention
        config.idempotencyKeyDays = keyDays
        config.caseCodePrefix = prefix
        return config
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public var problems: [String]
    public var description: String { "Wangge cannot start:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
}

/// An IPv4 or IPv6 address range in CIDR notation (a bare address is its own range).
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    let bytes: [UInt8]
    let prefix: Int

    public static let loopback = [AddressRange("127.0.0.0/8")!, AddressRange("::1")!]

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let b = AddressRange.parse(String(parts[0])) else { return nil }
        let maxPrefix = b.count * 8
        var p = maxPrefix
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...maxPrefix).contains(n) else { return nil }
            p = n
        }
        bytes = b
        prefix = p
    }

    /// The bytes of an address: 4 for IPv4, 16 for IPv6 (an IPv4-mapped IPv6 address counts as IPv4).
    static func parse(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        if text.contains(":") {
            var addr = in6_addr()
            guard inet_pton(AF_INET6, text, &addr) == 1 else { return nil }
            let b = withUnsafeBytes(of: &addr) { Array($0) }
            if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff { return Array(b[12..<16]) }
            return b
        }
        var addr = in_addr()
        guard inet_pton(AF_INET, text, &addr) == 1 else { return nil }
        return withUnsafeBytes(of: &addr) { Array($0) }
    }

    public func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var left = prefix
        for i in 0..<bytes.count where left > 0 {
            let bits = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if address[i] & mask != bytes[i] & mask { return false }
            left -= bits
        }
        return true
    }

    public var description: String { "\(bytes)/\(prefix)" }
}
