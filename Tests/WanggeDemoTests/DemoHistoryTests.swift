import Foundation
import Testing

@testable import WanggeCore
@testable import WanggeDemo

/// The demo county's simulated history, run small: 60 days at 2,000 cases a year for the structural checks, and 90
/// days at 6,000 a year (about 1,500 cases) for the measures and the mix of outcomes.
enum History {
    static let county = DemoCounty.generate()
    static let catalogue = try! CoreResources.defaultCatalogue()
    static let calendar = WorkingCalendar(schedules: try! CoreResources.bundledHolidaySchedules())
    static let jurisdiction = Jurisdiction(areas: county.areas)
    /// Monday 2026-11-23 00:00 in Shanghai.
    static let end: Date = {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return gregorian.date(from: DateComponents(year: 2026, month: 11, day: 23))!
    }()

    static func run(days: Int, perYear: Int, seed: UInt64) -> (cases: [SimulatedCase], problems: [String]) {
        DemoHistory.run(county: county, catalogue: catalogue, calendar: calendar, end: end, days: days,
                        casesPerYear: perYear, seed: seed, progress: nil)
    }

    static let small = run(days: 60, perYear: 2_000, seed: 7)
    static let medium = run(days: 90, perYear: 6_000, seed: 0)

    static func period(days: Int) -> DateInterval {
        DateInterval(start: end.addingTimeInterval(-Double(days) * 86_400), end: end)
    }
}

@Suite("Demo history")
struct DemoHistoryTests {
    @Test func theSameSeedGivesTheSameHistoryAndAnotherSeedAnother() {
        let again = History.run(days: 60, perYear: 2_000, seed: 7).cases
        #expect(again == History.small.cases)
        let other = History.run(days: 60, perYear: 2_000, seed: 8).cases
        #expect(other != History.small.cases)
        #expect(other.map(\.trackingCode) != History.small.cases.map(\.trackingCode))
    }

    @Test func theStateMachineRefusedNothing() {
        #expect(History.small.problems.isEmpty, "\(History.small.problems.prefix(5))")
        #expect(History.medium.problems.isEmpty, "\(History.medium.problems.prefix(5))")
    }

    @Test func countsFollowTheYearlyRate() {
        // 2,000 a year over 60 days ≈ 329; 6,000 a year over 90 days ≈ 1,479
        #expect(History.small.cases.count == 329)
        #expect(History.medium.cases.count == 1_479)
    }

    @Test func everySnapshotIsTheReplayOfItsRecords() throws {
        for c in History.small.cases + History.medium.cases {
            let replayed = try CaseSnapshot.replay(c.records)
            #expect(replayed == c.snapshot, "\(c.code)")
            #expect(c.records.first?.kind == .report)
            #expect(c.records.dropFirst().allSatisfy { $0.kind != .report })
            #expect(zip(c.records, c.records.dropFirst()).allSatisfy { $0.at <= $1.at }, "\(c.code) runs backwards")
            #expect(c.snapshot.intake.code == c.code)
        }
    }

    @Test func everythingHappensInThePeriod() {
        let period = History.period(days: 90)
        for c in History.medium.cases {
            #expect(c.reportedAt >= period.start && c.reportedAt < period.end, "\(c.code)")
            #expect(c.records.allSatisfy { $0.at < History.end }, "\(c.code) acts after the end")
        }
        let reported = History.medium.cases.map(\.reportedAt)
        #expect(reported == reported.sorted())
    }

    @Test func codesAreUniqueAndWellFormed() {
        let cases = History.medium.cases
        #expect(Set(cases.map(\.code)).count == cases.count)
        #expect(Set(cases.map(\.trackingCode)).count == cases.count)
        var lastDay: CivilDate?
        var expected = 0
        for c in cases {
            #expect(CaseCodes.isTrackingCode(c.trackingCode), "\(c.trackingCode)")
            let day = History.calendar.civilDate(of: c.reportedAt)
            expected = day == lastDay ? expected + 1 : 1
            lastDay = day
            #expect(c.code == CaseCodes.caseCode(prefix: "AL", day: day, sequence: expected))
            #expect(c.code.wholeMatch(of: /AL-\d{8}-\d{6}/) != nil, "\(c.code)")
        }
    }

