import Foundation
import WanggeCore
import WanggeStore

enum MediationView {
    /// One mediation as the lists show it.
    struct Row: Sendable {
        var m: StoredMediation
        var colour: ClockColour?
        var typeName: String
        var place: String
        var committee: String

        init(_ m: StoredMediation, now: Date, calendar: WorkingCalendar, j: Jurisdiction, catalogue: MediationCatalogue) {
            self.m = m
            colour = MediationLifecycle.clockStatus(of: m.snapshot, at: now, calendar: calendar)?.colour
            typeName = catalogue.type(m.snapshot.registration.typeCode)?.name ?? m.snapshot.registration.typeCode
            place = m.snapshot.registration.areas.first.flatMap { j[$0.code]?.name } ?? ""
            committee = j[m.snapshot.committeeArea.code]?.name ?? m.snapshot.committeeArea.code
        }
    }

    static func clock(_ r: Row, _ l: Lang) -> HTML {
        guard let due = r.m.snapshot.deadline else { return "" }
        return "<span class=\"clock \(r.colour?.rawValue ?? "green")\" title=\"\(l.t(.mediationDue))\">\(Format.minute(due))</span>"
    }

    static func list(_ rows: [Row], _ l: Lang) -> HTML {
        guard !rows.isEmpty else { return "<p class=\"muted\">\(l.t(.mediationNone))</p>" }
        return """
        <ul class="cards m-list">\(rows.map { r in
            let s = r.m.snapshot
            return """
            <li class="card"><a href="\(SitePath.mediationView.link(r.m.id.uuidString))"><strong>\(r.m.code)</strong></a>
            <span class="state">\(l.pick(s.state.nameZH, s.state.nameEN))</span> \(clock(r, l))\(s.riskOfEscalation ? HTML(" <span class=\"flag risk\">\(l.t(.mediationRisk))</span>") : nil)
            <div class="muted">\(r.typeName) · \(r.place) · \(l.t(.mediationCommittee))：\(r.committee)</div></li>
            """ as HTML
        })</ul>
        """
    }

    static func workbench(mine: [Row], mineTotal: Int, page: Int, per: Int, sessions: [(Row, MediationSession)], due: [Row], dueTotal: Int,
                          _ ctx: PageContext) -> String {
        let l = ctx.lang
        let today: HTML = sessions.isEmpty ? "<p class=\"muted\">\(l.t(.mediationNone))</p>" : """
        <ul class="cards">\(sessions.map { r, s in
            "<li class=\"card\"><strong>\(Format.minute(s.at))</strong> \(s.place) · <a href=\"\(SitePath.mediationView.link(r.m.id.uuidString))\">\(r.m.code)</a> · \(r.typeName)</li>" as HTML
        })</ul>
        """
        return Layout.page(l.t(.mediationTitle), ctx, bodyClass: "mediation-page", """
        <h1>\(l.t(.mediationTitle))</h1>
        <section><h2>\(l.t(.mediationSessionsToday))</h2>\(today)</section>
        <section><h2>\(l.t(.mediationClocksDue)) (\(dueTotal))</h2>\(list(due, l))</section>
        <section><h2>\(l.t(.mediationMine)) (\(mineTotal))</h2>\(list(mine, l))\(pager(page: page, per: per, total: mineTotal, l))</section>
        """)
    }

    /// Previous and next links for a paged list.
    static func pager(page: Int, per: Int, total: Int, _ l: Lang) -> HTML {
        guard total > per else { return "" }
        let last = (total + per - 1) / per
        let prev: HTML = page > 1 ? "<a href=\"\(SitePath.mediations.link(query: ["page": String(page - 1)]))\">‹ \(l.t(.previous))</a>" : ""
        let next: HTML = page < last ? "<a href=\"\(SitePath.mediations.link(query: ["page": String(page + 1)]))\">\(l.t(.next)) ›</a>" : ""
        return "<nav class=\"pager\" aria-label=\"\(l.t(.pageOf))\">\(prev) <span>\(page) / \(last)</span> \(next)</nav>"
    }

    static func role(_ r: MediationParty.Role) -> Text {
        switch r {
        case .applicant: .partyApplicant
        case .respondent: .partyRespondent
        case .thirdParty: .partyThird
        }
    }

    static func yuan(_ fen: Fen) -> String { String(format: "%.2f", Double(fen) / 100) }

