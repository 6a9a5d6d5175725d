import Foundation
import Testing

@testable import WanggeCore

/// Field work's rules (issue 20's core): the standard catalogue is sound; an inspection answers every item of the
/// place type's checklist once, asks for a photo only where a failed item needs one, and turns each failed item into
/// a hazard case of the item's category (and a risk where it says so); visit coverage by grid equals counting by hand.
@Suite("Field work")
struct FieldTests {
    let catalogue = FieldCatalogue.standard
    var restaurant: PlaceType { catalogue.placeType("restaurant")! }
    var fire: Checklist { catalogue.checklist("fire_small")! }

    func all(_ list: Checklist, failing: [String: (note: String?, photos: [String])] = [:]) -> [InspectionItemResult] {
        list.items.map { item in
            if let f = failing[item.code] { return InspectionItemResult(itemCode: item.code, passed: false, note: f.note, photoIDs: f.photos) }
            return InspectionItemResult(itemCode: item.code, passed: true)
        }
    }

    @Test func theStandardCatalogueIsSoundAndABadOneIsNamedFieldByField() {
        #expect(catalogue.problems.isEmpty)
        var bad = catalogue
        bad.placeTypes[0].checklistCodes.append("nothing")
        bad.checklists[0].items[1].code = bad.checklists[0].items[0].code
        bad.placeTypes[1].code = bad.placeTypes[0].code
        let fields = bad.problems.map(\.field)
        #expect(fields.contains("place_types[0].checklist_codes[1]"))
        #expect(fields.contains("checklists[0].items[1].code"))
        #expect(fields.contains("place_types[1].code"))
    }

    @Test func aFailedItemBecomesAHazardCaseOfItsCategoryAndARiskWhereItSaysSo() throws {
        let results = all(fire, failing: ["exits": ("后门堆放纸箱", ["sha-1"]), "ebikes": (nil, [])])
        let outcome = try Inspections.evaluate(placeName: "老街面馆", placeType: restaurant, checklist: fire, results: results.reversed())
        #expect(!outcome.passed)
        #expect(outcome.results.map(\.itemCode) == fire.items.map(\.code), "results in the checklist's order")
        #expect(outcome.hazards.map(\.categoryCode) == ["0202", "0204"])
        #expect(outcome.hazards[0].description == "老街面馆：安全出口、疏散通道畅通——未通过。后门堆放纸箱")
        #expect(outcome.hazards[0].riskCategoryCode == "fire")
        #expect(outcome.hazards[1].riskCategoryCode == nil)
        #expect(outcome.hazards[0].photoIDs == ["sha-1"])
        let clean = try Inspections.evaluate(placeName: "老街面馆", placeType: restaurant, checklist: fire, results: all(fire))
        #expect(clean.passed && clean.hazards.isEmpty)
    }

