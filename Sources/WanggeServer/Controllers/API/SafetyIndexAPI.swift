import Fluent
import Foundation
import Vapor
import WanggeCore
import WanggeStore

/// The safety index at the API (issue 19): a month's score and its explanation for an area, the ranking of an area's
/// children, the formula (read, saved as a new version, previewed on the last month) and a recomputation on demand
/// (a new revision; earlier ones stay readable with `revision=N`).
enum SafetyIndexAPI {
    /// `GET /api/v1/safety-index?area=&month=&revision=`: the area's index for the month (the latest published month
    /// when none is named), as published in the revision named or the current one.
    static func show(_ req: Request) async throws -> SafetyIndexDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let area = try req.areaQuery(staff, j) ?? staff.scope.areaCode
        let month = try await monthOrLatest(req)
        let revisions = try await SafetyIndexQueries.revisions(month: month.description, on: req.db)
        guard let current = revisions.last else { throw APIError(.notFound, "not_found", "the index of \(month) is not published", field: "month") }
        var chosen = current
        if let n = try req.intQuery("revision", 1...1_000_000) {
            guard let r = revisions.first(where: { $0.revision == n }) else { throw APIError(.notFound, "not_found", "\(month) has no revision \(n)", field: "revision") }
            chosen = r
        }
        guard let result = try await result(area: area, month: month, revision: chosen.revision, on: req.db) else {
            throw APIError(.notFound, "not_found", "no index for \(area) in \(month)", field: "area")
        }
        let change = try await change(area: area, month: month, score: result.scoreHundredths, on: req.db)
        return SafetyIndexDTO(result, areaName: j[area]?.name ?? area, revision: chosen, revisions: revisions.map(\.revision), change: change)
    }

    /// `GET /api/v1/safety-index/ranking?parent=&month=`: the parent's children, best first.
    static func ranking(_ req: Request) async throws -> SafetyRankingDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        var parent = staff.scope.areaCode
        if let p = try req.textQuery("parent", maxLength: 64) {
            guard j[p] != nil, staff.scope.covers(p, in: j) else { throw APIError(.notFound, "not_found", "no area \(p) in your scope", field: "parent") }
            parent = p
        }
        let month = try await monthOrLatest(req)
        guard let current = try await SafetyIndexQueries.revisions(month: month.description, on: req.db).last else {
            throw APIError(.notFound, "not_found", "the index of \(month) is not published", field: "month")
        }
        let ranked = try await rank(children: j.children(of: parent).map(\.code), month: month, revision: current.revision, j: j, on: req.db)
        return SafetyRankingDTO(parent: AreaRefDTO(code: parent, name: j[parent]?.name ?? parent), month: month.description,
                                revision: current.revision, formulaVersion: current.formulaVersion, areas: ranked)
    }

    static func rank(children: [String], month: SafetyIndexMonth, revision: Int, j: Jurisdiction, on db: any Database) async throws -> [SafetyRankDTO] {
        guard !children.isEmpty else { return [] }
        let scores = try await SafetyIndexQueries.scores(month: month.description, revision: revision, areaCodes: children, explanations: false, on: db)
        let before = try await currentScores(month: month.adding(months: -1), areas: children, on: db)
        let yearBefore = try await currentScores(month: month.adding(months: -12), areas: children, on: db)
        let sorted = scores.sorted { ($1.scoreHundredths, $0.areaCode) < ($0.scoreHundredths, $1.areaCode) }
        return sorted.enumerated().map { i, s in
            SafetyRankDTO(rank: i + 1, area: AreaRefDTO(code: s.areaCode, name: j[s.areaCode]?.name ?? s.areaCode), score: Double(s.scoreHundredths) / 100,
                          band: s.band, change: SafetyIndexChangeDTO(monthOnMonth: before[s.areaCode].map { Double(s.scoreHundredths - $0) / 100 },
                                                                     yearOnYear: yearBefore[s.areaCode].map { Double(s.scoreHundredths - $0) / 100 }))
        }
    }

    /// The current scores of `areas` in `month`, in hundredths, by area.
    static func currentScores(month: SafetyIndexMonth, areas: [String], on db: any Database) async throws -> [String: Int] {
        guard let r = try await SafetyIndexQueries.revisions(month: month.description, on: db).last else { return [:] }
        let rows = try await SafetyIndexQueries.scores(month: month.description, revision: r.revision, areaCodes: areas, explanations: false, on: db)
        return Dictionary(rows.map { ($0.areaCode, $0.scoreHundredths) }, uniquingKeysWith: { a, _ in a })
    }

    static func change(area: String, month: SafetyIndexMonth, score: Int, on db: any Database) async throws -> SafetyIndexChangeDTO {
        let m = try await currentScores(month: month.adding(months: -1), areas: [area], on: db)[area]
        let y = try await currentScores(month: month.adding(months: -12), areas: [area], on: db)[area]
        return SafetyIndexChangeDTO(monthOnMonth: m.map { Double(score - $0) / 100 }, yearOnYear: y.map { Double(score - $0) / 100 })
    }

    /// An area's stored result of one revision, decoded.
    static func result(area: String, month: SafetyIndexMonth, revision: Int, on db: any Database) async throws -> SafetyIndexResult? {
        guard let row = try await SafetyIndexQueries.scores(month: month.description, revision: revision, areaCodes: [area], explanations: true, on: db).first,
              let text = row.explanation else { return nil }
        return try JSONDecoder().decode(SafetyIndexResult.self, from: Data(text.utf8))
    }

    /// `month`, which must have ended (400 otherwise), or the latest month published (404 when none is).
    static func monthOrLatest(_ req: Request) async throws -> SafetyIndexMonth {
        let calendar = try await req.reference().calendar
        if let m = try req.monthQuery("month") {
            try checkEnded(m, now: req.now, calendar: calendar)
            return m
        }
        guard let latest = try await SafetyIndexQueries.currentRevisions(on: req.db).first, let m = SafetyIndexMonth(latest.month) else {
            throw APIError(.notFound, "not_found", "no month of the index is published yet", field: "month")
        }
        return m
    }

    static func checkEnded(_ m: SafetyIndexMonth, now: Date, calendar: WorkingCalendar) throws {
        let last = SafetyIndexService.lastEndedMonth(at: now, calendar: calendar)
        guard m <= last else { throw APIError.badRequest("month \(m) has not ended yet; the latest that has is \(last)", field: "month") }
    }

    // MARK: The formula

    /// `GET /api/v1/safety-index/formula`: the formula and ladder in force, with their version.
    static func formula(_ req: Request) async throws -> SafetyFormulaDocumentDTO {
        _ = try req.requireStaff()
        let (version, s) = try await SafetyIndexService(app: req.application).settings()
        return SafetyFormulaDocumentDTO(version: version, savedAt: nil, formula: s.formula, ladder: s.ladder, publicPage: s.publicPage ?? true)
    }

    /// `PUT /api/v1/safety-index/formula`: saves the document as a new version (400 naming every bad field, nothing
    /// saved). Published revisions keep the version they used.
    static func saveFormula(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let settings = try await checked(req)
        let version = try await SafetyIndexService(app: req.application).save(settings, by: staff.username)
        var out = settings
        out.formula.version = version
        let response = Response(status: .ok)
        try response.content.encode(SafetyFormulaDocumentDTO(version: version, savedAt: req.now, formula: out.formula, ladder: out.ladder, publicPage: out.publicPage ?? true), as: .json)
        return response
    }

    /// `POST /api/v1/safety-index/formula/preview?month=`: the scores the document would give the month (the last
    /// that ended by default) beside the published ones; nothing is saved.
    static func preview(_ req: Request) async throws -> SafetyPreviewDTO {
        _ = try req.requireStaff()
        let settings = try await checked(req)
        let calendar = try await req.reference().calendar
        let month = try req.monthQuery("month") ?? SafetyIndexService.lastEndedMonth(at: req.now, calendar: calendar)
        try checkEnded(month, now: req.now, calendar: calendar)
        let j = try await req.jurisdiction()
        let results = try await SafetyIndexService(app: req.application).compute(month: month, formula: settings.formula)
        let codes = results.map(\.area)
        let published = try await currentScores(month: month, areas: codes, on: req.db)
        var bands: [String: Int] = [:], publishedBands: [String: Int] = [:]
        let lines = results.map { r -> SafetyPreviewDTO.Line in
            bands[r.band.rawValue, default: 0] += 1
            let p = published[r.area]
            let pb = p.map { settings.formula.bands.band(for: Double($0) / 100) }
            if let pb { publishedBands[pb.rawValue, default: 0] += 1 }
            return SafetyPreviewDTO.Line(area: AreaRefDTO(code: r.area, name: j[r.area]?.name ?? r.area), level: j[r.area]?.level.rawValue ?? "",
                                         score: r.score, band: r.band.rawValue, published: p.map { Double($0) / 100 }, publishedBand: pb?.rawValue)
        }
        return SafetyPreviewDTO(month: month.description, formulaVersion: nil, areas: lines, bands: bands, publishedBands: publishedBands)
    }

    /// The body as settings, every problem a 400 naming its field (snake_case, as sent).
    static func checked(_ req: Request) async throws -> SafetyIndexSettings {
        let body = try req.content.decode(SafetyFormulaDocumentDTO.self)
        let settings = SafetyIndexSettings(formula: body.formula, ladder: body.ladder, publicPage: body.publicPage)
        let known = Set(try await req.reference().catalogue.categories.filter { !$0.isMajor }.map(\.code))
        let problems = settings.problems(knownCategories: known)
        guard problems.isEmpty else {
            let first = problems[0]
            throw APIError.badRequest(problems.map { "\(snake($0.field)): \($0.reason)" }.joined(separator: "; "), field: snake(first.field))
        }
        return settings
    }

    /// "groups[0].indicators[1].nameEN" → "groups[0].indicators[1].name_en", as the JSON names it.
    static func snake(_ field: String) -> String {
        var out = ""
        var previous: Character?
        for ch in field {
            if ch.isUppercase {
                if let p = previous, p.isLowercase || p.isNumber { out.append("_") }
                out += ch.lowercased()
            } else {
                out.append(ch)
            }
            previous = ch
        }
        return out
    }

    /// `POST /api/v1/safety-index/compute?month=`: computes the month again with the formula in force and publishes it
    /// as a new revision.
    static func compute(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let calendar = try await req.reference().calendar
        guard let month = try req.monthQuery("month") else { throw APIError.badRequest("name the month to compute (month=YYYY-MM)", field: "month") }
        try checkEnded(month, now: req.now, calendar: calendar)
        guard let r = try await SafetyIndexService(app: req.application).publish(month: month, by: staff.username) else {
            throw APIError(.unprocessableEntity, "nothing_to_score", "no area has anything to score in \(month)", field: "month")
        }
        let response = Response(status: .created)
        try response.content.encode(SafetyComputeDTO(month: month.description, revision: r.revision, formulaVersion: r.formulaVersion, areas: r.areas), as: .json)
        return response
    }
}

