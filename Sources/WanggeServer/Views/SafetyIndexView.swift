import Foundation
import WanggeCore
import WanggeStore

/// The safety index's pages: the ranking and map, one area's explanation, the formula, warnings, the public page and
/// the monthly report. Chinese first, English on `?lang=en`.
enum SafetyIndexView {
    static func colour(_ band: String) -> String {
        switch band {
        case "green": "#16a34a"
        case "blue": "#2563eb"
        case "orange": "#ea580c"
        case "red": "#dc2626"
        default: "#e5e7eb"
        }
    }

    /// A colour as a small SVG square: the pages' policy allows no inline style, and colours come from data.
    static func swatch(_ colour: String) -> HTML {
        let safe = colour.allSatisfy { $0.isLetter || $0.isNumber || $0 == "#" } ? colour : "#999"
        return "<svg class=\"swatch\" viewBox=\"0 0 10 10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" rx=\"2\" fill=\"\(safe)\"/></svg>"
    }

    static func bandName(_ band: String, _ l: Lang) -> String {
        guard let b = SafetyBand(rawValue: band) else { return band }
        return l.pick(b.nameZH, b.nameEN)
    }

    static func badge(_ band: String, _ l: Lang) -> HTML {
        "<span class=\"band band-\(band)\">\(bandName(band, l))</span>"
    }

    static func score(_ hundredths: Int) -> String { Format.decimal(Double(hundredths) / 100, places: 2) }

    static func signed(_ v: Double?) -> HTML {
        guard let v else { return "<span class=\"meta\">—</span>" }
        let text = Format.decimal(v, places: 2)
        return HTML(raw: v > 0 ? "<span class=\"up\">+\(text)</span>" : v < 0 ? "<span class=\"down\">\(text)</span>" : "0.00")
    }

    static func monthPicker(_ months: [SafetyIndexMonth], current: SafetyIndexMonth?, area: String, _ l: Lang) -> HTML {
        guard !months.isEmpty else { return "" }
        let options: [HTML] = months.map { m in
            "<option value=\"\(m.description)\"\(HTML(raw: m == current ? " selected" : ""))>\(m.description)</option>"
        }
        return """
        <form method="get" action="\(SitePath.safetyIndex.link())" class="filters row-filters">
        <input type="hidden" name="area" value="\(area)">
        <label>\(l.pick("月份", "Month")) <select name="month">\(options)</select></label>
        <button type="submit">\(l.pick("查看", "Show"))</button>
        </form>
        """
    }

    // MARK: The index of an area's children

