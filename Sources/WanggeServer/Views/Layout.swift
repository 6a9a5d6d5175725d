import Foundation
import WanggeCore

/// What every page's frame needs to know.
struct PageContext: Sendable {
    var lang: Lang
    var staff: StaffAccount?
    /// The path of the page, for the language switch link.
    var path: String
    /// The CSRF token the page's forms and scripts send back with every write.
    var csrf: String = ""
    var warnings: [String] = []

    static let mock = PageContext(lang: .zh, staff: nil, path: SitePath.areas.link(), csrf: "mock-token")
}

/// The one page frame: header with navigation, language switch and account, then the page's own content.
enum Layout {
    static func page(_ title: String, _ ctx: PageContext, bodyClass: String = "", scripts: [String] = [], head: HTML = "",
                     _ content: HTML) -> String {
        let l = ctx.lang
        let account: HTML = ctx.staff.map { s in
            """
            <span class="who" title="\(s.role.nameZH) / \(s.role.nameEN)">\(s.displayName) · \(l.pick(s.role.nameZH, s.role.nameEN))</span>
            <form method="post" action="\(SitePath.logout.link())" class="inline"><input type="hidden" name="csrf" value="\(ctx.csrf)"><button type="submit" class="link">\(l.t(.signOut))</button></form>
            """
        } ?? "<a href=\"\(SitePath.login.link())\">\(l.t(.signIn))</a>"
        let warnings: HTML = ctx.warnings.map { w in "<p class=\"warning\" role=\"status\">\(w)</p>" }.joined()
        let page: HTML = """
        <!doctype html>
        <html lang="\(l.htmlCode)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="\(ctx.csrf)">
        <title>\(title) · \(l.t(.appName))</title>
        <link rel="stylesheet" href="/static/app.css">
        <link rel="icon" href="/static/icon.svg" type="image/svg+xml">
        \(head)
        </head>
        <body class="\(bodyClass)">
        <a class="skip" href="#main">\(l.t(.skipToContent))</a>
        <header class="top">
          <a class="brand" href="\(SitePath.home.link())"><span class="mark" aria-hidden="true">网</span>\(l.t(.appName))</a>
          <nav aria-label="main">\(navigation(ctx))</nav>
          <div class="account">\(account)
            <a class="lang" href="\(ctx.path)\(HTML(raw: ctx.path.contains("?") ? "&amp;" : "?"))lang=\(l.other.rawValue)" lang="\(l.other.htmlCode)">\(l.t(.switchLanguage))</a>
          </div>
        </header>
        \(warnings)
        <main id="main">
        \(content)
        </main>
        \(HTML(raw: dataBlock(l)))
        <script src="/static/app.js" defer></script>
        \(scripts.map { HTML(raw: "<script src=\"/static/\($0)\" defer></script>") })
        </body>
        </html>
        """
        return page.description
    }
}

extension Layout {
    /// What the scripts read (app.js: `W.s`, `W.path`, `W.errorText`): the `Text.js` texts in the page's language,
    /// the paths of `SitePath.forScripts` by name, and the texts of the API's error codes (`Text.apiErrors`).
    struct ScriptData: Encodable, Sendable {
        var text: [String: String]
        var paths: [String: String]
        var errors: [String: String] = [:]
    }

    static func scriptData(_ lang: Lang) -> ScriptData {
        ScriptData(text: Text.js.mapValues { lang.t($0) },
                   paths: Dictionary(uniqueKeysWithValues: SitePath.forScripts.map { ($0.name, $0.template) }),
                   errors: Text.apiErrors.mapValues { lang.t($0) })
    }

    /// The page's data block for its scripts: JSON in `<script type="application/json" id="w-text">`, which the
    /// browser does not run (the CSP allows no inline script). Every "<" is written `\u003c`, so no text in it can
    /// close the element. Made once per language.
    static func dataBlock(_ lang: Lang) -> String { dataBlocks[lang] ?? "" }

