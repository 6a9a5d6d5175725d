import Foundation
import FluentKit
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import XCTVapor
import XCTest
import WanggeCore
@testable import WanggeStore
@testable import WanggeServer

/// Issue 17's findings on accounts, tokens and files, one test (or two) each: every one of them failed on the code
/// before it. On SQLite, and on PostgreSQL when DATABASE_URL is set.
final class AccountTrustTests: XCTestCase {
    typealias Loop = CaseLoopTests

    static func bearer(_ token: String) -> HTTPHeaders { ["Authorization": "Bearer \(token)"] }

    static func status(_ app: Application, _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:]) async throws -> HTTPStatus {
        var status = HTTPStatus.internalServerError
        try await app.test(method, path, headers: headers) { res async throws in status = res.status }
        return status
    }

    /// Opens a live stream in the background; its value is the stream's status once it has ended.
    static func openStream(_ app: Application, headers: HTTPHeaders) async throws -> Task<HTTPStatus, any Error> {
        let stream = Task { () -> HTTPStatus in
            var status = HTTPStatus.internalServerError
            try await app.test(.GET, "/api/v1/events", headers: headers) { res async throws in status = res.status }
            return status
        }
        try await Task.sleep(for: .milliseconds(300))
        return stream
    }

    /// The stream's status once it has ended, within 5 s; nil (a failure) if it did not, and then it is ended
    /// through the hub by the secret it was opened with, so that the test fails instead of hanging at shutdown.
    /// (Not `TrustTests.within`: its task group waits for the stream however long it takes.)
    static func ended(_ app: Application, _ stream: Task<HTTPStatus, any Error>, secret: String) async throws -> HTTPStatus? {
        let result = NIOLockedValueBox<HTTPStatus?>(nil)
        let waiter = Task {
            let status = (try? await stream.value) ?? .internalServerError
            result.withLockedValue { $0 = status }
        }
        for _ in 0..<100 {
            if let status = result.withLockedValue({ $0 }) { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTFail("the stream did not end within 5 s")
        await app.wangge.events.revoke(TokenSecret.hash(secret))
        await waiter.value
        return nil
    }

    /// Signs in through the API; the status and the error's code and message.
    static func signIn(_ app: Application, _ username: String, _ password: String) async throws -> (HTTPStatus, String?, String?) {
        var out: (HTTPStatus, String?, String?) = (.internalServerError, nil, nil)
        try await app.test(.POST, "/api/v1/auth/token", beforeRequest: { req async throws in
            try req.content.encode(["username": username, "password": password], as: .json)
        }, afterResponse: { res async throws in
            let e = try? res.content.decode(ErrorBody.self).error
            out = (res.status, e?.code, e?.message)
        })
        return out
    }

    // MARK: 1. a bearer token can be revoked

    func testDeletingTheTokenRevokesItAtOnceAndEndsItsStream() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let token = try await app.token("westop"), other = try await app.token("westop")
            // The stream's own check is far off (15 s): only the revocation can end it within the wait below.
            let stream = try await Self.openStream(app, headers: Self.bearer(token))
            let revoked = try await Self.status(app, .DELETE, "/api/v1/auth/token", headers: Self.bearer(token))
            XCTAssertEqual(revoked, .noContent)
            let ended = try await Self.ended(app, stream, secret: token)
            XCTAssertEqual(ended, .ok, "the stream ended when its token was revoked")
            let v1 = try await Self.status(app, .GET, "/api/v1/cases", headers: Self.bearer(token))
            XCTAssertEqual(v1, .unauthorized, "a revoked token is refused")
            let v2 = try await Self.status(app, .DELETE, "/api/v1/auth/token", headers: Self.bearer(token))
            XCTAssertEqual(v2, .unauthorized, "revoking it twice")
            let v3 = try await Self.status(app, .DELETE, "/api/v1/auth/token")
            XCTAssertEqual(v3, .unauthorized, "no token at all")
            let v4 = try await Self.status(app, .GET, "/api/v1/cases", headers: Self.bearer(other))
            XCTAssertEqual(v4, .ok, "the account's other token stays")
            // A page session is not a bearer token: this route does not end it (POST /logout does).
            let browser = Browser(app)
            try await browser.signIn("westop")
            let v5 = try await browser.api(.DELETE, "/api/v1/auth/token", json: "").status
            XCTAssertEqual(v5, .unauthorized)
            let v6 = try await browser.get("/workbench").status
            XCTAssertEqual(v6, .ok)
        }
    }

    func testSigningOutWithABearerTokenRevokesIt() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let token = try await app.token("westop")
            let stream = try await Self.openStream(app, headers: Self.bearer(token))
            var headers = Self.bearer(token)
            headers.add(name: .contentType, value: "application/x-www-form-urlencoded")
            try await app.test(.POST, "/logout", headers: headers, body: ByteBuffer(string: "")) { res async throws in
                XCTAssertEqual(res.status, .seeOther, res.body.string)
            }
            let ended = try await Self.ended(app, stream, secret: token)
            XCTAssertEqual(ended, .ok, "the stream ended when its token was signed out")
            let after = try await Self.status(app, .GET, "/api/v1/cases", headers: Self.bearer(token))
            XCTAssertEqual(after, .unauthorized)
        }
    }

    // MARK: 2. an account can be disabled

    func testADisabledAccountCannotSignInAndLosesEveryTokenSessionAndStream() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let token = try await app.token("westop")
            let browser = Browser(app)
            try await browser.signIn("westop")
            let stream = try await Self.openStream(app, headers: Self.bearer(token))
            let pageStream = try await Self.openStream(app, headers: browser.cookieHeader)
            let cookie = try XCTUnwrap(browser.cookies[StaffAuthentication.cookieName])
            let wrongBefore = try await Self.signIn(app, "westop", "not-the-password")

            let done = try await Setup.disableUser(app, username: "WestOp")
            XCTAssertEqual(done.account.username, "westop")
            XCTAssertEqual(done.ended, 2, "the API token and the page session")
            let ended = try await Self.ended(app, stream, secret: token)
            XCTAssertEqual(ended, .ok, "the token's stream ended")
            let pageEnded = try await Self.ended(app, pageStream, secret: cookie)
            XCTAssertEqual(pageEnded, .ok, "the page's stream ended")
            let v1 = try await Self.status(app, .GET, "/api/v1/cases", headers: Self.bearer(token))
            XCTAssertEqual(v1, .unauthorized)
            let page = try await browser.get("/workbench")
            XCTAssertEqual(page.status, .seeOther)
            XCTAssertEqual(page.headers.first(name: .location)?.hasPrefix("/login"), true)
            let remaining = try await Self.tokenCount(app, username: "westop")
            XCTAssertEqual(remaining, 0)

            // The right password answers exactly as a wrong one did, through the API and the sign-in page.
            let right = try await Self.signIn(app, "westop", "Orchard-lantern-42")
            XCTAssertEqual(right.0, .unauthorized)
            XCTAssertEqual(right.1, wrongBefore.1)
            XCTAssertEqual(right.2, wrongBefore.2)
            let form = Browser(app)
            try await form.get("/login")
            let refused = try await form.post("/login", form: ["username": "westop", "password": "Orchard-lantern-42"])
            XCTAssertEqual(refused.status, .unauthorized)
            XCTAssertNil(refused.headers.setCookie?[StaffAuthentication.cookieName])

            // A token that a sign-in racing with the disabling stored after it is refused all the same.
            let id = try await Self.userID(app, "westop")
            let late = TokenSecret.generate()
            try await AccountQueries.storeToken(hash: TokenSecret.hash(late), userID: id, kind: "api", createdAt: app.wangge.clock.now(),
                                                expiresAt: app.wangge.clock.now() + 3600, on: app.db)
            let session = try await AccountQueries.session(tokenHash: TokenSecret.hash(late), now: app.wangge.clock.now(), on: app.db)
            XCTAssertNil(session)
            let v2 = try await Self.status(app, .GET, "/api/v1/cases", headers: Self.bearer(late))
            XCTAssertEqual(v2, .unauthorized)

            // Enabled again: the password works, the old token does not come back.
            let enabled = try await Setup.enableUser(app, username: "westop")
            XCTAssertEqual(enabled.username, "westop")
            let v3 = try await Self.signIn(app, "westop", "Orchard-lantern-42").0
            XCTAssertEqual(v3, .ok)
            let v4 = try await Self.status(app, .GET, "/api/v1/cases", headers: Self.bearer(token))
            XCTAssertEqual(v4, .unauthorized)

            do {
                try await Setup.disableUser(app, username: "nobody")
                XCTFail("disabled an account that does not exist")
            } catch let e as SetupError {
                XCTAssertTrue(e.description.contains("nobody"), e.description)
            }
        }
    }

    /// `wangge user disable` runs in its own process: a running server learns of it through the store, and its
    /// open streams end at their next session check.
    func testAnAccountDisabledByAnotherProcessLosesItsStreamAtTheNextCheck() async throws {
        try await withApp { app, clock in
            try await SmallCounty.load(app)
            app.wangge.liveCheck.withLockedValue { $0 = 0.1 }
            let token = try await app.token("westop")
            let stream = try await Self.openStream(app, headers: Self.bearer(token))
            let done = try await AccountQueries.disable(username: "westop", at: clock.now(), on: app.db)
            XCTAssertEqual(done?.revoked, [TokenSecret.hash(token)])
            let ended = try await Self.ended(app, stream, secret: token)
            XCTAssertEqual(ended, .ok)
            let disabledAt = try await AccountQueries.disabledAt(username: "westop", on: app.db)
            XCTAssertEqual(disabledAt.map { Int($0.timeIntervalSince1970) }, Int(clock.now().timeIntervalSince1970))
        }
    }

    static func userID(_ app: Application, _ username: String) async throws -> UUID {
        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        let row = try await sql.select().column("id").from("users").where("username", .equal, username).first()
        return try XCTUnwrap(row).decode(column: "id", as: UUID.self)
    }

    static func tokenCount(_ app: Application, username: String) async throws -> Int {
        let id = try await userID(app, username)
        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        return try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("user_tokens")
            .where("user_id", .equal, id).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    static func count(_ app: Application, _ table: String, where column: String, is value: String) async throws -> Int {
        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        return try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .where(SQLIdentifier(column), .equal, SQLBind(value)).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    // MARK: 3. the clock job prunes expired tokens and old idempotency keys

    func testTheClockJobDeletesExpiredTokensAndOldIdempotencyKeys() async throws {
        try await withApp { app, clock in
            try await MediationAPITests.world(app)
            let op = try await app.token("countyop")
            let (s1, _) = try await Loop.report(app, key: "old-report")
            XCTAssertEqual(s1, .created)
            let (s2, d2) = try await MediationAPITests.send(app, .POST, "/api/v1/mediations", token: op, body: MediationAPITests.direct(),
                                                            headers: ["Idempotency-Key": "old-mediation"])
            XCTAssertEqual(s2, .created, String(decoding: d2, as: UTF8.self))
            clock.advance(31 * 86_400)
            let (s3, _) = try await Loop.report(app, lat: 30.15, key: "new-report")
            XCTAssertEqual(s3, .created)
            let live = try await app.token("westop")
            let (s4, d4) = try await MediationAPITests.send(app, .POST, "/api/v1/mediations", token: try await app.token("countyop"),
                                                            body: MediationAPITests.direct(people: 3), headers: ["Idempotency-Key": "new-mediation"])
            XCTAssertEqual(s4, .created, String(decoding: d4, as: UTF8.self))
            let id = try await Self.userID(app, "westop"), now = clock.now()
            try await AccountQueries.storeToken(hash: "expired-token-hash", userID: id, kind: "api", createdAt: now - 7_200,
                                                expiresAt: now - 60, on: app.db)

            try await ClockRunner.runOnce(app)

            let expired = try await Self.count(app, "user_tokens", where: "token_hash", is: "expired-token-hash")
            XCTAssertEqual(expired, 0, "the expired token is gone")
            let stillLive = try await Self.status(app, .GET, "/api/v1/cases", headers: Self.bearer(live))
            XCTAssertEqual(stillLive, .ok, "a live token stays")
            let liveRows = try await Self.count(app, "user_tokens", where: "token_hash", is: TokenSecret.hash(live))
            XCTAssertEqual(liveRows, 1)
            for (kind, key, left) in [("case", "old-report", 0), ("case", "new-report", 1),
                                      ("mediation", "old-mediation", 0), ("mediation", "new-mediation", 1)] {
                // A mediation key is stored with its account's id in front (keys are the account's own).
                let stored = kind == "mediation" ? (try await Self.userID(app, "countyop")).uuidString + ":" + key : key
                let found = try await RecordKeys.find(kind: kind, key: stored, on: app.db)
                XCTAssertEqual(found == nil ? 0 : 1, left, "\(kind) \(key)")
            }
            // The cases and mediations themselves stay; a retry that late is a new report.
            let (again, _) = try await Loop.report(app, key: "old-report")
            XCTAssertEqual(again, .created)
        }
    }

    // MARK: 4. the password of `wangge user create` never goes on the command line

    func testTheNewPasswordComesFromAnEnvironmentVariableOrStandardInput() throws {
        XCTAssertEqual(try Setup.newPassword(fromEnvironmentVariable: "PW", environment: ["PW": "s3cret pass"], readLine: { XCTFail("read stdin"); return nil }),
                       "s3cret pass")
        XCTAssertThrowsError(try Setup.newPassword(fromEnvironmentVariable: "PW", environment: [:], readLine: { "x" })) { e in
            XCTAssertTrue("\(e)".contains("PW"), "\(e)")
        }
        XCTAssertEqual(try Setup.newPassword(fromEnvironmentVariable: nil, environment: ["PW": "no"], readLine: { "from stdin " }), "from stdin ")
        XCTAssertThrowsError(try Setup.newPassword(fromEnvironmentVariable: nil, environment: [:], readLine: { nil }))
        XCTAssertThrowsError(try Setup.newPassword(fromEnvironmentVariable: nil, environment: [:], readLine: { "" }))
    }

    /// The real `wangge` executable (built by `swift build --build-tests`) on a fresh SQLite data directory:
    /// `--password` is refused, the password comes from standard input or `--password-env`, names are unique
    /// ignoring case, disable and enable work, and the data directory, database and backup are private.
    func testTheCommandLine() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binary = root.appendingPathComponent(".build/debug/wangge").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("\(binary) is not built") }
        let dir = NSTemporaryDirectory() + "wangge-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data"
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env["DATA_DIR"] = data
        env["LOG_LEVEL"] = "error"
        func wangge(_ arguments: [String], stdin: String? = nil, extra: [String: String] = [:]) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = arguments
            p.environment = env.merging(extra) { $1 }
            let out = Pipe(), input = Pipe()
            p.standardOutput = out
            p.standardError = out
            p.standardInput = input
            try p.run()
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try input.fileHandleForWriting.close()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, text)
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try SmallCounty.geojson.write(to: URL(fileURLWithPath: dir + "/county.geojson"))
        var r = try wangge(["import", "areas", dir + "/county.geojson"])
        XCTAssertEqual(r.0, 0, r.1)
        let create = ["user", "create", "--role", "admin", "--area", "3301", "--username"]
        r = try wangge(create + ["boss", "--password", "Orchard-lantern-42"])
        XCTAssertNotEqual(r.0, 0, "--password is no longer an option: \(r.1)")
        XCTAssertTrue(r.1.contains("--password"), r.1)
        r = try wangge(create + ["boss"], stdin: "")
        XCTAssertNotEqual(r.0, 0, "no password at all: \(r.1)")
        r = try wangge(create + ["boss"], stdin: "Orchard-lantern-42\n")
        XCTAssertEqual(r.0, 0, r.1)
        r = try wangge(create + ["deputy", "--password-env", "DEPUTY_PW"], extra: ["DEPUTY_PW": "Quiet-harbour-77"])
        XCTAssertEqual(r.0, 0, r.1)
        r = try wangge(create + ["BOSS"], stdin: "Copper-meadow-19\n")
        XCTAssertNotEqual(r.0, 0, "BOSS is boss: \(r.1)")
        XCTAssertTrue(r.1.contains("taken"), r.1)
        r = try wangge(["user", "disable", "Boss"])
        XCTAssertEqual(r.0, 0, r.1)
        XCTAssertTrue(r.1.contains("Disabled boss"), r.1)
        r = try wangge(["user", "enable", "boss"])
        XCTAssertEqual(r.0, 0, r.1)
        r = try wangge(["user", "disable", "nobody"])
        XCTAssertNotEqual(r.0, 0, r.1)
        r = try wangge(["backup", dir + "/backup.sqlite"])
        XCTAssertEqual(r.0, 0, r.1)
        XCTAssertEqual(PrivateFiles.mode(data), 0o700)
        XCTAssertEqual(PrivateFiles.mode(data + "/wangge.sqlite"), 0o600)
        XCTAssertEqual(PrivateFiles.mode(dir + "/backup.sqlite"), 0o600)
        // The passwords were stored as given: a server on that data directory signs the accounts in.
        let config = AppConfig(database: .sqlite(path: data + "/wangge.sqlite"), dataDirectory: data, logLevel: .warning)
        let app = try await AppFactory.make(config, environment: .testing)
        do {
            _ = try await app.token("BOSS", "Orchard-lantern-42")
            _ = try await app.token("deputy", "Quiet-harbour-77")
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    // MARK: 5. user names are unique ignoring case and width

    func testUserNamesAreUniqueIgnoringCaseAndWidthAndSignInFindsTheAccountByItsKey() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            XCTAssertEqual(UsernameKey.of("ＷｅｓｔＯｐ"), "westop")
            XCTAssertEqual(UsernameKey.of("Admin"), UsernameKey.of("ａｄｍｉｎ"))
            do {
                try await Setup.createUser(app, username: "WestOp", password: "Orchard-lantern-42", role: .operator, areaCode: "3301002", departmentCode: nil, displayName: nil)
                XCTFail("WestOp was created beside westop")
            } catch let e as AccountError {
                XCTAssertEqual(e, .usernameTaken("WestOp"))
            }
            do {
                _ = try await AccountQueries.create(username: "ｗｅｓｔｏｐ", displayName: "x", passwordHash: "x", role: .operator, areaCode: "3301002",
                                                    departmentCode: nil, on: app.db)
                XCTFail("a full-width westop was created beside westop")
            } catch let e as AccountError {
                XCTAssertEqual(e, .usernameTaken("ｗｅｓｔｏｐ"))
            }
            // Even past the check, the unique index holds.
            let sql = try XCTUnwrap(app.db as? any SQLDatabase)
            do {
                try await sql.insert(into: "users").columns("id", "username", "username_key", "display_name", "password_hash", "role", "area_code")
                    .values(SQLBind(UUID()), SQLBind("WESTOP"), SQLBind("westop"), SQLBind("x"), SQLBind("x"), SQLBind("operator"), SQLBind("3301"))
                    .run()
                XCTFail("the unique index let a second westop in")
            } catch {}
            let count = try await AccountQueries.count(on: app.db)
            XCTAssertEqual(count, 6)
            // Signing in as ADMIN is signing in as admin.
            for typed in ["WESTOP", "WestOp", "ｗｅｓｔｏｐ"] {
                let token = try await app.token(typed)
                let account = try await AccountQueries.account(tokenHash: TokenSecret.hash(token), now: app.wangge.clock.now(), on: app.db)
                XCTAssertEqual(account?.username, "westop", typed)
            }
            // And the failures of one name in any case count together.
            for typed in ["WESTOP", "westop", "WestOp", "westOP", "Westop"] {
                let r = try await Self.signIn(app, typed, "wrong-password")
                XCTAssertEqual(r.0, .unauthorized, typed)
            }
            let throttled = try await Self.signIn(app, "WESTop", "wrong-password")
            XCTAssertEqual(throttled.0, .tooManyRequests)
        }
    }

    func testTheMigrationGivesExistingAccountsTheirKeyAndStopsOnAClash() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let sql = try XCTUnwrap(app.db as? any SQLDatabase)
            let migration = M023_AddAccountKeysAndDisabling()
            // As before the migration: no key, and a name that differs from another only in case.
            try await migration.revert(on: app.db)
            try await sql.insert(into: "users").columns("id", "username", "display_name", "password_hash", "role", "area_code")
                .values(SQLBind(UUID()), SQLBind("WestOp"), SQLBind("x"), SQLBind("x"), SQLBind("operator"), SQLBind("3301")).run()
            do {
                try await migration.prepare(on: app.db)
                XCTFail("the migration went on with WestOp and westop")
            } catch let e as StoreError {
                XCTAssertTrue("\(e)".contains("WestOp and westop"), "\(e)")
            }
            try await sql.delete(from: "users").where("username", .equal, "WestOp").run()
            try await migration.prepare(on: app.db)
            struct Row: Decodable { var username: String; var username_key: String? }
            let rows = try await sql.select().column("username").column("username_key").from("users").all(decoding: Row.self)
            XCTAssertEqual(rows.count, 6)
            for r in rows { XCTAssertEqual(r.username_key, UsernameKey.of(r.username)) }
            let v = try await Self.signIn(app, "EASTOP", "Orchard-lantern-42").0
            XCTAssertEqual(v, .ok)
        }
    }

    // MARK: 6. files and secrets

    func testTheDataDirectoryDatabasePhotosAndBackupsAreTheOwnersAlone() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let config = app.wangge.config
            if case .sqlite(let path) = config.database {
                _ = try await Loop.report(app)
                for file in [path, path + "-wal", path + "-shm"] {
                    XCTAssertEqual(PrivateFiles.mode(file), 0o600, file)
                }
            }
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 7, 7, 0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xDA, 0, 4, 1, 2, 9, 9, 0xFF, 0xD9]
            let sha = try app.wangge.photos.store(jpeg).sha256
            let photos = (config.dataDirectory as NSString).appendingPathComponent("photos")
            XCTAssertEqual(PrivateFiles.mode(config.dataDirectory), 0o700, "the data directory")
            XCTAssertEqual(PrivateFiles.mode(photos), 0o700, "the photos folder")
            XCTAssertEqual(PrivateFiles.mode(photos + "/" + sha.prefix(2)), 0o700)
            // A backup is as private as the database, on SQLite and (pg_dump) on PostgreSQL.
            let backup = config.dataDirectory + "-backup"
            defer { try? FileManager.default.removeItem(atPath: backup) }
            try await Setup.backup(app, to: backup)
            XCTAssertEqual(PrivateFiles.mode(backup), 0o600, "the backup")
            // Replacing an older backup that was readable by all.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: backup)
            try await Setup.backup(app, to: backup)
            XCTAssertEqual(PrivateFiles.mode(backup), 0o600, "the replaced backup")
        }
    }

    func testLooseModesLeftByAnOlderVersionAreNarrowedAtStart() async throws {
        var dataDirectory = ""
        try await withApp(configure: { config in
            // What an older version made: the data directory 0755, the database and its log 0644, photos 0755.
            dataDirectory = config.dataDirectory
            let db = (config.dataDirectory as NSString).appendingPathComponent("wangge.sqlite")
            config.database = .sqlite(path: db)
            let fm = FileManager.default
            try? fm.createDirectory(atPath: config.dataDirectory + "/photos", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            try? fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: config.dataDirectory)
            for file in [db, db + "-wal"] { fm.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o644]) }
        }) { app, _ in
            try await SmallCounty.load(app)
            XCTAssertEqual(PrivateFiles.mode(dataDirectory), 0o700)
            XCTAssertEqual(PrivateFiles.mode(dataDirectory + "/photos"), 0o700)
            XCTAssertEqual(PrivateFiles.mode(dataDirectory + "/wangge.sqlite"), 0o600)
            XCTAssertEqual(PrivateFiles.mode(dataDirectory + "/wangge.sqlite-wal"), 0o600)
        }
    }

    func testThePostgreSQLPasswordNeverGoesOnTheCommandLineOfItsTools() throws {
        let url = "postgres://wangge:s%3Acr%40t%20pw@db.example:5433/wangge?sslmode=require"
        for call in [try PostgresClientCall.dump(url: url, to: "/backups/w.dump", environment: ["PATH": "/usr/bin"]),
                     try PostgresClientCall.restore(url: url, from: "/backups/w.dump", environment: ["PATH": "/usr/bin"])] {
            for argument in call.arguments {
                XCTAssertFalse(argument.contains("s:cr@t") || argument.contains("cr%40t") || argument.contains("pw"), argument)
            }
            XCTAssertTrue(call.arguments.contains("postgres://wangge@db.example:5433/wangge?sslmode=require"), "\(call.arguments)")
            XCTAssertEqual(call.environment["PGPASSWORD"], "s:cr@t pw")
            XCTAssertEqual(call.environment["PATH"], "/usr/bin")
        }
        // A password given as a query parameter moves too; without one the environment is left as it was.
        let query = try PostgresClientCall.dump(url: "postgresql://wangge@db/w?password=hunter22&sslmode=disable", to: "f", environment: [:])
        XCTAssertFalse(query.arguments.joined(separator: " ").contains("hunter22"), "\(query.arguments)")
        XCTAssertEqual(query.environment["PGPASSWORD"], "hunter22")
        let none = try PostgresClientCall.dump(url: "postgres://wangge@db/w", to: "f", environment: ["PGPASSFILE": "/etc/wangge/pgpass"])
        XCTAssertEqual(none.environment, ["PGPASSFILE": "/etc/wangge/pgpass"])
        XCTAssertTrue(none.arguments.contains("postgres://wangge@db/w"))
    }
}
