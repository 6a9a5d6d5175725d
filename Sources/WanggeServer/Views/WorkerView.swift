import Foundation
import WanggeCore

struct WorkerModel {
    var gridName: String
    var gridCode: String
    var point: GeoPoint?
    var toVerify: [StoredCaseView]
    var open: [StoredCaseView]
    var canVerify: Set<UUID>
    var categories: HTML
}

enum WorkerView {
    /// What the page carries for field work: the key places with their checklists (as JSON for the script, so an
    /// inspection can be filled in offline) and the households due this quarter.
    struct FieldModel {
        var places: [FieldPlace]
        /// Places due for inspection again (their hazard cases are finished), with the day the last one finished.
        var reinspections: [(id: UUID, name: String, since: Date)] = []
        /// Care visits due by today (the address and the day; the needs stay on the plan).
        var care: [(id: UUID, address: String, due: String)] = []
        /// Every place of the grid, for a patrol's finding to name (the case then takes its point and address).
        var allPlaces: [(id: UUID, name: String)] = []
        var householdsDue: Int
        var households: [(id: UUID, address: String)]
        var period: String
    }

    struct FieldPlace: Encodable {
        var id: UUID
        var name: String
        var type: String
        var checklists: [FieldChecklist]
    }

    struct FieldChecklist: Encodable {
        var code: String
        var name: String
        var items: [FieldItem]
    }

    struct FieldItem: Encodable {
        var code: String
        var name: String
        /// A failed item asks for a photo.
        var photo: Bool
    }

    /// The patrol (start, findings, end: each an outbox item, a finding's point only when the worker asks for it) and
    /// the care visits due.
    static func patrolAndCareHTML(_ f: FieldModel, gridCode: String, categories: HTML, _ l: Lang) -> HTML {
        let care: [HTML] = f.care.map { c in
            """
            <li class="task" data-plan="\(c.id.uuidString)"><span>\(c.address) · \(l.pick("应探访", "due")) \(c.due)</span>
            <div class="task-acts"><button type="button" class="care-act">\(l.pick("已探访", "Visited"))</button></div></li>
            """
        }
        return """
        <section class="card" aria-labelledby="patrol-h">
          <h2 id="patrol-h">\(l.pick("网格巡查", "Patrol"))</h2>
          <p class="meta" id="patrol-state" aria-live="polite">\(l.pick("不记录行动轨迹：只在记下发现时保存位置。", "No tracking: a point is kept only where you record a finding."))</p>
          <button type="button" id="patrol-start" class="primary" data-grid="\(gridCode)">\(l.pick("开始巡查", "Start a patrol"))</button>
          <form id="patrol-finding" class="stack" novalidate hidden>
            <label for="pf-note">\(l.pick("发现", "Finding"))</label>
            <textarea id="pf-note" name="note" rows="2" maxlength="500" required></textarea>
            \(f.allPlaces.isEmpty ? "" : HTML("""
            <label for="pf-place">\(l.pick("场所（如在登记的场所）", "Place (if at a registered one)"))</label>
            <select id="pf-place" name="place_id"><option value="">\(l.pick("不在登记场所", "Not at a registered place"))</option>\(f.allPlaces.map { "<option value=\"\($0.id.uuidString)\">\($0.name)</option>" as HTML })</select>
            """))
            <label for="pf-cat">\(l.pick("需要处置时选类别（将立即成为案件）", "A category if it needs handling (it becomes a case at once)"))</label>
            <select id="pf-cat" name="category_code"><option value="">\(l.pick("仅记录，不立案", "Note only, no case"))</option>\(categories)</select>
            <label for="pf-photos">\(l.pick("照片（立案类别需要时）", "Photos (where the case's category needs them)"))</label>
            <input id="pf-photos" type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple>
            <label class="inline-check"><input type="checkbox" name="here"> \(l.pick("记录此处位置", "Keep this spot's location"))</label>
            <span class="field-error" role="alert" data-for="form"></span>
            <button type="submit">\(l.pick("记下发现", "Record the finding"))</button>
          </form>
          <form id="patrol-end" class="stack" novalidate hidden>
            <label for="pe-summary">\(l.pick("巡查小结（可选）", "Summary (optional)"))</label>
            <input id="pe-summary" name="summary" maxlength="500">
            <button type="submit">\(l.pick("结束巡查", "End the patrol"))</button>
          </form>
        </section>
        \(care.isEmpty ? "" : HTML("""
        <section class="card" aria-labelledby="care-h">
          <h2 id="care-h">\(l.pick("关爱探访", "Care visits")) · \(care.count)</h2>
          <ul class="tasks" id="care">\(care)</ul>
          <form id="care-visit" class="stack" novalidate hidden>
            <label for="cv-note">\(l.pick("探访情况", "How it went"))</label>
            <textarea id="cv-note" name="note" rows="2" maxlength="500"></textarea>
            <label for="cv-help">\(l.pick("需要帮助时选类别（将转为跟进案件）", "A category if help is needed (it becomes a follow-up case)"))</label>
            <select id="cv-help" name="help_category_code"><option value="">\(l.pick("无需帮助", "No help needed"))</option>\(categories)</select>
            <button type="submit">\(l.pick("保存探访", "Save the visit"))</button>
          </form>
          <p class="meta" id="care-status" aria-live="polite"></p>
        </section>
        """))
        """
    }

