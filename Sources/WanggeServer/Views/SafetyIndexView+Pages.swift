import Foundation
import WanggeCore
import WanggeStore

extension SafetyIndexView {
    // MARK: The formula

    static func formula(version: Int, settings: SafetyIndexSettings, month: SafetyIndexMonth, _ ctx: PageContext) -> String {
        let l = ctx.lang
        let f = settings.formula
        let groups: [HTML] = f.groups.map { g in
            let rows: [HTML] = g.indicators.map { i in
                """
                <tr><td>\(l.pick(i.name, i.nameEN))<br><span class="meta">\(baselineName(i.baseline, l))</span></td>
                <td><input type="number" name="weight.\(i.code)" value="\(Format.decimal(i.weight, places: 1))" min="0" max="1000" step="0.5" inputmode="decimal" aria-label="\(l.pick("权重", "Weight")) \(l.pick(i.name, i.nameEN))"></td></tr>
                """
            }
            return "<tbody><tr class=\"group\"><th colspan=\"2\">\(l.pick(g.name, g.nameEN))</th></tr>\(rows)</tbody>"
        }
        let deductions: [HTML] = f.deductions.map { d in
            "<tr><td>\(l.pick(d.name, d.nameEN))</td><td class=\"num\">\(Format.decimal(d.pointsPerEvent, places: 1)) / \(Format.decimal(d.maximumPoints, places: 1))</td></tr>"
        }
        let document = SafetyFormulaDocumentDTO(version: version, savedAt: nil, formula: f, ladder: settings.ladder, publicPage: settings.publicPage ?? true)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return Layout.page(l.pick("平安指数计算办法", "Safety index formula"), ctx, scripts: ["safety.js"], """
        <section class="card">
        <h1>\(l.pick("平安指数计算办法", "Safety index formula")) · \(l.pick("第 \(version) 版", "version \(version)"))</h1>
        <p class="meta">\(l.pick("修改权重和等级线后先预览上月（\(month.description)）的效果，再保存为新版本。已发布的月份不会被改写；需要时可对某月重新计算，生成新的发布版本。",
                                "Change the weights and thresholds, preview the effect on last month (\(month.description)), then save as a new version. Published months are never rewritten; recomputing a month publishes a new revision."))</p>
        <form id="formula-form" data-month="\(month.description)">
        <div class="table-wrap"><table class="list formula"><thead><tr><th>\(l.pick("指标", "Indicator"))</th><th>\(l.pick("权重", "Weight"))</th></tr></thead>\(groups)</table></div>
        <fieldset><legend>\(l.pick("等级线（分）", "Band thresholds (points)"))</legend>
        <label>\(l.pick("绿色 ≥", "Green ≥")) <input type="number" name="bands.green" value="\(Format.decimal(f.bands.green, places: 1))" min="0" max="100" step="0.5"></label>
        <label>\(l.pick("蓝色 ≥", "Blue ≥")) <input type="number" name="bands.blue" value="\(Format.decimal(f.bands.blue, places: 1))" min="0" max="100" step="0.5"></label>
        <label>\(l.pick("橙色 ≥", "Orange ≥")) <input type="number" name="bands.orange" value="\(Format.decimal(f.bands.orange, places: 1))" min="0" max="100" step="0.5"></label>
        </fieldset>
        <fieldset><legend>\(l.pick("连续红色", "Red months in a row"))</legend>
        <label>\(l.pick("连续红色月数触发专项督办", "Red months before special supervision")) <input type="number" name="ladder.red_months_for_rectification" value="\(settings.ladder.redMonthsForRectification)" min="1" max="24" step="1"></label>
        <label>\(l.pick("整改期限（天）", "Days to rectify")) <input type="number" name="ladder.rectification_days" value="\(settings.ladder.rectificationDays)" min="1" max="366" step="1"></label>
        </fieldset>
        <label class="check"><input type="checkbox" name="public_page"\(HTML(raw: settings.publicPage == false ? "" : " checked"))> \(l.pick("向群众公开（/safety/区域代码）", "Publish to residents (/safety/AREA)"))</label>
        <p class="actions"><button type="button" id="formula-preview">\(l.pick("预览上月效果", "Preview on last month"))</button>
        <button type="button" id="formula-save" class="primary">\(l.pick("保存为新版本", "Save as a new version"))</button>
        <span class="field-error" role="alert" id="formula-error"></span></p>
        </form>
        <h2>\(l.pick("重大事项扣分（每件 / 上限）", "Deductions for grave events (per event / cap)"))</h2>
        <table class="list">\(deductions)</table>
        </section>
        <section class="card" id="formula-result" hidden aria-live="polite"></section>
        <script type="application/json" id="formula-doc">\(HTML(raw: json.replacingOccurrences(of: "<", with: "\\u003c")))</script>
        """)
    }

