import Foundation
import WanggeCore

/// The assessment's league tables (考核排名, issue 20): one level of an area for a month, each score with its
/// computation (every part's value, points, weight and contribution, adding up to the score), graded; and the
/// dashboard's panel of the area's children.
enum AssessmentView {
    static let levels: [AssessmentLevel] = [.township, .village, .grid, .worker, .department]

    static func levelName(_ level: AssessmentLevel, _ l: Lang) -> String {
        switch level {
        case .grid: l.pick("网格", "Grids")
        case .village: l.pick("村（社区）", "Villages")
        case .township: l.pick("乡镇（街道）", "Townships")
        case .department: l.pick("职能部门", "Departments")
        case .worker: l.pick("网格员", "Grid workers")
        }
    }

    static func grade(_ g: AssessmentGrade) -> HTML { "<span class=\"grade grade-\(g.rawValue.lowercased())\">\(g.rawValue)</span>" }

    static func percent(_ m: Measure) -> String { m.rate.map { Format.decimal($0 * 100, places: 1) + "%" } ?? "—" }

    /// One score's computation: a line per part.
    static func computation(_ r: AssessmentResult, _ l: Lang) -> HTML {
        let lines: [HTML] = r.parts.map { p in
            let name = l.pick(p.name, p.nameEN)
            guard let points = p.points else {
                return "<li class=\"meta\">\(name)：\(p.value.numerator)/\(p.value.denominator) \(l.pick("，不足以计分，权重分给其余各项", ": too little behind it; its weight goes to the others"))</li>"
            }
            return """
            <li>\(name)：\(p.value.numerator)/\(p.value.denominator) = \(percent(p.value)) → \(Format.decimal(points, places: 2)) \(l.pick("分", "pts")) × \
            \(Format.decimal(p.weightShare * 100, places: 1))% = <strong>\(Format.decimal(Double(p.contributionHundredths) / 100, places: 2))</strong></li>
            """
        }
        return "<ul class=\"computation\">\(lines)<li>\(l.pick("合计", "Total")) <strong>\(Format.decimal(r.score, places: 2))</strong> \(grade(r.grade))</li></ul>"
    }

    static func page(_ t: AssessmentsAPI.Table, months: [SafetyIndexMonth], drill: (String) -> AssessmentLevel?, j: Jurisdiction, _ ctx: PageContext) -> String {
        let l = ctx.lang
        let query: (AssessmentLevel, String, SafetyIndexMonth) -> [(String, String?)] = { [("level", $0.rawValue), ("area", $1), ("month", $2.description)] }
        let levelOptions: [HTML] = levels.map { v in "<option value=\"\(v.rawValue)\"\(HTML(raw: v == t.level ? " selected" : ""))>\(levelName(v, l))</option>" }
        let monthOptions: [HTML] = months.map { m in "<option value=\"\(m.description)\"\(HTML(raw: m == t.month ? " selected" : ""))>\(m.description)</option>" }
        let partHeads: [HTML] = t.formula.parts.map { "<th class=\"num wide-only\" title=\"\(l.pick($0.name, $0.nameEN))\">\(l.pick($0.name, $0.nameEN))</th>" }
        let rows: [HTML] = t.scored.enumerated().map { i, s in
            let (subject, r) = s
            let name: HTML = drill(subject.code).map { lower in
                "<a href=\"\(SitePath.assessments.link([], queryItems: query(lower, subject.code, t.month)))\">\(subject.name)</a>"
            } ?? "\(subject.name)"
            let cells: [HTML] = r.parts.map { p in
                p.points == nil ? "<td class=\"num wide-only meta\">—</td>"
                    : "<td class=\"num wide-only\">\(Format.decimal(Double(p.contributionHundredths) / 100, places: 2))</td>"
            }
            return """
            <tr><td>\(i + 1)</td><td>\(name)<details class="why"><summary>\(l.pick("计算过程", "How"))</summary>\(computation(r, l))</details></td>
            <td class="num"><strong>\(Format.decimal(r.score, places: 2))</strong></td><td>\(grade(r.grade))</td>\(cells)</tr>
            """
        }
        let counts: [HTML] = AssessmentGrade.allCases.map { g in
            "<span class=\"legend-item\">\(grade(g)) \(t.scored.filter { $0.1.grade == g }.count)</span>"
        }
        let weights = t.formula.parts.map { "\(l.pick($0.name, $0.nameEN)) \(Format.decimal($0.weight, places: 0))" }.joined(separator: " · ")
        let g = t.formula.grades
        let unscored: HTML = t.unscored.isEmpty ? "" : """
            <details class="card"><summary>\(l.pick("本月数据不足、未计分", "Too little this month to score")) \(t.unscored.count)</summary>
            <p class="meta">\(t.unscored.prefix(500).map(\.name).joined(separator: "、"))</p></details>
            """
        let up: HTML = j[t.area]?.parentCode.flatMap { p in j[p] != nil && ctx.staff.map { $0.scope.covers(p, in: j) } == true ? p : nil }
            .map { "<a href=\"\(SitePath.assessments.link([], queryItems: query(t.level, $0, t.month)))\">↑ \(j[$0]?.name ?? $0)</a> · " } ?? ""
        let export = SitePath.assessments.link([], queryItems: query(t.level, t.area, t.month) + [("export", "csv")])
        return Layout.page(l.pick("考核排名", "League tables"), ctx, """
        <section class="card">
        <h1>\(l.pick("考核排名", "League tables")) · \(t.areaName) · \(levelName(t.level, l)) · \(t.month.description)</h1>
        <form method="get" action="\(SitePath.assessments.link())" class="filters row-filters">
        <input type="hidden" name="area" value="\(t.area)">
        <label>\(l.pick("对象", "Level")) <select name="level">\(levelOptions)</select></label>
        <label>\(l.pick("月份", "Month")) <select name="month">\(monthOptions)</select></label>
        <button type="submit">\(l.pick("查看", "Show"))</button>
        </form>
        <p class="meta">\(up)<a href="\(export)" download>\(l.t(.exportCSV))</a> · \(l.pick("计算办法第", "Formula version ")) \(t.version) \(l.pick("版", "")): \(weights)；
        A ≥ \(Format.decimal(g.a, places: 0))，B ≥ \(Format.decimal(g.b, places: 0))，C ≥ \(Format.decimal(g.c, places: 0))，\(l.pick("D 低于", "D below")) \(Format.decimal(g.c, places: 0))。
        \(l.pick("只计结果：不计签到、拍照、里程和在线时长。", "Outcomes only: no points for check-ins, photos, mileage or time online."))</p>
        <p class="legend">\(counts)</p>
        </section>
        <section class="card" id="league">
        <div class="table-wrap"><table class="list league"><thead><tr><th>#</th><th>\(l.pick("名称", "Name"))</th><th class="num">\(l.pick("得分", "Score"))</th>
        <th>\(l.pick("等级", "Grade"))</th>\(partHeads)</tr></thead><tbody>\(rows)</tbody></table></div>
        \(HTML(raw: t.scored.isEmpty ? "<p class=\"meta\">" + HTML.escape(l.pick("本月没有可计分的对象。", "Nothing to score this month.")) + "</p>" : ""))
        </section>
        \(unscored)
        """)
    }