    /// What is due today, in one line of links: the households to visit this period, the places to inspect again,
    /// the care visits, and the patrol.
    static func todayHTML(_ f: FieldModel, _ l: Lang) -> HTML {
        var items: [HTML] = ["<a href=\"#visit-h\">\(l.pick("待走访", "Households to visit")) <strong>\(f.householdsDue)</strong></a>"]
        if !f.reinspections.isEmpty { items.append("<a href=\"#insp-h\">\(l.pick("待复查", "To inspect again")) <strong>\(f.reinspections.count)</strong></a>") }
        if !f.care.isEmpty { items.append("<a href=\"#care-h\">\(l.pick("关爱探访", "Care visits")) <strong>\(f.care.count)</strong></a>") }
        items.append("<a href=\"#patrol-h\">\(l.pick("网格巡查", "Patrol"))</a>")
        return "<nav class=\"card today\" aria-label=\"\(l.pick("今日待办", "Due today"))\"><strong>\(l.pick("今日待办", "Due today"))</strong> \(items.map { "<span>\($0)</span>" as HTML })</nav>"
    }

    static func fieldHTML(_ f: FieldModel, _ l: Lang) -> HTML {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(f.places)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let placeOptions: [HTML] = f.places.map { "<option value=\"\($0.id.uuidString)\">\($0.name)（\($0.type)）</option>" }
        let households: [HTML] = f.households.map { h in
            """
            <li class="task" data-household="\(h.id.uuidString)"><span>\(h.address)</span>
            <div class="task-acts"><button type="button" class="visit-act" data-outcome="met">✔ \(l.pick("已走访", "Met"))</button>
            <button type="button" class="visit-act" data-outcome="not_home">\(l.pick("不在家", "Not at home"))</button></div></li>
            """
        }
        let again: [HTML] = f.reinspections.map { r in
            """
            <li class="task"><span>\(r.name) · \(l.pick("隐患案件已于 \(Format.day(r.since)) 办结，待复查", "hazard case closed \(Format.day(r.since)); inspect again"))</span>
            <div class="task-acts"><button type="button" class="reinspect-act" data-place="\(r.id.uuidString)">\(l.pick("复查", "Inspect again"))</button></div></li>
            """
        }
        let labels = ["pass": l.pick("合格", "Pass"), "fail": l.pick("不合格", "Fail"), "note": l.pick("问题说明", "What is wrong"),
                      "photo": l.pick("照片（必需）", "Photo (needed)"), "chooseAll": l.pick("每一项都要选合格或不合格", "Mark every item pass or fail"),
                      "needPhoto": l.pick("这一项不合格需要照片", "This failed item needs a photo"), "saved": l.pick("已存入待发送，有网络时自动发送", "Saved to the outbox; sent when there is a network"),
                      "visitSaved": l.pick("走访已记录，待发送", "Visit saved to the outbox"),
                      "patrolOn": l.pick("巡查中（开始于 ", "Patrolling (since "), "patrolOnEnd": l.pick("）", ")"),
                      "findingSaved": l.pick("发现已记下，待发送", "Finding saved to the outbox"), "patrolEnded": l.pick("巡查已结束，待发送", "Patrol ended; in the outbox"),
                      "writeFinding": l.pick("写下发现了什么", "Write what you found"), "careSaved": l.pick("探访已记录，待发送", "Care visit saved to the outbox")]
        let labelsJSON = (try? encoder.encode(labels)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return """
        <section class="card" aria-labelledby="insp-h">
          <h2 id="insp-h">\(l.pick("场所检查", "Inspect a place"))</h2>
          \(again.isEmpty ? "" : HTML("<h3>\(l.pick("待复查", "Due for inspection again")) \(again.count)</h3><ul class=\"tasks\" id=\"reinspections\">\(again)</ul>"))
          \(f.places.isEmpty ? HTML(raw: "<p class=\"meta\">" + HTML.escape(l.pick("本网格还没有登记需要检查的场所。", "No place of this grid is registered for inspection yet.")) + "</p>") : "")
          <form id="inspection" class="stack" novalidate\(HTML(raw: f.places.isEmpty ? " hidden" : ""))>
            <label for="insp-place">\(l.pick("场所", "Place"))</label>
            <select id="insp-place" name="place_id" required>\(placeOptions)</select>
            <label for="insp-list">\(l.pick("检查表", "Checklist"))</label>
            <select id="insp-list" name="checklist_code" required></select>
            <ol id="insp-items" class="checklist"></ol>
            <span class="field-error" role="alert" data-for="form"></span>
            <button type="submit" class="primary big">\(l.pick("保存检查", "Save the inspection"))</button>
          </form>
          <script type="application/json" id="field-doc">\(HTML(raw: json.replacingOccurrences(of: "<", with: "\\u003c")))</script>
          <script type="application/json" id="field-labels">\(HTML(raw: labelsJSON.replacingOccurrences(of: "<", with: "\\u003c")))</script>
        </section>
        <section class="card" aria-labelledby="visit-h">
          <h2 id="visit-h">\(l.pick("入户走访", "Household visits")) · \(f.period) · \(l.pick("待走访 \(f.householdsDue) 户", "\(f.householdsDue) households due"))</h2>
          \(households.isEmpty ? HTML(raw: "<p class=\"meta\">" + HTML.escape(l.pick("本季度的住户都已走访。", "Every household has been met this quarter.")) + "</p>") : HTML("<ul class=\"tasks\" id=\"visits\">\(households)</ul>"))
          <p class="meta" id="visit-status" aria-live="polite"></p>
        </section>
        """
    }

    static func render(_ m: WorkerModel, field: FieldModel, _ ctx: PageContext) -> String {
        let l = ctx.lang
        let head: HTML = """
        <link rel="manifest" href="/static/manifest.webmanifest">
        <meta name="theme-color" content="#b91c1c">
        <link rel="apple-touch-icon" href="/static/icon-192.png">
        """
        return Layout.page(l.t(.workerTitle), ctx, bodyClass: "worker", scripts: ["worker.js"], head: head, """
        <div class="outbox card" id="outbox" aria-live="polite">
          <span>\(l.t(.outboxWaiting)): <strong id="outbox-count">0</strong></span>
          <button type="button" id="outbox-send">\(l.t(.sendNow))</button>
          <span id="outbox-status" class="meta"></span>
          <ul id="outbox-failed" class="failed"></ul>
        </div>
        <h1>\(l.t(.myGrid)): \(m.gridName)</h1>
        \(todayHTML(field, l))
        <section class="card" aria-labelledby="qr-h">
          <h2 id="qr-h">\(l.t(.quickReport))</h2>
          <form id="quick-report" class="stack" novalidate data-grid="\(m.gridCode)">
            <label for="qr-cat">\(l.t(.category))</label>
            <select id="qr-cat" name="category_code" required><option value="">\(l.t(.chooseCategory))</option>\(m.categories)</select>
            <span class="field-error" data-for="category_code"></span>
            <label for="qr-desc">\(l.t(.description))</label>
            <textarea id="qr-desc" name="description" rows="3" maxlength="2000" required></textarea>
            <span class="field-error" data-for="description"></span>
            <label for="qr-photos">\(l.t(.attachPhotos))</label>
            <input id="qr-photos" type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple>
            <span class="field-error" data-for="photos"></span>
            <p class="meta" id="qr-place">\(l.t(.placePrefilled))</p>
            <input type="hidden" name="area_code" value="\(m.gridCode)">
            <input type="hidden" name="lat" value="\(m.point.map { String(format: "%.6f", $0.lat) } ?? "")">
            <input type="hidden" name="lon" value="\(m.point.map { String(format: "%.6f", $0.lon) } ?? "")">
            <button type="button" id="qr-here">\(l.t(.useHere))</button>
            <span class="field-error" data-for="form"></span>
            <button type="submit" class="primary big">\(l.t(.saveReport))</button>
          </form>
        </section>
        \(patrolAndCareHTML(field, gridCode: m.gridCode, categories: m.categories, l))
        \(fieldHTML(field, l))
        <div id="tasks" data-live="1">\(HTML(raw: tasks(m, l)))</div>
        <p class="meta">\(l.t(.installHint))</p>
        """)
    }

    static func tasks(_ m: WorkerModel, _ l: Lang) -> String {
        func list(_ cases: [StoredCaseView], verify: Bool) -> HTML {
            if cases.isEmpty { return "<p class=\"meta\">\(l.t(.nothingToDo))</p>" }
            let items: [HTML] = cases.map { c in
                let buttons: HTML = verify && m.canVerify.contains(c.id) ? """
                <button type="button" class="quick-act" data-id="\(c.id.uuidString)" data-action="verify_pass">✔ \(l.t(.verifyPass))</button>
                <a class="button-link" href="\(SitePath.caseView.link(c.id.uuidString))">\(l.t(.verifyFail))…</a>
                """ : ""
                return """
                <li class="task"><a href="\(SitePath.caseView.link(c.id.uuidString))"><strong>\(c.code)</strong></a> \(Format.state(c.state, l)) \(Format.clock(c.clock, l))
                <p>\(c.categoryName) · \(String(c.description.prefix(80)))</p>
                <div class="task-acts">\(buttons)</div><p class="field-error" role="alert"></p></li>
                """
            }
            return "<ul class=\"tasks\">\(items)</ul>"
        }
        let html: HTML = """
        <section class="card"><h2>\(l.t(.toVerify)) (\(m.toVerify.count))</h2>\(list(m.toVerify, verify: true))</section>
        <section class="card"><h2>\(l.t(.openInGrid)) (\(m.open.count))</h2>\(list(m.open, verify: false))</section>
        """
        return html.description
    }
}
