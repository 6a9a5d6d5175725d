import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The two small registers an administrator keeps beside the risk register and the index (issue 19): heightened
/// periods, which tighten the review cadence of the risks they cover (the clock job reschedules them), and grave
/// events, which the month's index deducts for. Each entry is written once and called off (withdrawn) with a note,
/// never edited or deleted, so what a published revision counted stays explainable.
enum SafetyRegistersAPI {
    /// Who sets heightened periods and records grave events: the command centre's operators and administrators, for
    /// the areas of their scope.
    static let keepers: Set<Role> = [.operator, .admin]
    static let listLimit = 200

    // MARK: Heightened periods

    /// `GET /api/v1/heightened-periods?withdrawn=true`: the periods in force, to come and of the last 400 days,
    /// the latest start first.
    static func periods(_ req: Request) async throws -> HeightenedPeriodListDTO {
        _ = try req.requireStaff()
        let withdrawn = try req.boolQuery("withdrawn") ?? false
        let j = try await req.jurisdiction()
        let rows = try await SafetyRegisterQueries.periods(endAfter: req.now.addingTimeInterval(-RiskPolicies.lookBack), includeWithdrawn: withdrawn,
                                                           limit: listLimit, on: req.db)
        return HeightenedPeriodListDTO(periods: rows.map { dto($0, j: j, now: req.now) })
    }

    /// `POST /api/v1/heightened-periods` `{"name", "start", "end", "area_codes"}` (instants in ISO 8601 with their
    /// offset): 201 with the period; the clock job reschedules the reviews it moves within its next run.
    static func createPeriod(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let b = try req.content.decode(HeightenedPeriodBody.self)
        guard b.areaCodes.count <= HeightenedPeriod.maximumAreas else {
            throw APIError.badRequest("area_codes names at most \(HeightenedPeriod.maximumAreas) areas", field: "area_codes")
        }
        let period = HeightenedPeriod(name: b.name.trimmingCharacters(in: .whitespaces), start: try instant(b.start, "start"), end: try instant(b.end, "end"),
                                      areaCodes: Array(NSOrderedSet(array: b.areaCodes).compactMap { $0 as? String }))
        if let p = period.problems.first { throw APIError.badRequest("\(p.field) \(p.reason)", field: p.field) }
        for (i, code) in period.areaCodes.enumerated() where j[code] == nil || !staff.scope.covers(code, in: j) {
            throw APIError.badRequest("no area \(code) in your scope", field: "area_codes[\(i)]")
        }
        guard period.end > req.now else { throw APIError.badRequest("must be after now: a period that has ended tightens nothing", field: "end") }
        let db = req.db, now = req.now, by = staff.username
        let id = try await req.wangge.writes.run(on: db) { try await SafetyRegisterQueries.insert(period, by: by, at: now, on: db) }
        guard let stored = try await SafetyRegisterQueries.period(id: id, on: db) else { throw Abort(.internalServerError) }
        let response = Response(status: .created)
        try response.content.encode(dto(stored, j: j, now: now), as: .json)
        return response
    }

