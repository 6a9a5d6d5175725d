import Vapor
import WanggeCore

/// `GET /assessments?level=&area=&month=&export=csv`: the league table (issue 20), as a page or a CSV file.
enum AssessmentPages {
    static func show(_ page: StaffPage) async throws -> Response {
        let req = page.req, j = page.jurisdiction
        let t = try await AssessmentsAPI.table(req, defaultLevel: defaultLevel(of: try req.areaQuery(page.staff, j) ?? page.staff.scope.areaCode, j))
        if let export = try req.textQuery("export", maxLength: 8) {
            guard export == "csv" else { throw APIError.badRequest("export is csv", field: "export") }
            return try TableDownload.response(AssessmentView.csv(t, page.lang), filename: "wangge-assessment-\(t.level.rawValue)-\(t.area)-\(t.month)")
        }
        let current = SafetyIndexService.month(of: req.now, calendar: page.reference.calendar)
        let months = (0..<13).map { current.adding(months: -$0) }
        return page.html(AssessmentView.page(t, months: months, drill: { code in
            guard t.level != .department, t.level != .worker, let a = j[code], a.level < .grid else { return nil }
            return a.level == .township ? .village : .grid
        }, j: j, page.context))
    }

    /// The level below an area: its townships, villages or grids.
    static func defaultLevel(of area: String, _ j: Jurisdiction) -> AssessmentLevel {
        switch j[area]?.level {
        case .county?: .township
        case .township?: .village
        default: .grid
        }
    }
}
