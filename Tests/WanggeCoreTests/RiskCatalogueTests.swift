import Foundation
import Testing

@testable import WanggeCore

/// The risk register's configuration: the standard catalogue and the work-safety preset are valid, every bad field
/// is named, the L × S and LEC bands propose the right level on both sides of every cut-off, and intervals and
/// heightened periods are bounded.
@Suite("Risk catalogue")
struct RiskCatalogueTests {
    func fields(_ c: RiskCatalogue) -> [String] { c.problems.map(\.field) }

    @Test func theStandardCatalogueAndTheWorkSafetyPresetAreValid() {
        #expect(RiskCatalogue.standard.problems.isEmpty)
        #expect(RiskCatalogue.workSafety.problems.isEmpty)
        #expect(RiskCatalogue.standard.categories.count == 10 && RiskCatalogue.standard.category("flood_geology")?.name == "防汛地灾")
        #expect(RiskCatalogue.standard.levels.map(\.name) == ["红", "橙", "蓝", "绿"])
        #expect(RiskCatalogue.workSafety.levels.map(\.name) == ["红", "橙", "黄", "蓝"])
        #expect(RiskCatalogue.standard.level(1)?.heightenedEvery == .hours(12) && RiskCatalogue.standard.level(2)?.heightenedEvery == .days(1))
        #expect(RiskCatalogue.standard.level(3)?.heightenedEvery == nil && RiskCatalogue.standard.level(4)?.reviewEvery == .months(1))
    }

    @Test(arguments: [
        (1, 1, 4), (1, 3, 4), (2, 2, 3), (2, 4, 3), (3, 3, 2), (4, 4, 2), (4, 5, 1), (5, 5, 1),
    ])
    func theMatrixProposesALevelOnEachSideOfEveryCutOff(likelihood: Int, severity: Int, level: Int) {
        // 1–3 green, 4–8 blue, 9–16 orange, 20–25 red: 3|4, 8|9 and 16|20 are the edges.
        #expect(RiskCatalogue.standard.proposedLevel(for: .matrix(likelihood: likelihood, severity: severity)) == level)
    }

    @Test(arguments: [
        (3.0, 3.0, 40.0, 1), (0.5, 6.0, 100.0, 2), (6.0, 2.0, 15.0, 2), (0.5, 3.0, 100.0, 3),
        (1.0, 10.0, 7.0, 3), (3.0, 3.0, 7.0, 4), (0.1, 0.5, 1.0, 4), (10.0, 10.0, 100.0, 1),
    ])
    func lecProposesALevelOnEachSideOfEveryCutOff(l: Double, e: Double, c: Double, level: Int) {
        // D = 360 | 300 around 320, 180 | 150 around 160, 70 | 63 around 70; 0.05 and 10,000 are the ends.
        #expect(RiskCatalogue.standard.proposedLevel(for: .lec(likelihood: l, exposure: e, consequence: c)) == level)
    }

    @Test func anAssessmentOutOfBoundsNamesItsFieldAndProposesNothing() {
        #expect(RiskAssessment.matrix(likelihood: 0, severity: 3).problem?.field == "assessment.likelihood")
        #expect(RiskAssessment.matrix(likelihood: 5, severity: 6).problem?.field == "assessment.severity")
        #expect(RiskAssessment.lec(likelihood: 0.3, exposure: 1, consequence: 1).problem?.field == "assessment.likelihood")
        #expect(RiskAssessment.lec(likelihood: 1, exposure: 4, consequence: 1).problem?.field == "assessment.exposure")
        #expect(RiskAssessment.lec(likelihood: 1, exposure: 1, consequence: .nan).problem?.field == "assessment.consequence")
        #expect(RiskCatalogue.standard.proposedLevel(for: .matrix(likelihood: 6, severity: 5)) == nil)
        #expect(RiskAssessment.lec(likelihood: 0.1, exposure: 0.5, consequence: 1).score == 0.05)
    }

    @Test func bandsThatOverlapOrLeaveAGapNameTheBandToMove() {
        var c = RiskCatalogue.standard
        // 9–15 leaves 16 (4 × 4) in no band; 17–19 is no gap, since nothing scores them.
        c.matrixBands[1].to = 15
        #expect(c.problems == [RiskCatalogueProblem("matrix_bands[0].from", "leaves score 16 in no band")])
        c = .standard
        c.matrixBands[1].from = 8  // orange 8–16 overlaps blue 4–8 at 8
        #expect(fields(c) == ["matrix_bands[1].from"])
        c = .standard
        c.matrixBands[0].from = 16  // red 16–25 overlaps orange at 16
        #expect(fields(c) == ["matrix_bands[0].from"])
        c = .standard
        c.lecBands[1].from = 200  // D = 180 (6 × 2 × 15) falls in no band
        #expect(c.problems == [RiskCatalogueProblem("lec_bands[1].from", "leaves score 180 in no band")])
        c = .standard
        c.lecBands[3].to = 70  // level 4 takes 70, which level 3 takes too
        #expect(fields(c) == ["lec_bands[2].from"])
        c = .standard
        c.matrixBands.removeLast()
        #expect(fields(c) == ["matrix_bands"])
        c = .standard
        c.matrixBands[3] = RiskBand(level: 4, from: 0, to: 3)
        #expect(fields(c) == ["matrix_bands[3].from"])
        c = .standard
        c.matrixBands[2] = RiskBand(level: 3, from: 8, to: 4)
        #expect(fields(c) == ["matrix_bands[2].to"])
        c = .standard
        c.matrixBands[3].level = 3
        #expect(fields(c) == ["matrix_bands[3].level"])
        // Green scoring above red: the order is named even though every score is covered once.
        c = .standard
        c.matrixBands = [RiskBand(level: 4, from: 20, to: 25), RiskBand(level: 3, from: 9, to: 16), RiskBand(level: 2, from: 4, to: 8), RiskBand(level: 1, from: 1, to: 3)]
        #expect(Set(fields(c)) == ["matrix_bands[1].from", "matrix_bands[2].from", "matrix_bands[3].from"])
    }