    /// `POST /api/v1/heightened-periods/{id}/call-off` `{"note"}`: the period no longer tightens anything; the clock
    /// job puts the reviews it moved back on their cadence.
    static func callOff(_ req: Request) async throws -> HeightenedPeriodDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        guard let id = req.parameters.get("id", as: UUID.self), let p = try await SafetyRegisterQueries.period(id: id, on: req.db),
              p.period.areaCodes.allSatisfy({ staff.scope.covers($0, in: j) }) else {
            throw APIError.notFound("no such heightened period in your scope")
        }
        let note = try self.note(try req.content.decode(WithdrawBody.self).note)
        let db = req.db, now = req.now, by = staff.username
        guard try await req.wangge.writes.run(on: db, { try await SafetyRegisterQueries.withdraw(.heightenedPeriods, id: id, at: now, by: by, note: note, on: db) }) else {
            throw APIError(.conflict, "conflict", "the period was called off already")
        }
        var out = p
        out.meta.withdrawnAt = now
        out.meta.withdrawnBy = by
        out.meta.note = note
        return dto(out, j: j, now: now)
    }

    static func dto(_ p: StoredHeightenedPeriod, j: Jurisdiction, now: Date) -> HeightenedPeriodDTO {
        HeightenedPeriodDTO(id: p.meta.id, name: p.period.name, start: p.period.start, end: p.period.end,
                            areas: p.period.areaCodes.map { AreaRefDTO(code: $0, name: j[$0]?.name ?? $0) },
                            inForce: p.meta.withdrawnAt == nil && p.period.start <= now && now < p.period.end,
                            createdBy: p.meta.createdBy, createdAt: p.meta.createdAt, calledOffAt: p.meta.withdrawnAt,
                            calledOffBy: p.meta.withdrawnBy, note: p.meta.note)
    }

    // MARK: Grave events

    /// `GET /api/v1/grave-events?area=&month=&withdrawn=true`: the caller's scope, the latest first.
    static func graveEvents(_ req: Request) async throws -> GraveEventListDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let path = j.path(of: try req.areaQuery(staff, j) ?? staff.scope.areaCode)
        let month = try req.monthQuery("month")
        let withdrawn = try req.boolQuery("withdrawn") ?? false
        let rows = try await SafetyRegisterQueries.graveEvents(scopePath: path, month: month?.description, includeWithdrawn: withdrawn, limit: listLimit, on: req.db)
        let formula = try await SafetyIndexService(app: req.application).settings().settings.formula
        return GraveEventListDTO(events: rows.map { dto($0, j: j, formula: formula) })
    }

    /// `POST /api/v1/grave-events` `{"area_code", "occurred_on", "code", "summary"}`: 201 with the event. The
    /// month's index deducts for it from its next computation; a published revision is not rewritten (recompute
    /// the month for a new one).
    static func createGraveEvent(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let b = try req.content.decode(GraveEventBody.self)
        guard b.areaCode.utf8.count <= 64, j[b.areaCode] != nil, staff.scope.covers(b.areaCode, in: j) else {
            throw APIError.badRequest("no area \(b.areaCode.prefix(64)) in your scope", field: "area_code")
        }
        guard b.occurredOn.utf8.count <= 10, let day = CivilDate(b.occurredOn) else {
            throw APIError.badRequest("occurred_on is a date (YYYY-MM-DD)", field: "occurred_on")
        }
        let event = GraveEvent(areaCode: b.areaCode, occurredOn: day, code: b.code, summary: b.summary.trimmingCharacters(in: .whitespacesAndNewlines))
        let formula = try await SafetyIndexService(app: req.application).settings().settings.formula
        let today = try await req.reference().calendar.civilDate(of: req.now)
        if let p = event.problems(formula: formula, today: today).first {
            throw APIError.badRequest("\(p.field) \(p.reason)", field: p.field == "area" ? "area_code" : p.field)
        }
        let db = req.db, now = req.now, by = staff.username, path = j.path(of: b.areaCode)
        let id = try await req.wangge.writes.run(on: db) { try await SafetyRegisterQueries.insert(event, areaPath: path, by: by, at: now, on: db) }
        guard let stored = try await SafetyRegisterQueries.graveEvent(id: id, on: db) else { throw Abort(.internalServerError) }
        let response = Response(status: .created)
        try response.content.encode(dto(stored, j: j, formula: formula), as: .json)
        return response
    }

    /// `POST /api/v1/grave-events/{id}/withdraw` `{"note"}` (why: recorded in error, not grave after all).
    static func withdrawGraveEvent(_ req: Request) async throws -> GraveEventDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        guard let id = req.parameters.get("id", as: UUID.self), var e = try await SafetyRegisterQueries.graveEvent(id: id, on: req.db),
              e.areaPath.hasPrefix(j.path(of: staff.scope.areaCode)) else {
            throw APIError.notFound("no such grave event in your scope")
        }
        let note = try self.note(try req.content.decode(WithdrawBody.self).note)
        guard let note else { throw APIError.badRequest("say why it is withdrawn", field: "note") }
        let db = req.db, now = req.now, by = staff.username
        guard try await req.wangge.writes.run(on: db, { try await SafetyRegisterQueries.withdraw(.graveEvents, id: id, at: now, by: by, note: note, on: db) }) else {
            throw APIError(.conflict, "conflict", "the event was withdrawn already")
        }
        e.meta.withdrawnAt = now
        e.meta.withdrawnBy = by
        e.meta.note = note
        let formula = try await SafetyIndexService(app: req.application).settings().settings.formula
        return dto(e, j: j, formula: formula)
    }

    static func dto(_ e: StoredGraveEvent, j: Jurisdiction, formula: SafetyIndexFormula) -> GraveEventDTO {
        let d = formula.deductions.first { $0.code == e.event.code }
        return GraveEventDTO(id: e.meta.id, area: AreaRefDTO(code: e.event.areaCode, name: j[e.event.areaCode]?.name ?? e.event.areaCode),
                             occurredOn: e.event.occurredOn.description, month: e.event.month, code: e.event.code, codeName: d?.name ?? e.event.code,
                             summary: e.event.summary, createdBy: e.meta.createdBy, createdAt: e.meta.createdAt,
                             withdrawnAt: e.meta.withdrawnAt, withdrawnBy: e.meta.withdrawnBy, note: e.meta.note)
    }

    // MARK: Input

    /// An instant in ISO 8601 with its offset ("2026-12-31T18:00:00+08:00"), from 2000 to 2100.
    static func instant(_ text: String, _ field: String) throws -> Date {
        let f = ISO8601DateFormatter()
        guard text.utf8.count <= 40 else { throw APIError.badRequest("\(field) is an instant like 2026-12-31T18:00:00+08:00", field: field) }
        var date = f.date(from: text)
        if date == nil {
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            date = f.date(from: text)
        }
        guard let d = date, d >= Request.earliest, d < Request.latest else {
            throw APIError.badRequest("\(field) is an instant like 2026-12-31T18:00:00+08:00, from 2000 to 2100", field: field)
        }
        return d
    }

    static func note(_ n: String?) throws -> String? { try BodyText.optional(n, field: "note", max: RiskLimits.textLength) }
}

struct HeightenedPeriodBody: Content {
    var name: String
    var start: String
    var end: String
    var areaCodes: [String]
}

struct WithdrawBody: Content {
    var note: String?
}

struct HeightenedPeriodDTO: Content {
    var id: UUID
    var name: String
    var start: Date
    var end: Date
    var areas: [AreaRefDTO]
    var inForce: Bool
    var createdBy: String
    var createdAt: Date
    var calledOffAt: Date?
    var calledOffBy: String?
    var note: String?
}

struct HeightenedPeriodListDTO: Content {
    var periods: [HeightenedPeriodDTO]
}

struct GraveEventBody: Content {
    var areaCode: String
    var occurredOn: String
    var code: String
    var summary: String
}

struct GraveEventDTO: Content {
    var id: UUID
    var area: AreaRefDTO
    var occurredOn: String
    var month: String
    var code: String
    var codeName: String
    var summary: String
    var createdBy: String
    var createdAt: Date
    var withdrawnAt: Date?
    var withdrawnBy: String?
    var note: String?
}

struct GraveEventListDTO: Content {
    var events: [GraveEventDTO]
}