    static func index(area: String, month: SafetyIndexMonth?, months: [SafetyIndexMonth], own: SafetyIndexQueries.Score?, ranked: [SafetyRankDTO],
                      openWarnings: Int, isAdmin: Bool, graveEvents: HTML, j: Jurisdiction, _ ctx: PageContext) -> String {
        let l = ctx.lang
        let name = j[area]?.name ?? area
        guard let month else { return Layout.page(l.pick("平安指数", "Safety index"), ctx, "\(nothingBody(l))\(graveEvents)" as HTML) }
        let bands = Dictionary(ranked.map { ($0.area.code, $0.band) }, uniquingKeysWith: { a, _ in a })
        let children = j.children(of: area)
        var map = ""
        if let frame = j[area]?.boundary?.bbox ?? children.compactMap(\.boundary?.bbox).first {
            map = AreaMap.svg(children, frame: frame, AreaMap.Options(
                width: 640, cssClass: "map index-map", title: l.pick("\(name)平安指数地图", "Safety index map of \(name)"),
                fill: { colour(bands[$0.code] ?? "") },
                tooltip: { a in "\(a.name) " + (ranked.first { $0.area.code == a.code }.map { "\(Format.decimal($0.score, places: 2)) \(bandName($0.band, l))" } ?? "") },
                links: { SitePath.safetyArea.link($0.code, query: ["month": month.description]) }))
        }
        let rows: [HTML] = ranked.map { r in
            let drill: HTML = j.children(of: r.area.code).contains { SafetyIndexService.scoredLevels.contains($0.level) }
                ? " <a class=\"meta\" href=\"\(SitePath.safetyIndex.link(query: ["area": r.area.code, "month": month.description]))\">\(l.pick("下级", "below"))</a>" : ""
            return """
            <tr><td>\(r.rank)</td><td><a href="\(SitePath.safetyArea.link(r.area.code, query: ["month": month.description]))">\(r.area.name)</a>\(drill)</td>
            <td class="num">\(Format.decimal(r.score, places: 2))</td><td>\(badge(r.band, l))</td>
            <td class="num">\(signed(r.change.monthOnMonth))</td><td class="num">\(signed(r.change.yearOnYear))</td></tr>
            """
        }
        let counts = SafetyBand.allCases.map { b in (b, ranked.filter { $0.band == b.rawValue }.count) }
        let legend: [HTML] = counts.map { b, n in "<span class=\"legend-item\">\(swatch(colour(b.rawValue)))\(bandName(b.rawValue, l)) \(n)</span>" }
        let up: HTML = j[area]?.parentCode.flatMap { p in j[p] != nil && ctx.staff.map { $0.scope.covers(p, in: j) } == true ? p : nil }
            .map { "<a href=\"\(SitePath.safetyIndex.link(query: ["area": $0, "month": month.description]))\">↑ \(j[$0]?.name ?? $0)</a> · " } ?? ""
        let ownLine: HTML = own.map { "<p class=\"big-score\">\(name) <strong>\(score($0.scoreHundredths))</strong> \(badge($0.band, l))</p>" } ?? ""
        let admin: HTML = isAdmin ? " · <a href=\"\(SitePath.safetyFormula.link())\">\(l.pick("计算办法", "Formula"))</a>" : ""
        return Layout.page(l.pick("平安指数", "Safety index"), ctx, """
        <section class="card">
        <h1>\(l.pick("平安指数", "Safety index")) · \(name) · \(month.description)</h1>
        <p class="meta">\(up)<a href="\(SitePath.safetyArea.link(area, query: ["month": month.description]))">\(l.pick("本级得分说明", "This area's explanation"))</a>
         · <a href="\(SitePath.monthlyReport.link(query: ["area": area, "month": month.description]))">\(l.pick("月度研判报告", "Monthly report"))</a>
         · <a href="\(SitePath.warnings.link(query: ["area": area, "status": "open"]))">\(l.pick("待处理预警", "Open warnings")) \(openWarnings)</a>
         · <a href="\(SitePath.publicSafety.link(area))">\(l.pick("公开页", "Public page"))</a>\(admin)</p>
        \(monthPicker(months, current: month, area: area, l))
        \(ownLine)
        </section>
        <div class="grid-2">
        <section class="card"><h2>\(l.pick("地图", "Map"))</h2>\(HTML(raw: map))<p class="legend">\(legend)</p></section>
        <section class="card" id="ranking"><h2>\(l.pick("排名", "Ranking"))</h2>
        <div class="table-wrap"><table class="list"><thead><tr><th>#</th><th>\(l.pick("区域", "Area"))</th><th>\(l.pick("得分", "Score"))</th><th>\(l.pick("等级", "Band"))</th>
        <th>\(l.pick("环比", "vs last month"))</th><th>\(l.pick("同比", "vs last year"))</th></tr></thead><tbody>\(rows)</tbody></table></div></section>
        </div>
        \(graveEvents)
        """)
    }

    static func nothingBody(_ l: Lang) -> HTML {
        "<section class=\"card narrow\"><h1>\(l.pick("平安指数", "Safety index"))</h1><p>\(l.pick("尚未发布任何月份的平安指数：每月结束后由定时任务计算发布。", "No month of the index is published yet: the monthly job computes and publishes each month after it ends."))</p></section>"
    }

    static func nothingYet(_ ctx: PageContext) -> String { Layout.page(ctx.lang.pick("平安指数", "Safety index"), ctx, nothingBody(ctx.lang)) }

    // MARK: One area

