import Fluent
import Foundation
import SQLKit
import Vapor
import WanggeCore
import WanggeDemo
import WanggeStore

/// What the command line does, as functions the tests call directly.
public enum Setup {
    /// Checks that the database answers; the error says which database and what to do.
    public static func checkDatabase(_ app: Application) async throws {
        do {
            guard let sql = app.db as? any SQLDatabase else { return }
            try await sql.raw("SELECT 1").run()
        } catch {
            switch app.wangge.config.database {
            case let .postgres(_, host, port):
                throw SetupError("PostgreSQL at \(host):\(port) does not answer (\(String(describing: error).prefix(200))). Is the server running, and are DATABASE_URL's user, password and database right?")
            case .sqlite(let path):
                throw SetupError("the SQLite file \(path) cannot be opened (\(error)). Is DATA_DIR writable?")
            case .sqliteInMemory:
                throw SetupError("the in-memory database cannot be opened: \(error)")
            }
        }
    }

    /// Builds or updates the schema, then loads the reference data a new database needs (the category
    /// catalogue and the bundled holiday schedules). Safe to run again.
    public static func migrate(_ app: Application) async throws {
        try await checkDatabase(app)
        if case .sqlite = app.wangge.config.database, let sql = app.db as? any SQLDatabase {
            // Write-ahead logging: readers never wait for the writer, and a commit is safe once in the log.
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
        try await app.autoMigrate()
        try await CategoryQueries.seedIfEmpty(try CoreResources.defaultCatalogue(), on: app.db)
        try await CalendarQueries.seedMissing(try CoreResources.bundledHolidaySchedules(), source: "bundled cn-holidays.json", on: app.db)
        // A database made before the measure facts were kept gets them once, from every case's history.
        let context = try await measureContext(app)
        let db = app.db
        let started = Date()
        let n = try await app.wangge.writes.run(on: db) { try await MeasureQueries.backfill(context: context, on: db) }
        if n > 0 { app.logger.notice("measure facts written for \(n) cases in \(String(format: "%.1f", Date().timeIntervalSince(started))) s") }
        let mediations = try await app.wangge.writes.run(on: db) { try await MediationMeasureQueries.backfill(calendar: context.calendar, on: db) }
        if mediations > 0 { app.logger.notice("mediation measure facts written for \(mediations) mediations") }
    }

    /// The calendar and catalogue the measure facts are computed with, read from the store (not the reference
    /// cache, which would then hold what it read before the caller's next writes).
    static func measureContext(_ app: Application) async throws -> MeasureFactContext {
        try await ReferenceCache.load(on: app.db).measureContext
    }

    /// After the working calendar changed: every deadline, and so every case's measure facts, may move.
    static func calendarChanged(_ app: Application) async throws {
        await app.wangge.reference.invalidate()
        let context = try await measureContext(app)
        let db = app.db
        try await app.wangge.writes.run(on: db) { try await MeasureQueries.rebuild(context: context, on: db) }
        try await app.wangge.writes.run(on: db) { try await MediationMeasureQueries.rebuild(calendar: context.calendar, on: db) }
    }

    /// Generates the demo county into an empty database; returns its accounts, or nil when the database already has
    /// a jurisdiction (a second `wangge demo` reuses it). With `history`, also a year of cases ending now, produced
    /// by driving the state machine through simulated time.
    public static func loadDemo(_ app: Application, seed: UInt64 = 0, history: Bool = false, casesPerYear: Int = 36_000,
                                progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> [DemoAccount]? {
        guard try await AreaQueries.count(on: app.db) == 0 else { return nil }
        let county = DemoCounty.generate(seed: seed)
        let hash = try await app.password.async.hash(app.wangge.config.demoPassword)
        try await DemoSeed.load(county, passwordHash: hash, on: app.db)
        await app.wangge.jurisdictions.invalidate()
        var simulated: [SimulatedCase] = []
        if history {
            let now = app.wangge.clock.now()
            let ref = try await app.wangge.reference.current(on: app.db, now: now)
            let j = Jurisdiction(areas: county.areas)
            progress("Simulating a year of cases…")
            let cases = DemoHistory.simulate(county: county, catalogue: ref.catalogue, calendar: ref.calendar, end: now, casesPerYear: casesPerYear, seed: seed) { done, total in
                if done % 6_000 == 0 || (done == total && total % 6_000 != 0) { progress("  simulated \(done) of \(total) cases") }
            }
            let paths = Dictionary(uniqueKeysWithValues: county.areas.map { ($0.code, j.path(of: $0.code)) })
            simulated = cases
            let historic = cases.map { HistoricCase(code: $0.code, trackingCode: $0.trackingCode, report: $0.report, records: $0.records, snapshot: $0.snapshot) }
            try await CaseQueries.bulkInsert(historic, paths: paths, context: ref.measureContext,
                                             on: app.db) { done, total in
                if done % 6_000 < 400 || done == total { progress("  stored \(done) of \(total) cases") }
            }
        }
        // The mediators' pool (each an account of the mediator role) and, with the history, a year of disputes.
        let pool = DemoMediation.pool(county: county, seed: seed)
        for m in pool {
            _ = try await AccountQueries.create(username: m.id, displayName: m.name, passwordHash: hash, role: .mediator,
                                                areaCode: m.areaCode, departmentCode: nil, on: app.db)
        }
        try await MediationQueries.insert(pool.map { Mediator(id: $0.id, name: $0.name, phone: $0.phone, specialities: $0.specialities, areaCodes: [$0.areaCode]) },
                                          on: app.db)
        if history {
            let now = app.wangge.clock.now()
            let ref = try await app.wangge.reference.current(on: app.db, now: now)
            let j = Jurisdiction(areas: county.areas)
            progress("Simulating a year of disputes…")
            let disputes = DemoMediation.simulate(county: county, pool: pool, catalogue: .standard, calendar: ref.calendar, end: now,
                                                  perYear: casesPerYear / 6, seed: seed)
            let paths = Dictionary(uniqueKeysWithValues: county.areas.map { ($0.code, j.path(of: $0.code)) })
            try await MediationQueries.bulkInsert(disputes.map { ($0.records, $0.snapshot) }, paths: paths, calendar: ref.calendar, on: app.db) { done, total in
                if done % 3_000 < 300 || done == total { progress("  stored \(done) of \(total) disputes") }
            }
            progress("Simulating a year of the risk register…")
            // One heightened period (National Day), set a week ahead by the county's operator, under which the year's
            // reviews ran; and a few grave events for the index to deduct.
            let period = DemoRisks.heightenedPeriod(county: county, calendar: ref.calendar, end: now)
            let risks = DemoRisks.simulate(county: county, calendar: ref.calendar, end: now, count: 300 * casesPerYear / 36_000, seed: seed,
                                           policy: RiskPolicy(heightenedPeriods: period.map { [$0] } ?? []))
            try await RecordStore<RiskKind>.bulkInsert(risks.map { ($0.records, $0.snapshot, paths[$0.areaCode] ?? "", NoPlace()) },
                                                       calendar: ref.calendar, on: app.db)
            let db = app.db
            if let period {
                _ = try await SafetyRegisterQueries.insert(period, by: "demo", at: period.start.addingTimeInterval(-7 * 86_400), on: db)
            }
            for e in DemoRisks.graveEvents(county: county, calendar: ref.calendar, end: now, period: period, seed: seed) {
                _ = try await SafetyRegisterQueries.insert(e, areaPath: paths[e.areaCode] ?? "", by: "demo",
                                                          at: ref.calendar.start(of: e.occurredOn.adding(days: 1)), on: db)
            }
            progress("  stored \(risks.count) risks\(period.map { ", the heightened period \($0.name)" } ?? "") and the grave events")
            progress("Registering households, buildings and places; a year of visits, inspections and patrols…")
            try await loadDemoField(app, field: DemoField(county: county, cases: simulated, catalogue: app.wangge.fieldCatalogue, calendar: ref.calendar,
                                                          end: now, seed: seed),
                                    paths: paths, progress: progress)
            simulated = []
            try await publishDemoIndex(app, now: now, calendar: ref.calendar, progress: progress)
        }
        return county.accounts
    }

    /// The demo's registry and year of field work, grid by grid, written a few grids to a transaction.
    static func loadDemoField(_ app: Application, field: DemoField, paths: [String: String], progress: @escaping @Sendable (String) -> Void) async throws {
        let db = app.db
        let registered = field.calendar.start(of: field.first.adding(days: -30))
        var entries: [(id: UUID, entry: RegistryEntry, gridCode: String, areaPath: String)] = []
        var visits: [FieldBulkQueries.Visit] = [], inspections: [FieldBulkQueries.Inspection] = [], patrols: [FieldBulkQueries.Patrol] = []
        var totals = (entries: 0, visits: 0, inspections: 0, patrols: 0, failed: 0)
        let started = Date()
        func flush() async throws {
            let (e, v, i, p) = (entries, visits, inspections, patrols)
            try await app.wangge.writes.run(on: db) {
                _ = try await RegistryQueries.insertAll(e, by: "demo", at: registered, on: db)
                try await FieldBulkQueries.insert(visits: v, inspections: i, patrols: p, on: db)
            }
            entries = []; visits = []; inspections = []; patrols = []
        }
        for index in 0..<field.gridCount {
            let g = field.grid(index)
            let path = paths[g.gridCode] ?? ""
            entries += g.entries.map { (id: $0.id, entry: $0.entry, gridCode: g.gridCode, areaPath: path) }
            visits += g.visits.map { .init(householdID: $0.householdID, gridCode: g.gridCode, areaPath: path, day: $0.day, outcome: $0.outcome, note: $0.note, by: $0.by, at: $0.at) }
            inspections += g.inspections.map { .init(id: $0.id, placeID: $0.placeID, areaPath: path, checklistCode: $0.checklistCode, results: $0.results,
                                                     caseCodes: $0.caseCodes, by: $0.by, at: $0.at) }
            patrols += g.patrols.map { .init(id: $0.id, gridCode: g.gridCode, areaPath: path, worker: $0.worker, startedAt: $0.startedAt, endedAt: $0.endedAt,
                                             summary: $0.summary, findings: $0.findings) }
            totals.entries += g.entries.count; totals.visits += g.visits.count; totals.inspections += g.inspections.count
            totals.patrols += g.patrols.count; totals.failed += g.inspections.filter { !$0.caseCodes.isEmpty }.count
            if visits.count > 40_000 || index == field.gridCount - 1 {
                try await flush()
                progress("  field work of \(index + 1) of \(field.gridCount) grids")
            }
        }
        progress("  \(totals.entries) registry entries, \(totals.visits) visits, \(totals.inspections) inspections (\(totals.failed) raised a case of the history), \(totals.patrols) patrols in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    /// The demo's year of the safety index and early warning, as the jobs would have left them: each month published
    /// the day after it ended (through the job's seam, so the running server does not publish it again), the
    /// ladder's notices raised as it went, the rectifications reviewed at the three levels within four weeks where
    /// that time has passed, and every week of the year scanned for unusual rises.
    static func publishDemoIndex(_ app: Application, now: Date, calendar: WorkingCalendar, progress: @escaping @Sendable (String) -> Void) async throws {
        let service = SafetyIndexService(app: app)
        let last = SafetyIndexService.lastEndedMonth(at: now, calendar: calendar)
        let started = Date()
        for k in (0..<12).reversed() {
            let month = last.adding(months: -k)
            let at = calendar.start(of: month.dayAfter).addingTimeInterval(9 * 3_600)
            try await SafetyIndexService.job.run(app, period: month.description) {
                if let r = try await service.publish(month: month, by: nil, at: at) { progress("  safety index \(month): \(r.areas) areas") }
            }
        }
        progress("  twelve months of the safety index in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        // Rectifications whose four weeks have passed are reviewed at the three levels, a week apart.
        let db = app.db
        for w in try await WarningQueries.list(WarningFilter(scopePath: "", kinds: [.rectification]), page: 1, per: 200, on: db).items {
            guard let issued = w.dueOn.flatMap(CivilDate.init)?.adding(days: -30) else { continue }
            var version = w.version
            for (i, (level, by, note)) in [(RectificationReviewLevel.village, "gridworker", "村（社区）自查：问题点位已逐一整改，群众反映已回访"),
                                            (.township, "op_t01", "镇（街道）复核：整改措施落实，近四周案件回落"),
                                            (.county, "leader", "县委政法委复核：同意解除专项督办")].enumerated() {
                let day = issued.adding(days: 7 * (i + 1))
                let at = calendar.start(of: day).addingTimeInterval(10 * 3_600)
                guard at < now else { break }
                try await WarningQueries.act(id: w.id, version: version, status: i == 2 ? .lifted : .acknowledged, at: at, by: by, note: note,
                                             review: StoredWarning.Review(level: level, onDay: day.description, by: by, note: note, at: at), on: db)
                version += 1
            }
        }
        let thisWeek = WarningService.monday(of: calendar.civilDate(of: now))
        let weeks = (1...52).reversed().map { thisWeek.adding(days: -7 * $0) }
        let scan = try await WarningService(app: app).scan(weeks: weeks, calendar: calendar)
        progress("  early warning over 52 weeks: \(scan.series) series tested, \(scan.raised) warnings")
    }

    /// Imports a GeoJSON FeatureCollection of areas. Every problem is reported and nothing is written if there is one.
    @discardableResult
    public static func importAreas(_ app: Application, geojson: Data) async throws -> [Area] {
        let existing = try await AreaQueries.all(on: app.db)
        let areas = try AreaImport.parse(geojson, existing: existing)
        try await app.db.transaction { db in try await AreaQueries.insert(areas, on: db) }
        await app.wangge.jurisdictions.invalidate()
        return areas
    }

    /// Creates a staff account after checking it against the jurisdiction and the departments.
    @discardableResult
    public static func createUser(_ app: Application, username: String, password: String, role: Role, areaCode: String,
                                  departmentCode: String?, displayName: String?) async throws -> StaffAccount {
        let j = Jurisdiction(areas: try await AreaQueries.all(on: app.db))
        let department = try await departmentCode.asyncMap { try await OrganisationQueries.department(code: $0, on: app.db) } ?? nil
        try AccountRules.validate(username: username, password: password, role: role, areaCode: areaCode,
                                  department: department, departmentCode: departmentCode, in: j)
        let hash = try await app.password.async.hash(password)
        return try await AccountQueries.create(username: username, displayName: displayName ?? username, passwordHash: hash,
                                               role: role, areaCode: areaCode, departmentCode: departmentCode, on: app.db)
    }

    /// The password for `wangge user create`: the value of the environment variable named by `--password-env`, or
    /// else the first line of standard input. Never an argument: the command line of a running program is readable
    /// by every user of the machine (`ps`, `/proc/PID/cmdline`) and stays in shell histories.
    public static func newPassword(fromEnvironmentVariable name: String?,
                                   environment: [String: String] = ProcessInfo.processInfo.environment,
                                   readLine: () -> String? = { Swift.readLine(strippingNewline: true) }) throws -> String {
        if let name {
            guard let value = environment[name], !value.isEmpty else {
                throw SetupError("the environment variable \(name) named by --password-env is not set")
            }
            return value
        }
        guard let line = readLine(), !line.isEmpty else {
            throw SetupError("no password on standard input: send it as one line (printf '%s\\n' \"$PW\" | wangge user create …), or name an environment variable that holds it with --password-env")
        }
        return line
    }

    /// `wangge user disable NAME`: the account can no longer sign in, every token and session it has is deleted,
    /// and its live streams end (on this process at once; on running servers within their session check). Found by
    /// its name's key (`UsernameKey`), so any case of the name does. Returns the account and how many tokens and
    /// sessions ended.
    @discardableResult
    public static func disableUser(_ app: Application, username: String) async throws -> (account: StaffAccount, ended: Int) {
        let db = app.db, now = app.wangge.clock.now()
        guard let done = try await app.wangge.writes.run(on: db, { try await AccountQueries.disable(username: username, at: now, on: db) }) else {
            throw SetupError("no account is named \(username)")
        }
        for hash in done.revoked { await Revocation.endHere(hash, app: app) }
        return (done.account, done.revoked.count)
    }

    /// `wangge user enable NAME`: a disabled account may sign in again (with its password; old tokens stay gone).
    @discardableResult
    public static func enableUser(_ app: Application, username: String) async throws -> StaffAccount {
        let db = app.db
        guard let account = try await app.wangge.writes.run(on: db, { try await AccountQueries.enable(username: username, on: db) }) else {
            throw SetupError("no account is named \(username)")
        }
        return account
    }

    /// Adds or replaces one year's holiday schedule from a JSON file ({"off": [...], "work": [...]}).
    public static func importCalendarYear(_ app: Application, year: Int, json: Data, source: String) async throws {
        let schedule = try HolidaySchedules.decodeYear(from: json, year: year)
        try await CalendarQueries.put(year: year, schedule: schedule, source: source, on: app.db)
        try await calendarChanged(app)
    }
}

public struct SetupError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let w): try await f(w)
        case .none: nil
        }
    }
}
