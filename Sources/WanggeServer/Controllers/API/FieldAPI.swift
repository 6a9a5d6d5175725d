import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// Household visits, their coverage and the worker's "today" list (issue 20). The target is every household met
/// once a quarter (`VisitPeriod.quarter`; per-grid targets are not configurable yet). Coverage counts households
/// met, never check-ins or time spent.
enum FieldAPI {
    /// The grids under `area`, in code order.
    static func grids(under area: String, _ j: Jurisdiction) -> [Area] {
        let scope = j.path(of: area)
        return j.areas.filter { $0.level == .grid && j.path(of: $0.code).hasPrefix(scope) }.sorted { $0.code < $1.code }
    }

    /// The grids under `area`, grouped by their visit target's period (the county's `field.json`, `VisitTargets`).
    static func targetGroups(under area: String, j: Jurisdiction, targets: VisitTargets) -> [(period: VisitPeriod, grids: [String])] {
        let lookup = targets.lookup
        let groups = Dictionary(grouping: grids(under: area, j)) { lookup.period(forChain: j.chain(from: $0.code).map(\.code)) }
        return VisitPeriod.allCases.compactMap { p in groups[p].map { (p, $0.map(\.code)) } }
    }

    /// A county's scope is read whole; a narrower one names its grids (`VisitQueries`, M044).
    static func isWide(_ area: String, _ j: Jurisdiction) -> Bool { (j[area]?.level ?? .county) == .county }

    /// The grids under a narrow scope, nil for a county's (see `isWide`).
    static func narrowGrids(under area: String, _ j: Jurisdiction) -> [String]? {
        isWide(area, j) ? nil : grids(under: area, j).map(\.code)
    }

    /// Each grid under `area` counted over its own target's period holding `day`, from the period's first day to
    /// `until(range)` (exclusive), with that range: the dashboard counts the whole current period, the assessment up
    /// to the month's end.
    static func coverageByTarget(under area: String, day: CivilDate, j: Jurisdiction, targets: VisitTargets,
                                 until: (_ first: CivilDate, _ next: CivilDate) -> CivilDate,
                                 on db: any Database) async throws -> [(grid: GridCoverage, first: CivilDate, until: CivilDate, next: CivilDate)] {
        var out: [(grid: GridCoverage, first: CivilDate, until: CivilDate, next: CivilDate)] = []
        for g in targetGroups(under: area, j: j, targets: targets) {
            let range = g.period.range(holding: day), wanted = Set(g.grids), end = until(range.first, range.next)
            let counted = try await VisitQueries.coverage(scopePath: j.path(of: area), first: range.first, next: end,
                                                          grids: isWide(area, j) ? nil : g.grids, on: db)
            out += counted.filter { wanted.contains($0.gridCode) }.map { ($0, range.first, end, range.next) }
        }
        return out.sorted { $0.grid.gridCode < $1.grid.gridCode }
    }

    /// The households under `area` not yet met in their grid's current target period: the first `limit` and how many,
    /// and the periods' names.
    static func due(under area: String, day: CivilDate, j: Jurisdiction, targets: VisitTargets, limit: Int,
                    on db: any Database) async throws -> (items: [StoredRegistryEntry], total: Int, periods: [String]) {
        let groups = targetGroups(under: area, j: j, targets: targets)
        var items: [StoredRegistryEntry] = [], total = 0
        for g in groups {
            let (first, next) = g.period.range(holding: day)
            let found = try await VisitQueries.due(scopePath: j.path(of: area), first: first, next: next,
                                                   grids: groups.count == 1 && isWide(area, j) ? nil : g.grids,
                                                   limit: max(0, limit - items.count), on: db)
            items += found.items
            total += found.total
        }
        return (items, total, groups.map { $0.period.name(holding: day) })
    }
    static let noteLength = 500
    /// A visit recorded offline may be sent up to this many days later.
    static let lateDays = 30

