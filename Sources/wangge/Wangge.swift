import ArgumentParser
import Foundation
import Logging
import class Vapor.Application
import WanggeCore
import WanggeDemo
import WanggeServer

@main
struct Wangge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wangge",
        abstract: "网格 Wangge: grid-based community service and governance platform.",
        discussion: "Every subcommand reads DATABASE_URL (unset: SQLite file under DATA_DIR, default ./data), HOST, PORT, LOG_LEVEL.",
        subcommands: [Serve.self, Demo.self, Migrate.self, Import.self, User.self, APIKey.self, CalendarCommand.self, Backup.self, Restore.self, Bench.self]
    )
}

/// Reads the configuration, sets up logging and opens an app; prints what to fix and exits when that fails.
func withApp<T>(_ body: (Application, AppConfig) async throws -> T) async throws -> T {
    let config: AppConfig
    do { config = try AppConfig.fromEnvironment() } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(78)
    }
    bootstrapLogging(config.logLevel)
    let app = try await AppFactory.make(config)
    do {
        let result = try await body(app, config)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        if error is ExitCode { throw error }
        FileHandle.standardError.write(Data("wangge: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// Prints at once: stdout is block-buffered in a pipe, and the demo's accounts must show before the server's log.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

nonisolated(unsafe) private var loggingReady = false
func bootstrapLogging(_ level: Logger.Level) {
    guard !loggingReady else { return }
    loggingReady = true
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build or update the schema, then serve on HOST:PORT.")
    func run() async throws {
        try await withApp { app, config in
            try await Setup.migrate(app)
            ClockRunner.schedule(app)
            app.lifecycle.use(DashboardWarmUp())
            app.logger.notice("serving", metadata: ["url": "http://\(config.host):\(config.port)"])
            try await app.execute()
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate, generate the demo county into an empty database, then serve.")
    @Option(help: "Seed of the generated county.") var seed: UInt64 = 0
    @Flag(help: "Prepare the database and exit without serving.") var noServe = false
    @Flag(help: "Generate the county only, without the year of cases.") var noHistory = false
    @Option(help: "Times the demo's history: 10 makes about 360,000 cases and 60,000 disputes in the year (1 to 20).")
    var scale: Int = 1

    func validate() throws {
        guard (1...20).contains(scale) else { throw ValidationError("--scale is a whole number from 1 to 20") }
    }

    func run() async throws {
        try await withApp { app, config in
            try await Setup.migrate(app)
            let t0 = Date()
            if let accounts = try await Setup.loadDemo(app, seed: seed, history: !noHistory, casesPerYear: 36_000 * scale, progress: { say($0) }) {
                say("Generated the demo county in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s.")
                say("Demo accounts (password: \(config.demoPassword == "wangge-demo" ? "wangge-demo" : "$WANGGE_DEMO_PASSWORD")):")
                for a in accounts { say("  \(a.username.padding(toLength: 12, withPad: " ", startingAt: 0)) \(a.role.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(a.areaCode) \(a.departmentCode ?? "")") }
                // An Open311 key for the county, to try the interface (shown this once; `wangge apikey revoke demo`).
                if let root = accounts.first(where: { $0.role == .admin })?.areaCode,
                   let made = try? await Setup.createAPIKey(app, name: "demo", areaCode: root, rate: 600, by: "demo") {
                    say("Open311 API key \"demo\" for the county (http://\(config.host):\(config.port)/open311/v2/discovery.json): \(made.key)")
                }
            } else {
                say("The database already holds a jurisdiction; reusing it. Demo accounts: admin, leader, operator, handler, mediator, gridleader, gridworker.")
            }
            guard !noServe else { return }
            ClockRunner.schedule(app)
            app.lifecycle.use(DashboardWarmUp())
            say("Open http://\(config.host):\(config.port)/login")
            try await app.execute()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build or update the schema and load reference data.")
    func run() async throws {
        try await withApp { app, _ in
            try await Setup.migrate(app)
            say("The schema is up to date.")
        }
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database to FILE while it is in use (SQLite online backup; pg_dump custom format on PostgreSQL).",
        discussion: "Photos live under DATA_DIR/photos as files named by their content; copy that folder alongside.")
    @Argument(help: "The backup file to write (replaced if it exists).") var file: String

    func run() async throws {
        try await withApp { app, _ in
            let t0 = Date()
            try await Setup.backup(app, to: file)
            let size = ((try? FileManager.default.attributesOfItem(atPath: file)[.size]) as? Int) ?? 0
            say("Backed up to \(file) (\(size / 1024) KB) in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s.")
        }
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the whole database with a backup made by `wangge backup`, then bring its schema up to date. Stop the servers first.")
    @Argument(help: "The backup file.") var file: String

    func run() async throws {
        try await withApp { app, _ in
            try await Setup.restore(app, from: file)
            say("Restored \(file).")
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import data.", subcommands: [Areas.self])

    struct Areas: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a GeoJSON FeatureCollection of areas (properties code, name, level, parent_code; Polygon or MultiPolygon).")
        @Argument(help: "The .geojson file.") var file: String

        func run() async throws {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                FileHandle.standardError.write(Data("wangge: cannot read \(file): \(error.localizedDescription)\n".utf8))
                throw ExitCode.failure
            }
            try await withApp { app, _ in
                try await Setup.migrate(app)
                do {
                    let areas = try await Setup.importAreas(app, geojson: data)
                    let counts = Dictionary(grouping: areas, by: \.level).mapValues(\.count)
                    say("Imported \(areas.count) areas: " + AreaLevel.allCases.compactMap { l in counts[l].map { "\($0) \(l.rawValue)" } }.joined(separator: ", "))
                } catch let failure as AreaImportFailure {
                    FileHandle.standardError.write(Data("Nothing was imported. \(failure.issues.count) problem(s):\n\(failure)\n".utf8))
                    throw ExitCode.failure
                }
            }
        }
    }
}

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage staff accounts.", subcommands: [Create.self, Disable.self, Enable.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account with a role and an area scope.",
            discussion: "The password is read from the environment variable named by --password-env, or else as one line from standard input; never from the command line, which other users of the machine can see.")
        @Option var username: String
        @Option(help: "The name of an environment variable holding the password (else it is read from standard input).") var passwordEnv: String?
        @Option(help: "One of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "The code of the area the account may see (its subtree).") var area: String
        @Option(help: "The code of the account's department (required for handlers).") var department: String?
        @Option(help: "The name shown in pages.") var name: String?

        func run() async throws {
            guard let r = Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if passwordEnv == nil, isatty(STDIN_FILENO) == 1 { FileHandle.standardError.write(Data("Password for \(username): ".utf8)) }
            let password: String
            do { password = try Setup.newPassword(fromEnvironmentVariable: passwordEnv) } catch {
                FileHandle.standardError.write(Data("wangge: \(error)\n".utf8))
                throw ExitCode.failure
            }
            try await withApp { app, _ in
                try await Setup.migrate(app)
                let account = try await Setup.createUser(app, username: username, password: password, role: r, areaCode: area,
                                                         departmentCode: department, displayName: name)
                say("Created \(account.username) (\(account.role.rawValue)) with scope \(account.scope.areaCode)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a staff account: it can no longer sign in, and its tokens, sessions and live pages end.")
        @Argument(help: "The account's user name (any case).") var username: String

        func run() async throws {
            try await withApp { app, _ in
                try await Setup.migrate(app)
                let done = try await Setup.disableUser(app, username: username)
                say("Disabled \(done.account.username); \(done.ended) tokens and sessions ended.")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled staff account sign in again.")
        @Argument(help: "The account's user name (any case).") var username: String

        func run() async throws {
            try await withApp { app, _ in
                try await Setup.migrate(app)
                let account = try await Setup.enableUser(app, username: username)
                say("Enabled \(account.username).")
            }
        }
    }
}

struct APIKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Open311 API keys for partner systems (issue 21).", subcommands: [Create.self, List.self, Revoke.self])

    /// A key's problem as a clear line on standard error and exit status 1.
    static func refuse(_ e: APIKeyError) -> ExitCode {
        FileHandle.standardError.write(Data("wangge: \(e.message)\n".utf8))
        return ExitCode.failure
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a key scoped to an area; prints the key on its last line, once (only its hash is kept).")
        @Option(help: "The key's name: letters, digits, '-', '_', '.' (at most 64).") var name: String
        @Option(help: "The code of the area the key may report in and read.") var area: String
        @Option(help: "Requests a minute the key may make (1 to 100000; default 60).") var rate: Int?

        func run() async throws {
            try await withApp { app, _ in
                try await Setup.migrate(app)
                do {
                    let made = try await Setup.createAPIKey(app, name: name, areaCode: area, rate: rate, by: "cli")
                    say("Made API key \(made.stored.name) for area \(made.stored.areaCode), \(made.stored.ratePerMinute) requests a minute.")
                    say("Keep it now; it is not shown again:")
                    say(made.key)
                } catch let e as APIKeyError { throw APIKey.refuse(e) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys (never the keys themselves).")
        func run() async throws {
            try await withApp { app, _ in
                try await Setup.migrate(app)
                let keys = try await Setup.apiKeys(app)
                if keys.isEmpty { say("No API keys.") }
                let f = ISO8601DateFormatter()
                for k in keys {
                    say([k.name, k.areaCode, "\(k.ratePerMinute)/min", "made \(f.string(from: k.createdAt)) by \(k.createdBy)",
                         k.revokedAt.map { "revoked \(f.string(from: $0))" } ?? "live"].joined(separator: "\t"))
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: its next request is refused.")
        @Argument(help: "The key's name.") var name: String
        func run() async throws {
            try await withApp { app, _ in
                try await Setup.migrate(app)
                do {
                    try await Setup.revokeAPIKey(app, name: name)
                    say("Revoked \(name).")
                } catch let e as APIKeyError { throw APIKey.refuse(e) }
            }
        }
    }
}

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calendar", abstract: "Working calendar.", subcommands: [AddYear.self])

    struct AddYear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-year", abstract: "Add or replace one year's official holiday schedule ({\"off\": [...], \"work\": [...]}).")
        @Option var year: Int
        @Argument var file: String

        func run() async throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            try await withApp { app, _ in
                try await Setup.migrate(app)
                try await Setup.importCalendarYear(app, year: year, json: data, source: file)
                say("The \(year) schedule is stored.")
            }
        }
    }
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks that print figures and ratios.", subcommands: [Locate.self, Intake.self, Pages.self, SafetyIndex.self])

    struct Locate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Points per second for locate on the demo county, against a scan of every grid.")
        @Option var points = 200_000
        @Option var seed: UInt64 = 0

        func run() async throws {
            let county = DemoCounty.generate(seed: seed)
            let j = Jurisdiction(areas: county.areas)
            _ = LocateBench.run(j, points: 1_000)  // warm up
            let r = LocateBench.run(j, points: points)
            say("locate: \(j.areas.count) areas, \(r.points) random points in the county's bounding box, \(r.inside) inside")
            say(String(format: "  spatial index: %.0f points/s", r.indexedPerSecond))
            say(String(format: "  scan of every grid (reference, %d points): %.0f points/s", r.scanned, r.scanPerSecond))
            say(String(format: "  ratio index/scan: %.1fx; answers agree on %d of %d", r.indexedPerSecond / r.scanPerSecond, r.agreed, r.scanned))
        }
    }

    struct Pages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Server time per page on the configured database (run `wangge demo --no-serve` first), against /healthz.")
        @Option var rounds = 10

        func run() async throws {
            bootstrapLogging(.error)
            let rows = try await PageBench.run(try AppConfig.fromEnvironment(), rounds: rounds) { say($0) }
            if let health = rows.first(where: { $0.page == "/healthz" }) {
                let slowest = rows.max { $0.p50 < $1.p50 }!
                say(String(format: "slowest page %@: p50 %.1f ms, %.0fx /healthz; pages over 200 ms: %d of %d", slowest.page, slowest.p50,
                           slowest.p50 / max(health.p50, 0.001), rows.filter { $0.p50 > 200 }.count, rows.count - 1))
            }
        }
    }

    struct SafetyIndex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "safety-index",
            abstract: "Time to compute a month of the safety index for every area, and early warning's alarms over the year against the demo's seeded spikes.")
        @Option var rounds = 5
        @Option var seed: UInt64 = 0

        func run() async throws {
            bootstrapLogging(.error)
            try await SafetyIndexBench.run(try AppConfig.fromEnvironment(), rounds: rounds, seed: seed) { say($0) }
        }
    }

    struct Intake: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reports per second through the real server on loopback (fresh SQLite file), against /healthz in the same run, by the JSON API and by Open311.")
        @Option var count = 4_000
        @Option var clients = 16

        func run() async throws {
            bootstrapLogging(.error)
            let r = try await IntakeBench.run(count: count, clients: clients) { say($0) }
            say(String(format: "intake/healthz ratio: %.2f (%d of %d cases durable in the database)",
                       r.intake.perSecond / r.trivial.perSecond, r.stored, count))
            say(String(format: "open311/intake ratio: %.2f (%d of %d Open311 cases durable in the database)",
                       r.open311.perSecond / r.intake.perSecond, r.storedOpen311, count))
        }
    }
}
