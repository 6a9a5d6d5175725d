import Foundation
import Testing

@testable import WanggeCore

/// Routing over `Fixture.jurisdiction` (县 C; 一镇 C01 ⊃ 一村 C01001 ⊃ G1, G2; 二镇 C02 ⊃ 二村 C02001 ⊃ G3, G4) with the
/// real category catalogue.
@Suite struct CaseRoutingTests {
    static let catalogue: CategoryCatalogue = {
        let url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/WanggeCore/Resources/categories.json")
        return try! CategoryCatalogue.decode(try! Data(contentsOf: url))
    }()

    static let departments = [
        Department(code: "C-governance_centre", name: "县社会治理中心", kind: .governanceCentre, areaCode: "C"),
        Department(code: "C-market_regulation", name: "县市场监督管理局", kind: .marketRegulation, areaCode: "C"),
        Department(code: "C-housing", name: "县住房和城乡建设局", kind: .housing, areaCode: "C"),
        Department(code: "C01-market_regulation", name: "一镇市场监管所", kind: .marketRegulation, areaCode: "C01"),
        Department(code: "C01-governance_centre", name: "一镇社会治理中心", kind: .governanceCentre, areaCode: "C01"),
        Department(code: "C01-township_office", name: "一镇党政办", kind: .townshipOffice, areaCode: "C01"),
        Department(code: "C02-township_office", name: "二镇党政办", kind: .townshipOffice, areaCode: "C02"),
    ]

    let j = Fixture.jurisdiction
    let food = catalogue["0301"]!  // 食品质量安全问题 → market_regulation
    let neighbours = catalogue["0603"]!  // 邻里纠纷 → local
    let g1 = GeoPoint(lon: 0.5, lat: 1)  // in 一镇
    let g3 = GeoPoint(lon: 3.2, lat: 0.25)  // in 二镇

    func route(_ c: WanggeCore.Category, _ p: GeoPoint, _ departments: [Department] = departments) throws -> RoutingDecision {
        try CaseRouter.route(category: c, location: j.locate(p), departments: departments, jurisdiction: j)
    }

    @Test func foodGoesToTheTownshipsMarketOfficeWhenOneServesIt() throws {
        let r = try route(food, g1)
        #expect(r.assigneeDepartment?.code == "C01-market_regulation")
        #expect(r.operatorArea.code == "C01")
        #expect(r.reason.hasPrefix("按类别：食品质量安全问题 → 市场监管；服务区域 一镇（乡镇/街道）：一镇市场监管所"))
        #expect(r.reason.contains("By category: "))
    }

    @Test func foodGoesToTheCountyBureauWhenTheTownshipHasNoOffice() throws {
        let r = try route(food, g3)
        #expect(r.assigneeDepartment?.code == "C-market_regulation")
        #expect(r.operatorArea.code == "C")
        #expect(r.reason.contains("服务区域 县（县）"))
    }

    @Test func aLocalCategoryGoesToTheTownshipCentre() throws {
        let r = try route(neighbours, g1)
        #expect(r.assigneeDepartment?.code == "C01-governance_centre")
        #expect(r.operatorArea.code == "C01")
        #expect(r.reason.hasPrefix("按属地："))
        // no governance centre in 二镇: its office; neither: the county's centre
        #expect(try route(neighbours, g3).assigneeDepartment?.code == "C02-township_office")
        let county = try route(neighbours, g3, Self.departments.filter { $0.areaCode == "C" })
        #expect(county.assigneeDepartment?.code == "C-governance_centre")
        #expect(county.operatorArea.code == "C")
    }

    @Test func aKindNobodyServesGoesToTheOperatorsOfTheSmallestCentreWithAReason() throws {
        let river = Self.catalogue["0904"]!  // 河道垃圾漂浮物 → water, lead water
        let r = try route(river, g1)
        #expect(r.assigneeDepartment == nil)
        #expect(r.operatorArea.code == "C01001")  // the village: grids have no operators
        #expect(r.reason.hasPrefix("无匹配规则：河道垃圾漂浮物 需 水利"))
        #expect(r.reason.contains("No rule matched"))
        // a point in 二村 but in no grid
        #expect(try route(river, GeoPoint(lon: 3.6, lat: 1.6)).operatorArea.code == "C02001")
    }

    @Test func theLeadKindTakesOverWhenTheHandlerKindServesNobodyHere() throws {
        let shortage = Self.catalogue["0909"]!  // 停水与供水不足 → water, lead housing
        let r = try route(shortage, g1)
        #expect(r.assigneeDepartment?.code == "C-housing")
        #expect(r.reason.contains("牵头部门 住房建设"))
    }

    @Test func byAreaCodeAndOutside() throws {
        let r = try CaseRouter.route(category: food, areaCode: "C01001", departments: Self.departments, jurisdiction: j)
        #expect(r.assigneeDepartment?.code == "C01-market_regulation")
        #expect(throws: CaseRuleError.outsideJurisdiction) {
            try CaseRouter.route(category: food, areaCode: "NOPE", departments: Self.departments, jurisdiction: j)
        }
        #expect(throws: CaseRuleError.outsideJurisdiction) { try route(food, GeoPoint(lon: 5, lat: 1)) }
    }

    @Test func aRoutedIntakeStartsTheCaseAtTheChosenCentre() throws {
        let location = j.locate(g1)
        let r = try route(food, g1)
        let intake = try #require(CaseIntake(code: "AJ-1", category: food, location: location, point: g1,
                                             source: .resident, hasReporter: true, routing: r))
        #expect(intake.areas.map(\.code) == ["C01001001", "C01001", "C01", "C"])
        let t = try CaseStateMachine.report(intake, actor: .reporter, at: CaseFixture.at("2026-11-16 09:00"))
        #expect(t.snapshot.centre == CaseCentre(code: "C01", level: .township))
        #expect(t.snapshot.intake.routedDepartmentCode == "C01-market_regulation")
        #expect(t.snapshot.intake.limits == food.limits)
    }
}
