import Foundation
import WanggeCore
import WanggeStore

enum DashboardView {
    static func render(_ d: DashboardData, _ ctx: PageContext) -> String {
        let l = ctx.lang
        /// This dashboard with another area, measure or as a CSV table.
        func link(area: String? = nil, measure: MeasureKind? = nil, export: String? = nil) -> String {
            SitePath.dashboard.link(query: ["area": area ?? d.area.code, "from": d.from, "to": d.to, "m": (measure ?? d.measure).rawValue, "export": export])
        }
        let cards: [HTML] = MeasureKind.allCases.map { k in
            let m = d.total[k]
            return """
            <div class="kpi\(HTML(raw: k == d.measure ? " on" : ""))" title="\(m.numerator.grouped) / \(m.denominator.grouped)">
              <a href="\(link(measure: k))">
              <span class="kpi-name">\(l.pick(k.nameZH, k.nameEN))</span>
              <span class="kpi-value">\(Format.rate(m))</span>
              <span class="kpi-parts">\(m.numerator.grouped) / \(m.denominator.grouped)</span></a>
            </div>
            """
        }
        let trail: [HTML] = d.trail.map { a in "<a href=\"\(link(area: a.code))\">\(a.name)</a>" }
        let options: [HTML] = MeasureKind.allCases.map { k in "<option value=\"\(k.rawValue)\"\(HTML(raw: k == d.measure ? " selected" : ""))>\(l.pick(k.nameZH, k.nameEN))</option>" }
        let late: [HTML] = d.late.prefix(30).map { x in
            "<tr><td><a href=\"\(SitePath.caseView.link(x.row.id.uuidString))\">\(x.row.code)</a></td><td>\(CaseState(rawValue: x.row.state).map { Format.state($0, l) } ?? HTML(raw: x.row.state))</td><td class=\"num\">\(Int(x.lateBy / 3600).grouped) \(l.t(.hours))</td></tr>"
        }
        let sups: [HTML] = d.supervisions.prefix(30).map { s in
            let reason = { (r: SupervisionReason) in l.pick(r.nameZH, r.nameEN) }(SupervisionReason(rawValue: s.kind))
            return "<tr><td><a href=\"\(SitePath.caseView.link(s.case_id.uuidString))\">\(s.code)</a></td><td>\(reason)</td><td>\(Format.time(s.raised_at))</td></tr>"
        }
        return Layout.page(l.t(.dashboard), ctx, bodyClass: "dashboard", scripts: ["dashboard.js"], """
        <nav class="crumbs" aria-label="\(l.t(.area))">\(HTML(raw: trail.map(\.description).joined(separator: " › ")))</nav>
        <h1>\(d.area.name) · \(l.t(.dashboard))</h1>
        <form method="get" action="\(SitePath.dashboard.link())" class="card controls">
          <input type="hidden" name="area" value="\(d.area.code)">
          <div><label for="d-from">\(l.t(.from))</label><input id="d-from" type="date" name="from" value="\(d.from)" required></div>
          <div><label for="d-to">\(l.t(.to))</label><input id="d-to" type="date" name="to" value="\(d.to)" required></div>
          <div><label for="d-m">\(l.t(.colourBy))</label><select id="d-m" name="m">\(options)</select></div>
          <button type="submit" class="primary">\(l.t(.show))</button>
          <p class="meta">\(l.t(.reportedCases)): <strong id="reported-count">\(d.reported.grouped)</strong></p>
        </form>
        <div class="kpis">\(cards)</div>
        <div class="dash-grid">
          <section class="card"><h2>\(l.t(.heatMap))</h2>\(HTML(raw: d.mapSVG))<p class="caption">\(l.t(.heatLegend))</p></section>
          <section class="card"><h2>\(l.t(.weeklyTrend)) · \(l.pick(d.measure.nameZH, d.measure.nameEN))</h2>
            \(HTML(raw: Charts.rateLine(d.weeks, title: l.t(.weeklyTrend))))
            <p><a href="\(link(export: "weeks"))">\(l.t(.exportCSV))</a></p></section>
        </div>
        \(groupTable(d.children, title: l.t(.drillDown), d: d, l: l, export: link(export: "areas"), link: { link(area: $0) }))
        <div class="dash-grid">
        \(groupTable(d.categories, title: l.t(.byCategory), d: d, l: l, export: link(export: "categories"), link: nil))
        \(groupTable(d.departments, title: l.t(.byDepartment), d: d, l: l, export: link(export: "departments"), link: nil))
        </div>
        <div class="dash-grid">
          <section class="card"><h2>\(l.t(.lateWork)) (\(d.lateCount))</h2>
            <div class="table-wrap"><table><thead><tr><th>\(l.t(.code))</th><th>\(l.t(.status))</th><th class="num">\(l.t(.lateBy))</th></tr></thead><tbody>\(late)</tbody></table></div>
            <p><a href="\(link(export: "late"))">\(l.t(.exportCSV))</a></p></section>
          \(d.mediation.map { m in HTML("""
          <section class="card m-panel"><h2><a href="\(SitePath.mediations.link())">\(l.t(.mediationPanel))</a></h2>
            <dl class="facts"><dt>\(l.t(.mediationReceived))</dt><dd>\(m.received)</dd>
            <dt>\(l.t(.mediationSuccess))</dt><dd>\(Format.rate(m.success)) (\(m.success.numerator)/\(m.success.denominator))</dd>
            <dt>\(l.t(.mediationOpenNow))</dt><dd>\(m.open)</dd>
            <dt>\(l.t(.mediationRiskyNow))</dt><dd class="\(m.risky > 0 ? "late" : "")">\(m.risky)</dd></dl>
            \(d.mediationNotices.isEmpty ? "" : HTML("<h3>\(l.t(.mediationNotices))</h3><ul class=\"m-notices\">\(d.mediationNotices.map { n in "<li><a href=\"\(SitePath.mediationView.link(n.id.uuidString))\">\(n.code)</a> · \(l.t(n.kind == MediationQueries.escalationRisk ? .mediationNoticeRisk : n.kind == SupervisionReason.mediationLate.rawValue ? .mediationNoticeLate : .mediationNoticeLeader)) · \(Format.minute(n.raisedAt))\(n.note.map { HTML(" · \($0)") } ?? "")</li>" as HTML })</ul>"))</section>
          """) } ?? "")
          \(HTML(raw: d.safetyHTML))
          \(HTML(raw: d.assessmentHTML))
          \(coveragePanel(d, l, export: link(export: "coverage")))
          \(sourcePanel(d, l))
          <section class="card"><h2>\(l.t(.openSupervisions)) (\(d.supervisions.count))</h2>
            <div class="table-wrap"><table><thead><tr><th>\(l.t(.code))</th><th>\(l.t(.kind))</th><th>\(l.t(.raised))</th></tr></thead><tbody>\(sups)</tbody></table></div>
            <p><a href="\(link(export: "supervisions"))">\(l.t(.exportCSV))</a></p></section>
        </div>
        """)
    }

