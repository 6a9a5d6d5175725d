import Vapor
import WanggeCore
import WanggeStore

enum ScreenPage {
    /// `GET /screen`: the command centre's wall, 1920×1080, dark; live by server-sent events.
    static func show(_ page: StaffPage) async throws -> Response {
        let (req, j, ref, lang) = (page.req, page.jurisdiction, page.reference, page.lang)
        let data = try await DashboardPage.build(page, full: false)
        let today = ref.calendar.start(of: ref.calendar.civilDate(of: req.now))
        let path = j.path(of: data.area.code)
        let counters = try await CaseIndexQueries.counters(scopePath: path, since: today, on: req.db)
        let (reportedToday, closedToday, open) = (counters.reported, counters.closed, counters.open)
        let newest = try await CaseIndexQueries.newest(scopePath: path, limit: 12, on: req.db)
        let map = await req.wangge.maps.cached("screen|\(page.tree.version)|\(data.area.code)") { ResidentPages.tapMap(j, title: lang.t(.map)) }
        let l = lang
        let kpis: [HTML] = MeasureKind.allCases.map { k in
            let m = data.total[k]
            return "<div class=\"s-kpi\" title=\"\(m.numerator)/\(m.denominator)\"><span>\(l.pick(k.nameZH, k.nameEN))</span><strong>\(Format.rate(m))</strong></div>"
        }
        let rows: [HTML] = newest.map { c in
            "<li data-id=\"\(c.id.uuidString)\"><span class=\"t\">\(String(Format.minute(c.reported_at).suffix(11)))</span> \(Format.state(c.caseState, l)) <span>\(Format.category(c.category_code, ref.catalogue, l))</span> <span class=\"a\">\(j[c.area_code]?.name ?? "")</span></li>"
        }
        let late: [HTML] = data.late.prefix(10).map { x in
            "<li><span class=\"code\">\(x.row.code)</span> \(Format.category(x.row.category_code, ref.catalogue, l)) <span class=\"late\">\(Int(x.lateBy / 3600)) \(l.t(.hours))</span></li>"
        }
        // This month's disputes, to the end of today (nothing is registered or concluded later than now).
        let cal = page.reference.calendar, day = cal.civilDate(of: req.now)
        let thisMonth = DateInterval(start: cal.start(of: CivilDate(year: day.year, month: day.month, day: 1)!), end: cal.start(of: day.adding(days: 1)))
        let disputes = try await MediationQueries.panel(
            scopePath: path, measures: try await MediationsAPI.counts(scopePath: path, period: thisMonth, calendar: cal, cache: req.wangge.pieces,
                                                                      on: req.db).total, on: req.db)
        let safety = try await SafetyPanel.load(area: data.area.code, j: j, on: req.db)
        let safetyHTML: HTML = safety.map { SafetyIndexView.panel($0, area: data.area.code, j: j, catalogue: ref.catalogue, l, width: 360) } ?? ""
        let html = Layout.page(l.t(.screenTitle), page.context, bodyClass: "screen", scripts: ["screen.js"], """
        <div class="s-wrap" data-area="\(data.area.code)">
          <header class="s-head"><h1>\(data.area.name) · \(l.t(.screenTitle))</h1><time id="s-clock"></time></header>
          <div class="s-counters">
            <div><span>\(l.t(.todayReported))</span><strong id="c-reported">\(reportedToday)</strong></div>
            <div><span>\(l.t(.todayClosed))</span><strong id="c-closed">\(closedToday)</strong></div>
            <div><span>\(l.t(.openNow))</span><strong id="c-open">\(open)</strong></div>
            <div><span>\(l.t(.lateNow))</span><strong id="c-late" class="late">\(data.lateCount)</strong></div>
            <div><span>\(l.t(.mediationOpenNow))</span><strong id="c-disputes">\(disputes.open)</strong></div>
            <div><span>\(l.t(.mediationSuccess))</span><strong id="c-mediation">\(Format.rate(disputes.success))</strong></div>
          </div>
          <section class="s-map">\(HTML(raw: map))</section>
          <section class="s-side">
            <h2>\(l.t(.thisMonth))</h2><div class="s-kpis">\(kpis)</div>
            <h2>\(l.t(.newest))</h2><ol id="s-newest" class="s-list">\(rows)</ol>
            <h2>\(l.t(.lateWork))</h2><ol class="s-list">\(late)</ol>
            \(safetyHTML)
          </section>
        </div>
        """)
        return page.html(html)
    }
}
