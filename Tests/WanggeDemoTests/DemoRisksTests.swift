import Foundation
import Testing

@testable import WanggeCore
@testable import WanggeDemo

/// The demo county's risk register, driven through `RiskLifecycle`: every snapshot is its replay, the ten categories
/// and four levels are all there (mostly green and blue, about ten red), the entries move through the whole
/// lifecycle, some reviews are late at the end, and no field names a resident.
@Suite("Demo risks")
struct DemoRisksTests {
    static let county = DemoCounty.generate()
    static let calendar = WorkingCalendar(schedules: try! CoreResources.bundledHolidaySchedules())
    static let end: Date = {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return gregorian.date(from: DateComponents(year: 2026, month: 11, day: 30, hour: 18))!
    }()
    static let year = DemoRisks.run(county: county, calendar: calendar, end: end, count: 300, seed: 0)
    static var risks: [SimulatedRisk] { year.risks }

    @Test func everySnapshotIsTheReplayOfItsRecordsAndNothingWasRefused() throws {
        #expect(Self.year.problems.isEmpty, "\(Self.year.problems.prefix(5))")
        #expect(Self.risks.count == 300)
        for r in Self.risks {
            #expect(try RiskLifecycle.replay(r.records) == r.snapshot, "\(r.snapshot.registration.code)")
            #expect(r.records.first?.kind == .register)
            #expect(r.areaCode == r.snapshot.registration.areaCode)
            #expect(r.records.allSatisfy { $0.at < Self.end }, "\(r.snapshot.registration.code) acts after the end")
        }
        #expect(Set(Self.risks.map(\.snapshot.registration.code)).count == Self.risks.count)
        let records = Self.risks.map(\.records.count).reduce(0, +)
        #expect((3_000...25_000).contains(records), "\(records) records")
    }

    @Test func theSameSeedGivesTheSameRegisterAndAnotherSeedAnother() {
        let again = DemoRisks.simulate(county: Self.county, calendar: Self.calendar, end: Self.end, count: 300, seed: 0)
        #expect(again.map(\.records) == Self.risks.map(\.records))
        let other = DemoRisks.simulate(county: Self.county, calendar: Self.calendar, end: Self.end, count: 300, seed: 1)
        #expect(other.map(\.records) != Self.risks.map(\.records))
    }

    @Test func everyCategoryAndLevelIsThereMostlyGreenAndBlue() {
        let categories = Set(Self.risks.map(\.snapshot.registration.categoryCode))
        #expect(categories == Set(RiskCatalogue.standard.categories.map(\.code)))
        let open = Self.risks.filter { $0.snapshot.state.isOpen }
        func count(_ level: Int) -> Int { open.filter { $0.snapshot.level == level }.count }
        #expect((5...20).contains(count(1)), "red \(count(1))")
        #expect(count(2) >= 10, "orange \(count(2))")
        #expect(count(3) + count(4) > open.count * 3 / 4)
        // Raised and lowered as handling went on, and red reviewed daily.
        #expect(Self.risks.filter { $0.snapshot.reviews.contains { $0.decision == .raise } }.count >= 10)
        #expect(Self.risks.filter { $0.snapshot.reviews.contains { $0.decision == .lower } }.count >= 30)
        #expect(Self.risks.filter { $0.snapshot.reviews.contains { $0.level == 1 } }.count > 10)
        #expect(Self.risks.contains { $0.records.contains { $0.notifiesLeaders } })
        #expect(Self.risks.contains { $0.snapshot.registration.assessment.method == .lec })
    }

    @Test func reviewsFollowTheCadenceOfTheirLevel() {
        for r in Self.risks {
            let reviews = r.records.filter { $0.kind == .review }
            for (a, b) in zip(reviews, reviews.dropFirst()) {
                let interval = RiskLevel.standard[a.level - 1].reviewEvery.after(a.at, in: Self.calendar.timeZone).timeIntervalSince(a.at)
                let late = r.records.contains { $0.kind == .supervise && $0.at > a.at && $0.at <= b.at }
                #expect(b.at.timeIntervalSince(a.at) <= interval || late, "\(r.snapshot.registration.code): \(a.at) → \(b.at)")
            }
        }
    }