    static func baselineName(_ b: SafetyIndexBaselineChoice, _ l: Lang) -> String {
        switch b {
        case .ownPrevious12Months: l.pick("对比本区域前12个月", "against its own previous 12 months")
        case .ownThreeYearAverage: l.pick("对比本区域前3年平均", "against its own 3-year average")
        case .countyAverage: l.pick("对比全县前12个月", "against the county's previous 12 months")
        }
    }

    // MARK: The public page

    static func publicPage(area: Area, history: [SafetyIndexQueries.Score], warnings: [StoredWarning], catalogue: CategoryCatalogue,
                           j: Jurisdiction, lang l: Lang, path: String) -> String {
        let latest = history.first
        let title = l.pick("\(area.name)平安指数", "Safety index of \(area.name)")
        let description = latest.map { l.pick("\($0.month) 平安指数 \(score($0.scoreHundredths)) 分，\(bandName($0.band, l))。", "\($0.month): \(score($0.scoreHundredths)), \(bandName($0.band, l)).") }
            ?? l.pick("尚未发布。", "Not published yet.")
        let rows: [HTML] = history.map { s in "<tr><td>\(s.month)</td><td class=\"num\">\(score(s.scoreHundredths))</td><td>\(badge(s.band, l))</td></tr>" }
        let byCategory = Dictionary(grouping: warnings) { w in w.categoryCode.map { c in catalogue[c].map { l.pick($0.name, $0.nameEN) } ?? c } ?? l.pick(w.kind.nameZH, w.kind.nameEN) }
        let warningItems: [HTML] = byCategory.keys.sorted().map { k in
            let areas = Set(byCategory[k]!.map { j[$0.areaCode]?.name ?? $0.areaCode }).sorted()
            return "<li><strong>\(k)</strong>：\(areas.joined(separator: "、"))</li>"
        }
        let children: [HTML] = j.children(of: area.code).filter { SafetyIndexService.scoredLevels.contains($0.level) }.map { c in
            "<a href=\"\(SitePath.publicSafety.link(c.code))\">\(c.name)</a>"
        }
        let head: HTML = """
        <meta property="og:title" content="\(title)">
        <meta property="og:description" content="\(description)">
        <meta property="og:type" content="website">
        <meta name="description" content="\(description)">
        """
        let ctx = PageContext(lang: l, staff: nil, path: path)
        return Layout.page(title, ctx, bodyClass: "public-safety", head: head, """
        <section class="card narrow">
        <h1>\(title)</h1>
        \(latest.map { s -> HTML in "<p class=\"big-score\"><strong>\(score(s.scoreHundredths))</strong> \(badge(s.band, l)) <span class=\"meta\">\(s.month)</span></p>" } ?? "<p>\(l.pick("尚未发布。", "Not published yet."))</p>")
        \(HTML(raw: historyChart(history, title: title, width: 360, height: 180)))
        <h2>\(l.pick("当前预警", "Current warnings"))</h2>
        \(warningItems.isEmpty ? HTML(stringLiteral: "<p>" + HTML.escape(l.pick("目前没有预警。", "No warnings now.")) + "</p>") : "<ul>\(warningItems)</ul>")
        <p class="meta">\(l.pick("预警提示某类事件近期异常增多或本区域指数连续偏低，请大家注意防范；如遇问题请通过“我要反映”上报。", "A warning means events of a kind have risen unusually or the area's index has been low; please take care, and report problems through \"Report\"."))</p>
        <h2>\(l.pick("近12个月", "The last 12 months"))</h2>
        <table class="list"><thead><tr><th>\(l.pick("月份", "Month"))</th><th>\(l.pick("得分", "Score"))</th><th>\(l.pick("等级", "Band"))</th></tr></thead><tbody>\(rows)</tbody></table>
        \(children.isEmpty ? "" : HTML("<h2>\(l.pick("下辖区域", "Areas within"))</h2><p class=\"links\">\(children)</p>"))
        <p><a href="\(SitePath.report.link())">\(l.pick("我要反映", "Report a problem"))</a></p>
        </section>
        """)
    }

