import Foundation
import WanggeCore
import WanggeStore

/// The two small registers on their pages: heightened periods on the risk register, grave events on the index.
/// Forms post through `form.j-post` (app.js); a keeper (operator, administrator) sees the forms, others the lists.
enum SafetyRegistersView {
    /// The county and its townships: what a heightened period or a grave event is most often about.
    static func areaOptions(_ j: Jurisdiction, from root: String, villages: Bool) -> [HTML] {
        var out: [HTML] = []
        guard let top = j[root] else { return out }
        out.append("<option value=\"\(top.code)\">\(top.name)</option>")
        for t in j.children(of: root) {
            out.append("<option value=\"\(t.code)\">\(t.name)</option>")
            if villages {
                for v in j.children(of: t.code) { out.append("<option value=\"\(v.code)\">\(t.name) · \(v.name)</option>") }
            }
        }
        return out
    }

    static func periods(_ rows: [StoredHeightenedPeriod], canSet: Bool, scope: String, now: Date, j: Jurisdiction, _ l: Lang) -> HTML {
        let items: [HTML] = rows.map { p in
            let status: String
            if p.meta.withdrawnAt != nil { status = l.pick("已取消", "Called off") }
            else if now >= p.period.end { status = l.pick("已结束", "Ended") }
            else if now >= p.period.start { status = l.pick("进行中", "In force") }
            else { status = l.pick("未开始", "To come") }
            let areas = p.period.areaCodes.map { j[$0]?.name ?? $0 }.joined(separator: "、")
            let callOff: HTML = canSet && p.meta.withdrawnAt == nil && now < p.period.end ? """
                <form class="j-post row-form" data-path="apiHeightenedPeriodCallOff" data-id="\(p.meta.id.uuidString)">
                <input name="note" maxlength="2000" placeholder="\(l.pick("取消原因", "Why"))" aria-label="\(l.pick("取消原因", "Why"))">
                <button type="submit">\(l.pick("取消", "Call off"))</button><span class="field-error" role="alert" data-for="form"></span></form>
                """ : ""
            return """
            <tr><td>\(p.period.name)</td><td>\(Format.minute(p.period.start)) – \(Format.minute(p.period.end))</td><td>\(areas)</td>
            <td>\(status)\(p.meta.note.map { HTML(stringLiteral: "<div class=\"meta\">" + HTML.escape($0) + "</div>") })</td><td>\(callOff)</td></tr>
            """
        }
        let form: HTML = canSet ? """
        <form class="j-post stack" id="period-form" data-path="apiHeightenedPeriods" data-offset="+08:00">
        <h3>\(l.pick("设定重点时段", "Set a heightened period"))</h3>
        <label>\(l.pick("名称", "Name")) <input name="name" maxlength="64" required placeholder="\(l.pick("如：春节安保", "e.g. Spring Festival security"))"></label>
        <div class="row"><label>\(l.pick("开始", "Start")) <input type="datetime-local" name="start" data-instant required></label>
        <label>\(l.pick("结束", "End")) <input type="datetime-local" name="end" data-instant required></label></div>
        <label>\(l.pick("覆盖区域（可多选）", "Areas covered (choose one or more)")) <select name="area_codes" multiple size="6" required>\(areaOptions(j, from: scope, villages: false))</select></label>
        <button type="submit">\(l.pick("设定", "Set"))</button><span class="field-error" role="alert" data-for="form"></span>
        </form>
        """ : ""
        return """
        <section class="card" id="heightened-periods"><h2>\(l.pick("重点时段（加密复核）", "Heightened periods (reviews more often)"))</h2>
        <p class="meta">\(l.pick("重点时段内，所覆盖区域的橙色风险每日复核、红色风险每日两次（按风险目录配置）；设定或取消后，定时任务在一分钟内重排复核时间。",
                                "In a heightened period the orange risks of the areas covered are reviewed daily and the red ones twice a day (as the catalogue says); the clock job reschedules the reviews within a minute of a period being set or called off."))</p>
        \(rows.isEmpty ? HTML(raw: l.pick("<p>暂无重点时段。</p>", "<p>No heightened period.</p>")) : HTML("<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>\(l.pick("名称", "Name"))</th><th>\(l.pick("时间", "When"))</th><th>\(l.pick("区域", "Areas"))</th><th>\(l.pick("状态", "Status"))</th><th></th></tr></thead><tbody>\(items)</tbody></table></div>"))
        \(form)
        </section>
        """
    }