    @Test func reportsAreValidAndLieInTheirGrid() throws {
        for c in History.small.cases {
            let again = try CaseIntakeRules.validate(c.report, catalogue: History.catalogue,
                                                     jurisdiction: History.jurisdiction, photoCount: c.photoCount)
            #expect(again.report == c.report)
            let point = try #require(c.report.point)
            let grid = c.snapshot.intake.areas[0]
            #expect(grid.level == .grid)
            #expect(History.jurisdiction.locate(point).smallest?.code == grid.code)
            #expect(c.snapshot.intake.point == point)
            #expect(c.snapshot.hasReporter == c.report.hasReporter)
            if c.report.source == .gridWorker { #expect(!c.report.hasReporter) }
            // routed as the intake would route it, over all the county's departments
            let category = try #require(History.catalogue[c.report.categoryCode])
            let routing = try CaseRouter.route(category: category, location: History.jurisdiction.locate(point),
                                               departments: History.county.departments,
                                               jurisdiction: History.jurisdiction)
            #expect(c.snapshot.intake.routedDepartmentCode == routing.assigneeDepartment?.code)
            #expect(c.snapshot.intake.centre.code == routing.operatorArea.code)
            if let phone = c.report.reporterPhone { #expect(CaseIntakeRules.isPhoneNumber(phone)) }
        }
    }

    @Test func theSourceMixIsLikeACountys() {
        let cases = History.medium.cases
        func share(_ source: CaseSource) -> Double {
            Double(cases.filter { $0.report.source == source }.count) / Double(cases.count)
        }
        #expect((0.38...0.52).contains(share(.gridWorker)))
        #expect((0.24...0.36).contains(share(.resident)))
        #expect((0.15...0.25).contains(share(.hotline)))
        #expect((0.02...0.08).contains(share(.import)))
        let public_ = cases.filter { $0.report.source == .resident || $0.report.source == .hotline }
        let named = Double(public_.filter(\.report.hasReporter).count) / Double(public_.count)
        #expect((0.62...0.78).contains(named))
        // city management is the biggest 大类
        var majors: [String: Int] = [:]
        for c in cases { majors[String(c.snapshot.intake.categoryCode.prefix(2)), default: 0] += 1 }
        #expect(majors.max { $0.value < $1.value }?.key == "10")
    }

    /// The dashboard keeps each case's outcomes from its last action and counts them for any period and instant
    /// after it: that must give exactly what `compute` gives from the actions.
    @Test func outcomesKeptFromTheLastActionCountLikeCompute() {
        let histories = History.medium.cases.map(\.history)
        let kept = histories.map { Measures.outcomes(of: $0, upTo: .distantFuture, calendar: History.calendar) }
        for days in [7, 30, 90] {
            let period = History.period(days: days)
            for asOf in [History.end, History.end.addingTimeInterval(3 * 86_400)] {
                let expected = Measures.compute(cases: histories, period: period, asOf: asOf, calendar: History.calendar)
                var counts = MeasureCounts()
                for outcomes in kept {
                    Measures.tally(outcomes, asOf: asOf, bucket: { period.contains($0) && $0 < period.end ? 0 : nil }) { _, k, ok in
                        counts.count(k, ok)
                    }
                }
                #expect(counts.measures == expected.measures, "\(days) days, as of \(asOf)")
                #expect(counts[.instantResponse].denominator > 0)
            }
        }
    }

    /// Counting by township or by week splits the county's figures without losing or doubling any; by week,
    /// feedback and satisfaction count once per case per week, so only the other measures add up exactly.
    @Test func breakdownsAddUpToTheWhole() {
        let cases = History.medium.cases
        let period = History.period(days: 28)
        let whole = Measures.compute(cases: cases.map(\.history), period: period, calendar: History.calendar)
        let kept = cases.map { ($0, Measures.outcomes(of: $0.history, upTo: .distantFuture, calendar: History.calendar)) }
        // each case counted once, then added up by township
        var byTownship = MeasureGroups()
        var reported = 0
        for (c, outcomes) in kept {
            let inPeriod = period.contains(c.snapshot.reportedAt) && c.snapshot.reportedAt < period.end
            if inPeriod { reported += 1 }
            byTownship.add(c.snapshot.intake.areas.first { $0.level == .township }?.code,
                           MeasureBreakdown.counts(outcomes, period: period, asOf: period.end), reported: inPeriod)
        }
        #expect(byTownship.totals.count > 5)
        var sum = MeasureCounts()
        for t in byTownship.totals.values { sum.add(t.counts) }
        #expect(sum.measures == whole.measures)
        #expect(byTownship.totals.values.map(\.reported).reduce(0, +) == reported)
        let weeks = (0..<4).map { DateInterval(start: period.start.addingTimeInterval(Double($0) * 7 * 86_400), duration: 7 * 86_400) }
        let series = MeasureBreakdown.series(kept, outcomes: { $0.1 }, periods: weeks, asOf: period.end)
        var weekly = MeasureCounts()
        for w in series { weekly.add(w) }
        for kind in [MeasureKind.instantResponse, .effectiveCompletion, .onTimeClosure, .rework] {
            #expect(weekly[kind] == whole[kind], "\(kind)")
        }
        #expect(MeasureBreakdown.weeks(from: period.start, to: period.end, timeZone: History.calendar.timeZone).count == 4)
    }

    @Test func theMeasuresLandInTheirBandsAndAreNotAllPerfect() throws {
        let report = Measures.compute(cases: History.medium.cases.map(\.history), period: History.period(days: 90),
                                      calendar: History.calendar)
        let response = try #require(report[.instantResponse].rate)
        let feedback = try #require(report[.timelyFeedback].rate)
        let completion = try #require(report[.effectiveCompletion].rate)
        let satisfaction = try #require(report[.satisfaction].rate)
        let rework = try #require(report[.rework].rate)
        #expect((0.97...1).contains(response), "response \(response)")
        #expect((0.97...1).contains(feedback), "feedback \(feedback)")
        #expect((0.97...1).contains(completion), "completion \(completion)")
        #expect((0.95...1).contains(satisfaction), "satisfaction \(satisfaction)")
        #expect((0.01...0.08).contains(rework), "rework \(rework)")
        #expect([response, feedback, completion, satisfaction].contains { $0 < 1 })
        #expect(report[.instantResponse].denominator > 1_000)
        #expect(report[.satisfaction].denominator > 200)
    }

    @Test func everyKindOfOutcomeHappens() {
        let cases = History.medium.cases
        func count(_ test: (SimulatedCase) -> Bool) -> Int { cases.filter(test).count }
        func with(_ kind: CaseActionKind) -> Int { count { $0.records.contains { $0.kind == kind } } }
        #expect(count { $0.snapshot.state == .rejected } > 0)
        #expect(count { $0.snapshot.state == .merged } > 0)
        #expect(with(.return) > 0)
        #expect(with(.transfer) > 0)
        #expect(with(.escalate) > 0)
        #expect(with(.approveExtension) > 0)
        #expect(with(.suspend) > 0)
        #expect(with(.resume) > 0)
        #expect(with(.selfResolve) > 0)
        #expect(with(.verifyFail) > 0)
        #expect(with(.supervise) > 0)
        #expect(count { $0.snapshot.reworkCount > 0 } > 0)
        #expect(count { $0.records.contains { $0.reopenedByRating } } > 0)
        #expect(count { $0.snapshot.lastRating == .unsatisfied } > 0)
        #expect(count { $0.snapshot.state.isOpen } > 0)
        #expect(count { $0.snapshot.state == .closed } > cases.count * 85 / 100)
    }

    @Test func recentCasesAreOpenAndOldOnesFinished() {
        let cases = History.medium.cases
        let recent = cases.filter { $0.reportedAt > History.end.addingTimeInterval(-3 * 86_400) }
        let old = cases.filter { $0.reportedAt < History.end.addingTimeInterval(-30 * 86_400) }
        let openStates = Set(recent.filter { $0.snapshot.state.isOpen }.map(\.snapshot.state))
        #expect(openStates.count >= 3, "open states \(openStates)")
        #expect(Double(recent.filter { $0.snapshot.state.isOpen }.count) > Double(recent.count) * 0.3)
        // only the few long-overdue hard cases stay open after a month
        #expect(Double(old.filter { $0.snapshot.state.isOpen }.count) < Double(old.count) * 0.03)
    }

    @Test func mergesPointAtAnOpenDuplicateNearbyAndEarlier() throws {
        let cases = History.medium.cases
        let byCode = Dictionary(uniqueKeysWithValues: cases.map { ($0.code, $0) })
        for c in cases where c.snapshot.state == .merged {
            let merge = try #require(c.records.last)
            let targetCode = try #require(c.snapshot.mergedInto)
            let target = try #require(byCode[targetCode])
            #expect(target.reportedAt < c.reportedAt)
            #expect(target.state(at: merge.at)?.isOpen == true)
            let candidate = DuplicateCandidate(code: target.code, categoryCode: target.snapshot.intake.categoryCode,
                                               point: target.snapshot.intake.point, reportedAt: target.reportedAt,
                                               state: try #require(target.state(at: merge.at)))
            let found = DuplicateFinder.likely(categoryCode: c.snapshot.intake.categoryCode, point: try #require(c.report.point),
                                               at: c.reportedAt, open: [candidate])
            #expect(found.map(\.code) == [target.code])
        }
    }

    @Test func demoAccountsActAndOthersAreNamedByTheirPost() {
        let staff = DemoHistory.staff(in: History.medium.cases)
        let names = Set(staff.map(\.username))
        #expect(names.count == staff.count)
        #expect(names.contains("operator"))
        #expect(staff.allSatisfy { s in
            switch s.role {
            case .handler: s.departmentCode != nil
            case .operator, .gridWorker, .gridLeader, .leader: s.departmentCode == nil
            default: false
            }
        })
        #expect(staff.contains { $0.username.hasPrefix("h-") && $0.role == .handler })
        #expect(staff.contains { $0.username.hasPrefix("gw-") && $0.role == .gridWorker })
    }

    @Test func progressIsReported() {
        final class Calls: @unchecked Sendable { var values: [(Int, Int)] = [] }
        let calls = Calls()
        let cases = DemoHistory.simulate(county: History.county, catalogue: History.catalogue, calendar: History.calendar,
                                         end: History.end, days: 30, casesPerYear: 30_000, seed: 3) {
            calls.values.append(($0, $1))
        }
        #expect(cases.count == 2_466)
        #expect(calls.values.map(\.0) == [1_000, 2_000, 2_466])
        #expect(calls.values.allSatisfy { $0.1 == 2_466 })
    }
}

/// The stored measure facts count as the replay does, for every case of a simulated quarter, for periods of a day,
/// a week and a month and the whole quarter, as of their end and of moments after the last action (when the facts
/// of every case are its final ones).
@Suite("Measure facts")
struct MeasureFactsTests {
    @Test func factsCountAsTheReplayDoes() {
        let cases = History.medium.cases
        let quarter = History.period(days: 90)
        var periods: [DateInterval] = [quarter]
        var start = quarter.start
        while start < quarter.end {  // every week, and a day in each
            let end = min(start.addingTimeInterval(7 * 86_400), quarter.end)
            periods.append(DateInterval(start: start, end: end))
            periods.append(DateInterval(start: start.addingTimeInterval(2 * 86_400), end: start.addingTimeInterval(3 * 86_400)))
            start = end
        }
        periods.append(DateInterval(start: quarter.start.addingTimeInterval(30 * 86_400), end: quarter.start.addingTimeInterval(61 * 86_400)))
        // The replay's `asOf` is the period's end or later; the facts hold for instants after each case's last action.
        let lastAction = cases.map { $0.records.last!.at }.max()!
        let facts = cases.map { MeasureFact.facts(of: $0.history, calendar: History.calendar) }
        var compared = 0, nonEmpty = 0
        for period in periods {
            for asOf in [max(period.end, lastAction.addingTimeInterval(1)), lastAction.addingTimeInterval(40 * 86_400)] {
                var fromFacts = MeasureCounts()
                for f in facts { fromFacts.add(MeasureFact.counts(f, period: period, asOf: asOf)) }
                let replay = Measures.compute(cases: cases.map(\.history), period: period, asOf: asOf, calendar: History.calendar)
                for kind in MeasureKind.allCases {
                    #expect(fromFacts[kind] == replay[kind], "\(kind) in \(period) as of \(asOf)")
                    if replay[kind].denominator > 0 { nonEmpty += 1 }
                    compared += 1
                }
            }
        }
        #expect(nonEmpty > compared / 2, "the comparison counts something")
        // Feedback and satisfaction more than once in a case: the once-per-period rule is exercised.
        #expect(facts.contains { f in f.filter { $0.outcome.kind == .satisfaction }.count > 1 })
    }