    // MARK: The monthly report

    static func report(_ r: MonthlyReport, catalogue: CategoryCatalogue, j: Jurisdiction, _ ctx: PageContext) -> String {
        let l = ctx.lang
        let name = j[r.area]?.name ?? r.area
        func cat(_ c: String) -> String { catalogue[c].map { l.pick($0.name, $0.nameEN) } ?? c }
        func pct(_ n: Int, _ d: Int) -> String { d == 0 ? "—" : Format.decimal(Double(n - d) / Double(d) * 100, places: 1) + "%" }
        let majors: [HTML] = r.byMajor.prefix(15).map { c in "<tr><td>\(cat(c.code))</td><td class=\"num\">\(c.n)</td><td class=\"num\">\(c.previous)</td><td class=\"num\">\(pct(c.n, c.previous))</td></tr>" }
        let top: [HTML] = r.top.map { c in "<li>\(cat(c.code))：\(c.n) \(l.pick("件", "cases"))\(c.previous > 0 ? l.pick("（上月 \(c.previous)）", " (last month \(c.previous))") : "")</li>" }
        let trendMax = max(r.trend.map(\.n).max() ?? 1, 1)
        let trend: [HTML] = r.trend.map { t in
            "<div class=\"bar-row\"><span>\(t.month.description)</span><svg class=\"hbar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect width=\"\(max(1, Int(Double(t.n) / Double(trendMax) * 100)))\" height=\"10\" fill=\"#60a5fa\"/></svg><span class=\"num\">\(t.n)</span></div>"
        }
        let measureRows: [HTML] = [(MeasureKind.effectiveCompletion, "有效办结率", "Effective completion"), (.onTimeClosure, "按期结案率", "On-time closure"),
                                   (.satisfaction, "群众满意率", "Satisfaction"), (.timelyFeedback, "及时反馈率", "Timely feedback")].map { k, zh, en in
            let m = r.measures[k]
            return "<tr><td>\(l.pick(zh, en))</td><td class=\"num\">\(Format.rate(m))</td><td class=\"num meta\">\(m.numerator)/\(m.denominator)</td></tr>"
        }
        var moved: [HTML] = []
        if let now = r.index, let before = r.previousIndex {
            let prior = Dictionary(before.indicators.map { ($0.code, $0.contributionHundredths) }, uniquingKeysWith: { a, _ in a })
            let deltas = now.indicators.map { ($0, $0.contributionHundredths - (prior[$0.code] ?? 0)) }.filter { $0.1 != 0 }
                .sorted { abs($0.1) > abs($1.1) }.prefix(4)
            moved = deltas.map { e, d in "<li>\(l.pick(e.name, e.nameEN))：\(d > 0 ? "+" : "−")\(Format.decimal(Double(abs(d)) / 100, places: 2)) \(l.pick("分", "points"))</li>" }
        }
        let indexLine: HTML = r.index.map { i in
            let d = r.previousIndex.map { Double(i.scoreHundredths - $0.scoreHundredths) / 100 }
            return "<p>\(l.pick("平安指数", "Safety index")) <strong>\(score(i.scoreHundredths))</strong> \(badge(i.band.rawValue, l))，\(l.pick("环比", "vs last month")) \(signed(d))</p>"
        } ?? "<p class=\"meta\">\(l.pick("本月指数尚未发布。", "The month's index is not published yet."))</p>"
        let warningItems: [HTML] = r.warnings.prefix(20).map { w in "<li>\(warningTitle(w, catalogue: catalogue, j: j, l))（\(w.period)）</li>" }
        let change = r.previousTotal > 0 ? l.pick("，环比 \(pct(r.total, r.previousTotal))", " (\(pct(r.total, r.previousTotal)) on last month)") : ""
        return Layout.page(l.pick("月度研判报告", "Monthly analysis report"), ctx, bodyClass: "report-page", """
        <article class="card report">
        <p class="no-print"><a href="#" class="print-link" data-print="1">\(l.pick("打印 / 另存为 PDF", "Print / save as PDF"))</a></p>
        <h1>\(name) \(r.month.description) \(l.pick("社会治理月度研判报告", "monthly analysis report"))</h1>
        <h2>\(l.pick("一、总体情况", "1. Overview"))</h2>
        <p>\(l.pick("本月共受理事件 \(r.total) 件\(change)。", "\(r.total) cases this month\(change)."))</p>
        \(indexLine)
        \(moved.isEmpty ? "" : HTML("<p>\(l.pick("影响指数变化的主要因素：", "What moved the index:"))</p><ul>\(moved)</ul>"))
        <h2>\(l.pick("二、事件分类与走势", "2. Cases by category and trend"))</h2>
        <table class="list"><thead><tr><th>\(l.pick("大类", "Category"))</th><th>\(l.pick("本月", "This month"))</th><th>\(l.pick("上月", "Last month"))</th><th>\(l.pick("环比", "Change"))</th></tr></thead><tbody>\(majors)</tbody></table>
        <div class="bars">\(trend)</div>
        <h2>\(l.pick("三、办理质效", "3. Handling"))</h2>
        <table class="list"><tbody>\(measureRows)</tbody></table>
        <h2>\(l.pick("四、风险与预警", "4. Risks and warnings"))</h2>
        <p>\(l.pick("本月新增风险 \(r.risksOpened) 项，销号 \(r.risksCleared) 项；发出预警 \(r.warnings.count) 条。", "\(r.risksOpened) risks registered and \(r.risksCleared) cleared this month; \(r.warnings.count) warnings raised."))</p>
        \(warningItems.isEmpty ? "" : HTML("<ul>\(warningItems)</ul>"))
        <h2>\(l.pick("五、矛盾纠纷调解", "5. Mediation"))</h2>
        <p>\(l.pick("受理纠纷 \(r.mediation.received) 件，调结 \(r.mediation.concluded) 件，其中达成协议 \(r.mediation.agreements) 件，调解成功率 \(Format.rate(r.mediation.success))。",
                   "\(r.mediation.received) disputes received, \(r.mediation.concluded) concluded, \(r.mediation.agreements) with an agreement: \(Format.rate(r.mediation.success)) success."))</p>
        <h2>\(l.pick("六、突出问题", "6. Recurring problems"))</h2>
        <ol>\(top)</ol>
        <p class="meta">\(l.pick("本报告由系统根据平台数据自动生成，按事件计数，不含个人信息。", "Generated from the platform's data, counting events; it holds no personal data."))</p>
        </article>
        """)
    }
}

