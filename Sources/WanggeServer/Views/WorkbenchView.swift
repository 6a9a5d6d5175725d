import Foundation
import WanggeCore

extension CaseSource {
    func name(_ l: Lang) -> String {
        switch self {
        case .resident: l.t(.sourceResident)
        case .gridWorker: l.t(.sourceGridWorker)
        case .hotline: l.t(.sourceHotline)
        case .import: l.t(.sourceImport)
        case .open311: l.t(.sourceOpen311)
        }
    }
}

struct WorkbenchModel {
    struct Row {
        var c: StoredCaseView
        var canDispatch: Bool
    }
    var rows: [Row]
    var total: Int
    var page: Int
    var per: Int
    var query: [String: String]
    var areas: [Area]
    var majors: [WanggeCore.Category]
    var departments: [Department]
}

/// What a queue row shows of a case.
struct StoredCaseView {
    var id: UUID
    var code: String
    var state: CaseState
    var categoryName: String
    var description: String
    var areaName: String
    var departmentName: String?
    var source: CaseSource
    var reportedAt: Date
    var clock: CaseClockStatus?
    var suspended: Bool
}

enum WorkbenchView {
    static let tabs: [(String, [CaseState])] = [
        ("open", []), ("reported", [.reported]), ("accepted", [.accepted]), ("dispatched", [.dispatched]),
        ("signed", [.signed]), ("resolved", [.resolved]), ("verified", [.verified]), ("closed", [.closed]), ("all", CaseState.allCases),
    ]

    static func render(_ m: WorkbenchModel, _ ctx: PageContext) -> String {
        let l = ctx.lang
        return Layout.page(l.t(.workbench), ctx, bodyClass: "workbench", scripts: ["workbench.js"], """
        <h1>\(l.t(.queue))</h1>
        \(tabBar(m, l))
        \(filters(m, l))
        <form id="bulk" class="bulk card" data-action="dispatch" aria-label="\(l.t(.dispatchSelected))">
          <label for="bulk-dept">\(l.t(.department))</label>
          <select id="bulk-dept" name="department_code" required>
            <option value="">\(l.t(.chooseDepartment))</option>
            \(m.departments.map { d in "<option value=\"\(d.code)\">\(d.name)</option>" as HTML })
          </select>
          <button type="submit" class="primary">\(l.t(.dispatchSelected)) (<span class="count">0</span>)</button>
          <p class="bulk-result" role="status" aria-live="polite"></p>
        </form>
        <div id="queue" data-live="1">\(HTML(raw: fragment(m, l)))</div>
        """)
    }

    static func link(_ m: WorkbenchModel, _ changes: [String: String?]) -> String {
        var q = m.query
        for (k, v) in changes { q[k] = v }
        return SitePath.workbench.link([], queryItems: q.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    static func tabBar(_ m: WorkbenchModel, _ l: Lang) -> HTML {
        let current = m.query["tab"] ?? "open"
        let items: [HTML] = tabs.map { (key, states) in
            let name: String = key == "open" ? l.t(.tabOpen) : key == "all" ? l.t(.tabAll) : (l.pick(states[0].nameZH, states[0].nameEN))
            return "<a href=\"\(link(m, ["tab": key, "page": nil]))\"\(HTML(raw: key == current ? " aria-current=\"page\"" : ""))>\(name)</a>"
        }
        return "<nav class=\"tabs\" aria-label=\"\(l.t(.status))\">\(items)</nav>"
    }