    /// Where the period's reports came from: each channel (Open311 by its API key) with its count and share.
    static func sourcePanel(_ d: DashboardData, _ l: Lang) -> HTML {
        guard d.reported > 0 else { return "" }
        let rows: [HTML] = d.sources.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { key, n in
            let name = CaseSource(rawValue: key.source).map { $0.name(l) } ?? key.source
            let label = key.channelKey.map { "\(name) · \($0)" } ?? name
            return "<tr><td>\(label)</td><td class=\"num\">\(n.grouped)</td><td class=\"num\">\(Format.rate(Measure(numerator: n, denominator: d.reported)))</td></tr>"
        }
        return """
        <section class="card" id="source-panel"><h2>\(l.pick("上报来源", "Where reports came from"))</h2>
          <div class="table-wrap"><table><thead><tr><th>\(l.pick("渠道", "Channel"))</th><th class="num">\(l.pick("上报", "Reported"))</th>
          <th class="num">\(l.pick("占比", "Share"))</th></tr></thead><tbody>\(rows)</tbody></table></div></section>
        """
    }

    /// Household visit coverage of the area's children, each grid in its own target's period.
    static func coveragePanel(_ d: DashboardData, _ l: Lang, export: String) -> HTML {
        guard !d.coverage.isEmpty else { return "" }
        let rows: [HTML] = d.coverage.map { c in
            let m = Measure(numerator: c.visited, denominator: c.households)
            return "<tr><td><a href=\"\(SitePath.dashboard.link(query: ["area": c.code]))\">\(c.name)</a></td><td class=\"num\">\(c.households.grouped)</td><td class=\"num\">\(c.visited.grouped)</td><td class=\"num\">\(Format.rate(m))</td></tr>"
        }
        return """
        <section class="card" id="coverage-panel"><h2>\(l.pick("入户走访覆盖（本期）", "Household visits (this period)"))</h2>
          <div class="table-wrap"><table><thead><tr><th>\(l.pick("名称", "Name"))</th><th class="num">\(l.pick("住户", "Households"))</th>
          <th class="num">\(l.pick("已走访", "Met"))</th><th class="num">\(l.pick("覆盖率", "Coverage"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
          <p class="meta">\(l.pick("每个网格按其走访周期（默认每季度一次）计。", "Each grid counted over its own target period (a quarter unless set)."))
          <a href="\(export)">\(l.t(.exportCSV))</a></p></section>
        """
    }

    static func groupTable(_ groups: [DashboardData.Group], title: String, d: DashboardData, l: Lang, export: String,
                           link: ((String) -> String)?) -> HTML {
        let heads: [HTML] = MeasureKind.allCases.map { k in "<th scope=\"col\" class=\"num\" title=\"\(l.pick(k.definitionZH, k.definitionEN))\">\(l.pick(k.nameZH, k.nameEN))</th>" }
        let rows: [HTML] = groups.map { g in
            let name: HTML = link.map { f in "<a href=\"\(f(g.code))\">\(g.name)</a>" } ?? HTML(stringLiteral: HTML.escape(g.name))
            let cells: [HTML] = MeasureKind.allCases.map { k in
                let m = g.counts[k]
                return "<td class=\"num\" title=\"\(m.numerator.grouped) / \(m.denominator.grouped)\">\(Format.rate(m))</td>"
            }
            return "<tr><th scope=\"row\">\(name)</th><td class=\"num\">\(g.reported.grouped)</td>\(cells)</tr>"
        }
        return """
        <section class="card"><h2>\(title)</h2>
        <div class="table-wrap"><table class="measures"><thead><tr><th scope="col">\(l.t(.nameColumn))</th><th scope="col" class="num">\(l.t(.reportedCases))</th>\(heads)</tr></thead>
        <tbody>\(rows)</tbody></table></div>
        <p><a href="\(export)">\(l.t(.exportCSV))</a></p></section>
        """
    }
}
