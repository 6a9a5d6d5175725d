import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The mediation API (issue 12): types, the mediators' pool and suggestions, registration (from a case or direct),
/// the list, one case with its timeline, its actions, and its measures. Controllers decode, call the service,
/// encode; the rules are `MediationLifecycle`'s.
enum MediationsAPI {
    // MARK: Reference

    /// `GET /api/v1/mediation-types`.
    static func types(_ req: Request) async throws -> [MediationTypeDTO] {
        req.application.mediationService.catalogue.types.map {
            MediationTypeDTO(code: $0.code, name: $0.name, nameEn: $0.nameEN, categoryCodes: $0.categoryCodes, specialities: $0.specialities)
        }
    }

    /// `GET /api/v1/mediators?area=CODE&speciality=CODE`: the pool with each mediator's load (open cases assigned).
    static func mediators(_ req: Request) async throws -> [MediatorDTO] {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let area = try req.areaQuery(staff, j)
        let speciality = try req.textQuery("speciality", maxLength: 64)
        if let speciality, req.application.mediationService.catalogue.speciality(speciality) == nil {
            throw APIError.badRequest("unknown speciality \(speciality)", field: "speciality")
        }
        let pool = try await MediationQueries.mediators(on: req.db)
        let shown = pool.filter { m, _ in
            (speciality.map { m.specialities.contains($0) } ?? true)
                && (area.map { a in MediatorPool.serves(m.areaCodes, area: a, in: j) } ?? m.areaCodes.contains { staff.scope.covers($0, in: j) || j.isWithin(staff.scope.areaCode, ancestor: $0) })
        }
        try await req.audit(PersonalDataViews.mediators(shown.map(\.0), shownTo: staff.role))
        return shown.map { dto($0.0, load: $0.1, role: staff.role) }
    }

    static func dto(_ m: Mediator, load: Int, role: Role, score: Int? = nil) -> MediatorDTO {
        MediatorDTO(id: m.id, name: m.name, phone: PersonalDataPolicy.mediatorPhone(m.phone, shownTo: role), specialities: m.specialities,
                    areaCodes: m.areaCodes, load: load, score: score)
    }

    /// `GET /api/v1/mediations/{id}/suggested-mediators`: by type (its specialities), area (serving the committee's
    /// area), and load (fewer open cases first).
    static func suggested(_ req: Request) async throws -> [MediatorDTO] {
        let staff = try req.requireStaff()
        let m = try await visible(req, staff: staff)
        let j = try await req.jurisdiction()
        let type = req.application.mediationService.catalogue.type(m.snapshot.registration.typeCode)
        let wanted = type?.specialities ?? []
        let pool = try await MediationQueries.mediators(on: req.db)
        let ranked = pool.compactMap { mediator, load -> (Mediator, Int, Int)? in
            guard MediatorPool.serves(mediator.areaCodes, area: m.snapshot.committeeArea.code, in: j) else { return nil }
            let fit = wanted.enumerated().reduce(0) { score, w in mediator.specialities.contains(w.element) ? score + (wanted.count - w.offset) * 10 : score }
            let near = mediator.areaCodes.contains(m.snapshot.committeeArea.code) ? 5 : 0
            return (mediator, load, fit + near - load * 3)
        }.sorted { ($0.2, -$0.1, $0.0.id) > ($1.2, -$1.1, $1.0.id) }
        let top = ranked.prefix(10)
        try await req.audit(PersonalDataViews.mediators(top.map(\.0), shownTo: staff.role))
        return top.map { dto($0.0, load: $0.1, role: staff.role, score: $0.2) }
    }

    // MARK: Registration

    /// `POST /api/v1/mediations`: `{"case_id"}` opens a dispute case as a mediation (the same case twice answers
    /// the first, 200), or a direct registration → 201.
    static func create(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let dto = try req.content.decode(MediationCreateDTO.self)
        // The same request hash as a report's (a canonical encoding, whatever the order of the JSON keys).
        let hash = try CasesAPI.hash(dto)
        let (m, status) = try await RecordDoor<MediationKind>.idempotent(req, staff: staff, requestHash: hash, hidden: alreadyMediated) { key in
            try await register(dto, staff: staff, key: key, req: req)
        }
        return try await answer(m, status: status, req: req)
    }

