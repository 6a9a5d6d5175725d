import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor
import WanggeCore
import WanggeStore

/// The jurisdiction as loaded from the database, with anything derived from it that pages reuse.
public struct JurisdictionSnapshot: Sendable {
    public let version: String
    public let jurisdiction: Jurisdiction
}

/// Holds the in-memory jurisdiction. Another process (`wangge import areas`) or app server may change the tree,
/// so the stored fingerprint is checked at most every few seconds and the tree reloaded when it moved.
actor JurisdictionCache {
    private var snapshot: JurisdictionSnapshot?
    private var checkedAt: Date = .distantPast
    private let recheck: TimeInterval
    /// The check under way, which requests arriving meanwhile wait for: otherwise each of them would load the
    /// whole tree at once (a second of work each when a busy server starts).
    private var checking: Task<JurisdictionSnapshot, any Error>?
    /// Bumped by `invalidate`, so a check begun before it does not store what it read.
    private var generation = 0

    init(recheck: TimeInterval = 5) { self.recheck = recheck }

    func current(on db: any Database, now: Date = Date()) async throws -> JurisdictionSnapshot {
        if let snapshot, now.timeIntervalSince(checkedAt) < recheck { return snapshot }
        if let checking { return try await checking.value }
        let known = snapshot, started = generation
        let check = Task { () async throws -> JurisdictionSnapshot in
            let version = try await AreaQueries.version(on: db)
            if let known, known.version == version { return known }
            return JurisdictionSnapshot(version: version, jurisdiction: Jurisdiction(areas: try await AreaQueries.all(on: db)))
        }
        checking = check
        do {
            let fresh = try await check.value
            if generation == started { snapshot = fresh; checkedAt = now; checking = nil }
            return fresh
        } catch {
            if generation == started { checking = nil }
            throw error
        }
    }

    func invalidate() { snapshot = nil; checkedAt = .distantPast; checking = nil; generation += 1 }
}

/// Everything a request handler needs besides the request: configuration, clock and caches.
public final class WanggeServices: Sendable {
    public let config: AppConfig
    public let clock: any WallClock
    let jurisdictions = JurisdictionCache()
    let maps = MapCache()
    let pieces = PieceCache()
    /// League tables of ended months, kept a few minutes (`AssessmentService`).
    let assessmentTables = TimedCache<AssessmentService.Computed>()
    /// The dashboard's coverage panels, kept a few minutes (`DashboardPage`).
    let coveragePanels = TimedCache<[GridCoverage]>()
    let reference = ReferenceCache()
    /// SQLite takes one writer at a time: writers queue here instead of spinning on the file lock.
    let writes: WriteGate
    /// Group commit of new cases, on an SQLite file only: there one writer at a time pays per transaction, so
    /// reports that arrive together are written together. PostgreSQL takes concurrent writers as they come.
    let intake: IntakeBatcher?
    let photos: PhotoStore
    /// Live case events for the pages' server-sent event streams.
    let events = EventHub()
    /// The kinds of record the clock job runs besides the case loop (mediation, the risk register's late reviews).
    let clockedKinds: ClockedKinds = {
        let kinds = ClockedKinds()
        kinds.add(MediationKind.self)
        kinds.add(RiskKind.self)
        return kinds
    }()
    /// Live streams open per account and per address.
    let streams = StreamSlots()
    /// Accounts found by token, for a few seconds.
    let sessions = SessionCache()
    /// How often an open event stream checks that its session still holds (tests shorten it).
    var liveCheckInterval: TimeInterval { liveCheck.withLockedValue { $0 } }
    let liveCheck = NIOLockedValueBox<TimeInterval>(15)
    /// The public doors' rate limits.
    let limiters: RateLimiters
    /// Connection limits on the listening socket (`ConnectionGate`).
    let gate: ConnectionGate
    /// Request bodies held in memory at once.
    let bodyMemory: BodyMemory
    /// Large multipart bodies, written to files as they arrive.
    let spool: BodySpool
    /// When the clock job last pruned the audit log, expired tokens and old idempotency keys.
    let lastPrune = NIOLockedValueBox<Date?>(nil)
    /// The last month and week the periodic safety-index and early-warning jobs were tried for on this server.
    let lastSafetyIndexMonth = NIOLockedValueBox<SafetyIndexMonth?>(nil)
    let lastEarlyWarningWeek = NIOLockedValueBox<CivilDate?>(nil)
    /// Checked when a user name does not exist, so a wrong name costs as much time as a wrong password.
    let decoyHash: String

