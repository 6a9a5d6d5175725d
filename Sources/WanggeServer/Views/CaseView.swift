import Foundation
import WanggeCore
import WanggeStore

struct CasePageModel {
    var c: StoredCase
    var actions: [StoredAction]
    var categoryName: String
    var areaName: String
    var areaTrail: String
    var departmentName: String?
    var clock: CaseClockStatus?
    var allowed: [CaseActionKind]
    var duplicates: LikelyDuplicates
    var departments: [Department]
    var mapSVG: String
    var back: String
    /// Who looks: the core's personal-data policy decides what of the reporter they see.
    var viewer: Role
    var actionNames: [String: String]
    /// The mediation this dispute was opened as, if any; and whether the viewer may open it as one.
    var mediation: (id: UUID, code: String)? = nil
    var canOpenMediation = false
    var canRevealTrackingCode = false
}

enum CaseView {
    /// Actions whose form asks for a department, a merge target, an extension, or photos.
    static let needsDepartment: Set<CaseActionKind> = [.dispatch, .transfer]
    static let needsPhotos: Set<CaseActionKind> = [.resolve, .selfResolve, .verifyPass, .verifyFail]

    static func render(_ m: CasePageModel, _ ctx: PageContext) -> String {
        let l = ctx.lang
        return Layout.page("\(l.t(.caseTitle)) \(m.c.code)", ctx, bodyClass: "case-page", scripts: ["workbench.js", "mediation.js"], """
        <p class="crumbs"><a href="\(SitePath.workbench.link())\(m.back)">← \(l.t(.backToQueue))</a></p>
        <div id="case" data-id="\(m.c.id.uuidString)" data-live="1">\(HTML(raw: fragment(m, l)))</div>
        """)
    }

    static func fragment(_ m: CasePageModel, _ l: Lang) -> String {
        let c = m.c, s = c.snapshot
        let photoIDs = m.actions.flatMap(\.record.attachmentIDs)
        let photos: HTML = photoIDs.isEmpty ? "" : """
        <section class="card"><h2>\(l.t(.photos))</h2><div class="photos">
        \(photoIDs.map { id in "<a href=\"\(SitePath.apiPhoto.link(id))\" target=\"_blank\"><img src=\"\(SitePath.apiPhoto.link(id))\" alt=\"\(l.t(.photos))\" loading=\"lazy\" width=\"160\" height=\"120\"></a>" as HTML })
        </div></section>
        """
        let more = m.duplicates.total > m.duplicates.nearest.count
        let dups: HTML = m.duplicates.nearest.isEmpty ? "" : """
        <section class="card"><h2>\(l.t(.duplicates))</h2>\(more ? HTML("<p class=\"muted\">\(l.t(.duplicatesInAll)) \(m.duplicates.total)\(m.duplicates.moreThanTotal ? "+" : "") · \(l.t(.duplicatesNearestShown)) \(m.duplicates.nearest.count)</p>") : nil)<ul class="dups">
        \(m.duplicates.nearest.map { d in
            let canMerge = m.allowed.contains(.merge)
            return """
            <li><a href="\(SitePath.caseView.link(d.code))">\(d.code)</a> · \(Int(d.distanceMetres.rounded())) \(l.t(.metres))
            \(canMerge ? HTML("<form class=\"act inline\" data-action=\"merge\"><input type=\"hidden\" name=\"merge_into\" value=\"\(d.code)\"><button type=\"submit\">\(l.t(.mergeInto))</button><span class=\"field-error\" data-for=\"form\"></span></form>") : nil)</li>
            """ as HTML
        })
        </ul></section>
        """
        let reporter: String = {
            guard c.report.hasReporter else { return l.t(.anonymous) }
            let contact = PersonalDataPolicy.contact(name: c.report.reporterName, phone: c.report.reporterPhone, shownTo: m.viewer)
            let name = contact.name ?? "", phone = contact.phone ?? ""
            return [name, phone].filter { !$0.isEmpty }.joined(separator: " · ")
        }()
        let html: HTML = """
        <header class="case-head">
          <h1>\(c.code) \(Format.state(s.state, l)) \(Format.clock(m.clock, l))\(HTML(raw: s.isSuspended ? " <span class=\"tag\">" + HTML.escape(l.t(.suspended)) + "</span>" : ""))</h1>
          <p class="meta">\(m.categoryName) · \(m.areaTrail) · \(c.report.source.name(l))\(c.report.channelKey.map { " (\($0))" } ?? "") · \(Format.time(c.reportedAt))</p>
        </header>
        <div class="case-grid">
          <div class="case-main">
            <section class="card"><h2>\(l.t(.description))</h2><p class="text">\(c.report.description)</p>
              <p class="meta">\(l.t(.reporter)): \(reporter)\(HTML(raw: c.report.address.map { " · " + HTML.escape($0) } ?? ""))</p></section>
            \(actionsPanel(m, l))
            \(photos)
            <section class="card"><h2>\(l.t(.timeline))</h2>\(timeline(m, l))</section>
          </div>
          <aside class="case-side">
            <section class="card"><h2>\(l.t(.place))</h2>\(HTML(raw: m.mapSVG))<p class="meta">\(m.areaName)\(HTML(raw: c.report.point.map { String(format: " · %.5f, %.5f", $0.lat, $0.lon) } ?? ""))</p></section>
            <section class="card"><h2>\(l.t(.routing))</h2><p>\(s.intake.routingReason)</p>
              <p class="meta">\(l.t(.department)): \(m.departmentName ?? "—")</p></section>
            <section class="card"><h2>\(l.t(.clocks))</h2>\(deadlines(s, l))</section>
            \(dups)
          </aside>
        </div>
        """
        return html.description
    }

