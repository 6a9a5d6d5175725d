import XCTest
import SQLKit
import WanggeCore
@testable import WanggeServer

final class ConfigTests: XCTestCase {
    func testEveryBadSettingIsNamedAtOnce() {
        XCTAssertThrowsError(try AppConfig.fromEnvironment(["DATABASE_URL": "mysql://x", "PORT": "eighty", "LOG_LEVEL": "loud"])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("DATABASE_URL"))
            XCTAssertTrue(text.contains("PORT"))
            XCTAssertTrue(text.contains("LOG_LEVEL"))
        }
    }

    func testDefaultsAndPostgres() throws {
        let plain = try AppConfig.fromEnvironment([:])
        XCTAssertEqual(plain.database, .sqlite(path: "./data/wangge.sqlite"))
        XCTAssertEqual(plain.port, 8080)
        XCTAssertEqual(plain.demoPassword, "wangge-demo")
        let pg = try AppConfig.fromEnvironment(["DATABASE_URL": "postgres://u:p@db.internal:6543/w", "DATA_DIR": "/srv/w"])
        XCTAssertEqual(pg.database, .postgres(url: "postgres://u:p@db.internal:6543/w", host: "db.internal", port: 6543))
    }

    func testAnUnreachablePostgresSaysWhichHostAndPort() async throws {
        let config = AppConfig(database: .postgres(url: "postgres://u:p@127.0.0.1:1/none", host: "127.0.0.1", port: 1), logLevel: .critical, bcryptCost: 4)
        let app = try await AppFactory.make(config, environment: .testing)
        do {
            try await Setup.checkDatabase(app)
            XCTFail("expected a failure")
        } catch {
            XCTAssertTrue("\(error)".contains("PostgreSQL at 127.0.0.1:1 does not answer"), "\(error)")
        }
        try await app.asyncShutdown()
    }
}

final class DatabaseChoiceTests: XCTestCase {
    /// scripts/test.sh's second pass sets DATABASE_URL: the suite must then really run on PostgreSQL.
    func testTheSuiteRunsOnTheDatabaseItWasGiven() async throws {
        try await withApp { app, _ in
            let expected: String = ProcessInfo.processInfo.environment["DATABASE_URL"].map { $0.isEmpty ? "sqlite" : "psql" } ?? "sqlite"
            let dialect = try XCTUnwrap(app.db as? any SQLDatabase).dialect.name
            XCTAssertEqual(dialect, expected == "psql" ? "postgresql" : "sqlite")
        }
    }
}

final class ErrorMappingTests: XCTestCase {
    func testATakenUserNameIsAConflictAndOtherAccountProblemsAreBadRequests() {
        XCTAssertEqual(ErrorRendering.apiError(AccountError.usernameTaken("x")).status, .conflict)
        XCTAssertEqual(ErrorRendering.apiError(AccountError.passwordTooShort(minimum: 10)).status, .badRequest)
        XCTAssertEqual(ErrorRendering.apiError(AccountError.passwordTooShort(minimum: 10)).field, "password")
    }
}