    @Test func theLifecycleRunsItsCourse() {
        func count(_ state: RiskState) -> Int { Self.risks.filter { $0.snapshot.state == state }.count }
        let everCleared = Self.risks.filter { $0.snapshot.clearedAt != nil }.count
        #expect((75...130).contains(everCleared), "cleared \(everCleared)")
        #expect(count(.archived) >= 20)
        #expect(count(.active) > 100)
        let transferred = Self.risks.filter { !$0.snapshot.transfers.isEmpty }
        #expect(transferred.count > 250)
        #expect(transferred.filter { !$0.snapshot.feedbacks.isEmpty }.count > 200)
        #expect(Self.risks.contains { $0.snapshot.plan.contains { $0.doneOn != nil } })
        // Some reviews are late now, and the clock job supervised them.
        let late = Self.risks.filter { r in r.snapshot.state.isOpen && (r.snapshot.nextReviewDue.map { $0 < Self.end } ?? false) }
        #expect(late.count >= 5, "late now \(late.count)")
        #expect(late.allSatisfy { $0.snapshot.supervisedStages.contains(RiskLifecycle.stageKey($0.snapshot)) })
        #expect(late.contains { RiskLifecycle.clockStatus(of: $0.snapshot, at: Self.end, calendar: Self.calendar)?.colour == .red })
    }

    @Test func theActorsAndOwnersAreTheDemosStaffAccounts() {
        let accounts = Dictionary(uniqueKeysWithValues: Self.county.accounts.map { ($0.username, $0) })
        for r in Self.risks {
            for rec in r.records {
                switch rec.actor {
                case .system: #expect(rec.kind == .supervise)
                case .reporter: Issue.record("a resident acts on \(r.snapshot.registration.code)")
                case .staff(let s):
                    let a = accounts[s.username]
                    #expect(a?.role == s.role && a?.areaCode == s.areaCode && a?.departmentCode == s.departmentCode, "\(s.username)")
                }
            }
            if let owners = r.snapshot.owners {
                for o in [owners.leader, owners.personInCharge] { #expect(accounts[o.username]?.displayName == o.name) }
                #expect(Self.county.departments.contains { $0.code == owners.departmentCode }, "\(owners.departmentCode)")
            }
        }
        let actors = Set(Self.risks.flatMap { $0.records.compactMap { $0.actor.staff?.username } })
        #expect(actors.isSuperset(of: ["operator", "op_t01", "leader", "leader_t01", "handler", "handler_t01"]))
    }

    /// Hazards and situations in places, never people (DESIGN §2): no text of an entry holds a name the demo gives a
    /// resident, a reporter or a grid team member, and the only names on an entry are its owners', staff accounts.
    @Test func noFieldHoldsAResidentsName() {
        var names = Set(Self.county.team.map(\.name))
        for seed in [DemoRandom.mix(0 ^ 0x4853_5452_5950_4550), DemoRandom.mix(0 ^ 0x5345_4544_4544), 0, 0x4D45_4449, 0x5041_5254] as [UInt64] {
            var people = DemoPeople(seed: seed)
            for _ in 0..<3_000 { names.insert(people.name()) }
        }
        let staffNames = Set(Self.county.accounts.map(\.displayName))
        #expect(names.allSatisfy { $0.count == 3 })
        names.subtract(staffNames)
        for r in Self.risks {
            let s = r.snapshot
            var texts = [s.registration.title, s.registration.description]
            texts += r.records.compactMap(\.note)
            texts += s.feedbacks.map(\.text) + s.plan.map(\.description) + s.transfers.compactMap(\.note)
            for text in texts {
                // Every generated name is three characters: compare the text's three-character runs.
                let characters = Array(text)
                let runs = Set(characters.indices.dropLast(2).map { String(characters[$0..<$0 + 3]) })
                #expect(runs.isDisjoint(with: names) && runs.isDisjoint(with: staffNames), "\(s.registration.code): \(text)")
            }
        }
    }
}

/// The spikes and red runs seeded in the year of cases: there, through the same intake and state machine, found by
/// early warning, and leaving every other case as it was.
@Suite("Demo spikes")
struct DemoSpikesTests {
    static let catalogue = try! CoreResources.defaultCatalogue()
    static let end = DemoRisksTests.end
    static func run(seeding: Bool) -> (cases: [SimulatedCase], problems: [String]) {
        DemoHistory.run(county: DemoRisksTests.county, catalogue: catalogue, calendar: DemoRisksTests.calendar, end: end, days: 365,
                        casesPerYear: 3_000, seed: 0, seeding: seeding, progress: nil)
    }
    static let seeded = run(seeding: true)
    static let plain = run(seeding: false)
    static let spikes = DemoHistory.spikes(county: DemoRisksTests.county, calendar: DemoRisksTests.calendar, end: end)
    static let runs = DemoHistory.redRuns(county: DemoRisksTests.county, catalogue: catalogue, calendar: DemoRisksTests.calendar, end: end,
                                          casesPerYear: 3_000)