    static func deadlines(_ s: CaseSnapshot, _ l: Lang) -> HTML {
        let rows: [(Text, Date?)] = [(.signStage, s.deadlines.sign), (.resolveStage, s.deadlines.resolve),
                                     (.verifyStage, s.deadlines.verify), (.closureStage, s.deadlines.closure)]
        return "<dl class=\"deadlines\">\(rows.filter { $0.1 != nil }.map { r in "<dt>\(l.t(r.0))</dt><dd>\(Format.time(r.1))</dd>" as HTML })</dl>"
    }

    static func timeline(_ m: CasePageModel, _ l: Lang) -> HTML {
        let items: [HTML] = m.actions.reversed().map { a in
            let r = a.record
            let who: String = r.actor.staff.map { "\($0.username) · \(l.pick($0.role.nameZH, $0.role.nameEN))" }
                ?? (r.actor.kind == "reporter" ? l.t(.residentActor) : l.t(.system))
            let to: String? = r.toAssignee.departmentCode.map { m.actionNames["dept:" + $0] ?? $0 }
            return """
            <li><span class="when">\(Format.time(r.at))</span> <strong>\(Format.action(r.kind, l))</strong> → \(Format.state(r.toState, l))
            <span class="who">\(who)\(HTML(raw: to.map { " → " + HTML.escape($0) } ?? ""))</span>
            \(r.note.map { n in "<p class=\"note\">\(n)</p>" as HTML })</li>
            """
        }
        return "<ol class=\"timeline\">\(items)</ol>"
    }

    /// A dispute's link to its mediation, or the button that opens it as one (mediation.js).
    static func mediationPanel(_ m: CasePageModel, _ l: Lang) -> HTML {
        if let med = m.mediation {
            return "<p class=\"card\">\(l.t(.mediationOpened))：<a href=\"\(SitePath.mediationView.link(med.id.uuidString))\">\(med.code)</a></p>"
        }
        guard m.canOpenMediation else { return "" }
        return """
        <form class="open-mediation card" data-case="\(m.c.id.uuidString)"><button type="submit">\(l.t(.mediationOpen))</button><span class="field-error" data-for="form"></span><span class="field-error" data-for="case_id"></span></form>
        """
    }