    /// The kept versions of the facts (`MeasureFact.versions`) count as the replay up to any instant does: instants
    /// inside the quarter, before many cases' last actions (a past period counted as known at its end), as well
    /// as after every action. The facts of the last version alone do not: that is what the versions are for.
    @Test func factVersionsCountAsTheReplayAtAnyInstant() {
        let cases = History.medium.cases
        let quarter = History.period(days: 90)
        let versions = cases.map { MeasureFact.versions(of: $0.history, calendar: History.calendar) }
        let latest = cases.map { MeasureFact.facts(of: $0.history, calendar: History.calendar) }
        var periods: [DateInterval] = [quarter]
        for k in stride(from: 0, to: 84, by: 13) {
            let start = quarter.start.addingTimeInterval(Double(k) * 86_400 + 3_600 * Double(k % 5))
            periods.append(DateInterval(start: start, end: start.addingTimeInterval(17 * 86_400)))
        }
        var compared = 0, nonEmpty = 0, latestDiffers = 0
        for period in periods {
            for asOf in [period.end, period.end.addingTimeInterval(-2 * 86_400 + 1_234), period.end.addingTimeInterval(9 * 86_400),
                         period.start.addingTimeInterval(period.duration / 2)] {
                var fromVersions = MeasureCounts(), fromLatest = MeasureCounts()
                for v in versions { fromVersions.add(MeasureFactVersion.counts(v, period: period, asOf: asOf)) }
                for f in latest { fromLatest.add(MeasureFact.counts(f, period: period, asOf: asOf)) }
                let replay = Measures.compute(cases: cases.map(\.history), period: period, asOf: asOf, calendar: History.calendar)
                for kind in MeasureKind.allCases {
                    #expect(fromVersions[kind] == replay[kind], "\(kind) in \(period) as of \(asOf)")
                    if replay[kind].denominator > 0 { nonEmpty += 1 }
                    compared += 1
                }
                if fromLatest != MeasureCounts() && MeasureKind.allCases.contains(where: { fromLatest[$0] != replay[$0] }) { latestDiffers += 1 }
            }
        }
        #expect(nonEmpty > compared / 2, "the comparison counts something")
        #expect(latestDiffers > 0, "past instants see facts the latest version no longer has")
        // A fact the same from one action to the next is one version, not one per action.
        var perAction = 0
        for c in cases {
            for t in Set(c.records.map(\.at)) {
                perAction += MeasureFact.facts(of: CaseHistory(actions: c.records.filter { $0.at <= t }), calendar: History.calendar).count
            }
        }
        let rows = versions.map(\.count).reduce(0, +)
        #expect(rows * 2 < perAction, "\(rows) versions, against \(perAction) facts written again at every action")
        // The last versions are the case's facts now.
        for (v, f) in zip(versions, latest) {
            #expect(Set(v.filter { $0.replacedAt == nil }.map { [$0.fact.outcome.kind.rawValue, "\($0.fact.outcome.at)", "\($0.fact.outcome.success)"] })
                    == Set(f.map { [$0.outcome.kind.rawValue, "\($0.outcome.at)", "\($0.outcome.success)"] }))
        }
    }

