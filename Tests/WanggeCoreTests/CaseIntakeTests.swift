import Foundation
import Testing
@testable import WanggeCore

@Suite struct CaseIntakeTests {
    static let catalogue = try! CoreResources.defaultCatalogue()
    static var minor: Category { catalogue.categories.first { !$0.isMajor }! }

    func report(_ mutate: (inout CaseReport) -> Void = { _ in }) -> CaseReport {
        var r = CaseReport(categoryCode: Self.minor.code, description: "  路灯不亮  ", lat: 1, lon: 0.5, source: .resident,
                           reporterName: " 张三 ", reporterPhone: "138-0013-8000")
        mutate(&r)
        return r
    }

    func check(_ r: CaseReport, photos: Int = 0) throws(IntakeProblem) -> (report: CaseReport, category: Category, location: Location) {
        try CaseIntakeRules.validate(r, catalogue: Self.catalogue, jurisdiction: Fixture.jurisdiction, photoCount: photos)
    }

    func field(_ r: CaseReport, photos: Int = 0) -> String? {
        do { _ = try check(r, photos: photos); return nil } catch { return error.field }
    }

    @Test func controlCharactersAreRefusedWhereAPersonTypes() {
        #expect(field(report { $0.description = "路灯\u{0}不亮" }) == "description")
        #expect(field(report { $0.description = "第一行\n第二行\t完" }) == nil, "line breaks and tabs belong in a description")
        #expect(field(report { $0.reporterName = "张\n三" }) == "reporter.name")
        #expect(field(report { $0.address = "东街\u{1B}[31m" }) == "address")
        #expect(TextInput.isClean("普通的字 plain text ✓"))
        #expect(!TextInput.isClean("a\u{85}b"), "C1 controls too")
    }

    @Test func aGoodReportIsTidiedAndLocated() throws {
        let (r, c, loc) = try check(report())
        #expect(r.description == "路灯不亮")
        #expect(r.reporterName == "张三")
        #expect(r.reporterPhone == "13800138000")
        #expect(c.code == Self.minor.code)
        #expect(loc.area(at: .grid)?.code == "C01001001")
    }

    @Test func everyBadFieldIsNamed() {
        #expect(field(report { $0.categoryCode = "nope" }) == "category_code")
        #expect(field(report { $0.categoryCode = Self.minor.parentCode! }) == "category_code")
        #expect(field(report { $0.description = "   " }) == "description")
        #expect(field(report { $0.description = String(repeating: "字", count: 2_001) }) == "description")
        #expect(field(report { $0.reporterPhone = "12345" }) == "reporter.phone")
        #expect(field(report { $0.reporterPhone = "1380013800a" }) == "reporter.phone")
        #expect(field(report { $0.lat = 50; $0.lon = 50 }) == "lat")  // outside, no area
        #expect(field(report { $0.lat = nil }) == "lat")
        #expect(field(report { $0.lat = nil; $0.lon = nil }) == "lat")
        #expect(field(report { $0.lat = nil; $0.lon = nil; $0.areaCode = "ZZ" }) == "area_code")
        #expect(field(report(), photos: 10) == "photos")
    }

    @Test func fallbacksWhenThereIsNoPoint() throws {
        let byArea = try check(report { $0.lat = nil; $0.lon = nil; $0.areaCode = "C02001" })
        #expect(byArea.location.smallest?.code == "C02001")
        let outsideWithArea = try check(report { $0.lat = 50; $0.lon = 50; $0.areaCode = "C01" })
        #expect(outsideWithArea.location.smallest?.code == "C01")
        let wordsOnly = try check(report { $0.lat = nil; $0.lon = nil; $0.address = "县城东门菜场旁" })
        #expect(wordsOnly.location.smallest?.code == "C")
        let anonymous = try check(report { $0.reporterName = nil; $0.reporterPhone = " " })
        #expect(!anonymous.report.hasReporter)
    }

    @Test func phoneNumbers() {
        for ok in ["13800138000", "+8619912345678", "057212345678", "0571-8888888".filter(\.isNumber)] { #expect(CaseIntakeRules.isPhoneNumber(ok), "\(ok)") }
        for bad in ["", "12800138000", "1380013800", "138001380001", "abc", "５７２１２３４５６７８"] { #expect(!CaseIntakeRules.isPhoneNumber(bad), "\(bad)") }
    }

    @Test func codes() {
        #expect(CaseCodes.caseCode(prefix: "AL", day: CivilDate(year: 2026, month: 11, day: 23)!, sequence: 123) == "AL-20261123-000123")
        var rng = SystemRandomNumberGenerator()
        let t = CaseCodes.trackingCode(using: &rng)
        #expect(CaseCodes.isTrackingCode(t))
        #expect(!CaseCodes.isTrackingCode("O0I1L00000"))
    }
}
