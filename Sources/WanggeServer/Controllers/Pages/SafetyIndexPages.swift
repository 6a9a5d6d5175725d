import Fluent
import Vapor
import WanggeCore
import WanggeStore

/// The safety index's pages (issue 19): the index of an area's children on a map and in a ranking, one area's
/// explanation and history, the formula (administrators), the warnings, the monthly analysis report, and the public
/// page residents open without signing in.
enum SafetyIndexPages {
    /// `GET /safety-index?month=&area=`.
    static func index(_ page: StaffPage) async throws -> Response {
        let req = page.req, j = page.jurisdiction
        let area = try req.areaQuery(page.staff, j) ?? page.staff.scope.areaCode
        let published = try await SafetyIndexQueries.currentRevisions(on: req.db)
        let month = try req.monthQuery("month") ?? published.first.flatMap { SafetyIndexMonth($0.month) }
        var ranked: [SafetyRankDTO] = []
        var own: SafetyIndexQueries.Score?
        if let month, let rev = published.first(where: { $0.month == month.description }) {
            ranked = try await SafetyIndexAPI.rank(children: j.children(of: area).map(\.code), month: month, revision: rev.revision, j: j, on: req.db)
            own = try await SafetyIndexQueries.scores(month: month.description, revision: rev.revision, areaCodes: [area], explanations: false, on: req.db).first
        }
        let warnings = try await WarningQueries.list(WarningFilter(scopePath: j.path(of: area), statuses: [.open]), page: 1, per: 10, on: req.db)
        // The grave events of the month shown (else this month), with the form to record one for keepers.
        let eventsMonth = month ?? SafetyIndexService.month(of: req.now, calendar: page.reference.calendar)
        let events = try await SafetyRegisterQueries.graveEvents(scopePath: j.path(of: area), month: eventsMonth.description, includeWithdrawn: true,
                                                                 limit: SafetyRegistersAPI.listLimit, on: req.db)
        let formula = try await SafetyIndexService(app: req.application).settings().settings.formula
        let graveHTML = SafetyRegistersView.graveEvents(events, formula: formula, canRecord: SafetyRegistersAPI.keepers.contains(page.staff.role),
                                                        scope: page.staff.scope.areaCode, month: eventsMonth, j: j, page.context.lang)
        return page.html(SafetyIndexView.index(area: area, month: month, months: published.compactMap { SafetyIndexMonth($0.month) }, own: own,
                                               ranked: ranked, openWarnings: warnings.total, isAdmin: page.staff.role == .admin, graveEvents: graveHTML,
                                               j: j, page.context))
    }

    /// `GET /safety-index/areas/{code}?month=&revision=`: the explanation, the history and the area's warnings.
    static func area(_ page: StaffPage) async throws -> Response {
        let req = page.req, j = page.jurisdiction
        guard let code = req.parameters.get("code"), j[code] != nil, page.staff.scope.covers(code, in: j) else {
            throw APIError.notFound("no area in your scope")
        }
        let published = try await SafetyIndexQueries.currentRevisions(on: req.db)
        guard let month = try req.monthQuery("month") ?? published.first.flatMap({ SafetyIndexMonth($0.month) }) else {
            return page.html(SafetyIndexView.nothingYet(page.context))
        }
        let revisions = try await SafetyIndexQueries.revisions(month: month.description, on: req.db)
        let chosen = try req.intQuery("revision", 1...1_000_000).flatMap { n in revisions.first { $0.revision == n } } ?? revisions.last
        var result: SafetyIndexResult?
        if let chosen { result = try await SafetyIndexAPI.result(area: code, month: month, revision: chosen.revision, on: req.db) }
        let change = try await SafetyIndexAPI.change(area: code, month: month, score: result?.scoreHundredths ?? 0, on: req.db)
        let history = try await SafetyIndexQueries.history(areaCode: code, limit: 12, on: req.db)
        let warnings = try await WarningQueries.list(WarningFilter(scopePath: j.path(of: code)), page: 1, per: 20, on: req.db)
        return page.html(SafetyIndexView.area(code: code, month: month, result: result, revision: chosen, revisions: revisions.map(\.revision),
                                              change: result == nil ? nil : change, history: history, warnings: warnings.items,
                                              catalogue: page.reference.catalogue, j: j, page.context))
    }

    /// `GET /safety-index/formula`: the weights, thresholds and ladder, with a preview on the last month.
    static func formula(_ page: StaffPage) async throws -> Response {
        let (version, settings) = try await SafetyIndexService(app: page.req.application).settings()
        let last = SafetyIndexService.lastEndedMonth(at: page.req.now, calendar: page.reference.calendar)
        return page.html(SafetyIndexView.formula(version: version, settings: settings, month: last, page.context))
    }

