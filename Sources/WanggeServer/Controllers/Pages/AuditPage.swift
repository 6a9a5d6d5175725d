import Vapor
import WanggeCore
import WanggeStore

enum AuditPage {
    /// `GET /audit?user=&record=&from=&to=&page=` (administrators): the audit log, searchable.
    static func show(_ staffPage: StaffPage) async throws -> Response {
        let req = staffPage.req
        let (filter, page, per) = try await AuditAPI.query(req)
        let found = try await AuditQueries.search(filter, page: page, per: per, on: req.db)
        var query: [String: String] = [:]
        for key in ["user", "record", "from", "to"] { if let v = try req.textQuery(key, maxLength: 64) { query[key] = v } }
        return staffPage.html(AuditView.render(found.events, total: found.total, page: page, per: per, query: query, staffPage.context))
    }
}

enum AuditView {
    static func render(_ events: [AuditEvent], total: Int, page: Int, per: Int, query: [String: String], _ ctx: PageContext) -> String {
        let l = ctx.lang
        func field(_ name: String, _ label: Text, type: String = "text") -> HTML {
            "<label>\(l.t(label))<input name=\"\(name)\" type=\"\(type)\" value=\"\(query[name] ?? "")\"></label>"
        }
        let rows: [HTML] = events.map { e in
            """
            <tr><td>\(Format.minute(e.at))</td><td>\(e.username) <span class="meta">\(Role(rawValue: e.role).map { l.pick($0.nameZH, $0.nameEN) } ?? e.role)</span></td>\
            <td><code>\(e.view.recordID)</code> <span class="meta">\(e.view.recordKind)</span></td><td>\(e.view.fields.joined(separator: ", "))</td>\
            <td>\(e.client)</td><td class="meta">\(e.route)</td></tr>
            """
        }
        let pages = max(1, (total + per - 1) / per)
        func link(_ p: Int, _ text: String) -> HTML {
            var q = query
            q["page"] = String(p)
            return "<a href=\"\(SitePath.audit.link([], queryItems: q.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))\">\(text)</a>"
        }
        let pager: HTML = pages > 1 ? """
        <nav class="pager">\(page > 1 ? link(page - 1, "‹") : "") \(page) / \(pages) \(page < pages ? link(page + 1, "›") : "")</nav>
        """ : ""
        return Layout.page(l.t(.auditTitle), ctx, """
        <section class="card">
          <h1>\(l.t(.auditTitle))</h1>
          <p class="meta">\(l.t(.auditIntro))</p>
          <form method="get" action="\(SitePath.audit.link())" class="filter-grid">
            \(field("user", .auditUser)) \(field("record", .auditRecord)) \(field("from", .from, type: "date")) \(field("to", .to, type: "date"))
            <button type="submit">\(l.t(.auditSearch))</button>
          </form>
        </section>
        <section class="card">
          <p class="meta">\(total.grouped)</p>
          \(events.isEmpty ? HTML("<p>\(l.t(.auditNone))</p>") : HTML("""
          <div class="table-wrap"><table class="queue"><thead><tr><th>\(l.t(.auditTime))</th><th>\(l.t(.auditUser))</th><th>\(l.t(.auditRecord))</th>\
          <th>\(l.t(.auditFields))</th><th>\(l.t(.auditClient))</th><th>\(l.t(.auditRoute))</th></tr></thead><tbody>\(rows)</tbody></table></div>
          """))
          \(pager)
        </section>
        """)
    }
}
