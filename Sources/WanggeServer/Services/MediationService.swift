import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The one road for every change to a mediation case, like `CaseService` for cases: the rules decide
/// (`MediationLifecycle`), then the action, the row, who is assigned and the supervision it raises are written in
/// one transaction through the write gate. A test can call it without a request.
struct MediationService: Sendable {
    let app: Application

    /// The county's catalogue of types and specialities (`mediation.json` in the data directory, else the standard).
    var catalogue: MediationCatalogue { app.wangge.mediationCatalogue }

    /// Registers a dispute: `make` builds the registration from the day's number. A risk of escalation (many people,
    /// a threat of violence) is recorded as a notice to the township's leaders with the registration.
    func register(at now: Date, actor: CaseActor, areaPath: String, committeePath: String, key: String?, requestHash: String?,
                  make: @escaping @Sendable (_ code: String) -> MediationRegistration) async throws -> StoredMediation {
        let ref = try await app.wangge.reference.current(on: app.db, now: now)
        let day = ref.calendar.civilDate(of: now)
        let prefix = "TJ-" + String(format: "%04d%02d%02d", day.year, day.month, day.day)
        let catalogue = self.catalogue
        // Checked before a number is taken, so bad input writes nothing at all.
        _ = try MediationLifecycle.register(make(prefix + "-000000"), catalogue: catalogue, actor: actor, at: now)
        let db = app.db
        return try await app.wangge.writes.run(on: db) {
            try await MediationQueries.create(prefix: prefix, make: { n in
                try MediationLifecycle.register(make(prefix + "-" + String(format: "%06d", n)), catalogue: catalogue, actor: actor, at: now)
            }, areaPath: areaPath, committeePath: committeePath, key: key, requestHash: requestHash, calendar: ref.calendar, on: db)
        }
    }

    /// Applies `command` by `actor`; throws `MediationRuleError` when the rules refuse and `MediationConflict` when
    /// someone else changed it first.
    func act(_ command: MediationCommand, on m: StoredMediation, by actor: CaseActor, at now: Date) async throws -> StoredMediation {
        let ref = try await app.wangge.reference.current(on: app.db, now: now)
        if case .assign(let ids) = command {
            // Only the pool's mediators who serve the committee's area can be assigned.
            let j = try await app.wangge.jurisdictions.current(on: app.db, now: now).jurisdiction
            let area = m.snapshot.committeeArea.code
            let eligible = Set(try await MediationQueries.mediators(on: app.db).map(\.0).filter { MediatorPool.serves($0.areaCodes, area: area, in: j) }.map(\.id))
            try MediatorPool.checkAssignees(ids, eligible: eligible)
        }
        let step = try MediationLifecycle.apply(command, to: m.snapshot, actor: actor, at: now, calendar: ref.calendar)
        return try await write(step, to: m, reference: ref).stored
    }

    func write(_ step: LifecycleStep<MediationLifecycle>, to m: StoredMediation, reference: ReferenceCache.Data) async throws -> (stored: StoredMediation, raisedSupervision: Bool) {
        let j = try await app.wangge.jurisdictions.current(on: app.db, now: step.record.at).jurisdiction
        let committeePath = j[step.snapshot.committeeArea.code] != nil ? j.path(of: step.snapshot.committeeArea.code) : m.committeePath
        let db = app.db
        let (stored, raised) = try await app.wangge.writes.run(on: db) {
            try await MediationQueries.append(step, to: m, committeePath: committeePath, calendar: reference.calendar, on: db)
        }
        return (stored, raised)
    }
}

extension MediationService: ClockedService {
    typealias L = MediationLifecycle

    func dueForClockJob(before now: Date) async throws -> [StoredMediation] {
        try await MediationQueries.dueForClockJob(before: now, on: app.db)
    }

    func clockSteps(_ record: StoredMediation, now: Date, reference: ReferenceCache.Data) -> [LifecycleStep<MediationLifecycle>] {
        MediationLifecycle.clockSteps(record.snapshot, now: now, calendar: reference.calendar)
    }
}

extension Application {
    var mediationService: MediationService { MediationService(app: self) }
}
