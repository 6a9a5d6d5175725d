import Foundation
import WanggeCore
import WanggeStore

/// The risk register's pages: the list (phone and desk) and one entry with its history and action forms.
enum RiskView {
    static func levelBadge(_ level: Int, _ l: Lang, _ catalogue: RiskCatalogue) -> HTML {
        let lv = catalogue.level(level)
        return "<span class=\"risk-level lv-\(level)\">\(SafetyIndexView.swatch(lv?.colour ?? "#999"))\(l.pick(lv?.name ?? String(level), lv?.nameEN ?? String(level)))</span>"
    }

    static func categoryName(_ code: String, _ l: Lang, _ catalogue: RiskCatalogue) -> String {
        catalogue.category(code).map { l.pick($0.name, $0.nameEN) } ?? code
    }

    static func register(_ rows: [RiskSummaryDTO], total: Int, page: Int, area: String, states: [RiskState], level: Int?, category: String?,
                         canImport: Bool, catalogue: RiskCatalogue, periods: HTML, j: Jurisdiction, _ ctx: PageContext) -> String {
        let l = ctx.lang
        let levelOptions: [HTML] = [HTML("<option value=\"\">\(l.pick("全部等级", "All levels"))</option>")] + catalogue.levels.map { lv in
            "<option value=\"\(lv.number)\"\(HTML(raw: level == lv.number ? " selected" : ""))>\(l.pick(lv.name, lv.nameEN))</option>"
        }
        let categoryOptions: [HTML] = [HTML("<option value=\"\">\(l.pick("全部类别", "All categories"))</option>")] + catalogue.categories.map { c in
            "<option value=\"\(c.code)\"\(HTML(raw: category == c.code ? " selected" : ""))>\(l.pick(c.name, c.nameEN))</option>"
        }
        let open = states == RiskState.allCases.filter(\.isOpen)
        let statusOptions: HTML = """
        <option value="\(RiskState.allCases.filter(\.isOpen).map(\.rawValue).joined(separator: ","))"\(HTML(raw: open ? " selected" : ""))>\(l.pick("在册", "On the register"))</option>
        <option value="cleared,archived"\(HTML(raw: states == [.cleared, .archived] ? " selected" : ""))>\(l.pick("已销号/归档", "Cleared or archived"))</option>
        <option value="\(RiskState.allCases.map(\.rawValue).joined(separator: ","))"\(HTML(raw: states.count == RiskState.allCases.count ? " selected" : ""))>\(l.pick("全部", "All"))</option>
        """
        let items: [HTML] = rows.map { r in
            let due: HTML = r.nextReviewDue.map { d in "<span class=\"clock \(r.clock ?? "none")\">\(l.pick("下次复核", "Next review")) \(Format.minute(d))</span>" } ?? ""
            return """
            <tr><td><a href="\(SitePath.riskView.link(r.id.uuidString))">\(r.code)</a></td><td>\(r.title)</td><td>\(categoryName(r.categoryCode, l, catalogue))</td>
            <td>\(r.area.name)</td><td>\(levelBadge(r.level, l, catalogue))</td><td>\(l.pick(r.stateName, r.state))</td><td>\(due)</td></tr>
            """
        }
        var query: [(String, String?)] = [("area", area), ("status", states.map(\.rawValue).joined(separator: ",")), ("level", level.map(String.init)), ("category", category)]
        let csv = SitePath.apiRisksExport.link([], queryItems: query + [("format", "csv")])
        let xlsx = SitePath.apiRisksExport.link([], queryItems: query + [("format", "xlsx")])
        query.append(("page", String(page + 1)))
        let next: HTML = page * 50 < total ? "<a href=\"\(SitePath.risks.link([], queryItems: query))\">\(l.pick("下一页", "Next page"))</a>" : ""
        let importForm: HTML = canImport ? """
        <details class="card"><summary>\(l.pick("导入已有风险清单（CSV / XLSX）", "Import an existing list (CSV / XLSX)"))</summary>
        <form id="risk-import" class="stack">
        <p class="meta">\(l.pick("第一行为表头：类别、标题、描述、区域代码、可能性(L)、严重性(S)（或暴露(E)、后果(C)）、等级（可选）。任何一行有问题则全部不导入，并按行列出问题。支持 UTF-8 或 GB18030 编码的 CSV。",
                                "The first row is the header: category, title, description, area code, likelihood (L), severity (S) (or exposure (E), consequence (C)), level (optional). If any row has a problem nothing is imported and every problem is listed by row. CSV in UTF-8 or GB18030."))</p>
        <label>\(l.pick("文件", "File")) <input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
        <button type="submit">\(l.pick("导入", "Import"))</button>
        <div id="risk-import-result" role="status" aria-live="polite"></div>
        </form></details>
        """ : ""
        return Layout.page(l.pick("风险清单", "Risk register"), ctx, scripts: ["risks.js"], """
        <section class="card">
        <h1>\(l.pick("风险清单", "Risk register")) · \(j[area]?.name ?? area)</h1>
        <form method="get" action="\(SitePath.risks.link())" class="filters row-filters">
        <input type="hidden" name="area" value="\(area)">
        <label>\(l.pick("等级", "Level")) <select name="level">\(levelOptions)</select></label>
        <label>\(l.pick("类别", "Category")) <select name="category">\(categoryOptions)</select></label>
        <label>\(l.pick("状态", "Status")) <select name="status">\(statusOptions)</select></label>
        <button type="submit">\(l.pick("筛选", "Filter"))</button>
        </form>
        <p class="meta">\(l.pick("共 \(total) 项", "\(total) entries")) · <a href="\(csv)">\(l.pick("导出 CSV", "Export CSV"))</a> · <a href="\(xlsx)">\(l.pick("导出 Excel", "Export Excel"))</a></p>
        <div class="table-wrap"><table class="list risks"><thead><tr><th>\(l.pick("编号", "Code"))</th><th>\(l.pick("名称", "Title"))</th><th>\(l.pick("类别", "Category"))</th>
        <th>\(l.pick("区域", "Area"))</th><th>\(l.pick("等级", "Level"))</th><th>\(l.pick("状态", "Status"))</th><th>\(l.pick("复核", "Review"))</th></tr></thead>
        <tbody>\(items)</tbody></table></div>
        \(next)
        </section>
        \(periods)
        \(importForm)
        """)
    }

