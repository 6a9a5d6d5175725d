import Foundation
import WanggeCore

enum ResidentViews {
    static func report(categoriesJSON: String, majors: [(WanggeCore.Category, [WanggeCore.Category])], mapSVG: String, _ ctx: PageContext) -> String {
        let l = ctx.lang
        let groups = categoryOptions(majors, l)
        return Layout.page(l.t(.reportTitle), ctx, bodyClass: "resident", scripts: ["report.js"], """
        <section class="card report-card">
        <h1>\(l.t(.reportTitle))</h1>
        <p class="meta">\(l.t(.reportIntro))</p>
        <noscript><p class="warning">\(l.t(.jsNeeded))</p></noscript>
        <form id="report" class="stack" novalidate>
          <fieldset><legend>\(l.t(.whatKind))</legend>
            <label for="cat-search">\(l.t(.findCategory))</label>
            <input id="cat-search" type="search" placeholder="\(l.t(.searchCategory))" aria-controls="cat-hits">
            <ul id="cat-hits" class="hits" aria-label="\(l.t(.category))"></ul>
            <label for="category">\(l.t(.category))</label>
            <select id="category" name="category_code" required><option value="">\(l.t(.chooseCategory))</option>\(groups)</select>
            <span class="field-error" data-for="category_code"></span>
          </fieldset>
          <fieldset><legend id="photos-step">\(l.t(.photosStep))</legend>
            <input id="photos" type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple aria-labelledby="photos-step">
            <div id="previews" class="photos"></div>
            <span class="field-error" data-for="photos"></span>
          </fieldset>
          <fieldset><legend>\(l.t(.placeStep))</legend>
            <button type="button" id="locate-me">\(l.t(.useMyLocation))</button>
            <p class="meta">\(l.t(.tapMap))</p>
            <div class="tap-map">\(HTML(raw: mapSVG))</div>
            <p id="place-chosen" class="meta" role="status" aria-live="polite"></p>
            <input type="hidden" name="lat" id="lat"><input type="hidden" name="lon" id="lon">
            <span class="field-error" data-for="lat"></span>
            <label for="address">\(l.t(.addressLabel))</label>
            <textarea id="address" name="address" rows="2" maxlength="200" autocomplete="street-address"></textarea>
            <span class="field-error" data-for="address"></span><span class="field-error" data-for="area_code"></span>
          </fieldset>
          <fieldset><legend id="words-step">\(l.t(.wordsStep))</legend>
            <textarea id="description" name="description" rows="4" maxlength="2000" required aria-labelledby="words-step"></textarea>
            <span class="field-error" data-for="description"></span>
          </fieldset>
          <fieldset><legend>\(l.t(.contactStep))</legend>
            <label for="rname">\(l.t(.name))</label><input id="rname" name="reporter.name" maxlength="50" autocomplete="name">
            <span class="field-error" data-for="reporter.name"></span>
            <label for="rphone">\(l.t(.phone))</label><input id="rphone" name="reporter.phone" type="tel" inputmode="numeric" maxlength="20" autocomplete="tel">
            <span class="field-error" data-for="reporter.phone"></span>
          </fieldset>
          <span class="field-error" data-for="form"></span>
          <button type="submit" class="primary big">\(l.t(.submitReport))</button>
        </form>
        <div id="done" class="done" hidden>
          <h2>✅ \(l.t(.reportReceived))</h2>
          <p>\(l.t(.keepCode))</p>
          <p class="code-big" id="done-code"></p>
          <p><a id="done-link" class="primary-link" href="\(SitePath.trackForm.link())">\(l.t(.followLink))</a></p>
          <p><a href="\(SitePath.report.link())">\(l.t(.reportAnother))</a></p>
        </div>
        </section>
        <script type="application/json" id="categories">\(HTML(raw: categoriesJSON.replacingOccurrences(of: "<", with: "\\u003c")))</script>
        """)
    }

