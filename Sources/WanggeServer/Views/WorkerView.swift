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
    static func render(_ m: WorkerModel, _ ctx: PageContext) -> String {
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