/// Warnings at the API: the list of the caller's scope, and acknowledging, dismissing or reviewing one.
enum WarningsAPI {
    /// `GET /api/v1/warnings?area=&status=&kind=&page=&per=`.
    static func list(_ req: Request) async throws -> WarningListDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let path = j.path(of: try req.areaQuery(staff, j) ?? staff.scope.areaCode)
        let statuses = try req.listQuery("status", of: WarningStatus.self)
        let kinds = try req.listQuery("kind", of: WarningKind.self)
        let (page, per) = try req.paging()
        let found = try await WarningQueries.list(WarningFilter(scopePath: path, statuses: statuses, kinds: kinds, alsoAreaCode: village(of: staff, j)),
                                                  page: page, per: per, on: req.db)
        let catalogue = try await req.reference().catalogue
        return WarningListDTO(warnings: found.items.map { dto($0, j: j, catalogue: catalogue) }, total: found.total, page: page, per: per)
    }

    /// `POST /api/v1/warnings/{id}/actions` `{"action": "acknowledge" | "dismiss" | "review", "note"}`.
    static func act(_ req: Request) async throws -> WarningDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        guard let id = req.parameters.get("id", as: UUID.self), let w = try await WarningQueries.find(id: id, on: req.db), isVisible(w, to: staff, j) else {
            throw APIError.notFound("no warning in your scope")
        }
        let body = try req.content.decode(WarningActionBody.self)
        guard let action = WarningAction(rawValue: body.action) else {
            throw APIError.badRequest("action is one of \(WarningAction.allCases.map(\.rawValue).joined(separator: ", "))", field: "action")
        }
        let ref = try await req.reference()
        let updated = try await WarningService(app: req.application).act(w, action: action, note: body.note, staff: staff, j: j, calendar: ref.calendar)
        return dto(updated, j: j, catalogue: ref.catalogue)
    }

    /// The village of staff whose scope lies below one (a grid worker's): its warnings are theirs too.
    static func village(of staff: StaffAccount, _ j: Jurisdiction) -> String? {
        guard let level = j[staff.scope.areaCode]?.level, level > .village else { return nil }
        return j.chain(from: staff.scope.areaCode).first { $0.level == .village }?.code
    }

    /// Warnings of the caller's scope, and of the caller's village for grid staff.
    static func isVisible(_ w: StoredWarning, to staff: StaffAccount, _ j: Jurisdiction) -> Bool {
        w.areaPath.hasPrefix(j.path(of: staff.scope.areaCode)) || (village(of: staff, j).map { $0 == w.areaCode } ?? false)
    }

    static func dto(_ w: StoredWarning, j: Jurisdiction, catalogue: CategoryCatalogue) -> WarningDTO {
        let evidence = (try? JSONDecoder().decode([String: AnyJSONValue].self, from: Data(w.evidence.utf8))) ?? [:]
        return WarningDTO(
            id: w.id, key: w.key, kind: w.kind.rawValue, kindName: w.kind.nameZH, level: w.level, status: w.status.rawValue, statusName: w.status.nameZH,
            area: AreaRefDTO(code: w.areaCode, name: j[w.areaCode]?.name ?? w.areaCode), categoryCode: w.categoryCode,
            categoryName: w.categoryCode.flatMap { catalogue[$0]?.name }, period: w.period, evidence: evidence, raisedAt: w.raisedAt,
            dueOn: w.dueOn, actedAt: w.actedAt, actedBy: w.actedBy, note: w.note,
            reviews: w.reviews.map { WarningReviewDTO(level: $0.level.rawValue, levelName: $0.level.nameZH, on: $0.onDay, by: $0.by, note: $0.note) },
            allowedActions: WarningRules.allowedActions(kind: w.kind, status: w.status).map(\.rawValue))
    }
}