    static func categoryOptions(_ majors: [(WanggeCore.Category, [WanggeCore.Category])], _ l: Lang) -> HTML {
        majors.map { major, minors in
            """
            <optgroup label="\(l.pick(major.name, major.nameEN))">
            \(minors.map { c in "<option value=\"\(c.code)\"\(HTML(raw: c.photoRequired ? " data-photo=\"1\"" : ""))>\(l.pick(c.name, c.nameEN))\(c.photoRequired ? l.t(.photoNeeded) : "")</option>" as HTML })
            </optgroup>
            """
        }.joined()
    }

    static func trackForm(_ ctx: PageContext, code: String, error: String?) -> String {
        let l = ctx.lang
        return Layout.page(l.t(.trackTitle), ctx, bodyClass: "resident", """
        <section class="card narrow">
        <h1>\(l.t(.trackTitle))</h1>
        <form method="get" action="\(SitePath.trackForm.link())" class="stack">
          <label for="code">\(l.t(.enterCode))</label>
          <input id="code" name="code" value="\(code)" autocomplete="off" autocapitalize="characters" required\(HTML(raw: error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"code-error\""))>
          \(error.map { e in "<p class=\"field-error\" id=\"code-error\">\(e)</p>" as HTML })
          <button type="submit" class="primary">\(l.t(.find))</button>
        </form>
        </section>
        """)
    }

    static func track(_ t: TrackingDTO, _ ctx: PageContext, message: String?, error: String?) -> String {
        let l = ctx.lang
        let steps: [HTML] = t.timeline.reversed().map { s in
            let kind = CaseActionKind(rawValue: s.action)
            let state = CaseState(rawValue: s.status)
            return """
            <li><span class="when">\(Format.time(s.at))</span> <strong>\(kind.map { Format.action($0, l) } ?? s.action)</strong>\(HTML(raw: state.map { " → " + Format.state($0, l).description } ?? ""))
            \(s.note.map { n in "<p class=\"note\">\(n)</p>" as HTML })</li>
            """
        }
        let ratings: [HTML] = Satisfaction.allCases.map { r in
            """
            <label class="choice"><input type="radio" name="rating" value="\(r.rawValue)" required> \(l.pick(r.nameZH, r.nameEN))</label>
            """
        }
        let rateForm: HTML = t.canRate ? """
        <section class="card" aria-labelledby="rate-h"><h2 id="rate-h">\(l.t(.rateTitle))</h2>
        <form method="post" action="\(SitePath.trackRating.link(t.code))" class="stack" id="rate">
          <input type="hidden" name="csrf" value="\(ctx.csrf)">
          <fieldset class="choices"><legend class="sr-only">\(l.t(.rateTitle))</legend>\(ratings)</fieldset>
          \(error.map { e in "<p class=\"field-error\" role=\"alert\">\(e)</p>" as HTML })
          <label for="comment">\(l.t(.comment))</label><textarea id="comment" name="comment" rows="2" maxlength="500"></textarea>
          <button type="submit" class="primary">\(l.t(.sendRating))</button>
        </form></section>
        """ : ""
        let ratedLine: HTML = t.rating.flatMap { Satisfaction(rawValue: $0) }.map { r in
            "<p class=\"meta\">\(l.t(.rated)): <strong>\(l.pick(r.nameZH, r.nameEN))</strong></p>"
        } ?? ""
        return Layout.page(l.t(.trackTitle), ctx, bodyClass: "resident", """
        <section class="card track-card">
          <p class="meta">\(l.t(.trackingCode))</p>
          <h1 class="code-big">\(t.code)</h1>
          <p>\(t.category) · \(HTML(raw: CaseState(rawValue: t.status).map { Format.state($0, l).description } ?? HTML.escape(t.statusName)))</p>
          <p class="meta">\(l.t(.reported)): \(Format.time(t.reportedAt))</p>
          \(ratedLine)
          \(message.map { m in "<p class=\"ok\" role=\"status\">\(m)</p>" as HTML })
        </section>
        \(rateForm)
        <section class="card"><h2>\(l.t(.progress))</h2><ol class="timeline">\(steps)</ol></section>
        """)
    }
}