    init(config: AppConfig, clock: any WallClock) throws {
        self.config = config
        self.clock = clock
        photos = PhotoStore(dataDirectory: config.dataDirectory)
        limiters = RateLimiters(config.rateLimits)
        gate = ConnectionGate(ConnectionGate.Limits(config))
        bodyMemory = BodyMemory(budget: config.limits.bodyMemoryBytes)
        spool = BodySpool(dataDirectory: config.dataDirectory)
        spool.clearLeftovers()
        switch config.database {
        case .postgres:
            writes = WriteGate(serial: false)
            intake = nil
        case .sqlite(let path):
            writes = WriteGate(serial: true)
            intake = IntakeBatcher(gate: writes, writer: SQLiteIntakeWriter(path: path))
        case .sqliteInMemory:
            writes = WriteGate(serial: true)
            intake = nil
        }
        decoyHash = try Bcrypt.hash(TokenSecret.generate(), cost: config.bcryptCost)
        // The county's own catalogue of dispute types and specialities, if it keeps one; a bad file stops the start.
        let file = URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("mediation.json")
        if let data = FileManager.default.contents(atPath: file.path) {
            mediationCatalogue = try MediationCatalogue.decode(from: data)
        } else {
            mediationCatalogue = .standard
        }
        // The county's risk catalogue (categories, levels and their cadences, assessment bands), likewise.
        let risk = URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("risk.json")
        if let data = FileManager.default.contents(atPath: risk.path) {
            riskCatalogue = try RiskCatalogue.decode(from: data)
        } else {
            riskCatalogue = .standard
        }
        let field = URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("field.json")
        if let data = FileManager.default.contents(atPath: field.path) {
            fieldCatalogueBox = try FieldCatalogue.decode(from: data)
        } else {
            fieldCatalogueBox = .standard
        }
    }

    /// Place types and inspection checklists: `field.json` in the data directory, else the standard ones.
    var fieldCatalogue: FieldCatalogue { fieldCatalogueBox }
    private let fieldCatalogueBox: FieldCatalogue

    /// The risk register's categories, levels and bands: `risk.json` in the data directory, else the standard ones.
    let riskCatalogue: RiskCatalogue
    /// The risk policy this server's clock job last rescheduled every open risk under (`RiskKind.clockContext`).
    let riskPolicySwept = NIOLockedValueBox<RiskPolicy?>(nil)

    /// The dispute types and mediators' specialities: `mediation.json` in the data directory, else the standard ones.
    let mediationCatalogue: MediationCatalogue
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = WanggeServices }

    public var wangge: WanggeServices {
        get {
            guard let s = storage[ServicesKey.self] else { fatalError("configure(_:config:) has not run") }
            return s
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    var wangge: WanggeServices { application.wangge }
    var now: Date { application.wangge.clock.now() }

    func jurisdiction() async throws -> Jurisdiction {
        try await application.wangge.jurisdictions.current(on: db, now: now).jurisdiction
    }
}

/// Rendered jurisdiction maps by tree version and scope: drawing ~1,000 grids is work worth doing once.
actor MapCache {
    private var entries: [String: any Sendable] = [:]

    func svg(_ j: Jurisdiction, version: String, scope: String, title: String) -> String {
        cached("\(version)|\(scope)|\(title)") { JurisdictionMap.svg(j, scope: scope, title: title) }
    }

    /// Any other drawing that depends only on what `key` names (include the tree's version in it).
    func cached<Value: Sendable>(_ key: String, _ draw: () -> Value) -> Value {
        // Unwrapped first: a missing entry cast to an optional Value would pass as a stored nil.
        if let stored = entries[key], let hit = stored as? Value { return hit }
        if entries.count > 64 { entries.removeAll() }
        let svg = draw()
        entries[key] = svg
        return svg
    }
}

/// The catalogue, departments and working calendar: read on every report and action, changed rarely, so held for
/// a few seconds at a time.
actor ReferenceCache {
    struct Data: Sendable {
        let catalogue: CategoryCatalogue
        let departments: [Department]
        let departmentsByCode: [String: Department]
        let calendar: WorkingCalendar

        /// What the measure facts are computed with.
        var measureContext: MeasureFactContext { MeasureFactContext(calendar: calendar, catalogue: catalogue) }
    }

    private var data: Data?
    private var loadedAt = Date.distantPast
    /// The load under way, which requests arriving meanwhile wait for instead of each loading again.
    private var loading: Task<Data, any Error>?

    func current(on db: any Database, now: Date) async throws -> Data {
        if let data, now.timeIntervalSince(loadedAt) < 10, now >= loadedAt { return data }
        if let loading { return try await loading.value }
        let load = Task { try await Self.load(on: db) }
        loading = load
        defer { loading = nil }
        let fresh = try await load.value
        data = fresh
        loadedAt = now
        return fresh
    }

    /// Reads it from the store, bypassing what is held.
    static func load(on db: any Database) async throws -> Data {
        let departments = try await OrganisationQueries.departments(on: db)
        return Data(catalogue: try await CategoryQueries.catalogue(on: db), departments: departments,
                    departmentsByCode: Dictionary(departments.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }),
                    calendar: WorkingCalendar(schedules: try await CalendarQueries.schedules(on: db)))
    }

    /// Forgets what it holds, so the next read loads afresh (after the calendar changed).
    func invalidate() { data = nil }
}

extension Request {
    func reference() async throws -> ReferenceCache.Data {
        try await application.wangge.reference.current(on: db, now: now)
    }
}

/// Runs write transactions one at a time when the database is SQLite (a single-writer file), and freely otherwise.
actor WriteGate {
    private let serial: Bool
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(serial: Bool) { self.serial = serial }

    /// One write turn: `body` runs while no other write does (on SQLite; on PostgreSQL at once).
    nonisolated func turn<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard serial else { return try await body() }
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    /// A write turn for a transaction on `db`.
    nonisolated func run<T: Sendable>(on db: any Database, _ body: @Sendable () async throws -> T) async throws -> T {
        try await turn {
            // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the server being
            // killed (DESIGN §9), though not the machine losing power. Per connection, so set before each write.
            if serial, let sql = db as? any SQLDatabase { try await sql.raw("PRAGMA synchronous=NORMAL").run() }
            return try await body()
        }
    }

    private func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}
