import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// Mediation as a kind the server serves: the rules are `MediationLifecycle`, the store is `MediationKind`'s; what
/// it adds here is who sees a mediation (the dispute's area, or for mediators their committee's area and their
/// assignments), the committee a step moves it to, and the pool check on assignees. The service, the API's door,
/// the live events and the clock job are the shared ones (`RecordService`, `RecordDoor`).
extension MediationKind: ServedKind {
    static func isVisible(_ m: StoredMediation, to staff: StaffAccount, in j: Jurisdiction) -> Bool {
        let path = j.path(of: staff.scope.areaCode)
        return MediationQueries.isVisible(m, scopePath: path, mediator: staff.role == .mediator ? (staff.username, path) : nil)
    }

    static func place(after step: LifecycleStep<MediationLifecycle>, of m: StoredMediation, in j: Jurisdiction) -> String {
        j[step.snapshot.committeeArea.code] != nil ? j.path(of: step.snapshot.committeeArea.code) : m.committeePath
    }

    /// Only the pool's mediators who serve the committee's area can be assigned.
    static func check(_ command: MediationCommand, on m: StoredMediation, app: Application, at now: Date) async throws {
        guard case .assign(let ids) = command else { return }
        let j = try await app.wangge.jurisdictions.current(on: app.db, now: now).jurisdiction
        let area = m.snapshot.committeeArea.code
        let eligible = Set(try await MediationQueries.mediators(on: app.db).map(\.0).filter { MediatorPool.serves($0.areaCodes, area: area, in: j) }.map(\.id))
        try MediatorPool.checkAssignees(ids, eligible: eligible)
    }

    static func audience(_ m: StoredMediation) -> RecordEvent.Audience {
        let s = m.snapshot
        let areas = s.registration.areas
        // The committee's chain: its own area and those above it in the dispute's chain.
        let committee = areas.first { $0.code == s.committeeArea.code }.map { c in areas.filter { $0.level <= c.level }.map(\.code) } ?? [s.committeeArea.code]
        return .init(areas: areas.map(\.code), assignees: s.mediators, mediatorAreas: committee)
    }

    static func stateNames(_ s: MediationSnapshot) -> (zh: String, en: String) { (s.state.nameZH, s.state.nameEN) }
}

typealias MediationService = RecordService<MediationKind>

extension RecordService where K == MediationKind {
    /// The county's catalogue of types and specialities (`mediation.json` in the data directory, else the standard).
    var catalogue: MediationCatalogue { app.wangge.mediationCatalogue }

    /// Registers a dispute under the day's number (`TJ-YYYYMMDD-NNNNNN`). A risk of escalation (many people, a
    /// threat of violence) raises a notice to the area's leaders with the registration (`MediationLifecycle`).
    func register(at now: Date, actor: RecordActor, areaPath: String, committeePath: String, key: (key: String, requestHash: String)?,
                  make: @escaping @Sendable (_ code: String) -> MediationRegistration) async throws -> Created {
        let ref = try await app.wangge.reference.current(on: app.db, now: now)
        let catalogue = self.catalogue
        return try await create(prefix: RecordCodes.dayPrefix("TJ", at: now, calendar: ref.calendar), areaPath: areaPath, place: committeePath, key: key) { code in
            try MediationLifecycle.register(make(code), catalogue: catalogue, actor: actor, at: now)
        }
    }
}

extension Application {
    var mediationService: MediationService { MediationService(app: self) }
}