    /// The mitigation plan (measures, due and done) and the linked cases, when there are any.
    static func planHTML(_ s: RiskSnapshot, _ l: Lang) -> HTML {
        guard !s.plan.isEmpty || !s.caseCodes.isEmpty else { return "" }
        let measures: [HTML] = s.plan.map { m in
            "<li>\(m.description) <span class=\"meta\">\(l.pick("期限", "due")) \(m.dueOn.description)\(m.doneOn.map { l.pick(" · 已完成 ", " · done ") + $0.description } ?? "")</span></li>"
        }
        let cases: HTML = s.caseCodes.isEmpty ? "" : HTML("<p>\(l.pick("关联案件", "Linked cases")): \(s.caseCodes.joined(separator: "、"))</p>")
        return "<section class=\"card\"><h2>\(l.pick("管控措施", "Mitigation plan"))</h2>\(measures.isEmpty ? "" : HTML("<ol>\(measures)</ol>"))\(cases)</section>"
    }

    static func page(_ r: StoredRisk, summary: RiskSummaryDTO, records: [RiskRecord], allowed: [RiskActionKind], j: Jurisdiction,
                     departments: [String: Department], catalogue: RiskCatalogue, heightened: [HeightenedPeriod], _ ctx: PageContext) -> String {
        let l = ctx.lang, s = r.snapshot, g = s.registration
        let history: [HTML] = records.reversed().map { rec in
            let level: HTML = rec.fromLevel.map { from in from != rec.level ? " · \(levelBadge(from, l, catalogue)) → \(levelBadge(rec.level, l, catalogue))" : "" } ?? ""
            return "<li><strong>\(l.pick(rec.kind.nameZH, rec.kind.rawValue))</strong> <span class=\"meta\">\(Format.minute(rec.at)) · \(rec.actor.staff?.username ?? l.pick("系统", "system"))</span>\(level)\(rec.note.map { HTML(stringLiteral: "<div>" + HTML.escape($0) + "</div>") })</li>"
        }
        let likelihoods: [HTML] = (1...5).map { "<option value=\"\($0)\">\($0)</option>" }
        let decisions: [HTML] = RiskDecision.allCases.map { "<option value=\"\($0.rawValue)\">\(l.pick($0.nameZH, $0.rawValue))</option>" }
        var forms: [HTML] = []
        for a in allowed {
            switch a {
            case .review:
                forms.append("""
                <form class="r-action card" data-action="review"><h3>\(l.pick("复核", "Review"))</h3>
                <div class="row"><label>\(l.pick("可能性 L", "Likelihood L")) <select name="likelihood">\(likelihoods)</select></label>
                <label>\(l.pick("严重性 S", "Severity S")) <select name="severity">\(likelihoods)</select></label>
                <label>\(l.pick("结论", "Decision")) <select name="decision">\(decisions)</select></label></div>
                <label>\(l.pick("说明", "Note")) <textarea name="note" maxlength="2000" rows="2"></textarea></label>
                <button type="submit">\(l.pick("提交复核", "Record the review"))</button><span class="field-error" role="alert" data-for="form"></span></form>
                """)
            case .transfer:
                forms.append("""
                <form class="r-action card" data-action="transfer"><h3>\(l.pick("移送责任单位", "Transfer"))</h3>
                <label>\(l.pick("责任单位代码", "Department code")) <input name="department_code" maxlength="64" required></label>
                <label>\(l.pick("责任领导（账号）", "Responsible leader (user name)")) <input name="leader" maxlength="32" required></label>
                <label>\(l.pick("责任人（账号）", "Person in charge (user name)")) <input name="person_in_charge" maxlength="32" required></label>
                <label>\(l.pick("说明", "Note")) <input name="note" maxlength="2000"></label>
                <button type="submit">\(l.pick("移送", "Transfer"))</button><span class="field-error" role="alert" data-for="form"></span></form>
                """)
            case .feedback:
                forms.append("""
                <form class="r-action card" data-action="feedback"><h3>\(l.pick("反馈", "Feedback"))</h3>
                <label>\(l.pick("管控进展", "Progress")) <textarea name="text" maxlength="2000" rows="2" required></textarea></label>
                <button type="submit">\(l.pick("提交反馈", "Send feedback"))</button><span class="field-error" role="alert" data-for="form"></span></form>
                """)
            case .approve, .clear, .archive:
                forms.append("""
                <form class="r-action card" data-action="\(a.rawValue)"><h3>\(l.pick(a.nameZH, a.rawValue))</h3>
                <label>\(l.pick("说明", "Note")) <input name="note" maxlength="2000"></label>
                <button type="submit">\(l.pick(a.nameZH, a.rawValue))</button><span class="field-error" role="alert" data-for="form"></span></form>
                """)
            default:
                continue
            }
        }
        let owners: HTML = s.owners.map { o in "<p>\(l.pick("责任单位", "Department")) \(departments[o.departmentCode]?.name ?? o.departmentCode) · \(l.pick("责任领导", "Leader")) \(o.leader.name) · \(l.pick("责任人", "In charge")) \(o.personInCharge.name)</p>" } ?? ""
        let due: HTML = summary.nextReviewDue.map { "<span class=\"clock \(summary.clock ?? "none")\">\(l.pick("下次复核", "Next review")) \(Format.minute($0))</span>" } ?? ""
        let heightenedLine: HTML = heightened.isEmpty ? "" : HTML(raw: "<p class=\"notice\">" + HTML.escape(l.pick("重点时段：", "Heightened period: ")
            + heightened.map { "\($0.name)（\(l.pick("至", "until")) \(Format.minute($0.end))）" }.joined(separator: "、")) + "</p>")
        return Layout.page(g.title, ctx, scripts: ["risks.js"], """
        <section class="card" id="risk" data-id="\(r.id.uuidString)">
        <p class="meta"><a href="\(SitePath.risks.link())">\(l.pick("风险清单", "Risk register"))</a> · \(g.code)</p>
        <h1>\(g.title) \(levelBadge(s.level, l, catalogue))</h1>
        <p>\(categoryName(g.categoryCode, l, catalogue)) · \(j[g.areaCode]?.name ?? g.areaCode) · \(l.pick(s.state.nameZH, s.state.nameEN)) \(due)</p>
        \(heightenedLine)
        <p>\(g.description)</p>
        <p class="meta">\(l.pick("评估", "Assessment")) \(l.pick(s.assessment.method.nameZH, s.assessment.method.nameEN)) = \(Format.decimal(s.assessment.score, places: 1))</p>
        \(owners)
        </section>
        \(planHTML(s, l))
        \(forms.isEmpty ? "" : HTML("<section class=\"actions-col\">\(forms)</section>"))
        <section class="card"><h2>\(l.pick("办理经过", "History"))</h2><ol class="timeline">\(history)</ol></section>
        """)
    }
}