    @Test func anInspectionThatDoesNotFitTheChecklistIsRefusedNamingTheField() {
        func field(_ results: [InspectionItemResult], list: Checklist? = nil, type: PlaceType? = nil) -> String? {
            do {
                _ = try Inspections.evaluate(placeName: "P", placeType: type ?? restaurant, checklist: list ?? fire, results: results)
                return nil
            } catch {
                if case .invalidField(let f, _) = error { return f }
                return nil
            }
        }
        var extra = all(fire)
        extra.append(InspectionItemResult(itemCode: "not_on_list", passed: true))
        #expect(field(extra) == "results[5].item_code")
        #expect(field(Array(all(fire).dropLast())) == "results", "every item is answered")
        #expect(field(all(fire) + [all(fire)[0]]) == "results[5].item_code", "an item answered twice")
        #expect(field(all(fire, failing: ["exits": ("堵了", [])])) == "results[1].photo_ids", "this failed item asks for a photo")
        #expect(field(all(fire, failing: ["ebikes": ("楼道充电", [])])) == nil, "this one does not")
        let needs = try? Inspections.evaluate(placeName: "P", placeType: restaurant, checklist: fire, results: all(fire, failing: ["ebikes": ("楼道充电", [])]),
                                              photoRequired: { $0 == "0204" })
        #expect(needs == nil, "unless its case category needs a photo from the grid worker")
        #expect(field(all(catalogue.checklist("work_safety")!), list: catalogue.checklist("work_safety")!) == "checklist_code",
                "a restaurant is not inspected with the work-safety list")
    }

    @Test func visitCoverageByGridEqualsCountingByHandAndTheDueListIsTheRest() {
        let d = { (s: String) in CivilDate(s)! }
        let households = ["h1": "G1", "h2": "G1", "h3": "G1", "h4": "G2", "h5": "G2"]
        let visits: [(household: String, day: CivilDate)] = [
            ("h1", d("2026-10-05")), ("h1", d("2026-11-20")),   // twice in the quarter: counted once
            ("h2", d("2026-09-30")),                           // the quarter before
            ("h4", d("2026-12-31")), ("h9", d("2026-11-01")),  // h9 is not in the registry
        ]
        let c = VisitCoverage.byGrid(households: households, visits: visits, period: .quarter, day: d("2026-12-07"))
        #expect(c == [GridCoverage(gridCode: "G1", households: 3, visited: 1), GridCoverage(gridCode: "G2", households: 2, visited: 1)])
        #expect(c[0].measure.rate! * 3 == 1)
        #expect(VisitCoverage.due(households: ["h1", "h2", "h3"], visits: visits, period: .quarter, day: d("2026-12-07")) == ["h2", "h3"])
        #expect(VisitPeriod.quarter.range(holding: d("2026-12-07")) == (d("2026-10-01"), d("2027-01-01")))
        #expect(VisitPeriod.halfYear.range(holding: d("2026-03-31")) == (d("2026-01-01"), d("2026-07-01")))
        #expect(VisitPeriod.month.range(holding: d("2026-12-31")).next == d("2027-01-01"))
    }

    @Test func theAssessmentsCoverageTargetGrowsThroughThePeriod() {
        // 100 households, a quarter of 92 days: after 31 days a third is due (34, rounded up); after the last day, all.
        #expect(VisitCoverage.assessed(households: 100, visited: 30, elapsed: 31, length: 92) == Measure(numerator: 30, denominator: 34))
        #expect(VisitCoverage.assessed(households: 100, visited: 80, elapsed: 31, length: 92) == Measure(numerator: 34, denominator: 34),
                "met beyond the target counts no more")
        #expect(VisitCoverage.assessed(households: 100, visited: 95, elapsed: 92, length: 92) == Measure(numerator: 95, denominator: 100))
        #expect(VisitCoverage.assessed(households: 3, visited: 0, elapsed: 1, length: 92) == Measure(numerator: 0, denominator: 1), "at least one")
        #expect(VisitCoverage.assessed(households: 0, visited: 0, elapsed: 10, length: 92) == Measure(numerator: 0, denominator: 0))
        #expect(VisitCoverage.assessed(households: 10, visited: -5, elapsed: 500, length: 0) == Measure(numerator: 0, denominator: 10), "bounded")
    }

    @Test func aPlaceFallsDueAgainOnceEveryHazardCaseItsInspectionRaisedIsFinished() {
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(Reinspection.dueSince(cases: []) == nil, "an inspection that raised nothing")
        #expect(Reinspection.dueSince(cases: [(.closed, t), (.signed, t.addingTimeInterval(5))]) == nil, "one is still open")
        #expect(Reinspection.dueSince(cases: [(.closed, t), (.merged, t.addingTimeInterval(5))]) == t.addingTimeInterval(5), "from the last to finish")
        #expect(Reinspection.dueSince(cases: [(.resolved, t)]) == nil, "resolved is not yet closed")
    }

    @Test func aPeriodIsNamedAndReadBack() {
        let day = CivilDate("2026-12-07")!
        for p in VisitPeriod.allCases {
            let name = p.name(holding: day)
            let back = VisitPeriod.parse(name)
            #expect(back?.0 == p, "\(name)")
            #expect(back.map { p.range(holding: $0.1) == p.range(holding: day) } == true, "\(name)")
        }
        #expect(VisitPeriod.quarter.name(holding: day) == "2026-Q4")
        for bad in ["2026-Q5", "2026-13", "1999", "2026-H3", "2026-Q", "abcd", "2026-1-1", "+026-01", "2026-٠١", "2026-+1", "2026-Q+"] {
            #expect(VisitPeriod.parse(bad) == nil, "\(bad)")
        }
    }
}