    private static let dataBlocks: [Lang: String] = Dictionary(uniqueKeysWithValues: Lang.allCases.map { ($0, dataBlock(scriptData($0))) })

    static func dataBlock(_ data: ScriptData) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "<script type=\"application/json\" id=\"w-text\">" + json.replacingOccurrences(of: "<", with: "\\u003c") + "</script>"
    }

    /// The pages a role works in, first the one it starts on.
    static func pages(for role: Role?) -> [(path: SitePath, text: Text)] {
        // Only pages the route table lets the role open, so no link leads to a refusal.
        wanted(for: role).filter { Site.page($0.path)?.access.allows(role) ?? false || role == nil }
    }

    private static func wanted(for role: Role?) -> [(path: SitePath, text: Text)] {
        switch role {
        case nil: [(.report, .navReport), (.trackForm, .navTrack)]
        case .gridWorker?, .gridLeader?: [(.worker, .navWorker), (.registry, .navRegistry), (.workbench, .navWorkbench), (.risks, .navRisks), (.warnings, .navWarnings), (.areas, .areas)]
        case .handler?: [(.workbench, .navWorkbench), (.risks, .navRisks), (.areas, .areas)]
        case .mediator?: [(.mediations, .navMediation), (.workbench, .navWorkbench), (.areas, .areas)]
        case .operator?: [(.workbench, .navWorkbench), (.mediations, .navMediation), (.risks, .navRisks), (.safetyIndex, .navSafety), (.warnings, .navWarnings),
                          (.dashboard, .navDashboard), (.assessments, .navAssessment), (.registry, .navRegistry), (.screen, .navScreen), (.areas, .areas)]
        case .leader?: [(.dashboard, .navDashboard), (.assessments, .navAssessment), (.safetyIndex, .navSafety), (.warnings, .navWarnings), (.risks, .navRisks), (.workbench, .navWorkbench),
                        (.mediations, .navMediation), (.screen, .navScreen), (.areas, .areas)]
        case .admin?: [(.workbench, .navWorkbench), (.mediations, .navMediation), (.risks, .navRisks), (.safetyIndex, .navSafety), (.warnings, .navWarnings),
                       (.dashboard, .navDashboard), (.assessments, .navAssessment), (.registry, .navRegistry), (.screen, .navScreen), (.areas, .areas), (.audit, .navAudit), (.apiKeysPage, .navAPIKeys)]
        }
    }

    static func navigation(_ ctx: PageContext) -> HTML {
        pages(for: ctx.staff?.role).map { p in
            let href = p.path.link()
            let current = ctx.path == href || ctx.path.hasPrefix(href + "/") || (p.path == .workbench && SitePath.caseView.matches(ctx.path))
            return "<a href=\"\(href)\"\(HTML(raw: current ? " aria-current=\"page\"" : ""))>\(ctx.lang.t(p.text))</a>"
        }.joined()
    }
}

enum ErrorPage {
    /// The page for an error a browser gets: the text table's text for the error's code (`Text.apiError`) in the
    /// page's language; the API's message (English) only on an English page, or for a code without a text.
    static func render(status: any HTTPStatusLike, code: String, field: String?, message: String, lang: Lang) -> String {
        let text = Text.apiError(code: code, field: field).map { lang.t($0) }
        let detail: HTML = lang == .en && text != nil && text != message ? "<p class=\"meta\">\(message)</p>" : ""
        return Layout.page(lang.t(.errorTitle), PageContext(lang: lang, staff: nil, path: SitePath.home.link()), """
        <section class="card narrow">
        <h1>\(Int(status.code)) · \(lang.t(.errorTitle))</h1>
        <p>\(text ?? message)</p>
        \(detail)
        <p><a href="\(SitePath.home.link())">\(lang.t(.backHome))</a></p>
        </section>
        """)
    }
}

/// The bit of an HTTP status a page shows; keeps views free of Vapor.
protocol HTTPStatusLike { var code: UInt { get } }