    /// Intake writes no facts (its writers do not know the calendar): a history of a report alone has none.
    @Test func aReportAloneHasNoMeasureOutcome() {
        for c in History.small.cases {
            let report = CaseHistory(actions: [c.records[0]])
            #expect(MeasureFact.facts(of: report, calendar: History.calendar).isEmpty, "\(c.code)")
        }
    }

    @Test func aLaterOutcomeOfTheSameKindInThePeriodReplacesAnEarlierOne() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let outcomes = [
            MeasureOutcome(.satisfaction, at: t0, success: false, lastInPeriodOnly: true),
            MeasureOutcome(.satisfaction, at: t0.addingTimeInterval(3_600), success: true, lastInPeriodOnly: true),
            MeasureOutcome(.satisfaction, at: t0.addingTimeInterval(3_600), success: false, lastInPeriodOnly: true),
        ]
        let facts = MeasureFact.facts(outcomes)
        #expect(facts.map(\.supersededAt) == [t0.addingTimeInterval(3_600), t0.addingTimeInterval(3_600), nil])
        let both = DateInterval(start: t0, duration: 86_400)
        let first = DateInterval(start: t0, duration: 60)
        for period in [both, first] {
            var expected = MeasureCounts()
            Measures.tally(outcomes, asOf: period.end, bucket: { period.contains($0) && $0 < period.end ? 0 : nil }) { _, k, s in expected.count(k, s) }
            #expect(MeasureFact.counts(facts, period: period, asOf: period.end) == expected)
        }
        #expect(MeasureFact.counts(facts, period: both, asOf: both.end)[.satisfaction] == Measure(numerator: 0, denominator: 1))
        #expect(MeasureFact.counts(facts, period: first, asOf: first.end)[.satisfaction] == Measure(numerator: 0, denominator: 1))
    }
}