    static func filters(_ m: WorkbenchModel, _ l: Lang) -> HTML {
        let q = m.query
        func selected(_ k: String, _ v: String) -> HTML { HTML(raw: q[k] == v ? " selected" : "") }
        let sources: [HTML] = CaseSource.allCases.map { s in "<option value=\"\(s.rawValue)\"\(selected("source", s.rawValue))>\(s.name(l))</option>" }
        let clocks: [HTML] = ClockColour.allCases.map { c in
            let name = c == .green ? l.t(.clockGreen) : c == .yellow ? l.t(.clockYellow) : l.t(.clockRed)
            return "<option value=\"\(c.rawValue)\"\(selected("clock", c.rawValue))>\(name)</option>"
        }
        return """
        <details class="card filters"\(HTML(raw: q.keys.contains(where: { !["tab", "page"].contains($0) }) ? " open" : ""))>
        <summary>\(l.t(.filters))</summary>
        <form method="get" action="\(SitePath.workbench.link())" class="filter-grid">
          <input type="hidden" name="tab" value="\(q["tab"] ?? "open")">
          <div><label for="f-area">\(l.t(.area))</label>
            <select id="f-area" name="area"><option value="">\(l.t(.any))</option>
            \(m.areas.map { a in "<option value=\"\(a.code)\"\(selected("area", a.code))>\(String(repeating: "　", count: max(0, a.level.depth - 1)))\(a.name)</option>" as HTML })
            </select></div>
          <div><label for="f-cat">\(l.t(.category))</label>
            <select id="f-cat" name="category"><option value="">\(l.t(.any))</option>
            \(m.majors.map { c in "<option value=\"\(c.code)\"\(selected("category", c.code))>\(l.pick(c.name, c.nameEN))</option>" as HTML })
            </select></div>
          <div><label for="f-src">\(l.t(.source))</label>
            <select id="f-src" name="source"><option value="">\(l.t(.any))</option>\(sources)</select></div>
          <div><label for="f-clock">\(l.t(.clock))</label>
            <select id="f-clock" name="clock"><option value="">\(l.t(.any))</option>\(clocks)</select></div>
          <div><label for="f-from">\(l.t(.from))</label><input id="f-from" type="date" name="from" value="\(q["from"] ?? "")"></div>
          <div><label for="f-to">\(l.t(.to))</label><input id="f-to" type="date" name="to" value="\(q["to"] ?? "")"></div>
          <div class="wide"><label for="f-q">\(l.t(.search))</label><input id="f-q" type="search" name="q" value="\(q["q"] ?? "")"></div>
          <div class="buttons"><button type="submit" class="primary">\(l.t(.apply))</button> <a href="\(SitePath.workbench.link(query: ["tab": q["tab"] ?? "open"]))">\(l.t(.reset))</a></div>
        </form>
        </details>
        """
    }

    /// The table and paging: also sent alone (`?fragment=1`) when a live event asks the page to refresh.
    static func fragment(_ m: WorkbenchModel, _ l: Lang) -> String {
        let back = String(link(m, [:]).dropFirst(SitePath.workbench.link().count))
        let rows: [HTML] = m.rows.map { r in
            let c = r.c
            let box: HTML = r.canDispatch
                ? "<input type=\"checkbox\" name=\"case\" value=\"\(c.id.uuidString)\" aria-labelledby=\"pick-label c-\(c.id.uuidString)\">"
                : ""
            return """
            <tr data-id="\(c.id.uuidString)">
              <td class="sel">\(box)</td>
              <td><a id="c-\(c.id.uuidString)" href="\(SitePath.caseView.link(c.id.uuidString, query: ["back": back]))">\(c.code)</a></td>
              <td>\(Format.state(c.state, l))\(HTML(raw: c.suspended ? " <span class=\"tag\">" + HTML.escape(l.t(.suspended)) + "</span>" : ""))</td>
              <td>\(Format.clock(c.clock, l))</td>
              <td>\(c.categoryName)</td>
              <td class="desc">\(String(c.description.prefix(60)))</td>
              <td>\(c.areaName)</td>
              <td>\(c.departmentName ?? "—")</td>
              <td>\(c.source.name(l))</td>
              <td>\(Format.time(c.reportedAt))</td>
            </tr>
            """
        }
        let pages = max(1, (m.total + m.per - 1) / m.per)
        let prev: HTML = m.page > 1 ? "<a rel=\"prev\" href=\"\(link(m, ["page": String(m.page - 1)]))\">← \(l.t(.previous))</a>" : ""
        let next: HTML = m.page < pages ? "<a rel=\"next\" href=\"\(link(m, ["page": String(m.page + 1)]))\">\(l.t(.next)) →</a>" : ""
        let table: HTML = m.rows.isEmpty ? "<p class=\"empty\">\(l.t(.noCases))</p>" : """
        <div class="table-wrap"><table class="cases">
        <thead><tr><th scope="col"><input type="checkbox" id="select-all" aria-label="\(l.t(.selectAll))"></th><th scope="col">\(l.t(.code))</th><th scope="col">\(l.t(.status))</th><th scope="col">\(l.t(.clock))</th>
        <th scope="col">\(l.t(.category))</th><th scope="col">\(l.t(.description))</th><th scope="col">\(l.t(.area))</th><th scope="col">\(l.t(.department))</th>
        <th scope="col">\(l.t(.source))</th><th scope="col">\(l.t(.reported))</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """
        // The row boxes are one group, labelled together: each is "选择要派遣的案件 CODE" (the shared label, then its row's code).
        let html: HTML = """
        <span id="pick-label" hidden>\(l.t(.selectForDispatch))</span>
        \(table)
        <nav class="pager" aria-label="pages">\(prev) <span>\(l.t(.total)) \(m.total.grouped) · \(m.page)/\(pages) \(l.t(.pageOf))</span> \(next)</nav>
        """
        return html.description
    }
}