    /// For a call taker: the reporter's tracking code, shown on request (audited; mediation.js asks the API).
    static func trackingCodePanel(_ m: CasePageModel, _ l: Lang) -> HTML {
        guard m.canRevealTrackingCode else { return "" }
        return """
        <form class="reveal-code card" data-case="\(m.c.id.uuidString)"><p class="meta">\(l.t(.trackingCodeHint))</p><button type="submit">\(l.t(.trackingCodeReveal))</button> <output class="code" aria-live="polite"></output><span class="field-error" data-for="form"></span></form>
        """
    }

    static func actionsPanel(_ m: CasePageModel, _ l: Lang) -> HTML {
        let forms: [HTML] = m.allowed.filter { $0 != .comment }.map { form($0, m, l) }
        let comment: HTML = m.allowed.contains(.comment) ? form(.comment, m, l) : ""
        return """
        \(mediationPanel(m, l))
        \(trackingCodePanel(m, l))
        <section class="card actions" aria-labelledby="acts-h"><h2 id="acts-h">\(l.t(.actionsNow))</h2>
        <p class="act-result" role="status" aria-live="polite"></p>
        \(forms.isEmpty && comment.description.isEmpty ? HTML("<p class=\"meta\">\(l.t(.noActions))</p>") : "")
        <div class="act-list">\(forms)</div>\(comment)
        </section>
        """
    }

    static func form(_ kind: CaseActionKind, _ m: CasePageModel, _ l: Lang) -> HTML {
        let id = "a-\(kind.rawValue)"
        var fields: [HTML] = []
        if needsDepartment.contains(kind) {
            fields.append("""
            <label for="\(id)-dept">\(l.t(.department))</label>
            <select id="\(id)-dept" name="department_code" required><option value="">\(l.t(.chooseDepartment))</option>
            \(m.departments.map { d in "<option value=\"\(d.code)\"\(HTML(raw: d.code == m.c.snapshot.intake.routedDepartmentCode ? " selected" : ""))>\(d.name)</option>" as HTML })
            </select><span class="field-error" data-for="department_code"></span>
            """)
        }
        if kind == .merge {
            fields.append("<label for=\"\(id)-m\">\(l.t(.mergeTarget))</label><input id=\"\(id)-m\" name=\"merge_into\" required><span class=\"field-error\" data-for=\"merge_into\"></span>")
        }
        if kind == .requestExtension {
            fields.append("<label for=\"\(id)-e\">\(l.t(.extensionLabel))</label><input id=\"\(id)-e\" name=\"extension\" required pattern=\"[0-9]+[hd]\"><span class=\"field-error\" data-for=\"extension\"></span>")
        }
        if needsPhotos.contains(kind) {
            fields.append("<label for=\"\(id)-p\">\(l.t(.attachPhotos))</label><input id=\"\(id)-p\" type=\"file\" name=\"photos\" accept=\"image/jpeg,image/png,image/webp\" multiple><span class=\"field-error\" data-for=\"attachments\"></span>")
        }
        fields.append("""
        <label for="\(id)-n">\(l.t(.note))</label><textarea id="\(id)-n" name="note" rows="2" maxlength="2000"\(HTML(raw: CaseCommand.noteRequired.contains(kind) ? " required" : ""))></textarea><span class="field-error" data-for="note"></span>
        """)
        let name = Format.action(kind, l)
        return """
        <details class="act-box" data-kind="\(kind.rawValue)"><summary class="act-button">\(name)</summary>
        <form class="act stack" data-action="\(kind.rawValue)">\(fields)
        <span class="field-error" data-for="action"></span>
        <button type="submit" class="primary">\(l.t(.confirm)): \(name)</button></form></details>
        """
    }
}