    static func page(_ r: Row, records: [MediationRecord], allowed: [MediationActionKind], suggested: [MediatorDTO], viewer: Role,
                     linkedCase: String?, catalogue: MediationCatalogue, _ ctx: PageContext) -> String {
        let l = ctx.lang, m = r.m, s = m.snapshot, reg = s.registration
        let parties: HTML = """
        <ul>\(reg.parties.map { p in
            let c = PersonalDataPolicy.contact(name: p.kind == .organisation ? nil : p.name, phone: p.phone, shownTo: viewer)
            return "<li>\(l.t(role(p.role)))：\(p.kind == .organisation ? p.name : (c.name ?? "")) \(c.phone ?? "")</li>" as HTML
        })</ul>
        """
        let sessions: HTML = s.sessions.isEmpty ? "<p class=\"muted\">\(l.t(.mediationNone))</p>" : """
        <ul>\(s.sessions.map { x in "<li>\(Format.minute(x.at)) · \(x.place)\(x.notes.map { HTML("：\($0)") } ?? "")\(x.participants.isEmpty ? "" : HTML("（\(x.participants.joined(separator: "、"))）"))</li>" as HTML })</ul>
        """
        let agreement: HTML = s.terms.isEmpty ? "" : """
        <section class="card"><h2>\(l.t(.mediationAgreement)) \(s.agreedOn.map { "· \($0)" } ?? "")</h2>
        <div class="table-wrap"><table><thead><tr><th>\(l.t(.mediationObligor))</th><th>\(l.t(.mediationTermText))</th><th>\(l.t(.mediationAmount))</th><th>\(l.t(.mediationDueDate))</th><th>\(l.t(.mediationPaid))</th></tr></thead>
        <tbody>\(s.terms.enumerated().map { i, t in "<tr><td>\(t.obligor)</td><td>\(t.description)</td><td>\(yuan(t.amount))</td><td>\(t.dueDate.description)</td><td>\(yuan(s.paid(onTerm: i)))</td></tr>" as HTML })</tbody></table></div>
        <p><a href="\(SitePath.mediationAgreement.link(m.id.uuidString))">\(l.t(.mediationPrint))</a></p>
        \(s.confirmation.map { c in HTML("<p>\(l.t(.mediationConfirmation))：\(c.appliedOn.description) · \(c.court) · \(c.confirmed == nil ? l.t(.mediationPending) : c.confirmed! ? l.t(.mediationConfirmed) : l.t(.mediationRefused) + "（\(c.refusalReason ?? "")）")</p>") } ?? "")
        </section>
        """
        let followUps: HTML = s.followUps.isEmpty ? "" : """
        <section class="card"><h2>\(l.t(.mediationFollowUps))</h2><ul>\(s.followUps.map { f in "<li>\(Format.minute(f.at)) · \(f.result == .settled ? l.t(.mediationSettled) : l.t(.mediationRecurred)) \(f.notes)</li>" as HTML })</ul></section>
        """
        let timeline: HTML = """
        <ol class="timeline">\(records.map { rec in "<li><time>\(Format.minute(rec.at))</time> <strong>\(l.pick(rec.kind.nameZH, rec.kind.rawValue.replacingOccurrences(of: "_", with: " ")))</strong> \(rec.actor.staff?.username ?? rec.actor.kind)\(rec.note.map { HTML(" · \($0)") } ?? "")</li>" as HTML })</ol>
        """
        let forms: HTML = allowed.isEmpty ? "" : """
        <section class="card"><h2>\(l.t(.mediationActions))</h2>\(allowed.map { form($0, s: s, suggested: suggested, catalogue: catalogue, l) })</section>
        """
        return Layout.page("\(l.t(.mediationOpened)) \(m.code)", ctx, bodyClass: "mediation-page", scripts: ["mediation.js"], """
        <p class="crumbs"><a href="\(SitePath.mediations.link())">← \(l.t(.mediationTitle))</a></p>
        <div id="mediation" data-id="\(m.id.uuidString)">
        <h1>\(m.code) <span class="state">\(l.pick(s.state.nameZH, s.state.nameEN))</span> \(clock(r, l))\(s.riskOfEscalation ? HTML(" <span class=\"flag risk\">\(l.t(.mediationRisk))</span>") : nil)</h1>
        <section class="card"><dl class="facts">
        <dt>\(l.t(.mediationType))</dt><dd>\(r.typeName)</dd>
        <dt>\(l.t(.mediationTier))</dt><dd>\(l.pick(s.tier.nameZH, s.tier.nameEN)) · \(r.committee)</dd>
        <dt>\(l.t(.mediationPlace))</dt><dd>\(r.place)</dd>
        <dt>\(l.t(.mediationPeople))</dt><dd>\(reg.peopleCount)</dd>
        <dt>\(l.t(.mediationAmountInvolved))</dt><dd>\(yuan(reg.amount))</dd>
        \(linkedCase.map { HTML("<dt>\(l.t(.mediationFromCase))</dt><dd><a href=\"\(SitePath.caseView.link($0))\">\($0)</a></dd>") } ?? "")
        <dt>\(l.t(.mediationDescription))</dt><dd>\(reg.description)</dd>
        </dl></section>
        <section class="card"><h2>\(l.t(.mediationParties))</h2>\(parties)</section>
        \(forms)
        <section class="card"><h2>\(l.t(.mediationSessions))</h2>\(sessions)</section>
        \(agreement)
        \(followUps)
        <section class="card"><h2>\(l.t(.mediationTimeline))</h2>\(timeline)</section>
        </div>
        """)
    }