    static func historyChart(_ history: [SafetyIndexQueries.Score], title: String, width: Double = 640, height: Double = 200) -> String {
        let points = history.reversed().map { $0 }
        let left = 36.0, bottom = 28.0, top = 10.0
        let w = width - left - 8, h = height - top - bottom
        let step = w / Double(max(points.count, 1))
        func y(_ s: Double) -> Double { top + h * (1 - s / 100) }
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        for s in [0.0, 50, 70, 80, 90, 100] {
            out += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(width - 8)\" y1=\"\(y(s))\" y2=\"\(y(s))\"/><text class=\"axis\" x=\"\(left - 4)\" y=\"\(y(s) + 4)\" text-anchor=\"end\">\(Int(s))</text>"
        }
        for (i, p) in points.enumerated() {
            let v = Double(p.scoreHundredths) / 100
            let x = left + Double(i) * step + step * 0.15
            out += "<rect x=\"\(Format.decimal(x, places: 1))\" y=\"\(Format.decimal(y(v), places: 1))\" width=\"\(Format.decimal(step * 0.7, places: 1))\" height=\"\(Format.decimal(top + h - y(v), places: 1))\" fill=\"\(colour(p.band))\"><title>\(p.month): \(score(p.scoreHundredths))</title></rect>"
            out += "<text class=\"axis\" x=\"\(Format.decimal(x + step * 0.35, places: 1))\" y=\"\(Int(height - 10))\" text-anchor=\"middle\">\(HTML.escape(String(p.month.suffix(5))))</text>"
        }
        return out + "</svg>"
    }

    static func value(_ v: Double?, perResidents: Bool) -> String {
        guard let v else { return "—" }
        return perResidents ? Format.decimal(v, places: 2) : Format.decimal(v * 100, places: 1) + "%"
    }