    @Test func badLevelsAndCategoriesAreNamedByField() {
        var c = RiskCatalogue.standard
        c.levels[0].colour = "red"
        c.levels[3].heightenedEvery = .months(2)
        c.levels[1].name = " "
        #expect(fields(c) == ["levels[0].colour", "levels[1].name", "levels[3].heightened_every"])
        c = .standard
        c.levels[0].reviewEvery = .days(14)  // red reviewed less often than orange
        #expect(fields(c) == ["levels[0].review_every"])
        c = .standard
        c.levels[2].reviewEvery = .days(0)
        #expect(fields(c) == ["levels[1].review_every", "levels[2].review_every"], "out of bounds, and shorter than orange's")
        c = .standard
        c.levels.removeLast()
        #expect(fields(c) == ["levels"])
        c = .standard
        c.levels[3].number = 5
        #expect(fields(c) == ["levels[3].level", "levels"])
        c = .standard
        c.categories[1].code = c.categories[0].code
        c.categories[2].nameEN = ""
        c.categories[3].code = "防汛"
        #expect(fields(c) == ["categories[1].code", "categories[2].name_en", "categories[3].code"])
        c.categories = []
        #expect(fields(c) == ["categories"])
    }

    @Test func aCatalogueFileRoundTripsAndAFileWithAProblemIsRefusedWhole() throws {
        let data = try JSONEncoder().encode(RiskCatalogue.workSafety)
        #expect(try RiskCatalogue.decode(from: data) == .workSafety)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"review_every\":\"1mo\"") && text.contains("\"matrix_bands\""))
        let badColour = Data(text.replacingOccurrences(of: "#D93025", with: "#XYZ").utf8)
        let colourProblem = #expect(throws: CatalogueProblem.self) { try RiskCatalogue.decode(from: badColour) }
        #expect(colourProblem?.description.contains("levels[0].colour must be a colour") == true)
        let badInterval = Data(text.replacingOccurrences(of: "\"1mo\"", with: "\"1m\"").utf8)
        let intervalProblem = #expect(throws: CatalogueProblem.self) { try RiskCatalogue.decode(from: badInterval) }
        #expect(intervalProblem?.description.contains("is not an interval like 12h") == true)
    }

    @Test func reviewIntervalsAreBoundedAndCountOnTheWallCalendar() {
        #expect(RiskReviewInterval("12h") == .hours(12) && RiskReviewInterval("1D") == .days(1) && RiskReviewInterval("1 mo") == .months(1))
        for bad in ["0d", "367d", "13mo", "8785h", "1m", "d", "-1d", "1.5d", ""] { #expect(RiskReviewInterval(bad) == nil, "\(bad)") }
        let zone = CalendarFixture.zone
        #expect(RiskReviewInterval.months(1).after(CalendarFixture.instant("2027-01-31 09:00"), in: zone) == CalendarFixture.instant("2027-02-28 09:00"))
        #expect(RiskReviewInterval.days(7).after(CalendarFixture.instant("2026-09-28 09:00"), in: zone) == CalendarFixture.instant("2026-10-05 09:00"))
    }

    @Test func aHeightenedPeriodNamesItsBadFieldsAndCoversItsSubtree() {
        let start = CalendarFixture.instant("2026-11-20 18:00")
        let good = HeightenedPeriod(name: "周末安保", start: start, end: start.addingTimeInterval(86_400), areaCodes: ["C01"])
        #expect(good.problems.isEmpty)
        #expect(good.covers(areaPath: "C/C01/C01001/") && good.covers(areaPath: "C/C01/") && !good.covers(areaPath: "C/C02/C02001/"))
        #expect(!good.covers(areaPath: "C/C011/"), "a code covers its subtree, not codes that begin with it")
        let bad = HeightenedPeriod(name: "", start: start, end: start, areaCodes: ["C 01"])
        #expect(bad.problems.map(\.field) == ["name", "end", "area_codes[0]"])
        #expect(HeightenedPeriod(name: "汛期", start: start, end: start.addingTimeInterval(400 * 86_400), areaCodes: []).problems.map(\.field) == ["end", "area_codes"])
    }
}