    /// `POST /api/v1/visits` `{"household_id", "outcome": "met" | "not_home", "note", "day"}` (day: today by default,
    /// at most 30 days back for an outbox that was offline). With an `Idempotency-Key` a retry answers the same visit.
    static func visit(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let body = try req.content.decode(VisitBody.self)
        let key = try IdempotencyKey.from(req)
        let hash = try key == nil ? "" : CasesAPI.hash(body)
        if let earlier = try await IdempotencyKey.earlier(kind: "visit", key: key, hash: hash, on: req) {
            return try await visitAnswer(earlier, body: body, status: .ok, req: req)
        }
        let j = try await req.jurisdiction()
        guard let household = try await RegistryQueries.find(id: body.householdID, on: req.db), household.entry.kind == .household,
              staff.scope.covers(household.gridCode, in: j) else {
            throw APIError.badRequest("no household \(body.householdID) in your grids", field: "household_id")
        }
        guard let outcome = VisitOutcome(rawValue: body.outcome) else {
            throw APIError.badRequest("outcome is one of \(VisitOutcome.allCases.map(\.rawValue).joined(separator: ", "))", field: "outcome")
        }
        let today = try await req.reference().calendar.civilDate(of: req.now)
        var day = today
        if let d = body.day {
            guard d.utf8.count <= 10, let parsed = CivilDate(d), parsed <= today, parsed >= today.adding(days: -lateDays) else {
                throw APIError.badRequest("day is a date (YYYY-MM-DD) from \(lateDays) days ago to today", field: "day")
            }
            day = parsed
        }
        let note = try BodyText.optional(body.note, field: "note", max: noteLength)
        let db = req.db, now = req.now, by = staff.username, visitDay = day
        let id: UUID
        do {
            id = try await req.wangge.writes.run(on: db) {
                try await VisitQueries.insert(householdID: household.id, gridCode: household.gridCode, areaPath: household.areaPath, day: visitDay,
                                              outcome: outcome, note: note, by: by, at: now, key: key.map { ($0, hash) }, on: db)
            }
        } catch {
            if let earlier = try await IdempotencyKey.earlier(kind: "visit", key: key, hash: hash, on: req) {
                return try await visitAnswer(earlier, body: body, status: .ok, req: req)
            }
            throw error
        }
        return try await visitAnswer(id, body: body, status: .created, req: req)
    }

    static func visitAnswer(_ id: UUID, body: VisitBody, status: HTTPStatus, req: Request) async throws -> Response {
        let response = Response(status: status)
        try response.content.encode(VisitDTO(id: id, householdId: body.householdID, outcome: body.outcome), as: .json)
        return response
    }