    /// A labelled input: `input` is HTML, so whatever it interpolates is escaped (it took a String and wrapped it as
    /// raw HTML, which printed a Swift array into the performance form's select).
    static func field(_ label: Text, _ input: HTML, _ l: Lang, name: String) -> HTML {
        "<label>\(l.t(label))\(input)</label><span class=\"field-error\" data-for=\"\(name)\"></span>"
    }

    static func text(_ name: String, required: Bool = true) -> HTML {
        "<input name=\"\(name)\"\(required ? " required" : "") maxlength=\"2000\">"
    }

    /// The form of one action; mediation.js sends it as JSON to the action API.
    static func form(_ kind: MediationActionKind, s: MediationSnapshot, suggested: [MediatorDTO], catalogue: MediationCatalogue, _ l: Lang) -> HTML {
        var fields: [HTML] = []
        switch kind {
        case .accept:
            fields = [field(.mediationComplexity, "<select name=\"complexity\"><option value=\"simple\">\(l.t(.mediationSimple))</option><option value=\"general\" selected>\(l.t(.mediationGeneral))</option></select>", l, name: "complexity")]
        case .assign:
            fields = [HTML("<fieldset><legend>\(l.t(.mediationSuggested))</legend>\(suggested.prefix(6).enumerated().map { i, m in "<label class=\"check\"><input type=\"checkbox\" name=\"mediator_ids\" value=\"\(m.id)\"\(i == 0 ? " checked" : "")> \(m.name)（\(m.specialities.compactMap { catalogue.speciality($0)?.name }.joined(separator: "、"))，\(l.t(.mediationLoad)) \(m.load)）</label>" as HTML })</fieldset><span class=\"field-error\" data-for=\"mediator_ids\"></span>")]
        case .scheduleSession:
            fields = [field(.mediationAt, "<input type=\"datetime-local\" name=\"at\" required>", l, name: "at"), field(.mediationSessionPlace, text("place"), l, name: "place")]
        case .recordSession:
            fields = [field(.mediationNotes, "<textarea name=\"notes\" rows=\"3\" required maxlength=\"4000\"></textarea>", l, name: "notes"),
                      field(.mediationParticipants, text("participants", required: false), l, name: "participants")]
        case .escalate, .refuseConfirmation:
            fields = [field(.mediationReason, text("reason"), l, name: "reason")]
        case .extend:
            fields = [field(.mediationDays, "<input type=\"number\" name=\"days\" min=\"1\" max=\"30\" value=\"10\" required>", l, name: "days"),
                      HTML("<label class=\"check\"><input type=\"checkbox\" name=\"consent.applicant\"> \(l.t(.mediationConsentApplicant))</label><label class=\"check\"><input type=\"checkbox\" name=\"consent.respondent\"> \(l.t(.mediationConsentRespondent))</label><span class=\"field-error\" data-for=\"consent\"></span>")]
        case .agree:
            for i in 0..<2 {
                fields.append(HTML("<fieldset class=\"term\"><legend>\(l.t(.mediationTerm)) \(i + 1)</legend>\(field(.mediationObligor, "<input name=\"terms.\(i).obligor\"\(i == 0 ? " required" : "")>", l, name: "terms[\(i)].obligor"))\(field(.mediationTermText, "<input name=\"terms.\(i).description\"\(i == 0 ? " required" : "")>", l, name: "terms[\(i)].description"))\(field(.mediationAmount, "<input type=\"number\" step=\"0.01\" min=\"0\" name=\"terms.\(i).amount_yuan\" value=\"0\">", l, name: "terms[\(i)].amount_yuan"))\(field(.mediationDueDate, "<input type=\"date\" name=\"terms.\(i).due_date\"\(i == 0 ? " required" : "")>", l, name: "terms[\(i)].due_date"))</fieldset>"))
            }
        case .fail:
            fields = [field(.mediationRoute, "<select name=\"route\"><option value=\"court\">\(l.t(.mediationRouteCourt))</option><option value=\"arbitration\">\(l.t(.mediationRouteArbitration))</option><option value=\"administrative\">\(l.t(.mediationRouteAdministrative))</option></select>", l, name: "route"),
                      field(.mediationNote, text("note", required: false), l, name: "note")]
        case .withdraw, .supervise:
            fields = [field(.mediationNote, text("note", required: false), l, name: "note")]
        case .recordPerformance:
            fields = [field(.mediationTerm, "<select name=\"term\">\(s.terms.enumerated().map { i, t in "<option value=\"\(i)\">\(i + 1). \(t.obligor) \(t.description)</option>" as HTML })</select>", l, name: "term"),
                      field(.mediationAmount, "<input type=\"number\" step=\"0.01\" min=\"0\" name=\"amount_yuan\" required>", l, name: "amount_yuan"),
                      field(.mediationPerformedOn, "<input type=\"date\" name=\"performed_on\" required>", l, name: "performed_on")]
        case .applyConfirmation:
            fields = [field(.mediationAppliedOn, "<input type=\"date\" name=\"applied_on\" required>", l, name: "applied_on"), field(.mediationCourt, text("court"), l, name: "court")]
        case .followUp:
            fields = [field(.mediationResult, "<select name=\"result\"><option value=\"settled\">\(l.t(.mediationSettled))</option><option value=\"recurred\">\(l.t(.mediationRecurred))</option></select>", l, name: "result"),
                      field(.mediationNotes, text("notes", required: false), l, name: "notes")]
        case .confirm, .close, .register:
            break
        }
        let name = l.pick(kind.nameZH, kind.rawValue.replacingOccurrences(of: "_", with: " "))
        return """
        <details class="m-act"><summary>\(name)</summary><form class="m-action" data-action="\(kind.rawValue)">\(fields)
        <button type="submit">\(name)</button><span class="field-error" data-for="form"></span><span class="field-error" data-for="action"></span></form></details>
        """
    }

    /// 人民调解协议书: parties, facts, terms, the effect clause, signature lines and the committee's seal box.
    static func agreement(_ m: StoredMediation, committee: String, place: String, viewer: Role, _ ctx: PageContext) -> String {
        let l = ctx.lang, s = m.snapshot
        guard !s.terms.isEmpty, let agreed = s.agreedOn else {
            return Layout.page(l.t(.agreementTitle), ctx, bodyClass: "agreement-page", "<h1>\(l.t(.agreementTitle))</h1><p>\(l.t(.agreementNone))</p>")
        }
        let partyLines: [HTML] = s.registration.parties.map { p in
            // The document names the parties (they sign it); their phones follow the personal-data policy.
            "<p class=\"party\">\(l.t(role(p.role)))：\(p.name)\(PersonalDataPolicy.contact(name: nil, phone: p.phone, shownTo: viewer).phone.map { HTML("　\(l.t(.mediationIDNumber))：\($0)") } ?? "")</p>"
        }
        let parties: HTML = "\(partyLines)"
        return Layout.page(l.t(.agreementTitle), ctx, bodyClass: "agreement-page", """
        <p class="print-hint no-print">\(l.t(.agreementPrintHint)) <a href="\(SitePath.mediationView.link(m.id.uuidString))">← \(m.code)</a></p>
        <article class="agreement">
        <h1>\(l.t(.agreementTitle))</h1>
        <p class="number">\(committee)　\(l.t(.agreementNumber))：\(m.code)</p>
        \(parties)
        <h2>\(l.t(.agreementFacts))</h2>
        <p>\(s.registration.description)（\(place)）</p>
        <h2>\(l.t(.agreementTerms))：</h2>
        <ol class="terms">\(s.terms.map { t in "<li>\(t.obligor)\(t.description)\(t.amount > 0 ? HTML("，金额人民币 \(yuan(t.amount)) 元") : nil)，于 \(t.dueDate.description) 前履行完毕。</li>" as HTML })</ol>
        <p>\(l.t(.agreementEffect))</p>
        <div class="signatures">
        \(s.registration.parties.map { _ in "<p>\(l.t(.agreementPartySign))：＿＿＿＿＿＿＿＿</p>" as HTML })
        <p>\(l.t(.agreementMediatorSign))：＿＿＿＿＿＿＿＿</p>
        <div class="seal">\(l.t(.agreementSeal))</div>
        <p class="date">\(l.t(.agreementDate))：\(agreed.description)</p>
        </div>
        </article>
        """)
    }
}