    static func village(_ c: SimulatedCase) -> String? { c.snapshot.intake.areas.first { $0.level == .village }?.code }

    @Test func theSpikesAreInTheHistoryAndEarlyWarningFindsThem() throws {
        #expect(Self.seeded.problems.isEmpty, "\(Self.seeded.problems.prefix(5))")
        #expect((4...6).contains(Self.spikes.count))
        #expect(Set(Self.spikes.map(\.villageCode)).count == Self.spikes.count)
        let weeks = MeasureBreakdown.weeks(from: Self.end.addingTimeInterval(-365 * 86_400), to: Self.end,
                                           timeZone: DemoRisksTests.calendar.timeZone, limit: 60)
        for spike in Self.spikes {
            let week = try #require(weeks.first { $0.start == spike.weekStart }, "a Monday")
            #expect(week.end <= Self.end)
            func count(_ cases: [SimulatedCase], in w: DateInterval) -> Int {
                cases.filter { $0.snapshot.intake.categoryCode == spike.categoryCode && Self.village($0) == spike.villageCode
                    && $0.reportedAt >= w.start && $0.reportedAt < w.end }.count
            }
            #expect(count(Self.seeded.cases, in: week) == count(Self.plain.cases, in: week) + spike.extra)
            let series = weeks.filter { $0.start <= spike.weekStart }.map { count(Self.seeded.cases, in: $0) }
            let warning = try #require(EarlyWarning.assess(EarlyWarningSeries(area: spike.villageCode, category: spike.categoryCode, weeks: series)))
            #expect(warning.level == .red, "\(spike)")
        }
        // The latest complete week has one, so the demo's early warning shows it today.
        #expect(Self.spikes.contains { $0.weekStart.addingTimeInterval(14 * 86_400) > Self.end })
    }

    @Test func theRedRunsAreThreeBadMonthsAFewMonthsBack() {
        #expect(Self.runs.count == 2)
        let cal = DemoRisksTests.calendar
        for run in Self.runs {
            #expect(run.months.count == 3)
            #expect(zip(run.months, run.months.dropFirst()).allSatisfy { $1 > $0 && $1.dayNumber - $0.dayNumber <= 31 })
            for (i, month) in run.months.enumerated() {
                func count(_ cases: [SimulatedCase]) -> Int {
                    cases.filter { c in
                        let d = cal.civilDate(of: c.reportedAt)
                        return Self.village(c) == run.villageCode && d.year == month.year && d.month == month.month
                            && run.extra[c.snapshot.intake.categoryCode] != nil
                    }.count
                }
                #expect(count(Self.seeded.cases) == count(Self.plain.cases) + run.extra(month: i), "\(run.villageCode) \(month)")
            }
        }
    }

    @Test func theSeededCasesAddUnderOnePercentAndChangeNothingElse() throws {
        var added = Self.spikes.map(\.extra).reduce(0, +)
        for r in Self.runs {
            for i in r.months.indices { added += r.extra(month: i) }
        }
        #expect(Self.seeded.cases.count == Self.plain.cases.count + added)
        #expect(added * 100 < 36_000, "under 1 % of the demo's year")
        let reported = Self.seeded.cases.map(\.reportedAt)
        #expect(reported == reported.sorted())
        // Without the seeded ones, the same reports living the same lives (only the day's numbers move).
        let seededCodes = Set(Self.seeded.cases.filter { c in
            Self.spikes.contains { $0.categoryCode == c.snapshot.intake.categoryCode && $0.villageCode == Self.village(c) }
                || Self.runs.contains { $0.villageCode == Self.village(c) && $0.extra[c.snapshot.intake.categoryCode] != nil }
        }.map(\.trackingCode))
        let plainTracking = Set(Self.plain.cases.map(\.trackingCode))
        let others = Self.seeded.cases.filter { plainTracking.contains($0.trackingCode) }
        #expect(others.count == Self.plain.cases.count)
        #expect(Self.seeded.cases.count - others.count == added)
        #expect(Self.seeded.cases.filter { !plainTracking.contains($0.trackingCode) }.allSatisfy { seededCodes.contains($0.trackingCode) })
        for (a, b) in zip(others, Self.plain.cases) {
            #expect(a.report == b.report && a.records.map(\.kind) == b.records.map(\.kind) && a.records.map(\.at) == b.records.map(\.at))
        }
        for c in Self.seeded.cases.filter({ !plainTracking.contains($0.trackingCode) }) {
            #expect(try CaseSnapshot.replay(c.records) == c.snapshot)
        }
    }
}
