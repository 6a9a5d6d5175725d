import Foundation
import Vapor
import WanggeCore
import WanggeDemo
import WanggeStore

/// The safety index and early warning on the configured database (the demo county with its year): the time to
/// compute a month for every area, and early warning's alarms over the year's 52 weeks against the spikes the demo
/// seeded (`DemoHistory.spikes`, `DemoHistory.redRuns`), as false alarms per week and detections.
public enum SafetyIndexBench {
    public static func run(_ config: AppConfig, rounds: Int, seed: UInt64, log: @escaping @Sendable (String) -> Void) async throws {
        let app = try await AppFactory.make(config)
        do {
            try await Setup.migrate(app)
            let now = app.wangge.clock.now()
            let ref = try await app.wangge.reference.current(on: app.db, now: now)
            let service = SafetyIndexService(app: app)
            let month = SafetyIndexService.lastEndedMonth(at: now, calendar: ref.calendar)
            let formula = try await service.settings().settings.formula
            var times: [Double] = []
            var areas = 0
            for _ in 0..<(max(rounds, 1) + 1) {
                let t = Date()
                areas = try await service.compute(month: month, formula: formula).count
                times.append(Date().timeIntervalSince(t))
            }
            times.removeFirst()
            times.sort()
            log(String(format: "safety index, %@: %d areas computed in %.3f s (p50 of %d; min %.3f, max %.3f)", month.description, areas,
                       times[times.count / 2], times.count, times.first!, times.last!))

            // Early warning over the year.
            let thisWeek = WarningService.monday(of: ref.calendar.civilDate(of: now))
            let weeks = (1...52).reversed().map { thisWeek.adding(days: -7 * $0) }
            let t = Date()
            let scan = try await WarningService(app: app).scan(weeks: weeks, calendar: ref.calendar, raise: false, collect: true)
            log(String(format: "early warning, 52 weeks: %d series-weeks tested (those with a case), %d signals, %.2f s", scan.series, scan.signals,
                       Date().timeIntervalSince(t)))
            // What the demo seeded: its history ended at the last report.
            let last = try await SafetyIndexQueries.lastReported(on: app.db) ?? now
            let county = DemoCounty.generate(seed: seed)
            let j = Jurisdiction(areas: county.areas)
            let end = last.addingTimeInterval(60)
            let spikes = DemoHistory.spikes(county: county, calendar: ref.calendar, end: end, seed: seed)
            let runs = DemoHistory.redRuns(county: county, catalogue: ref.catalogue, calendar: ref.calendar, end: end, seed: seed)
            func township(_ village: String) -> String { j.chain(from: village).first { $0.level == .township }?.code ?? "" }
            func isSeeded(_ s: WarningService.ScanSummary.Signal) -> Bool {
                let weekStart = ref.calendar.start(of: s.week), weekEnd = ref.calendar.start(of: s.week.adding(days: 7))
                for spike in spikes where spike.categoryCode == s.category && [spike.villageCode, township(spike.villageCode)].contains(s.area) {
                    // The spike's week and the CUSUM's weeks after it.
                    if spike.weekStart >= weekStart.addingTimeInterval(-12 * 7 * 86_400) && spike.weekStart < weekEnd { return true }
                }
                for run in runs where run.extra[s.category] != nil && [run.villageCode, township(run.villageCode)].contains(s.area) {
                    if let first = run.months.first, let lastMonth = run.months.last,
                       weekEnd > ref.calendar.start(of: first), weekStart < ref.calendar.start(of: lastMonth.adding(days: 31 + 12 * 7)) { return true }
                }
                return false
            }
            for level in [AreaLevel.village, .township] {
                let signals = scan.found.filter { j[$0.area]?.level == level }
                let seeded = signals.filter(isSeeded)
                let other = signals.filter { !isSeeded($0) }
                log(String(format: "  %@: %d signals (%d red); on seeded rises %d; on the unspiked series %d (%d red), %.1f a week",
                           level.rawValue, signals.count, signals.filter { $0.level == .red }.count, seeded.count, other.count,
                           other.filter { $0.level == .red }.count, Double(other.count) / 52))
            }
            var found = 0
            for spike in spikes {
                let hit = scan.found.contains { $0.area == spike.villageCode && $0.category == spike.categoryCode
                    && ref.calendar.start(of: $0.week) == spike.weekStart }
                if hit { found += 1 }
                log("  seeded spike \(spike.villageCode) \(spike.categoryCode) week of \(ref.calendar.civilDate(of: spike.weekStart)) +\(spike.extra): \(hit ? "found" : "missed")")
            }
            log("  seeded spikes found in their week at village level: \(found) of \(spikes.count)")
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
