import Vapor
import WanggeCore
import WanggeStore

/// `/api-keys` (administrators): the Open311 API keys, made and revoked as `wangge apikey` does. A new key is shown
/// once, on the answer to the form that made it.
enum APIKeysPage {
    static func show(_ page: StaffPage) async throws -> Response {
        page.html(APIKeysView.render(try await Setup.apiKeys(page.req.application), jurisdiction: page.jurisdiction, made: nil, problem: nil,
                                     form: [:], page.context))
    }

    struct CreateForm: Content { var name: String?; var area: String?; var rate: String? }

    /// `POST /api-keys`: makes a key; the page that answers shows it once.
    static func create(_ req: Request) async throws -> Response {
        let page = try await StaffPage(req)
        let form = try req.content.decode(CreateForm.self)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces), area = (form.area ?? "").trimmingCharacters(in: .whitespaces)
        let rateText = (form.rate ?? "").trimmingCharacters(in: .whitespaces)
        var made: Setup.MadeAPIKey? = nil, problem: String? = nil
        if !rateText.isEmpty && (rateText.utf8.count > 7 || Int(rateText) == nil) {
            problem = page.lang.pick("速率须为 1 到 100000 的整数", "The rate is a whole number from 1 to 100,000")
        } else {
            do {
                made = try await Setup.createAPIKey(req.application, name: name, areaCode: area, rate: rateText.isEmpty ? nil : Int(rateText),
                                                    by: page.staff.username)
            } catch let e as APIKeyError {
                problem = e.message
            }
        }
        let r = page.html(APIKeysView.render(try await Setup.apiKeys(req.application), jurisdiction: page.jurisdiction, made: made,
                                             problem: problem, form: ["name": name, "area": area, "rate": rateText], page.context))
        if problem != nil { r.status = .badRequest }
        return r
    }

    /// `POST /api-keys/{name}/revoke`.
    static func revoke(_ req: Request) async throws -> Response {
        let name = try req.parameters.require("name")
        do {
            try await Setup.revokeAPIKey(req.application, name: name)
        } catch let e as APIKeyError {
            throw APIError(.notFound, "not_found", e.message)
        }
        return req.redirect(to: SitePath.apiKeysPage.link(), redirectType: .normal)
    }
}

enum APIKeysView {
    static func render(_ keys: [StoredAPIKey], jurisdiction j: Jurisdiction, made: Setup.MadeAPIKey?, problem: String?, form: [String: String],
                       _ ctx: PageContext) -> String {
        let l = ctx.lang
        let rows: [HTML] = keys.map { k in
            let state: HTML = k.revokedAt.map { "<span class=\"meta\">\(l.pick("已吊销", "Revoked")) \(Format.minute($0))</span>" }
                ?? """
                <form method="post" action="\(SitePath.apiKeyRevoke.link(k.name))" class="inline"><input type="hidden" name="csrf" value="\(ctx.csrf)">\
                <button type="submit" class="danger">\(l.pick("吊销", "Revoke"))</button></form>
                """
            return """
            <tr><td><code>\(k.name)</code></td><td>\(j[k.areaCode]?.name ?? k.areaCode) <span class="meta">\(k.areaCode)</span></td>\
            <td class="num">\(k.ratePerMinute.grouped)</td><td>\(Format.minute(k.createdAt)) <span class="meta">\(k.createdBy)</span></td><td>\(state)</td></tr>
            """
        }
        let areas: [HTML] = j.areas.filter { [.county, .township, .village].contains($0.level) }.map { a in
            let indent = String(repeating: "　", count: a.level.depth)
            return "<option value=\"\(a.code)\"\(form["area"] == a.code ? " selected" : "")>\(indent)\(a.name)</option>"
        }
        let shown: HTML = made.map { m in
            """
            <section class="card notice" role="status">
              <h2>\(l.pick("新密钥", "New key")) <code>\(m.stored.name)</code></h2>
              <p>\(l.pick("密钥只显示这一次，请立即复制并交给对接方保存；系统只保存其摘要。", "The key is shown this once: copy it now and hand it to the partner; only its hash is kept."))</p>
              <p><code class="secret" id="new-key">\(m.key)</code></p>
            </section>
            """
        } ?? ""
        let error: HTML = problem.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
        return Layout.page(l.pick("Open311 接口密钥", "Open311 API keys"), ctx, """
        \(shown)
        <section class="card">
          <h1>\(l.pick("Open311 接口密钥", "Open311 API keys"))</h1>
          <p class="meta">\(l.pick("第三方应用和合作系统凭密钥通过 Open311 GeoReport v2 接口（\(Open311API.prefix)）上报和查询，只限密钥所属区域，按各自速率限流。",
                                   "Partner apps report and read through Open311 GeoReport v2 (\(Open311API.prefix)) with a key, within its area and at its own rate."))</p>
          <div class="table-wrap"><table class="queue"><thead><tr><th>\(l.pick("名称", "Name"))</th><th>\(l.pick("区域", "Area"))</th>\
          <th>\(l.pick("每分钟请求", "Requests a minute"))</th><th>\(l.pick("创建", "Made"))</th><th>\(l.pick("状态", "State"))</th></tr></thead>\
          <tbody>\(rows)</tbody></table></div>
          \(keys.isEmpty ? HTML("<p>\(l.pick("还没有密钥", "No keys yet"))</p>") : "")
        </section>
        <section class="card">
          <h2>\(l.pick("新建密钥", "Make a key"))</h2>
          \(error)
          <form method="post" action="\(SitePath.apiKeysPage.link())" class="filter-grid">
            <input type="hidden" name="csrf" value="\(ctx.csrf)">
            <label>\(l.pick("名称", "Name"))<input name="name" required maxlength="64" pattern="[A-Za-z0-9][A-Za-z0-9._\\-]*" value="\(form["name"] ?? "")"></label>
            <label>\(l.pick("区域", "Area"))<select name="area" required>\(areas)</select></label>
            <label>\(l.pick("每分钟请求（默认 60）", "Requests a minute (default 60)"))<input name="rate" type="number" min="1" max="100000" value="\(form["rate"] ?? "")"></label>
            <button type="submit">\(l.pick("生成", "Make"))</button>
          </form>
        </section>
        """)
    }
}