    /// A registration the caller may not see (a dispute escalated to the county is out of a township operator's
    /// sight): 409 without its details.
    static let alreadyMediated = APIError(.conflict, "already_mediated", "this case is already being mediated by a committee outside your scope", field: "case_id")

    /// Registers the dispute the body describes: a case opened as a mediation (the same case twice finds the
    /// first), or a direct registration.
    static func register(_ dto: MediationCreateDTO, staff: StaffAccount, key: (key: String, requestHash: String)?, req: Request) async throws -> MediationService.Created {
        let j = try await req.jurisdiction()
        let actor = RecordActor(staff)
        let service = req.application.mediationService
        if let caseKey = dto.caseId {
            guard caseKey.utf8.count <= 64, TextInput.isClean(caseKey) else { throw APIError.badRequest("case_id is a case id or code", field: "case_id") }
            var found: StoredCase?
            if let id = UUID(uuidString: caseKey) { found = try await CaseQueries.find(id: id, on: req.db) }
            if found == nil { found = try await CaseQueries.find(code: caseKey, on: req.db) }
            guard let c = found, CasePermissions.isInScope(c.snapshot, of: actor.staff!) else {
                throw APIError(.notFound, "not_found", "no case \(caseKey) in your scope", field: "case_id")
            }
            if let existing = try await MediationQueries.find(caseID: c.id, on: req.db) { return .found(existing) }
            guard let type = service.catalogue.type(forCategory: c.report.categoryCode) else {
                throw APIError.badRequest("case \(c.code) is not a dispute (category \(c.report.categoryCode))", field: "case_id")
            }
            let areas = c.snapshot.intake.areas
            guard let dispute = areas.first, let tier = lowestTier(of: areas) else { throw APIError.badRequest("case \(c.code) has no committee area", field: "case_id") }
            let applicant = MediationParty(role: .applicant, kind: .person, name: c.report.reporterName ?? "反映人（匿名）", phone: c.report.reporterPhone)
            let areaPath = j.path(of: dispute.code)
            let committeePath = j.path(of: areas.filter { $0.level <= tier.level }.max { $0.level < $1.level }?.code ?? dispute.code)
            do {
                return try await service.register(at: req.now, actor: actor, areaPath: areaPath, committeePath: committeePath, key: key) { code in
                    MediationRegistration(code: code, typeCode: type.code, description: c.report.description, areas: areas, tier: tier,
                                          channel: .people, source: .caseReport, caseID: c.id, parties: [applicant],
                                          amount: 0, peopleCount: 1, threatOfViolence: false)
                }
            } catch {
                // Opened by someone else at the same moment: the unique case id keeps one.
                guard (error as? any DatabaseError)?.isConstraintFailure == true,
                      let existing = try await MediationQueries.find(caseID: c.id, on: req.db) else { throw error }
                return .found(existing)
            }
        }
        // Direct registration: walk-in, hotline or a referral.
        guard let typeCode = dto.typeCode else { throw APIError.badRequest("type_code is required", field: "type_code") }
        guard service.catalogue.type(typeCode) != nil else { throw APIError.badRequest("unknown type_code \(typeCode.prefix(64))", field: "type_code") }
        let description = try text(dto.description, "description", max: 4_000, multiline: true)
        guard let areaCode = dto.areaCode else { throw APIError.badRequest("area_code is required", field: "area_code") }
        guard areaCode.utf8.count <= 64, let area = j[areaCode], staff.scope.covers(areaCode, in: j) else {
            throw APIError.badRequest("no area \(areaCode.prefix(64)) in your scope", field: "area_code")
        }
        let areas = j.chain(from: area.code).map { AreaRef(code: $0.code, level: $0.level) }
        guard let lowest = lowestTier(of: areas) else { throw APIError.badRequest("area \(areaCode) has no committee", field: "area_code") }
        var tier = lowest
        if let t = dto.tier {
            guard let chosen = MediationTier(rawValue: t), chosen >= lowest else { throw APIError.badRequest("tier is one of grid, village, township, county, not below the area's", field: "tier") }
            tier = chosen
        }
        guard let sourceText = dto.source, let source = MediationSource(rawValue: sourceText), source != .caseReport else {
            throw APIError.badRequest("source is one of walk_in, hotline, police, court, petition (a case is opened with case_id)", field: "source")
        }
        let channel = try dto.channel.map { c -> MediationChannel in
            guard let ch = MediationChannel(rawValue: c) else { throw APIError.badRequest("channel is one of people, administrative, judicial", field: "channel") }
            return ch
        } ?? .people
        let amount: Fen
        if let y = dto.amountYuan {
            guard let f = Yuan.fen(y) else { throw APIError.badRequest("amount_yuan must be a sum of money, not negative", field: "amount_yuan") }
            amount = f
        } else { amount = 0 }
        let people = dto.peopleCount ?? 1
        guard (1...100_000).contains(people) else { throw APIError.badRequest("people_count must be from 1 to 100000", field: "people_count") }
        guard let partyDTOs = dto.parties, !partyDTOs.isEmpty else { throw APIError.badRequest("parties are required: at least the applicant", field: "parties") }
        guard partyDTOs.count <= 50 else { throw APIError.badRequest("at most 50 parties", field: "parties") }
        var parties: [MediationParty] = []
        for (i, p) in partyDTOs.enumerated() {
            guard let role = MediationParty.Role(rawValue: p.role) else { throw APIError.badRequest("parties[\(i)].role is applicant, respondent or third_party", field: "parties[\(i)].role") }
            guard let kind = MediationParty.Kind(rawValue: p.kind) else { throw APIError.badRequest("parties[\(i)].kind is person or organisation", field: "parties[\(i)].kind") }
            let name = try text(p.name, "parties[\(i)].name", max: 100)
            var phone: String?
            if let digits = CaseIntakeRules.phoneDigits(p.phone) {
                guard digits.count <= 20, CaseIntakeRules.isPhoneNumber(digits) else { throw APIError.badRequest("parties[\(i)].phone is not a phone number", field: "parties[\(i)].phone") }
                phone = digits
            }
            parties.append(MediationParty(role: role, kind: kind, name: name, phone: phone))
        }
        let areaPath = j.path(of: area.code)
        let (chosenTier, chosenParties) = (tier, parties)
        let committeeCode = areas.filter { $0.level <= tier.level }.max { $0.level < $1.level }?.code ?? area.code
        return try await service.register(at: req.now, actor: actor, areaPath: areaPath, committeePath: j.path(of: committeeCode), key: key) { code in
            MediationRegistration(code: code, typeCode: typeCode, description: description, areas: areas, tier: chosenTier, channel: channel,
                                  source: source, caseID: nil, parties: chosenParties, amount: amount, peopleCount: people,
                                  threatOfViolence: dto.threatOfViolence ?? false)
        }
    }