    static func area(code: String, month: SafetyIndexMonth, result: SafetyIndexResult?, revision: SafetyIndexQueries.Revision?, revisions: [Int],
                     change: SafetyIndexChangeDTO?, history: [SafetyIndexQueries.Score], warnings: [StoredWarning], catalogue: CategoryCatalogue,
                     j: Jurisdiction, _ ctx: PageContext) -> String {
        let l = ctx.lang
        let name = j[code]?.name ?? code
        guard let result else {
            return Layout.page(l.pick("平安指数", "Safety index"), ctx, """
            <section class="card narrow"><h1>\(name) · \(month.description)</h1><p>\(l.pick("本月该区域没有发布指数。", "No index is published for this area in this month."))</p></section>
            """)
        }
        let lines: [HTML] = result.indicators.map { e in
            let per = e.kind.isPerResidents
            let status: HTML = e.status == .scored ? "" : " <span class=\"meta\">(\(e.status == .noData ? l.pick("无数据", "no data") : l.pick("无基准", "no baseline")))</span>"
            let own: HTML = e.ownWeight < 0.999 && e.ownValue != nil
                ? "<br><span class=\"meta\">\(l.pick("本区域", "own")) \(value(e.ownValue, perResidents: per)) · \(l.pick("上级", "parent")) \(value(e.parentValue, perResidents: per)) · \(l.pick("本区域权重", "own weight")) \(Format.decimal(e.ownWeight * 100, places: 0))%</span>"
                : ""
            return """
            <tr><td>\(l.pick(e.name, e.nameEN))\(status)<br><span class="meta">\(e.own.numerator)/\(e.own.denominator)</span></td>
            <td class="num"><strong>\(Format.decimal(e.contribution, places: 2))</strong></td>
            <td class="num">\(value(e.value, perResidents: per))\(own)</td><td class="num">\(value(e.baseline, perResidents: per))</td>
            <td class="num">\(e.normalised.map { Format.decimal($0, places: 1) } ?? "—")</td>
            <td class="num">\(Format.decimal(e.weight, places: 1)) <span class="meta">(\(Format.decimal(e.weightShare * 100, places: 1))%)</span></td></tr>
            """
        }
        let deductions: [HTML] = result.deductions.filter { $0.events > 0 }.map { d in
            "<tr><td>\(l.pick(d.name, d.nameEN)) × \(d.events)</td><td class=\"num\">−\(Format.decimal(d.applied, places: 2))</td><td colspan=\"4\"></td></tr>"
        }
        let revisionLinks: [HTML] = revisions.map { n in
            n == revision?.revision ? "<strong>r\(n)</strong> " : "<a href=\"\(SitePath.safetyArea.link(code, query: ["month": month.description, "revision": String(n)]))\">r\(n)</a> "
        }
        let warningRows: [HTML] = warnings.map { warningRow($0, catalogue: catalogue, j: j, l, actions: false) }
        return Layout.page(l.pick("平安指数说明", "Safety index explanation"), ctx, """
        <section class="card">
        <h1>\(name) · \(month.description)</h1>
        <p class="big-score"><strong>\(score(result.scoreHundredths))</strong> \(badge(result.band.rawValue, l))
         <span class="meta">\(l.pick("环比", "vs last month")) \(signed(change?.monthOnMonth)) · \(l.pick("同比", "vs last year")) \(signed(change?.yearOnYear))</span></p>
        <p class="meta">\(l.pick("计算办法第", "Formula version ")) \(result.formulaVersion) \(l.pick("版", "")) · \(l.pick("发布版本", "Revisions")) \(revisionLinks)
         · \(revision.map { Format.minute($0.computedAt) } ?? "")
         · <a href="\(SitePath.monthlyReport.link(query: ["area": code, "month": month.description]))">\(l.pick("月度研判报告", "Monthly report"))</a>
         · <a href="\(SitePath.safetyIndex.link(query: ["area": code, "month": month.description]))">\(l.pick("下级排名", "Ranking below"))</a></p>
        </section>
        <section class="card">
        <h2>\(l.pick("得分构成", "How the score was computed"))</h2>
        <div class="table-wrap"><table class="list explain"><thead><tr><th>\(l.pick("指标", "Indicator"))</th><th>\(l.pick("贡献", "Contribution"))</th>
        <th>\(l.pick("数值", "Value"))</th><th>\(l.pick("基准", "Baseline"))</th><th>\(l.pick("标准化得分", "Normalised"))</th><th>\(l.pick("权重", "Weight"))</th></tr></thead>
        <tbody>\(lines)<tr class="sum"><td>\(l.pick("小计", "Subtotal"))</td><td class="num">\(Format.decimal(result.subtotal, places: 2))</td><td colspan="4"></td></tr>\(deductions)
        <tr class="sum"><td>\(l.pick("得分", "Score"))</td><td class="num"><strong>\(score(result.scoreHundredths))</strong></td><td colspan="4"></td></tr></tbody></table></div>
        <p class="meta">\(l.pick("发案率为每万人每月件数；各比率为百分比。标准化：与基准相同得 \(90) 分，为零得 100 分，达到基准的 3 倍得 0 分。", "Incidence is cases per 10,000 residents a month; rates are percentages. Normalised: equal to the baseline scores 90, none scores 100, three times the baseline scores 0."))</p>
        <p class="meta">\(l.pick(result.smallAreaNote, result.smallAreaNoteEN))</p>
        </section>
        <section class="card"><h2>\(l.pick("近12个月", "The last 12 months"))</h2>\(HTML(raw: historyChart(history, title: l.pick("\(name)平安指数走势", "Safety index of \(name)"))))</section>
        <section class="card"><h2>\(l.pick("预警", "Warnings"))</h2>
        \(warningRows.isEmpty ? HTML(stringLiteral: "<p class=\"meta\">" + HTML.escape(l.pick("暂无预警。", "No warnings.")) + "</p>") : "<ul class=\"warnings\">\(warningRows)</ul>")</section>
        """)
    }

    // MARK: Warnings

    static func warningTitle(_ w: StoredWarning, catalogue: CategoryCatalogue, j: Jurisdiction, _ l: Lang) -> String {
        let area = j[w.areaCode]?.name ?? w.areaCode
        let category = w.categoryCode.map { c in catalogue[c].map { l.pick($0.name, $0.nameEN) } ?? c }
        return [area, category, l.pick(w.kind.nameZH, w.kind.nameEN)].compactMap { $0 }.joined(separator: " · ")
    }

