import Foundation
import Testing

@testable import WanggeCore
@testable import WanggeDemo

/// The demo's registry and field work (issue 20) agree with its county and its case history: every grid has its
/// census count of households, inside the grid and acceptable to the registry's rules; visits are to the grid's own
/// households within the year; every failed inspection item raised a case the history has, of the item's category,
/// reported at the place by the inspecting worker right after, and the place was inspected again once the case was
/// closed; patrols keep a point only where they found something, and what they found is the history's case.
@Suite("Demo field work")
struct DemoFieldTests {
    static let cases = History.run(days: 365, perYear: 6_000, seed: 0).cases
    static let field = DemoField(county: History.county, cases: cases, calendar: History.calendar, end: History.end, seed: 0)
    /// Every 12th grid: about 80 of the county's 978.
    static let sample = stride(from: 0, to: field.gridCount, by: 12).map { field.grid($0) }

    @Test func everyGridHasItsHouseholdsInsideItAndEveryEntryPassesTheRegistrysRules() throws {
        let grids = Dictionary(uniqueKeysWithValues: History.county.areas.filter { $0.level == .grid }.map { ($0.code, $0) })
        for g in Self.sample {
            let households = g.entries.filter { $0.entry.kind == .household }
            #expect(households.count == grids[g.gridCode]?.households, "\(g.gridCode)")
            #expect(Set(households.map(\.entry.address)).count == households.count, "addresses are unique in \(g.gridCode)")
            let buildings = Set(g.entries.filter { $0.entry.kind == .building }.map(\.id))
            for (_, e) in g.entries {
                #expect(History.jurisdiction.locate(e.point).area(at: .grid)?.code == g.gridCode, "\(e.label) lies in its grid")
                #expect((try? RegistryRules.checked(e, catalogue: .standard)) != nil, "\(e)")
                if e.kind == .household { #expect(e.buildingID.map(buildings.contains) == true) }
            }
            #expect(Set(g.entries.map(\.id)).count == g.entries.count)
        }
        let households = Self.sample.map { $0.entries.filter { $0.entry.kind == .household }.count }.reduce(0, +)
        let places = Self.sample.map { $0.entries.filter { $0.entry.kind == .place }.count }.reduce(0, +)
        #expect(places * 20 > households / 4 && places < households / 10, "\(places) places for \(households) households")
    }

    @Test func visitsAreToTheGridsOwnHouseholdsWithinTheYearAndMostAreMetEachQuarter() {
        let today = History.calendar.civilDate(of: History.end)
        for g in Self.sample {
            let households = Set(g.entries.filter { $0.entry.kind == .household }.map(\.id))
            for v in g.visits {
                #expect(households.contains(v.householdID))
                #expect(v.day >= Self.field.first && v.day <= today && v.at < History.end)
            }
            // Met at most once a quarter, and in a whole quarter of the year most households.
            var met: [String: Set<UUID>] = [:]
            for v in g.visits where v.outcome == .met {
                let q = VisitPeriod.quarter.name(holding: v.day)
                #expect(met[q, default: []].insert(v.householdID).inserted, "met twice in \(q)")
            }
            let q3 = met["2026-Q3"]?.count ?? 0
            #expect(Double(q3) >= 0.45 * Double(households.count), "\(g.gridCode): \(q3) of \(households.count) in 2026-Q3")
        }
    }

    @Test func everyFailedItemRaisedTheHistorysCaseAtThePlaceAndThePlaceWasInspectedAgainAfter() throws {
        let byCode = Dictionary(uniqueKeysWithValues: Self.cases.map { ($0.code, $0) })
        var failed = 0
        for g in Self.sample {
            let places = Dictionary(uniqueKeysWithValues: g.entries.filter { $0.entry.kind == .place }.map { ($0.id, $0.entry) })
            for i in g.inspections {
                let place = try #require(places[i.placeID])
                let type = try #require(FieldCatalogue.standard.placeType(place.typeCode ?? ""))
                #expect(type.checklistCodes.contains(i.checklistCode))
                let list = try #require(FieldCatalogue.standard.checklist(i.checklistCode))
                #expect(i.results.map(\.itemCode) == list.items.map(\.code), "every item answered once")
                let failures = i.results.filter { !$0.passed }
                #expect(failures.count == i.caseCodes.count)
                guard let code = i.caseCodes.first, let item = list.items.first(where: { $0.code == failures.first?.itemCode }) else { continue }
                failed += 1
                let c = try #require(byCode[code])
                #expect(c.report.source == .gridWorker && c.snapshot.intake.areas[0].code == g.gridCode)
                #expect(c.snapshot.intake.categoryCode == item.categoryCode, "the case is of the failed item's category")
                #expect(c.report.point == place.point, "reported at the place")
                #expect(i.at < c.reportedAt && c.reportedAt.timeIntervalSince(i.at) < 3_600)
                if let closed = c.records.last(where: { $0.toState == .closed })?.at, closed.addingTimeInterval(20 * 86_400) < History.end {
                    #expect(g.inspections.contains { $0.placeID == i.placeID && $0.at > closed && $0.results.allSatisfy(\.passed) },
                            "\(place.label) inspected again after \(code) closed")
                }
            }
            for p in g.patrols {
                #expect(p.startedAt < p.endedAt && p.endedAt < History.end)
                for f in p.findings {
                    let c = try #require(f.caseCode.flatMap { byCode[$0] })
                    #expect(f.point == c.report.point && c.snapshot.intake.areas[0].code == g.gridCode)
                }
            }
        }
        #expect(failed > 0)
    }

    @Test func theSameSeedGivesTheSameGrid() {
        let again = Self.field.grid(0)
        #expect(again.entries.map(\.id) == Self.sample[0].entries.map(\.id))
        #expect(again.visits.count == Self.sample[0].visits.count)
    }
}