    /// `GET /warnings?area=&status=&page=`.
    static func warnings(_ page: StaffPage) async throws -> Response {
        let req = page.req, j = page.jurisdiction
        let area = try req.areaQuery(page.staff, j) ?? page.staff.scope.areaCode
        let statuses = try req.listQuery("status", of: WarningStatus.self) ?? [.open]
        let kinds = try req.listQuery("kind", of: WarningKind.self)
        let level = try req.textQuery("level", maxLength: 10).flatMap { ["red", "orange", "yellow"].contains($0) ? $0 : nil }
        let number = try req.intQuery("page", 1...10_000) ?? 1
        var filter = WarningFilter(scopePath: j.path(of: area), statuses: statuses, kinds: kinds, alsoAreaCode: WarningsAPI.village(of: page.staff, j))
        filter.level = level
        let found = try await WarningQueries.list(filter, page: number, per: 50, on: req.db)
        return page.html(SafetyIndexView.warnings(found.items, total: found.total, page: number, area: area, statuses: statuses, kinds: kinds, level: level,
                                                  catalogue: page.reference.catalogue, j: j, page.context))
    }

    /// `GET /safety/{code}`: the public page (no sign-in): the last 12 months' band and score and the warnings open
    /// now, by category and area. No cases, no names. 404 when the county switched it off.
    static func publicPage(_ req: Request) async throws -> Response {
        let (_, settings) = try await SafetyIndexService(app: req.application).settings()
        guard settings.publicPage != false else { throw APIError.notFound("the safety index is not published here") }
        let j = try await req.jurisdiction()
        guard let code = req.parameters.get("code"), code.utf8.count <= 64, let area = j[code], SafetyIndexService.scoredLevels.contains(area.level) else {
            throw APIError.notFound("no such area")
        }
        let history = try await SafetyIndexQueries.history(areaCode: code, limit: 12, on: req.db)
        // What residents are told: red rises of the last four weeks and the index's notices of the last two months
        // (yellow signals and the office's own notices are for staff).
        let recent = req.now.addingTimeInterval(-28 * 86_400), notices = req.now.addingTimeInterval(-62 * 86_400)
        let warnings = try await WarningQueries.list(WarningFilter(scopePath: j.path(of: code), statuses: [.open, .acknowledged],
                                                                   kinds: [.spike, .indexWarning, .specialSupervision]), page: 1, per: 200, on: req.db)
        let catalogue = try await req.reference().catalogue
        let lang = Lang.of(req)
        let html = SafetyIndexView.publicPage(area: area, history: history, warnings: warnings.items.filter { $0.kind == .spike ? $0.level == "red" && $0.raisedAt >= recent : $0.raisedAt >= notices },
                                              catalogue: catalogue, j: j, lang: lang, path: req.url.path)
        let response = SessionPages.html(html)
        // The same for every resident and changed once a month: shared links may be served from caches for a while.
        response.headers.cacheControl = .init(isPublic: true, maxAge: 300)
        return response
    }

    /// `GET /reports/monthly?area=&month=`: the month's analysis report (研判报告), printable on A4.
    static func report(_ page: StaffPage) async throws -> Response {
        let req = page.req, j = page.jurisdiction
        let area = try req.areaQuery(page.staff, j) ?? page.staff.scope.areaCode
        let calendar = page.reference.calendar
        let month = try req.monthQuery("month") ?? SafetyIndexService.lastEndedMonth(at: req.now, calendar: calendar)
        try SafetyIndexAPI.checkEnded(month, now: req.now, calendar: calendar)
        let report = try await MonthlyReport.gather(area: area, month: month, app: req.application, j: j, reference: page.reference, now: req.now)
        return page.html(SafetyIndexView.report(report, catalogue: page.reference.catalogue, j: j, page.context))
    }
}

/// The safety index and warnings as a panel of the dashboard and the big screen: the latest published month's score
/// of the area, its children's map coloured by their bands, and the open red warnings.
struct SafetyPanel: Sendable {
    var month: SafetyIndexMonth
    var own: SafetyIndexQueries.Score?
    var bands: [String: String]
    var scores: [String: Int]
    var warnings: [StoredWarning]
    var openWarnings: Int

    static func load(area: String, j: Jurisdiction, on db: any Database) async throws -> SafetyPanel? {
        guard let rev = try await SafetyIndexQueries.currentRevisions(on: db).first, let month = SafetyIndexMonth(rev.month) else { return nil }
        let codes = [area] + j.children(of: area).map(\.code)
        let rows = try await SafetyIndexQueries.scores(month: rev.month, revision: rev.revision, areaCodes: codes, explanations: false, on: db)
        let warnings = try await WarningQueries.list(WarningFilter(scopePath: j.path(of: area), statuses: [.open]), page: 1, per: 8, on: db)
        return SafetyPanel(month: month, own: rows.first { $0.areaCode == area },
                           bands: Dictionary(rows.map { ($0.areaCode, $0.band) }, uniquingKeysWith: { a, _ in a }),
                           scores: Dictionary(rows.map { ($0.areaCode, $0.scoreHundredths) }, uniquingKeysWith: { a, _ in a }),
                           warnings: warnings.items, openWarnings: warnings.total)
    }
}