    static func warningRow(_ w: StoredWarning, catalogue: CategoryCatalogue, j: Jurisdiction, _ l: Lang, actions: Bool) -> HTML {
        let evidence = (try? JSONDecoder().decode([String: AnyJSONValue].self, from: Data(w.evidence.utf8))) ?? [:]
        var detail = ""
        if w.kind == .spike {
            let recent: [Int] = {
                if case .array(let a)? = evidence["recent"] { return a.compactMap { $0.number.map { Int($0) } } }
                return []
            }()
            let count = Int(evidence["count"]?.number ?? 0), base = evidence["baseline"]?.number ?? 0, p = evidence["p"]?.number ?? 1
            let four = Int(evidence["last_four_weeks"]?.number ?? 0)
            let slow: Bool = {
                if case .array(let t)? = evidence["triggers"] { return !t.contains { $0.string?.hasPrefix("poisson") == true } }
                return false
            }()
            // In words a desk officer reads: how many, against how many usually, and how unusual (1 in N weeks).
            let odds = p > 0 ? Int(min(1 / p, 1_000_000).rounded()) : 1_000_000
            detail = slow
                ? l.pick("持续上升：近四周 \(four) 件，平常约 \(Format.decimal(base * 4, places: 1)) 件", "A slow rise: \(four) in four weeks against about \(Format.decimal(base * 4, places: 1))")
                : l.pick("本周 \(count) 件，平常约 \(Format.decimal(base, places: 2)) 件/周（约 \(odds.grouped) 周一遇）",
                         "\(count) this week against about \(Format.decimal(base, places: 2)) a week (about once in \(odds.grouped) weeks)")
            detail = HTML.escape(detail) + " " + sparkline(recent)
        } else if w.kind == .riskRaised {
            let link = evidence["risk_id"]?.string.map { SitePath.riskView.link($0) } ?? SitePath.risks.link()
            detail = "<a href=\"\(HTML.escape(link))\">\(HTML.escape(evidence["risk_code"]?.string ?? ""))</a> " + HTML.escape("\(evidence["title"]?.string ?? "") · \(evidence["level_name"]?.string ?? "")")
        } else {
            detail = HTML.escape(l.pick("连续红色 \(evidence["red_months"]?.string ?? "?") 个月", "\(evidence["red_months"]?.string ?? "?") red months in a row"))
            if let due = w.dueOn { detail += HTML.escape(l.pick("，整改期限 \(due)", "; rectify by \(due)")) }
        }
        let reviews: [HTML] = w.reviews.map { r in "<li>\(l.pick(r.level.nameZH, r.level.rawValue)) · \(r.onDay) · \(r.by)：\(r.note)</li>" }
        let allowed = WarningRules.allowedActions(kind: w.kind, status: w.status)
        let buttons: [HTML] = actions ? allowed.map { a in
            let label: String
            switch a {
            case .acknowledge: label = l.pick("签收", "Acknowledge")
            case .dismiss: label = l.pick("排除", "Dismiss")
            case .review: label = l.pick("复核（\(RectificationReviewLevel.allCases[min(w.reviews.count, 2)].nameZH)）", "Review (\(RectificationReviewLevel.allCases[min(w.reviews.count, 2)].rawValue))")
            }
            return "<button type=\"button\" class=\"warning-act\" data-id=\"\(w.id.uuidString)\" data-action=\"\(a.rawValue)\">\(label)</button>"
        } : []
        let form: HTML = buttons.isEmpty ? "" : "<div class=\"warning-actions\"><label>\(l.pick("说明", "Note")) <input type=\"text\" maxlength=\"2000\" class=\"warning-note\"></label> \(buttons)<span class=\"field-error\" role=\"alert\"></span></div>"
        return """
        <li class="warning-item level-\(w.level)" data-id="\(w.id.uuidString)"><strong>\(warningTitle(w, catalogue: catalogue, j: j, l))</strong>
        <span class="meta">\(w.period) · \(l.pick(w.status.nameZH, w.status.rawValue))\(w.actedBy.map { " · " + $0 } ?? "")</span>
        <div>\(HTML(raw: detail))</div>\(w.note.map { HTML(stringLiteral: "<div class=\"meta\">" + HTML.escape($0) + "</div>") })
        \(reviews.isEmpty ? "" : HTML("<ol class=\"reviews\">\(reviews)</ol>"))\(form)</li>
        """
    }