    /// `GET /api/v1/coverage?area=&period=2026-Q4`: per grid of the area, the households in the registry and those
    /// met in the period (this quarter by default), with the rate; and the area's total.
    static func coverage(_ req: Request) async throws -> CoverageDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let area = try req.areaQuery(staff, j) ?? staff.scope.areaCode
        let targets = req.wangge.fieldCatalogue.visitTargets
        let groups = targetGroups(under: area, j: j, targets: targets)
        let (period, day) = try periodQuery(req, today: try await req.reference().calendar.civilDate(of: req.now),
                                            default: groups.count == 1 ? groups[0].period : targets.period)
        let (first, next) = period.range(holding: day)
        let grids = try await VisitQueries.coverage(scopePath: j.path(of: area), first: first, next: next,
                                                    grids: isWide(area, j) ? nil : groups.flatMap(\.grids), on: req.db)
        let target = Dictionary(groups.flatMap { g in g.grids.map { ($0, g.period.rawValue) } }, uniquingKeysWith: { a, _ in a })
        let households = grids.reduce(0) { $0 + $1.households }, visited = grids.reduce(0) { $0 + $1.visited }
        return CoverageDTO(area: AreaRefDTO(code: area, name: j[area]?.name ?? area), period: period.name(holding: day), from: first.description,
                           to: next.adding(days: -1).description, households: households, visited: visited,
                           rate: Measure(numerator: visited, denominator: households).rate,
                           grids: grids.map { GridCoverageDTO(grid: AreaRefDTO(code: $0.gridCode, name: j[$0.gridCode]?.name ?? $0.gridCode),
                                                              households: $0.households, visited: $0.visited, rate: $0.measure.rate,
                                                              target: target[$0.gridCode] ?? targets.period.rawValue) })
    }

    /// `GET /api/v1/field/today`: what is due in the caller's scope now: the households not yet met this quarter
    /// (the first 50 by address, and how many).
    static func today(_ req: Request) async throws -> TodayDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let day = try await req.reference().calendar.civilDate(of: req.now)
        let scope = j.path(of: staff.scope.areaCode)
        let due = try await due(under: staff.scope.areaCode, day: day, j: j, targets: req.wangge.fieldCatalogue.visitTargets, limit: 50, on: req.db)
        let care = try await careDue(scopePath: scope, day: day, staff: staff, j: j, on: req.db)
        return TodayDTO(day: day.description, period: due.periods.joined(separator: ","), householdsDue: due.total,
                        households: due.items.map { RegistryAPI.dto($0, j: j, role: staff.role) }, careDue: care,
                        reinspectionsDue: try await reinspections(scopePath: scope, on: req.db))
    }

    /// Care visits due by `day` in the scope, for those who make them (their needs are on the plan, not here: the
    /// list names the address and the day); at most 50.
    static func careDue(scopePath: String, day: CivilDate, staff: StaffAccount, j: Jurisdiction, on db: any Database) async throws -> [CareDueDTO] {
        guard CareAPI.carers.contains(staff.role) else { return [] }
        let plans = try await CareQueries.list(scopePath: scopePath, dueBy: day, limit: 50, on: db).filter { staff.scope.covers($0.gridCode, in: j) }
        var out: [CareDueDTO] = []
        for p in plans {
            out.append(CareDueDTO(planId: p.id, address: try await RegistryQueries.find(id: p.householdID, on: db)?.entry.address ?? "", nextDue: p.nextDue.description))
        }
        return out
    }

    /// The places of the scope due for inspection again: their latest inspection raised hazard cases and every one
    /// of them is finished (`Reinspection.dueSince`), earliest first; at most 50.
    static func reinspections(scopePath: String, on db: any Database) async throws -> [ReinspectionDueDTO] {
        let waiting = try await InspectionQueries.awaitingReinspection(scopePath: scopePath, limit: 500, on: db)
        let states = try await CaseQueries.states(codes: waiting.flatMap(\.caseCodes), on: db)
        var out: [ReinspectionDueDTO] = []
        for i in waiting {
            let cases = i.caseCodes.compactMap { states[$0] }
            guard cases.count == i.caseCodes.count, let since = Reinspection.dueSince(cases: cases) else { continue }
            out.append(ReinspectionDueDTO(placeId: i.placeID, checklistCode: i.checklistCode, inspectedAt: i.createdAt, since: since, caseCodes: i.caseCodes))
        }
        out.sort { $0.since < $1.since }
        return Array(out.prefix(50))
    }

    static func periodQuery(_ req: Request, today: CivilDate, default period: VisitPeriod) throws -> (VisitPeriod, CivilDate) {
        guard let text = try req.textQuery("period", maxLength: 10) else { return (period, today) }
        guard let parsed = VisitPeriod.parse(text) else {
            throw APIError.badRequest("period is a year (2026), half year (2026-H2), quarter (2026-Q4) or month (2026-12)", field: "period")
        }
        return parsed
    }
}

struct VisitBody: Content {
    var householdID: UUID
    var outcome: String
    var note: String?
    var day: String?

    enum CodingKeys: String, CodingKey {
        case outcome, note, day
        case householdID = "householdId"
    }
}

struct VisitDTO: Content {
    var id: UUID
    var householdId: UUID
    var outcome: String
}

struct GridCoverageDTO: Content {
    var grid: AreaRefDTO
    var households: Int
    var visited: Int
    var rate: Double?
    /// The grid's target: every household once a month, quarter, half year or year.
    var target: String
}

struct CoverageDTO: Content {
    var area: AreaRefDTO
    var period: String
    var from: String
    var to: String
    var households: Int
    var visited: Int
    var rate: Double?
    var grids: [GridCoverageDTO]
}

struct TodayDTO: Content {
    var day: String
    var period: String
    var householdsDue: Int
    var households: [RegistryEntryDTO]
    var careDue: [CareDueDTO]
    /// Places due for inspection again: the hazard cases their last inspection raised are all finished.
    var reinspectionsDue: [ReinspectionDueDTO]
}

struct ReinspectionDueDTO: Content {
    var placeId: UUID
    var checklistCode: String
    var inspectedAt: Date
    /// When the last of its cases finished.
    var since: Date
    var caseCodes: [String]
}

struct CareDueDTO: Content {
    var planId: UUID
    var address: String
    var nextDue: String
}