    static func csv(_ t: AssessmentsAPI.Table, _ l: Lang) -> [[String]] {
        var lines = [[l.pick("排名", "rank"), l.t(.csvAreaCode), l.t(.csvName), l.pick("得分", "score"), l.pick("等级", "grade")]
            + t.formula.parts.flatMap { p in [l.pick(p.name, p.nameEN), l.t(.csvNumerator), l.t(.csvDenominator), l.pick("得分贡献", "contribution")] }]
        for (i, s) in t.scored.enumerated() {
            lines.append([String(i + 1), s.0.code, s.0.name, Format.decimal(s.1.score, places: 2), s.1.grade.rawValue] + s.1.parts.flatMap { p in
                [p.points.map { Format.decimal($0, places: 2) } ?? "", String(p.value.numerator), String(p.value.denominator),
                 Format.decimal(Double(p.contributionHundredths) / 100, places: 2)]
            })
        }
        for u in t.unscored { lines.append(["", u.code, u.name, "", ""]) }
        return lines
    }

    /// The dashboard's panel: the area's children (or the grids of a village) for the last ended month, best and
    /// worst five, with a link to the whole table.
    static func panel(_ t: AssessmentsAPI.Table, _ l: Lang) -> HTML {
        let show = t.scored.count <= 10 ? Array(t.scored.enumerated()) : Array(t.scored.enumerated().prefix(5)) + Array(t.scored.enumerated().suffix(5))
        let rows: [HTML] = show.map { i, s in
            "<tr><td>\(i + 1)</td><td>\(s.0.name)</td><td class=\"num\">\(Format.decimal(s.1.score, places: 2))</td><td>\(grade(s.1.grade))</td></tr>"
        }
        let link = SitePath.assessments.link([], queryItems: [("level", t.level.rawValue), ("area", t.area), ("month", t.month.description)])
        return """
        <section class="card" id="assessment-panel"><h2>\(l.pick("考核排名", "League table")) · \(levelName(t.level, l)) · \(t.month.description)</h2>
        <div class="table-wrap"><table class="list"><thead><tr><th>#</th><th>\(l.pick("名称", "Name"))</th><th class="num">\(l.pick("得分", "Score"))</th>
        <th>\(l.pick("等级", "Grade"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
        <p class="meta"><a href="\(link)">\(l.pick("完整排名与计算过程", "The whole table and each computation")) →</a> · \
        <a href="\(link + "&export=csv")" download>\(l.t(.exportCSV))</a></p></section>
        """
    }
}