    static func sparkline(_ values: [Int]) -> String {
        guard !values.isEmpty else { return "" }
        let top = Double(max(values.max() ?? 1, 1)), w = 4.0 * Double(values.count), h = 16.0
        var out = "<svg class=\"spark\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w * 2))\" height=\"\(Int(h * 1.5))\" aria-hidden=\"true\">"
        for (i, v) in values.enumerated() {
            let bh = h * Double(v) / top
            out += "<rect x=\"\(i * 4)\" y=\"\(Format.decimal(h - bh, places: 1))\" width=\"3\" height=\"\(Format.decimal(bh, places: 1))\"\(i == values.count - 1 ? " class=\"last\"" : "")/>"
        }
        return out + "</svg>"
    }

    static func warnings(_ items: [StoredWarning], total: Int, page: Int, area: String, statuses: [WarningStatus], kinds: [WarningKind]?, level: String?,
                         catalogue: CategoryCatalogue, j: Jurisdiction, _ ctx: PageContext) -> String {
        let l = ctx.lang
        let rows: [HTML] = items.map { warningRow($0, catalogue: catalogue, j: j, l, actions: true) }
        let status = statuses.map(\.rawValue).joined(separator: ",")
        func link(status: String?, kind: String?, level: String?, page: Int? = nil) -> String {
            SitePath.warnings.link([], queryItems: [("area", area), ("status", status), ("kind", kind), ("level", level), ("page", page.map(String.init))])
        }
        let kind = kinds?.map(\.rawValue).joined(separator: ",")
        func chip(_ text: String, _ href: String, on: Bool) -> HTML { on ? "<strong>\(text)</strong>" : "<a href=\"\(href)\">\(text)</a>" }
        let chips: [HTML] = [
            chip(l.pick("待处理", "Open"), link(status: "open", kind: kind, level: level), on: status == "open"),
            chip(l.pick("全部状态", "Any status"), link(status: WarningStatus.allCases.map(\.rawValue).joined(separator: ","), kind: kind, level: level), on: statuses.count == WarningStatus.allCases.count),
            " · ",
            chip(l.pick("红色", "Red"), link(status: status, kind: kind, level: "red"), on: level == "red"),
            chip(l.pick("全部等级", "Any level"), link(status: status, kind: kind, level: nil), on: level == nil),
            " · ",
            chip(l.pick("案件异常上升", "Rises"), link(status: status, kind: "spike", level: level), on: kind == "spike"),
            chip(l.pick("指数通知与整改", "Index notices"), link(status: status, kind: "index_warning,special_supervision,rectification,step", level: level), on: kind?.hasPrefix("index_warning") == true),
            chip(l.pick("风险升级", "Risks raised"), link(status: status, kind: "risk_raised", level: level), on: kind == "risk_raised"),
            chip(l.pick("全部类型", "Any kind"), link(status: status, kind: nil, level: level), on: kind == nil),
        ]
        let next: HTML = page * 50 < total ? "<a href=\"\(link(status: status, kind: kind, level: level, page: page + 1))\">\(l.pick("下一页", "Next page"))</a>" : ""
        return Layout.page(l.pick("预警", "Warnings"), ctx, scripts: ["safety.js"], """
        <section class="card">
        <h1>\(l.pick("预警", "Warnings")) · \(j[area]?.name ?? area)</h1>
        <p class="chips">\(chips)</p>
        <p class="meta">\(l.pick("共 \(total) 条", "\(total) in all"))</p>
        \(rows.isEmpty ? HTML(stringLiteral: "<p>" + HTML.escape(l.pick("暂无预警。", "No warnings.")) + "</p>") : HTML("<ul class=\"warnings\">\(rows)</ul>"))
        \(next)
        </section>
        """)
    }
}