    /// The lowest committee tier of an area chain (a cell counts as its grid).
    static func lowestTier(of areas: [AreaRef]) -> MediationTier? {
        areas.compactMap { MediationTier(level: $0.level) }.min()
    }

    static func text(_ value: String?, _ field: String, max: Int, multiline: Bool = false) throws -> String {
        let t = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty else { throw APIError.badRequest("\(field) is required", field: field) }
        guard t.count <= max else { throw APIError.badRequest("\(field) is at most \(max) characters", field: field) }
        guard TextInput.isClean(t, multiline: multiline) else { throw APIError.badRequest("\(field) holds control or invisible characters (such as direction marks)", field: field) }
        return t
    }

    static func answer(_ m: StoredMediation, status: HTTPStatus, req: Request) async throws -> Response {
        let r = Response(status: status)
        try r.content.encode(try await summary(m, req: req), as: .json)
        return r
    }

    // MARK: Reading

    /// The mediation named by the path's id, if the caller may see it; else 404 (the shared door).
    static func visible(_ req: Request, staff: StaffAccount) async throws -> StoredMediation {
        try await RecordDoor<MediationKind>.visible(req, staff: staff)
    }

    static func summary(_ m: StoredMediation, req: Request) async throws -> MediationSummaryDTO {
        let ref = try await req.reference()
        let j = try await req.jurisdiction()
        let s = m.snapshot
        let type = req.application.mediationService.catalogue.type(s.registration.typeCode)
        let colour = MediationLifecycle.clockStatus(of: s, at: req.now, calendar: ref.calendar)?.colour.rawValue
        return MediationSummaryDTO(id: m.id, code: m.code, status: s.state.rawValue, statusName: s.state.nameZH, tier: s.tier.rawValue,
                                   type: NamedCodeDTO(code: s.registration.typeCode, name: type?.name ?? s.registration.typeCode, nameEn: type?.nameEN ?? s.registration.typeCode),
                                   area: s.registration.areas.first.map { j[$0.code]?.name ?? $0.code } ?? "",
                                   committeeArea: j[s.committeeArea.code]?.name ?? s.committeeArea.code,
                                   deadlines: MediationDeadlineDTO(due: s.deadline, colour: colour), caseId: s.registration.caseID,
                                   risk: s.riskOfEscalation, amountYuan: Yuan.of(s.registration.amount), peopleCount: s.registration.peopleCount,
                                   mediators: s.mediators)
    }

