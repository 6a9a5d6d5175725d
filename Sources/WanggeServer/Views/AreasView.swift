import WanggeCore

/// The jurisdiction page: the map, and the tree of the viewer's scope with each grid's team.
struct AreasPageModel: Sendable {
    struct Node: Sendable {
        var area: Area
        var children: [Node]
        var gridCount: Int
    }

    var scopeRoot: Node
    var countyName: String
    var mapSVG: String
    /// The grid whose team is shown inline (for browsers without JavaScript), and its team.
    var focus: String?
    /// The focused grid's ancestors, whose branches open.
    var focusChain: Set<String> = []
    var focusTeam: [GridTeamMember]
    /// Who looks: the core's personal-data policy decides whether team phones are masked.
    var viewer: Role

    static func build(_ j: Jurisdiction, scope: String, mapSVG: String, focus: String?, focusTeam: [GridTeamMember], viewer: Role) -> AreasPageModel? {
        guard let root = j[scope] else { return nil }
        func node(_ a: Area) -> Node {
            let kids = j.children(of: a.code).map(node)
            let grids = a.level == .grid ? 1 : kids.reduce(0) { $0 + $1.gridCount }
            return Node(area: a, children: kids, gridCount: grids)
        }
        return AreasPageModel(scopeRoot: node(root), countyName: j.root?.name ?? "", mapSVG: mapSVG, focus: focus,
                              focusChain: Set(focus.map { j.chain(from: $0).map(\.code) } ?? []),
                              focusTeam: focusTeam, viewer: viewer)
    }
}

enum AreasView {
    static func render(_ m: AreasPageModel, _ ctx: PageContext) -> String {
        let l = ctx.lang
        let root = m.scopeRoot
        let summary: HTML = """
        <p class="summary">\(l.t(.myScope))：<strong>\(root.area.name)</strong> <code>\(root.area.code)</code> · \
        \(root.gridCount.grouped) \(l.t(.grids)) · \(l.t(.population)) \(root.area.population.grouped) · \(l.t(.households)) \(root.area.households.grouped)</p>
        """
        let content: HTML = """
        <h1>\(m.countyName) · \(l.t(.jurisdiction))</h1>
        \(summary)
        <div class="areas-layout">
          <section class="card map-card" aria-labelledby="map-h">
            <h2 id="map-h">\(l.t(.map))</h2>
            <div class="map-wrap">\(HTML(raw: m.mapSVG))</div>
            <p class="caption">\(l.t(.mapCaption))</p>
          </section>
          <section class="card tree-card" aria-labelledby="tree-h">
            <h2 id="tree-h">\(l.t(.tree))</h2>
            <label class="filter" for="tree-filter">\(l.t(.filterTree))</label>
            <input id="tree-filter" type="search" placeholder="\(l.t(.filterPlaceholder))">
            <ul class="tree" data-loading="\(l.t(.loading))" data-empty="\(l.t(.noTeam))">\(branch(root, m, l, open: true))</ul>
          </section>
        </div>
        """
        return Layout.page(l.t(.jurisdiction), ctx, bodyClass: "areas", content)
    }

    private static func branch(_ n: AreasPageModel.Node, _ m: AreasPageModel, _ l: Lang, open: Bool) -> HTML {
        let a = n.area
        let levelName = l.pick(a.level.nameZH, a.level.nameEN)
        let figures: HTML = "<span class=\"fig\">\(a.level == .grid ? "" : "\(n.gridCount.grouped) \(l.t(.grids)) · ")\(l.t(.population)) \(a.population.grouped) · \(l.t(.households)) \(a.households.grouped)</span>"
        if a.level == .grid {
            let focused = m.focus == a.code
            let team: HTML = focused ? teamList(m.focusTeam, l, viewer: m.viewer) : ""
            return """
            <li class="grid" id="grid-\(a.code)" data-name="\(a.name) \(a.code)">
              <details\(HTML(raw: focused ? " open" : "")) data-team="\(SitePath.apiAreaTeam.link(a.code))">
                <summary><span class="lvl">\(levelName)</span> \(a.name) \(figures)</summary>
                <div class="team" aria-live="polite">\(team)</div>
                <noscript><a href="\(SitePath.areas.link(query: ["focus": a.code]))#grid-\(a.code)">\(l.t(.showTeam))</a></noscript>
              </details>
            </li>
            """
        }
        let opened = open || m.focusChain.contains(a.code)
        return """
        <li class="\(a.level.rawValue)" data-name="\(a.name) \(a.code)">
          <details\(HTML(raw: opened ? " open" : ""))>
            <summary><span class="lvl">\(levelName)</span> \(a.name) <code>\(a.code)</code> \(figures)</summary>
            <ul>\(n.children.map { branch($0, m, l, open: false) })</ul>
          </details>
        </li>
        """
    }

    static func teamList(_ team: [GridTeamMember], _ l: Lang, viewer: Role) -> HTML {
        guard !team.isEmpty else { return "<p>\(l.t(.noTeam))</p>" }
        let rows: [HTML] = team.map { t in
            let phone = PersonalDataPolicy.teamPhone(t.phone, shownTo: viewer) ?? ""
            return "<li><span class=\"pos\">\(l.pick(t.position.nameZH, t.position.nameEN))</span> \(t.name) <span class=\"phone\">\(phone)</span></li>"
        }
        return "<ul class=\"members\">\(rows)</ul>"
    }
}
