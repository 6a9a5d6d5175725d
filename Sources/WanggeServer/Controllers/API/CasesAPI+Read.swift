import Fluent
import Vapor
import WanggeCore
import WanggeStore

extension CasesAPI {
    /// `GET /api/v1/cases?status=&area=&category=&source=&clock=&from=&to=&q=&page=&per=`: the queue, in scope.
    static func list(_ req: Request) async throws -> CaseListDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let ref = try await req.reference()
        let q = try await queue(req, staff: staff, defaultStates: [])
        return CaseListDTO(cases: q.cases.map { summary($0, j, ref, req.now) }, page: q.page, per: q.per, total: q.total)
    }

    struct Queue { var cases: [StoredCase]; var total: Int; var page: Int; var per: Int }

    /// The queue in the caller's scope by the filters in the query string (the API's and the workbench's).
    static func queue(_ req: Request, staff: StaffAccount, defaultStates: [CaseState]) async throws -> Queue {
        let j = try await req.jurisdiction()
        let ref = try await req.reference()
        var filter = CaseFilter(scopePath: j.path(of: staff.scope.areaCode), departmentCode: staff.scope.departmentCode)
        filter.states = try req.listQuery("status", of: CaseState.self) ?? defaultStates
        if let a = try req.areaQuery(staff, j) { filter.areaPath = j.path(of: a) }
        if let category = try req.textQuery("category", maxLength: 32) {
            guard ref.catalogue[category] != nil else { throw APIError.badRequest("no category \(category)", field: "category") }
            filter.categoryCode = category
        }
        if let src = try req.textQuery("source", maxLength: 32) {
            guard let s = CaseSource(rawValue: src) else { throw APIError.badRequest("unknown source \(src)", field: "source") }
            filter.source = s
        }
        filter.reportedFrom = try req.instantQuery("from", ref.calendar, end: false)
        filter.reportedTo = try req.instantQuery("to", ref.calendar, end: true)
        filter.text = try req.textQuery("q", maxLength: 100)
        let (page, per) = try req.paging()
        let now = req.now
        var clockFilter: ClockColour? = nil
        if let c = try req.textQuery("clock", maxLength: 16) {
            guard let colour = ClockColour(rawValue: c) else { throw APIError.badRequest("clock must be red, yellow or green", field: "clock") }
            clockFilter = colour
        }
        if let clockFilter { filter.clock = (clockFilter, now) }
        let (cases, total) = try await CaseQueries.list(filter, page: page, per: per, on: req.db)
        return Queue(cases: cases, total: total, page: page, per: per)
    }

    static func summary(_ c: StoredCase, _ j: Jurisdiction, _ ref: ReferenceCache.Data, _ now: Date) -> CaseSummaryDTO {
        let s = c.snapshot
        return CaseSummaryDTO(
            id: c.id, code: c.code, status: s.state.rawValue, categoryCode: c.report.categoryCode, description: c.report.description,
            area: AreaRefDTO(code: s.areaCode, name: j[s.areaCode]?.name ?? ""),
            department: s.departmentCode.map { DepartmentRefDTO(id: $0, name: ref.departmentsByCode[$0]?.name ?? $0) },
            source: c.report.source.rawValue, reportedAt: c.reportedAt, suspended: s.isSuspended,
            clock: CaseClock.status(of: s, at: now, calendar: ref.calendar).map(ClockDTO.init))
    }

    /// The case by id or code, if the staff member may see it; otherwise 404 (never saying it exists).
    static func visibleCase(_ req: Request, staff: StaffAccount) async throws -> StoredCase {
        let key = try req.parameters.require("id")
        guard key.utf8.count <= 64, TextInput.isClean(key) else { throw APIError.notFound("no case \(key.prefix(64)) in your scope") }
        var found: StoredCase? = nil
        if let id = UUID(uuidString: key) { found = try await CaseQueries.find(id: id, on: req.db) }
        if found == nil { found = try await CaseQueries.find(code: key, on: req.db) }
        guard let c = found,
              CasePermissions.isInScope(c.snapshot, of: RecordActor(staff).staff!)
        else { throw APIError.notFound("no case \(key) in your scope") }
        return c
    }

    /// `GET /api/v1/cases/{id}`: the case with its timeline and what the caller may do now.
    static func show(_ req: Request) async throws -> CaseDetailDTO {
        let staff = try req.requireStaff()
        let c = try await visibleCase(req, staff: staff)
        return try await detail(c, staff: staff, on: req)
    }

    static func detail(_ c: StoredCase, staff: StaffAccount, on req: Request) async throws -> CaseDetailDTO {
        let j = try await req.jurisdiction()
        let ref = try await req.reference()
        let s = c.snapshot
        let actions = try await CaseQueries.actions(caseID: c.id, on: req.db)
        let contact = PersonalDataPolicy.contact(name: c.report.reporterName, phone: c.report.reporterPhone, shownTo: staff.role)
        try await req.audit(PersonalDataViews.reporter(of: c, shownTo: staff.role))
        let codeSeenAt = try await TrustQueries.trackingCodeSeenAt(caseID: c.id, on: req.db)
        return CaseDetailDTO(
            id: c.id, code: c.code, trackingCodeSeenAt: codeSeenAt, status: s.state.rawValue,
            category: ref.catalogue[c.report.categoryCode].map(CategoryDTO.init), description: c.report.description,
            lat: c.report.lat, lon: c.report.lon, address: c.report.address,
            area: AreaRefDTO(code: s.areaCode, name: j[s.areaCode]?.name ?? ""),
            areas: s.intake.areas.map { AreaRefDTO(code: $0.code, name: j[$0.code]?.name ?? "") },
            department: s.departmentCode.map { DepartmentRefDTO(id: $0, name: ref.departmentsByCode[$0]?.name ?? $0) },
            centre: AreaRefDTO(code: s.centre.code, name: j[s.centre.code]?.name ?? ""),
            source: c.report.source.rawValue, channelKey: c.report.channelKey,
            reporter: c.report.hasReporter ? .init(name: contact.name, phone: contact.phone) : nil,
            reportedAt: c.reportedAt, suspended: s.isSuspended, routingReason: s.intake.routingReason,
            deadlines: DeadlinesDTO(s.deadlines), clock: CaseClock.status(of: s, at: req.now, calendar: ref.calendar).map(ClockDTO.init),
            reworkCount: s.reworkCount,
            allowedActions: CaseStateMachine.allowedActions(for: s, actor: RecordActor(staff)).map(\.rawValue),
            timeline: actions.map { a in
                CaseActionDTO(seq: a.seq, action: a.record.kind.rawValue, actor: a.record.actor.staff?.username,
                              actorRole: a.record.actor.staff?.role.rawValue ?? a.record.actor.kind, at: a.record.at,
                              fromState: a.record.fromState?.rawValue, toState: a.record.toState.rawValue,
                              fromAssignee: a.record.fromAssignee?.rawValue, toAssignee: a.record.toAssignee.rawValue,
                              note: a.record.note, attachments: a.record.attachmentIDs,
                              codeSeenByStaff: a.record.kind == .rate ? codeSeenAt.map { $0 <= a.record.at } ?? false : nil)
            })
    }

    /// `POST /api/v1/cases/{id}/tracking-code` (operators, administrators): the tracking code, for reading it to the
    /// reporter who calls. The view is audited and the case remembers when staff first saw its code, so a rating
    /// made with it afterwards is marked as such.
    static func revealTrackingCode(_ req: Request) async throws -> TrackingCodeDTO {
        let staff = try req.requireStaff()
        let c = try await visibleCase(req, staff: staff)
        guard c.report.hasReporter else {
            throw APIError(.conflict, "no_reporter", "case \(c.code) has no reporter to give a tracking code to", field: "id")
        }
        let now = req.now
        try await req.audit([PersonalDataView(recordKind: "case", recordID: c.code, fields: ["tracking_code"])], alongside: { db in
            try await TrustQueries.markTrackingCodeSeen(caseID: c.id, at: now, on: db)
        })
        let seen = try await TrustQueries.trackingCodeSeenAt(caseID: c.id, on: req.db) ?? now
        return TrackingCodeDTO(trackingCode: c.trackingCode, seenAt: seen)
    }
}