/// A store tells a clock's colour from two stored instants: that colour equals the computed one for every case of a
/// simulated quarter, as it stood after each of its actions, at instants before, around and after its thresholds.
@Suite("Clock thresholds")
struct ClockThresholdTests {
    @Test func twoInstantsGiveTheSameColourAsTheClock() throws {
        var compared = 0, colours = Set<ClockColour>(), paused = 0
        for c in History.medium.cases {
            for n in 1...c.records.count {
                let s = try CaseSnapshot.replay(Array(c.records.prefix(n)))
                guard let t = CaseClock.thresholds(of: s, calendar: History.calendar) else {
                    #expect(CaseClock.status(of: s, at: s.lastActionAt.addingTimeInterval(3_600), calendar: History.calendar) == nil)
                    continue
                }
                if t.pausedColour != nil { paused += 1 }
                let next = n < c.records.count ? c.records[n].at : s.lastActionAt.addingTimeInterval(30 * 86_400)
                var instants = [s.lastActionAt, next, t.deadline, t.deadline.addingTimeInterval(1), t.deadline.addingTimeInterval(-1)]
                if t.yellowAt > .distantPast { instants += [t.yellowAt, t.yellowAt.addingTimeInterval(-1), t.yellowAt.addingTimeInterval(1)] }
                for step in stride(from: 0.0, to: 1.0, by: 0.125) {
                    instants.append(s.lastActionAt.addingTimeInterval((next.timeIntervalSince(s.lastActionAt)) * step))
                }
                for now in instants where now >= s.lastActionAt {
                    let expected = CaseClock.status(of: s, at: now, calendar: History.calendar)?.colour
                    #expect(t.colour(at: now) == expected, "\(c.code) after \(n) actions at \(now)")
                    colours.insert(t.colour(at: now))
                    compared += 1
                }
            }
        }
        #expect(compared > 10_000)
        #expect(colours == [.green, .yellow, .red])
        #expect(paused > 0, "suspended clocks are among them")
    }
}