extension SafetyIndexView {
    /// The dashboard's and the big screen's panel: the area's index, its children's map by band, open warnings.
    static func panel(_ p: SafetyPanel, area: String, j: Jurisdiction, catalogue: CategoryCatalogue, _ l: Lang, width: Double = 420) -> HTML {
        let children = j.children(of: area)
        var map = ""
        if let frame = j[area]?.boundary?.bbox ?? children.compactMap(\.boundary?.bbox).first {
            map = AreaMap.svg(children, frame: frame, AreaMap.Options(
                width: width, cssClass: "map index-map", title: l.pick("平安指数地图", "Safety index map"),
                fill: { colour(p.bands[$0.code] ?? "") },
                tooltip: { a in "\(a.name) " + (p.scores[a.code].map { score($0) + " " + bandName(p.bands[a.code] ?? "", l) } ?? "") },
                links: { SitePath.safetyArea.link($0.code, query: ["month": p.month.description]) }))
        }
        let items: [HTML] = p.warnings.map { w in "<li class=\"level-\(w.level)\">\(warningTitle(w, catalogue: catalogue, j: j, l)) <span class=\"meta\">\(w.period)</span></li>" }
        let own: HTML = p.own.map { "<p class=\"big-score\"><strong>\(score($0.scoreHundredths))</strong> \(badge($0.band, l)) <span class=\"meta\">\(p.month.description)</span></p>" } ?? ""
        return """
        <section class="card safety-panel"><h2><a href="\(SitePath.safetyIndex.link(query: ["area": area, "month": p.month.description]))">\(l.pick("平安指数", "Safety index"))</a></h2>
        \(own)\(HTML(raw: map))
        <h3><a href="\(SitePath.warnings.link(query: ["area": area, "status": "open"]))">\(l.pick("待处理预警", "Open warnings")) (\(p.openWarnings))</a></h3>
        \(items.isEmpty ? "" : HTML("<ul class=\"s-warnings\">\(items)</ul>"))
        </section>
        """
    }
}
