import Foundation
import Testing

@testable import WanggeCore
@testable import WanggeDemo

/// The demo county's year of disputes, driven through `MediationLifecycle`: every snapshot is its replay, the pool
/// is about 60, and the success rate the process makes lands near Xishui's 95.41 %, with most agreements reached at
/// the first tier.
@Suite("Demo mediation")
struct DemoMediationTests {
    static let county = DemoCounty.generate()
    static let calendar = WorkingCalendar(schedules: try! CoreResources.bundledHolidaySchedules())
    static let end: Date = {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return gregorian.date(from: DateComponents(year: 2026, month: 11, day: 30, hour: 18))!
    }()
    static let pool = DemoMediation.pool(county: county)
    static let year = DemoMediation.simulate(county: county, pool: pool, catalogue: .standard, calendar: calendar, end: end)

    @Test func aPoolOfAboutSixtyAndAYearOfAboutSixThousandDisputes() {
        #expect((50...70).contains(Self.pool.count))
        #expect(Set(Self.pool.map(\.id)).count == Self.pool.count)
        #expect((5_700...6_300).contains(Self.year.count))
    }

    @Test func everySnapshotIsTheReplayOfItsRecords() throws {
        for m in Self.year.prefix(1_500) { #expect(try MediationLifecycle.replay(m.records) == m.snapshot) }
    }

    @Test func theSuccessRateComesOutNearXishuisFromTheProcess() {
        let year = DateInterval(start: Self.end.addingTimeInterval(-365 * 86_400), end: Self.end)
        var c = MediationCounts()
        for m in Self.year { c.add(MediationMeasures.counts(m.records, period: year, calendar: Self.calendar)) }
        // The snapshot alone counts the same, for the year and for every month of it.
        var fromSnapshots = MediationCounts()
        for m in Self.year { fromSnapshots.add(MediationMeasures.counts(m.snapshot, period: year, calendar: Self.calendar)) }
        #expect(fromSnapshots == c)
        for k in 0..<12 {
            let month = DateInterval(start: year.start.addingTimeInterval(Double(k) * 30 * 86_400), duration: 30 * 86_400)
            var a = MediationCounts(), b = MediationCounts()
            for m in Self.year {
                a.add(MediationMeasures.counts(m.records, period: month, calendar: Self.calendar))
                b.add(MediationMeasures.counts(m.snapshot, period: month, calendar: Self.calendar))
            }
            #expect(a == b, "month \(k)")
        }
        let rate = c.success.rate ?? 0
        print("demo mediation: \(c.received) received, \(c.concluded) concluded, \(c.agreements) agreements (\(String(format: "%.2f", rate * 100)) %), "
              + "first tier \(String(format: "%.1f", (c.firstTier.rate ?? 0) * 100)) %, confirmation \(c.confirmed)/\(c.confirmationsDecided), "
              + "paid \(c.amountPaid / 100) of \(c.amountAgreed / 100) yuan")
        #expect((0.93...0.975).contains(rate), "Xishui: 95.41 %")
        #expect((c.firstTier.rate ?? 0) > 0.5, "most disputes end at the lowest tier")
        #expect(c.confirmationsDecided > 100 && c.confirmed > c.confirmationsDecided * 9 / 10)
        // Some are still open at the end; some were supervised for running late.
        #expect(Self.year.contains { $0.snapshot.state.isOpen })
        #expect(Self.year.contains { m in m.records.contains { $0.kind == .supervise } })
        #expect(Self.year.contains { m in m.records.contains { $0.kind == .extend } })
    }
}