    static func graveEvents(_ rows: [StoredGraveEvent], formula: SafetyIndexFormula, canRecord: Bool, scope: String, month: SafetyIndexMonth?,
                            j: Jurisdiction, _ l: Lang) -> HTML {
        let names = Dictionary(formula.deductions.map { ($0.code, l.pick($0.name, $0.nameEN)) }, uniquingKeysWith: { a, _ in a })
        let items: [HTML] = rows.map { e in
            let withdraw: HTML = canRecord && e.meta.withdrawnAt == nil ? """
                <form class="j-post row-form" data-path="apiGraveEventWithdraw" data-id="\(e.meta.id.uuidString)">
                <input name="note" maxlength="2000" required placeholder="\(l.pick("撤销原因", "Why"))" aria-label="\(l.pick("撤销原因", "Why"))">
                <button type="submit">\(l.pick("撤销", "Withdraw"))</button><span class="field-error" role="alert" data-for="form"></span></form>
                """ : (e.meta.withdrawnAt == nil ? "" : HTML(raw: "<span class=\"meta\">" + HTML.escape(l.pick("已撤销", "Withdrawn") + (e.meta.note.map { "：" + $0 } ?? "")) + "</span>"))
            return """
            <tr><td>\(e.event.occurredOn.description)</td><td>\(j[e.event.areaCode]?.name ?? e.event.areaCode)</td><td>\(names[e.event.code] ?? e.event.code)</td>
            <td>\(e.event.summary)</td><td>\(withdraw)</td></tr>
            """
        }
        let codes: [HTML] = formula.deductions.map { d in "<option value=\"\(d.code)\">\(l.pick(d.name, d.nameEN))（\(Format.decimal(d.pointsPerEvent, places: 1))\(l.pick(" 分/件", " points each"))）</option>" }
        let form: HTML = canRecord ? """
        <form class="j-post stack" id="grave-form" data-path="apiGraveEvents">
        <h3>\(l.pick("登记重大事项", "Record a grave event"))</h3>
        <div class="row"><label>\(l.pick("日期", "Day")) <input type="date" name="occurred_on" required></label>
        <label>\(l.pick("类型", "Kind")) <select name="code">\(codes)</select></label></div>
        <label>\(l.pick("区域", "Area")) <select name="area_code">\(areaOptions(j, from: scope, villages: true))</select></label>
        <label>\(l.pick("概况（只写事情，不写姓名）", "What happened (the event, never names)")) <textarea name="summary" maxlength="500" rows="2" required></textarea></label>
        <button type="submit">\(l.pick("登记", "Record"))</button><span class="field-error" role="alert" data-for="form"></span>
        </form>
        """ : ""
        let title = l.pick("重大事项（扣分）", "Grave events (deductions)") + (month.map { " · \($0.description)" } ?? "")
        return """
        <section class="card" id="grave-events"><h2>\(title)</h2>
        <p class="meta">\(l.pick("登记后在下一次计算中扣分；已发布的月份不改写，需重新计算生成新版本。", "An event is deducted from the next computation; a published month is not rewritten: recompute it for a new revision."))</p>
        \(rows.isEmpty ? HTML(raw: l.pick("<p>本月无重大事项。</p>", "<p>No grave event this month.</p>")) : HTML("<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>\(l.pick("日期", "Day"))</th><th>\(l.pick("区域", "Area"))</th><th>\(l.pick("类型", "Kind"))</th><th>\(l.pick("概况", "Summary"))</th><th></th></tr></thead><tbody>\(items)</tbody></table></div>"))
        \(form)
        </section>
        """
    }
}
