import Foundation
import WanggeCore
import WanggeStore

/// The registry's pages (issue 20): the list of a kind with its filters, export and import (with the upload's
/// progress and every problem by row), and one entry with its history.
enum RegistryView {
    static func kindName(_ k: RegistryKind, _ l: Lang) -> String {
        switch k {
        case .building: l.pick("楼栋", "Buildings")
        case .household: l.pick("住户", "Households")
        case .place: l.pick("场所", "Places")
        }
    }

    static func typeName(_ code: String?, _ catalogue: FieldCatalogue, _ l: Lang) -> String {
        guard let code else { return "" }
        return catalogue.placeType(code).map { l.pick($0.name, $0.nameEN) } ?? code
    }

    static func list(_ items: [RegistryEntryDTO], total: Int, page: Int, filter: RegistryFilter, area: String?, canImport: Bool,
                     catalogue: FieldCatalogue, _ ctx: PageContext) -> String {
        let l = ctx.lang, kind = filter.kind
        var query: [(String, String?)] = [("kind", kind.rawValue), ("area", area), ("type", filter.typeCode), ("q", filter.text)]
        let tabs: [HTML] = RegistryKind.allCases.map { k in
            k == kind ? "<strong>\(kindName(k, l))</strong>" : "<a href=\"\(SitePath.registry.link([], queryItems: [("kind", k.rawValue), ("area", area)]))\">\(kindName(k, l))</a>"
        }
        let typeOptions: [HTML] = [HTML("<option value=\"\">\(l.pick("全部类型", "All types"))</option>")] + catalogue.placeTypes.map { t in
            "<option value=\"\(t.code)\"\(HTML(raw: t.code == filter.typeCode ? " selected" : ""))>\(l.pick(t.name, t.nameEN))</option>"
        }
        let typeFilter: HTML = kind == .place ? "<label>\(l.pick("类型", "Type")) <select name=\"type\">\(typeOptions)</select></label>" : ""
        let heads: HTML = switch kind {
        case .household: "<th>\(l.pick("地址", "Address"))</th><th class=\"num\">\(l.pick("人数", "Size"))</th>"
        case .building: "<th>\(l.pick("名称或地址", "Name or address"))</th>"
        case .place: "<th>\(l.pick("名称", "Name"))</th><th>\(l.pick("类型", "Type"))</th><th class=\"wide-only\">\(l.pick("地址", "Address"))</th><th class=\"wide-only\">\(l.pick("联系人", "Contact"))</th>"
        }
        let rows: [HTML] = items.map { e in
            let link = SitePath.registryEntry.link(e.kind, e.id.uuidString)
            let cells: HTML = switch kind {
            case .household: "<td><a href=\"\(link)\">\(e.address)</a></td><td class=\"num\">\(e.size.map(String.init) ?? "")</td>"
            case .building: "<td><a href=\"\(link)\">\(e.name ?? e.address)</a></td>"
            case .place: """
                <td><a href="\(link)">\(e.name ?? e.address)</a></td><td>\(typeName(e.typeCode, catalogue, l))</td><td class="wide-only">\(e.address)</td>\
                <td class="wide-only">\([e.contactName, e.contactPhone].compactMap { $0 }.joined(separator: " "))</td>
                """
            }
            return "<tr>\(cells)<td>\(e.grid.name)</td><td class=\"wide-only\">\(Format.day(e.updatedAt))</td></tr>"
        }
        let exportCSV = SitePath.apiRegistryExport.link([kind.rawValue], queryItems: query.filter { $0.0 != "kind" } + [("format", "csv")])
        let exportXLSX = SitePath.apiRegistryExport.link([kind.rawValue], queryItems: query.filter { $0.0 != "kind" } + [("format", "xlsx")])
        query.append(("page", String(page + 1)))
        let next: HTML = page * RegistryPages.perPage < total ? "<a href=\"\(SitePath.registry.link([], queryItems: query))\">\(l.pick("下一页", "Next page")) →</a>" : ""
        let previous: HTML = page > 1 ? "<a href=\"\(SitePath.registry.link([], queryItems: query.dropLast() + [("page", String(page - 1))]))\">← \(l.pick("上一页", "Previous page"))</a> " : ""
        let columns = RegistryExport.header(kind).dropLast().joined(separator: "、")
        let importForm: HTML = canImport ? """
            <details class="card"><summary>\(l.pick("批量导入\(kindName(kind, l))（CSV / XLSX）", "Import \(kindName(kind, l).lowercased()) (CSV / XLSX)"))</summary>
            <form id="registry-import" class="stack" data-kind="\(kind.rawValue)">
            <p class="meta">\(l.pick("第一行为表头，可用列：\(columns)（地址、纬度、经度必填）。任何一行有问题则全部不导入，并按行列出问题。UTF-8 或 GB18030 编码的 CSV，或 XLSX；至多 200,000 行。",
                                    "The first row is the header; columns: \(columns) (address, latitude and longitude required). If any row has a problem nothing is imported and every problem is listed by row. CSV in UTF-8 or GB18030, or XLSX; at most 200,000 rows."))</p>
            <label>\(l.pick("文件", "File")) <input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
            <button type="submit">\(l.pick("导入", "Import"))</button>
            <progress class="import-progress" max="100" value="0" hidden></progress>
            <div id="registry-import-result" role="status" aria-live="polite"></div>
            </form></details>
            """ : ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let typesJSON = (try? encoder.encode(catalogue.placeTypes)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let typeChoices: [HTML] = catalogue.placeTypes.map { t in "<option value=\"\(t.code)\">\(l.pick(t.name, t.nameEN))</option>" }
        let newForm: HTML = canImport ? """
            <details class="card"><summary>\(l.pick("登记\(kindName(kind, l))", "Register \(kindName(kind, l).lowercased())"))</summary>
            <form id="registry-new" class="stack" data-kind="\(kind.rawValue)" novalidate>
            \(HTML(raw: kind == .household ? "" : "<label>\(HTML.escape(l.pick("名称", "Name"))) <input name=\"name\" maxlength=\"\(RegistryRules.nameLength)\"\(kind == .place ? " required" : "")></label>"))
            <label>\(l.pick("地址", "Address")) <input name="address" maxlength="\(RegistryRules.addressLength)" required></label>
            \(HTML(raw: kind == .household ? "<label>\(HTML.escape(l.pick("人数", "Size"))) <input name=\"size\" type=\"number\" min=\"1\" max=\"\(RegistryRules.maximumHouseholdSize)\" required></label>" : ""))
            \(kind == .place ? HTML("""
            <label>\(l.pick("类型", "Type")) <select name="type_code" required>\(typeChoices)</select></label>
            <div id="registry-new-attributes" class="stack"></div>
            <label>\(l.pick("联系人", "Contact")) <input name="contact_name" maxlength="50"></label>
            <label>\(l.pick("联系电话", "Phone")) <input name="contact_phone" type="tel" maxlength="20"></label>
            <script type="application/json" id="place-types">\(HTML(raw: typesJSON.replacingOccurrences(of: "<", with: "\\u003c")))</script>
            """) : "")
            <div class="row-filters"><label>\(l.pick("纬度", "Latitude")) <input name="lat" type="number" step="0.000001" required></label>
            <label>\(l.pick("经度", "Longitude")) <input name="lon" type="number" step="0.000001" required></label>
            <button type="button" id="registry-here">\(l.pick("用当前位置", "Use where I am"))</button></div>
            <p class="meta">\(l.pick("位置决定所属网格；已登记的不必再登记，各类表单从此选取。", "The point decides the grid; what is registered is picked by every form, not typed again."))</p>
            <span class="field-error" role="alert" data-for="form"></span>
            <button type="submit">\(l.pick("登记", "Register"))</button>
            </form></details>
            """ : ""
        return Layout.page(l.pick("一表通", "Registry"), ctx, scripts: ["registry.js"], """
        <section class="card">
        <h1>\(l.pick("一表通", "Registry")) · \(kindName(kind, l)) <span class="meta">\(l.pick("共", "")) \(total.grouped) \(l.pick("条", "entries"))</span></h1>
        <p class="registry-tabs">\(tabs)</p>
        <form method="get" action="\(SitePath.registry.link())" class="filters row-filters">
        <input type="hidden" name="kind" value="\(kind.rawValue)">\(HTML(raw: area.map { "<input type=\"hidden\" name=\"area\" value=\"\(HTML.escape($0))\">" } ?? ""))
        <label>\(l.pick("名称或地址", "Name or address")) <input type="search" name="q" value="\(filter.text ?? "")" maxlength="50"></label>
        \(typeFilter)
        <button type="submit">\(l.pick("查找", "Find"))</button>
        </form>
        <p class="meta"><a href="\(exportCSV)" download>\(l.t(.exportCSV))</a> · <a href="\(exportXLSX)" download>\(l.pick("导出 Excel", "Export Excel"))</a>
         · \(l.pick("登记一次，各类表单从此选取；联系人按个人信息规则显示。", "Entered once, picked by every form; contacts shown as the personal-data policy allows."))</p>
        </section>
        <section class="card">
        <div class="table-wrap"><table class="list"><thead><tr>\(heads)<th>\(l.pick("网格", "Grid"))</th><th class="wide-only">\(l.pick("更新", "Updated"))</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        <p>\(previous)\(next)</p>
        </section>
        \(newForm)
        \(importForm)
        """)
    }

    /// The entry's form, filled in with what the registry holds: only what the user changes is sent (with the version
    /// read). Contacts are on it only for those who see them unmasked.
    static func editForm(_ e: RegistryEntryDTO, type: PlaceType?, canEdit: Bool, seesContacts: Bool, _ l: Lang) -> HTML {
        guard canEdit else { return "" }
        func input(_ name: String, _ label: String, _ value: String, type: String = "text", max: Int = 200) -> HTML {
            "<label>\(label) <input name=\"\(name)\" type=\"\(type)\" value=\"\(value)\" data-initial=\"\(value)\" maxlength=\"\(max)\"></label>"
        }
        var fields: [HTML] = []
        if e.kind != RegistryKind.household.rawValue { fields.append(input("name", l.pick("名称", "Name"), e.name ?? "", max: RegistryRules.nameLength)) }
        fields.append(input("address", l.pick("地址", "Address"), e.address, max: RegistryRules.addressLength))
        if e.kind == RegistryKind.household.rawValue { fields.append(input("size", l.pick("人数", "Size"), e.size.map(String.init) ?? "", type: "number")) }
        if e.kind == RegistryKind.place.rawValue && seesContacts {
            fields.append(input("contact_name", l.pick("联系人", "Contact"), e.contactName ?? "", max: 50))
            fields.append(input("contact_phone", l.pick("联系电话", "Phone"), e.contactPhone ?? "", type: "tel", max: 20))
        }
        for a in type?.attributes ?? [] {
            let value = e.attributes[a.code] ?? ""
            switch a.kind {
            case .yesNo, .choice:
                let options: [String] = { if case .choice(let o) = a.kind { return o } else { return ["yes", "no"] } }()
                let opts: [HTML] = [HTML("<option value=\"\"></option>")] + options.map { o in
                    let shown = a.kind == .yesNo ? (o == "yes" ? l.pick("是", "yes") : l.pick("否", "no")) : o
                    return "<option value=\"\(o)\"\(HTML(raw: o == value ? " selected" : ""))>\(shown)</option>"
                }
                fields.append("<label>\(a.name) <select data-attribute=\"\(a.code)\" data-initial=\"\(value)\">\(opts)</select></label>")
            case .number, .text:
                fields.append("<label>\(a.name) <input data-attribute=\"\(a.code)\" type=\"\(a.kind == .number ? "number" : "text")\" value=\"\(value)\" data-initial=\"\(value)\" maxlength=\"200\"></label>")
            }
        }
        return """
        <details class="card narrow"><summary>\(l.pick("修改（只需改动变化的项）", "Change (only what changed)"))</summary>
        <form id="registry-edit" class="stack" data-kind="\(e.kind)" data-id="\(e.id.uuidString)" data-version="\(e.version)">\(fields)
        <span class="field-error" role="alert" data-for="form"></span>
        <button type="submit">\(l.pick("保存修改", "Save the change"))</button></form></details>
        """
    }

    /// A household's care plan, made only with the resident's consent (when and how), the needs in their own words
    /// and a cadence; for the grid staff and the command centre.
    static func carePlanForm(_ e: RegistryEntryDTO, canCare: Bool, _ l: Lang) -> HTML {
        guard canCare, e.kind == RegistryKind.household.rawValue else { return "" }
        let cadences: [(String, String)] = [("1d", l.pick("每天", "daily")), ("7d", l.pick("每周", "weekly")), ("14d", l.pick("每两周", "fortnightly")),
                                            ("1m", l.pick("每月", "monthly")), ("3m", l.pick("每季度", "quarterly"))]
        let options: [HTML] = cadences.map { "<option value=\"\($0.0)\"\(HTML(raw: $0.0 == "7d" ? " selected" : ""))>\($0.1)</option>" }
        return """
        <details class="card narrow"><summary>\(l.pick("关爱探访计划（须本人同意）", "Care visits (with the resident's consent)"))</summary>
        <form id="care-plan" class="stack" data-household="\(e.id.uuidString)" novalidate>
        <p class="meta">\(l.pick("只为本人同意的居民建立；撤回同意即删除计划和探访记录。不记录人员类别。", "Only for a resident who consents; withdrawing consent deletes the plan and its visits. No category of person is kept."))</p>
        <label>\(l.pick("同意日期", "Consent given on")) <input name="given_on" type="date" required></label>
        <label>\(l.pick("同意方式", "How consent was given")) <input name="how" maxlength="200" required></label>
        <label>\(l.pick("需求（本人的话）", "Needs (in the resident's words)")) <textarea name="needs" rows="2" maxlength="500" required></textarea></label>
        <label>\(l.pick("探访频次", "How often")) <select name="every">\(options)</select></label>
        <span class="field-error" role="alert" data-for="form"></span>
        <button type="submit">\(l.pick("建立计划", "Make the plan"))</button>
        </form></details>
        """
    }

    /// A place's latest inspections: when, which list, the outcome and the hazard cases they raised.
    static func inspectionsHTML(_ items: [StoredInspection], catalogue: FieldCatalogue, _ l: Lang) -> HTML {
        guard !items.isEmpty else { return "" }
        let rows: [HTML] = items.map { i in
            let outcome = i.failed == 0 ? l.pick("合格", "passed") : l.pick("\(i.failed) 项不合格", "\(i.failed) failed")
            return "<tr><td>\(Format.minute(i.createdAt))</td><td>\(catalogue.checklist(i.checklistCode)?.name ?? i.checklistCode)</td><td>\(outcome)</td><td>\(i.caseCodes.joined(separator: " "))</td><td>\(i.createdBy)</td></tr>"
        }
        return """
        <h2>\(l.pick("检查记录", "Inspections"))</h2>
        <div class="table-wrap"><table class="list"><thead><tr><th>\(l.pick("时间", "When"))</th><th>\(l.pick("检查表", "Checklist"))</th><th>\(l.pick("结果", "Outcome"))</th>
        <th>\(l.pick("隐患案件", "Hazard cases"))</th><th>\(l.pick("检查人", "By"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
        """
    }

    static func entry(_ d: RegistryDetailDTO, catalogue: FieldCatalogue, inspections: [StoredInspection] = [], canEdit: Bool = false, canCare: Bool = false,
                      _ ctx: PageContext) -> String {
        let l = ctx.lang, e = d.entry
        let kind = RegistryKind(rawValue: e.kind) ?? .place
        let type = e.typeCode.flatMap { catalogue.placeType($0) }
        var facts: [(String, String)] = []
        if let n = e.name { facts.append((l.pick("名称", "Name"), n)) }
        facts.append((l.pick("地址", "Address"), e.address))
        if let t = e.typeCode { facts.append((l.pick("类型", "Type"), typeName(t, catalogue, l))) }
        if let s = e.size { facts.append((l.pick("人数", "Size"), String(s))) }
        facts.append((l.pick("网格", "Grid"), e.grid.name))
        facts.append((l.pick("位置", "Point"), String(format: "%.6f, %.6f", e.lat, e.lon)))
        for (k, v) in e.attributes.sorted(by: { $0.key < $1.key }) {
            let a = type?.attributes.first { $0.code == k }
            let value = a?.kind == .yesNo ? (v == "yes" ? l.pick("是", "yes") : l.pick("否", "no")) : v
            facts.append((a?.name ?? k, value))
        }
        if e.contactName != nil || e.contactPhone != nil {
            facts.append((l.pick("联系人", "Contact"), [e.contactName, e.contactPhone].compactMap { $0 }.joined(separator: " ")))
        }
        let dl: [HTML] = facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }
        let history: [HTML] = d.history.reversed().map { h in
            let changes = h.changes.map { c in "\(c.field)：\(c.from ?? "—") → \(c.to ?? "—")" }.joined(separator: "；")
            return "<tr><td>\(h.version)</td><td>\(Format.minute(h.at))</td><td>\(h.by)</td><td>\(changes)</td></tr>"
        }
        let seesContacts = ctx.staff.map { PersonalDataPolicy.seesReporterContacts($0.role) } ?? false
        return Layout.page(e.name ?? e.address, ctx, scripts: ["registry.js"], """
        <section class="card">
        <p class="meta"><a href="\(SitePath.registry.link([], queryItems: [("kind", kind.rawValue)]))">← \(l.pick("一表通", "Registry")) · \(kindName(kind, l))</a></p>
        <h1>\(e.name ?? e.address)</h1>
        <dl class="facts">\(dl)</dl>
        <h2>\(l.pick("变更记录", "History"))</h2>
        <div class="table-wrap"><table class="list"><thead><tr><th>#</th><th>\(l.pick("时间", "When"))</th><th>\(l.pick("经办", "By"))</th><th>\(l.pick("变更", "Changes"))</th></tr></thead>
        <tbody>\(history)</tbody></table></div>
        \(inspectionsHTML(inspections, catalogue: catalogue, l))
        </section>
        \(editForm(e, type: type, canEdit: canEdit, seesContacts: seesContacts, l))
        \(carePlanForm(e, canCare: canCare, l))
        """)
    }
}