@Suite("Care plans")
struct CarePlanTests {
    let today = CivilDate("2026-12-07")!

    @Test func aPlanNeedsConsentWithinAYearPlainTextAndACadenceFromDailyToQuarterly() throws {
        let ok = CarePlanDraft(consentOn: today, consentHow: " 本人口头同意 ", needs: "行动不便，每周看一次", every: .days(7))
        #expect(try CareRules.checked(ok, today: today).consentHow == "本人口头同意")
        func field(_ d: CarePlanDraft) -> String? {
            do { _ = try CareRules.checked(d, today: today); return nil } catch {
                if case .invalidField(let f, _) = error { return f }
                return nil
            }
        }
        var d = ok
        d.consentOn = today.adding(days: 1)
        #expect(field(d) == "consent.given_on")
        d = ok
        d.needs = ""
        #expect(field(d) == "needs")
        d = ok
        d.every = .hours(12)
        #expect(field(d) == "every")
        d = ok
        d.every = .months(6)
        #expect(field(d) == "every")
    }

    @Test func theNextVisitFollowsTheCadenceOnTheCalendar() {
        #expect(CareRules.nextDue(after: CivilDate("2026-12-07")!, every: .days(7)) == CivilDate("2026-12-14")!)
        #expect(CareRules.nextDue(after: CivilDate("2026-01-31")!, every: .months(1)) == CivilDate("2026-02-28")!)
        #expect(CareRules.nextDue(after: CivilDate("2026-11-30")!, every: .months(3)) == CivilDate("2027-02-28")!)
    }
}

@Suite("Registry import")
struct RegistryImportTests {
    func locate(_ p: GeoPoint) -> (grid: String, path: String)? { p.lon >= 120 && p.lon < 121 ? ("G1", "C/T/V/G1/") : nil }

    @Test func aGoodFileIsReadWholeAndABadOneNamesEveryProblemByRow() {
        let good = [["地址", "人数", "纬度", "经度"], ["新村 1 幢 101", "3", "30.1", "120.2"], ["", "", "", ""], ["新村 1 幢 102", "2", "30.1", "120.2"]]
        let ok = RegistryImport.read(good, kind: .household, catalogue: .standard, locate: locate, existing: { _ in [] })
        #expect(ok.problems.isEmpty)
        #expect(ok.rows.map(\.row) == [2, 4])
        #expect(ok.rows.first?.gridCode == "G1")
        let bad = [["address", "size", "lat", "lon"], ["新村 1 幢 101", "3", "30.1", "120.2"], ["新村 1 幢 101", "2", "30.1", "120.2"],
                   ["新村 2 幢", "0", "30.1", "120.2"], ["新村 3 幢", "2", "30.1", "99"], ["新村 4 幢", "2", "north", "120.2"], ["老街 9 号", "1", "30.1", "120.2"]]
        let r = RegistryImport.read(bad, kind: .household, catalogue: .standard, locate: locate, existing: { _ in [TextInput.searchKey("老街 9 号")] })
        #expect(r.rows.isEmpty, "nothing is taken from a file with a problem")
        #expect(r.problems.map(\.row) == [3, 4, 5, 6, 7])
        #expect(r.problems.map(\.column) == ["address", "size", "lat", "lat", "address"])
        let header = RegistryImport.read([["地址", "纬度"]], kind: .household, catalogue: .standard, locate: locate, existing: { _ in [] })
        #expect(header.problems.map(\.column) == ["lon"])
        let places = RegistryImport.read([["名称", "地址", "类型", "属性", "纬度", "经度"], ["面馆", "老街 1 号", "restaurant", "gas=cylinder; seats=20", "30.1", "120.3"],
                                          ["店", "老街 2 号", "restaurant", "seats=20", "30.1", "120.3"]],
                                         kind: .place, catalogue: .standard, locate: locate, existing: { _ in [] })
        #expect(places.problems.map(\.column) == ["attributes.gas"])
    }
}