    /// `GET /api/v1/mediations?status=&area=&type=&mediator=&tier=&page=`.
    static func list(_ req: Request) async throws -> MediationListDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let path = j.path(of: staff.scope.areaCode)
        var f = MediationFilter(scopePath: path, mediatorScope: staff.role == .mediator ? (staff.username, path) : nil)
        f.states = try req.listQuery("status", of: MediationState.self, maxLength: 200)
        if let a = try req.areaQuery(staff, j) { f.areaPath = j.path(of: a) }
        if let t = try req.textQuery("type", maxLength: 64) {
            guard req.application.mediationService.catalogue.type(t) != nil else { throw APIError.badRequest("unknown type \(t)", field: "type") }
            f.typeCode = t
        }
        if let t = try req.textQuery("tier", maxLength: 16) {
            guard let tier = MediationTier(rawValue: t) else { throw APIError.badRequest("tier is grid, village, township or county", field: "tier") }
            f.tier = tier
        }
        if let m = try req.textQuery("mediator", maxLength: 64) {
            guard TextInput.isClean(m) else { throw APIError.badRequest("mediator is a mediator's id", field: "mediator") }
            f.mediator = m
        }
        let page = try req.intQuery("page", 1...10_000) ?? 1
        let per = try req.intQuery("per", 1...200) ?? 50
        let found = try await MediationQueries.list(f, page: page, per: per, on: req.db)
        var items: [MediationSummaryDTO] = []
        for m in found.items { items.append(try await summary(m, req: req)) }
        return MediationListDTO(mediations: items, total: found.total, page: page, per: per)
    }

    /// `GET /api/v1/mediations/{id}`: the mediation with its parties (contacts masked by the personal-data policy),
    /// sessions, agreement, performance, confirmation, follow-ups, timeline and what the caller may do now.
    static func show(_ req: Request) async throws -> MediationDetailDTO {
        try await RecordDoor<MediationKind>.show(req)
    }

    static func detail(_ m: StoredMediation, staff: StaffAccount, req: Request) async throws -> MediationDetailDTO {
        let s = m.snapshot
        let records = try await RecordStore<MediationKind>.actions(id: m.id, on: req.db)
        let parties = s.registration.parties.map { p in
            let c = PersonalDataPolicy.contact(name: p.kind == .organisation ? nil : p.name, phone: p.phone, shownTo: staff.role)
            return MediationPartyDTO(role: p.role.rawValue, kind: p.kind.rawValue, name: p.kind == .organisation ? p.name : (c.name ?? ""), phone: c.phone)
        }
        try await req.audit(PersonalDataViews.parties(of: m, shownTo: staff.role))
        return MediationDetailDTO(
            mediation: try await summary(m, req: req), description: s.registration.description, source: s.registration.source.rawValue,
            channel: s.registration.channel.rawValue, parties: parties,
            sessions: s.sessions.map { MediationSessionDTO(at: $0.at, place: $0.place, notes: $0.notes, participants: $0.participants) },
            terms: s.terms.enumerated().map { i, t in MediationTermOutDTO(obligor: t.obligor, description: t.description, amountYuan: Yuan.of(t.amount), dueDate: t.dueDate.description, paidYuan: Yuan.of(s.paid(onTerm: i))) },
            agreedOn: s.agreedOn?.description,
            confirmation: s.confirmation.map { MediationConfirmationDTO(appliedOn: $0.appliedOn.description, court: $0.court, confirmed: $0.confirmed, refusalReason: $0.refusalReason) },
            followUps: s.followUps.map { MediationFollowUpDTO(result: $0.result.rawValue, notes: $0.notes, at: $0.at) },
            failureRoute: s.failureRoute?.rawValue,
            timeline: records.enumerated().map { i, r in
                MediationEventDTO(seq: i + 1, action: r.kind.rawValue, name: r.kind.nameZH, at: r.at, actor: r.actor.staff?.username ?? r.actor.kind,
                                  from: r.fromState?.rawValue, to: r.toState.rawValue, note: r.note)
            },
            allowedActions: MediationLifecycle.allowedActions(for: s, actor: RecordActor(staff)).map(\.rawValue))
    }

    // MARK: Actions

    /// `POST /api/v1/mediations/{id}/actions`: refused by the rules → 409 with the allowed list; bad input → 400
    /// naming the field; outside the caller's scope → 404; someone else first → 409.
    static func act(_ req: Request) async throws -> MediationDetailDTO {
        try await RecordDoor<MediationKind>.act(req)
    }

    static func command(_ b: MediationActionDTO, staff: StaffAccount) throws -> MediationCommand {
        func date(_ v: String?, _ field: String) throws -> CivilDate {
            guard let v, v.utf8.count <= 10, let d = CivilDate(v) else { throw APIError.badRequest("\(field) is a date (YYYY-MM-DD)", field: field) }
            return d
        }
        func money(_ v: Double?, _ field: String) throws -> Fen {
            guard let v, let f = Yuan.fen(v) else { throw APIError.badRequest("\(field) must be a sum of money, not negative", field: field) }
            return f
        }
        func optionalText(_ v: String?, _ field: String) throws -> String? {
            guard let v, !v.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            return try text(v, field, max: 2_000, multiline: true)
        }
        switch b.action {
        case "accept":
            let c = try b.complexity.map { c -> MediationComplexity in
                guard let x = MediationComplexity(rawValue: c) else { throw APIError.badRequest("complexity is simple or general", field: "complexity") }
                return x
            } ?? .general
            return .accept(complexity: c)
        case "assign":
            guard let ids = b.mediatorIds, !ids.isEmpty, ids.count <= 10, ids.allSatisfy({ $0.utf8.count <= 64 && TextInput.isClean($0) }) else {
                throw APIError.badRequest("mediator_ids lists 1 to 10 mediators", field: "mediator_ids")
            }
            return .assign(mediators: ids)
        case "schedule_session":
            guard let at = b.at else { throw APIError.badRequest("at is required (an ISO 8601 instant)", field: "at") }
            return .scheduleSession(at: at, place: try text(b.place, "place", max: 200))
        case "record_session":
            let participants = b.participants ?? []
            guard participants.count <= 50 else { throw APIError.badRequest("at most 50 participants", field: "participants") }
            return .recordSession(notes: try text(b.notes, "notes", max: 4_000, multiline: true),
                                  participants: try participants.enumerated().map { try text($1, "participants[\($0)]", max: 100) })
        case "escalate":
            return .escalate(reason: try text(b.reason, "reason", max: 2_000, multiline: true))
        case "extend":
            guard let days = b.days else { throw APIError.badRequest("days is required", field: "days") }
            return .extend(days: days, applicantConsents: b.consent?.applicant ?? false, respondentConsents: b.consent?.respondent ?? false)
        case "agree":
            let terms = b.terms ?? []
            guard terms.count <= 50 else { throw APIError.badRequest("at most 50 terms", field: "terms") }
            return .agree(terms: try terms.enumerated().map { i, t in
                AgreementTerm(obligor: try text(t.obligor, "terms[\(i)].obligor", max: 100),
                              description: try text(t.description, "terms[\(i)].description", max: 2_000, multiline: true),
                              amount: try money(t.amountYuan, "terms[\(i)].amount_yuan"), dueDate: try date(t.dueDate, "terms[\(i)].due_date"))
            })
        case "fail":
            guard let r = b.route, let route = FailureRoute(rawValue: r) else { throw APIError.badRequest("route is court, arbitration or administrative", field: "route") }
            return .fail(route: route, note: try optionalText(b.note, "note"))
        case "withdraw":
            return .withdraw(note: try optionalText(b.note, "note"))
        case "record_performance":
            guard let term = b.term, (0...49).contains(term) else { throw APIError.badRequest("term is the index of an agreement term", field: "term") }
            return .recordPerformance(TermPerformance(term: term, amount: try money(b.amountYuan, "amount_yuan"), performedOn: try date(b.performedOn, "performed_on")))
        case "apply_confirmation":
            return .applyConfirmation(appliedOn: try date(b.appliedOn, "applied_on"), court: try text(b.court, "court", max: 200))
        case "confirm":
            return .confirm
        case "refuse_confirmation":
            return .refuseConfirmation(reason: try text(b.reason, "reason", max: 2_000, multiline: true))
        case "follow_up":
            guard let r = b.result, let result = FollowUpResult(rawValue: r) else { throw APIError.badRequest("result is settled or recurred", field: "result") }
            return .followUp(result: result, notes: try optionalText(b.notes, "notes") ?? "")
        case "close":
            return .close
        case "supervise":
            return .supervise(.leader, note: try optionalText(b.note, "note"))
        default:
            throw APIError.badRequest("unknown action \(b.action.prefix(64))", field: "action")
        }
    }

    // MARK: Measures

    /// `GET /api/v1/mediations/measures?area=&from=&to=`: received, concluded, agreements, success rate, settled at
    /// the first tier, confirmation rate, amounts and people; by type, tier and mediator.
    static func measures(_ req: Request) async throws -> MediationMeasuresDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let ref = try await req.reference()
        let (a, path, period, fromText, toText) = try req.measureScope(staff, j, ref.calendar)
        let c = try await counts(scopePath: path, period: period, calendar: ref.calendar, cache: req.wangge.pieces, on: req.db)
        let catalogue = req.application.mediationService.catalogue
        return MediationMeasuresDTO(
            area: AreaRefDTO(code: a.code, name: a.name), from: fromText, to: toText, total: MediationCountsDTO(c.total),
            byType: c.byType.sorted { $0.key < $1.key }.map { MediationCountsDTO($0.value, key: $0.key, name: catalogue.type($0.key)?.name) },
            byTier: MediationTier.allCases.compactMap { t in c.byTier[t.rawValue].map { MediationCountsDTO($0, key: t.rawValue, name: t.nameZH) } },
            byMediator: c.byMediator.sorted { $0.key < $1.key }.map { MediationCountsDTO($0.value, key: $0.key) })
    }

    /// The measures of a period: the sum of its pieces (months, cut at the period's ends), each one GROUP BY over
    /// the stored facts (`MediationMeasureQueries`, the seam the case measures have too) or, while no write has
    /// touched its month since, as `cache` kept it.
    static func counts(scopePath: String, period: DateInterval, calendar: WorkingCalendar, cache: PieceCache,
                       on db: any Database) async throws -> MediationMeasureQueries.Groups {
        let pieces = try await cache.pieces(kind: MediationMeasureQueries.counterKind, scopePath: scopePath, interval: period,
                                            cuts: [], asOf: .distantFuture, freshFor: .infinity, calendar: calendar, on: db) { span, stamp in
            try await MediationMeasureQueries.pieceCounts(scopePath: scopePath, interval: span, stamp: stamp, calendar: calendar, on: db)
        }
        var g = MediationMeasureQueries.Groups()
        for p in pieces { g.add(p.groups) }
        return g
    }
}

/// Mediation at the API's shared door: an action's body becomes a `MediationCommand`, a record is answered as
/// `MediationDetailDTO`.
extension MediationKind: DoorKind {
    static func command(_ body: MediationActionDTO, staff: StaffAccount, req: Request) async throws -> MediationCommand {
        try MediationsAPI.command(body, staff: staff)
    }

    static func detail(_ m: StoredMediation, staff: StaffAccount, req: Request) async throws -> MediationDetailDTO {
        try await MediationsAPI.detail(m, staff: staff, req: req)
    }
}
