import Foundation

extension SafetyIndexFormula {
    /// The formula a county starts from (version 1): public order, fire, traffic and disputes counted from the
    /// bundled `categories.json`, and the governance results, weighing 100 in all.
    ///
    /// The bundled catalogue has no minor categories for theft, fights or fraud (those are police matters that reach
    /// the grid as other reports), so public order counts the nearest it has: domestic violence, safety around
    /// schools, fraudulent health-product sales, unlicensed taxis and illegal fireworks. A county with a 社会治安
    /// 大类 puts its codes here. Traffic-accident disputes count as traffic, not disputes, so no case counts twice.
    public static let standard = SafetyIndexFormula(
        version: 1,
        groups: [
            SafetyIndicatorGroup(code: "public_order", name: "社会治安", nameEN: "Public order", indicators: [
                incidence("public_order", "治安类事件发案率", "Public-order cases per 10,000 residents",
                          ["0602", "1407", "0306", "1110", "0108"], weight: 20),
            ]),
            SafetyIndicatorGroup(code: "fire", name: "消防安全", nameEN: "Fire safety", indicators: [
                incidence("fire", "消防类事件发案率", "Fire-safety cases per 10,000 residents",
                          ["0201", "0202", "0203", "0204", "0205", "0206", "0207", "0208", "0209", "0501", "0103", "0104", "1506"], weight: 15),
            ]),
            SafetyIndicatorGroup(code: "traffic", name: "交通安全", nameEN: "Traffic safety", indicators: [
                incidence("traffic", "交通类事件发案率", "Traffic-safety cases per 10,000 residents",
                          ["1104", "1106", "1107", "1108", "0608"], weight: 10),
            ]),
            SafetyIndicatorGroup(code: "disputes", name: "矛盾纠纷与群体性诉求", nameEN: "Disputes and collective complaints", indicators: [
                incidence("disputes", "矛盾纠纷发生率", "Disputes per 10,000 residents",
                          ["0601", "0603", "0604", "0605", "0606", "0607", "0609", "0611", "0612", "0614", "0504", "0703"], weight: 10),
                incidence("collective_complaints", "群体性诉求发生率", "Collective complaints per 10,000 residents",
                          ["0610", "0613", "0701", "0702"], weight: 10),
            ]),
            SafetyIndicatorGroup(code: "governance", name: "治理成效", nameEN: "Governance results", indicators: [
                governance("completion", "有效办结率", "Effective completion rate", .completion, weight: 8),
                governance("on_time_closure", "按期结案率", "On-time closure rate", .onTimeClosure, weight: 7),
                governance("satisfaction", "群众满意率", "Satisfaction rate", .satisfaction, weight: 10),
                governance("mediation_success", "调解成功率", "Mediation success rate", .mediationSuccess, weight: 5),
                SafetyIndicator(code: "open_high_risks", name: "红橙风险在控数", nameEN: "Open red and orange risks per 10,000 residents",
                                kind: .openHighRisks, direction: .lowerIsBetter, baseline: .ownPrevious12Months, weight: 5),
            ]),
        ],
        deductions: [
            GraveEventDeduction(code: "death", name: "亡人事件", nameEN: "Event with a death", pointsPerEvent: 10, maximumPoints: 30),
            GraveEventDeduction(code: "security_period_major", name: "敏感时期重大事件", nameEN: "Major incident during a security period",
                                pointsPerEvent: 15, maximumPoints: 30),
            GraveEventDeduction(code: "mass_incident", name: "群体性事件", nameEN: "Mass incident", pointsPerEvent: 5, maximumPoints: 20),
        ])

    private static func incidence(_ code: String, _ name: String, _ nameEN: String, _ categories: [String], weight: Double) -> SafetyIndicator {
        SafetyIndicator(code: code, name: name, nameEN: nameEN, kind: .incidence, categoryCodes: categories,
                        direction: .lowerIsBetter, baseline: .ownPrevious12Months, weight: weight)
    }

    /// Governance rates are compared with the county's: an area's own history of 98 % says little about whether 98 %
    /// is good.
    private static func governance(_ code: String, _ name: String, _ nameEN: String, _ kind: SafetyIndicatorKind, weight: Double) -> SafetyIndicator {
        SafetyIndicator(code: code, name: name, nameEN: nameEN, kind: kind, direction: .higherIsBetter, baseline: .countyAverage, weight: weight)
    }
}
