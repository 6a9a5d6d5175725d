import Foundation
import WanggeCore

/// A rise seeded in the demo's history for early warning (研判预警) to find: one village, one minor category, one
/// week (Monday 00:00 to Monday 00:00 in the calendar's zone) gets `extra` reports more than chance gave it, where the
/// usual is none or one.
public struct DemoSpike: Sendable, Hashable {
    public var villageCode: String
    public var categoryCode: String
    public var weekStart: Date
    public var extra: Int
}

/// A village whose month is bad three months running, for the safety index (平安指数) to turn red and its ladder to
/// act on: in each of `months` (their first days), `extra` more reports by category, in the index's public-order, fire,
/// dispute and collective-complaint categories (about three and a half times the village's usual in each).
public struct DemoRedRun: Sendable, Hashable {
    public var villageCode: String
    public var months: [CivilDate]
    /// Extra reports in each of the months, by minor category.
    public var extra: [String: Int]
    public var extraPerMonth: Int { extra.values.reduce(0, +) }

    /// The run worsens: its `i`-th month (from 0) has half as much again as the one before over the first, so the
    /// months before, which are in each later month's own baseline, do not absorb it by its third month.
    public static func times(_ n: Int, month i: Int) -> Int { n * (2 + i) / 2 }

    /// Extra reports in the run's `i`-th month.
    public func extra(month i: Int) -> Int { extra.values.reduce(0) { $0 + Self.times($1, month: i) } }
}

/// One seeded report before its words: when, from whom, what and in which grid.
struct SeededReport {
    var at: Date
    var source: CaseSource
    var categoryCode: String
    var grid: String
}

extension DemoHistory {
    /// Shorter simulations (the tests' quarters) seed nothing: a rise needs the weeks before it as its baseline.
    static let seedingMinimumDays = 182

    /// The weekly spikes: category, weeks before the last complete week, extra reports, and whether the place is a
    /// community (社区) rather than a village.
    static let spikePlan: [(category: String, weeksBack: Int, extra: Int, community: Bool)] = [
        ("0204", 33, 8, true),  // 电动车违规停放充电: a community's stairwells
        ("0701", 22, 7, false),  // 拖欠农民工工资: a building site near the year's end of a project
        ("1012", 13, 9, false),  // 渣土车沿途抛洒: muck trucks of a road works
        ("0808", 5, 6, true),  // 社会生活噪声: a square's evening dances
        ("1110", 0, 10, false),  // 非法营运车辆: unlicensed taxis at a new bus stop, in the last complete week
    ]

    /// The categories of the red runs, in the groups the standard safety index counts (public order, fire, disputes,
    /// collective complaints), each group with the fewest extra reports a month it gets.
    static let redRunGroups: [(codes: [String], minimum: Int)] = [
        (["1110", "0306", "1407"], 5),
        (["0201", "0204", "0205", "0207", "0209", "0501"], 7),
        (["0603", "0604", "0605", "0606", "0609", "0614"], 9),
        (["0613", "0701", "0702"], 5),
    ]

    /// Runs end this many months before `end`'s month: "a few months back", with normal months after them.
    static let redRunMonthsBack = 3
    static let redRunLength = 3

    /// The weekly spikes seeded in a simulation of `days` days ending at `end` (none under half a year).
    public static func spikes(county: DemoCounty, calendar: WorkingCalendar, end: Date, days: Int = 365, seed: UInt64 = 0) -> [DemoSpike] {
        guard days >= seedingMinimumDays else { return [] }
        let end = Date(timeIntervalSince1970: end.timeIntervalSince1970.rounded(.down))
        let start = end.addingTimeInterval(-Double(days) * 86_400)
        var rng = HistoryRandom(seed: seed, stream: 3)
        var taken = Set(redRunVillages(county: county, seed: seed).map(\.code))
        let villages = county.areas.filter { $0.level == .village && $0.population > 0 }.sorted { $0.code < $1.code }
        let lastMonday = monday(of: calendar.civilDate(of: end)).adding(days: -7)
        var out: [DemoSpike] = []
        for plan in spikePlan {
            let weekStart = calendar.start(of: lastMonday.adding(days: -7 * plan.weeksBack))
            // Early warning's baseline needs eight weeks, and two more of guard band, before the spike.
            guard weekStart >= start.addingTimeInterval(10 * 7 * 86_400) else { continue }
            let candidates = villages.filter { !taken.contains($0.code) && $0.name.hasSuffix("社区") == plan.community }
            guard !candidates.isEmpty else { continue }
            let village = WeightedTable(candidates.map { ($0, Double($0.population)) }).draw(&rng)
            taken.insert(village.code)
            out.append(DemoSpike(villageCode: village.code, categoryCode: plan.category, weekStart: weekStart, extra: plan.extra))
        }
        return out
    }

    /// The red runs seeded in a simulation (none under half a year): two large villages of different townships.
    public static func redRuns(county: DemoCounty, catalogue: CategoryCatalogue, calendar: WorkingCalendar, end: Date, days: Int = 365,
                               casesPerYear: Int = 36_000, seed: UInt64 = 0) -> [DemoRedRun] {
        let world = HistoryWorld(county: county, catalogue: catalogue, calendar: calendar, seed: seed)
        return redRuns(world: world, county: county, end: end, days: days, casesPerYear: casesPerYear, seed: seed)
    }

    static func redRuns(world: HistoryWorld, county: DemoCounty, end requestedEnd: Date, days: Int, casesPerYear: Int, seed: UInt64) -> [DemoRedRun] {
        guard days >= seedingMinimumDays else { return [] }
        let calendar = world.calendar
        let end = Date(timeIntervalSince1970: requestedEnd.timeIntervalSince1970.rounded(.down))
        let start = end.addingTimeInterval(-Double(days) * 86_400)
        let last = calendar.civilDate(of: end.addingTimeInterval(-1))
        var firstDays: [CivilDate] = []
        for k in stride(from: redRunMonthsBack + redRunLength - 1, through: redRunMonthsBack, by: -1) {
            let index = last.year * 12 + last.month - 1 - k
            firstDays.append(CivilDate(year: index / 12, month: index % 12 + 1, day: 1)!)
        }
        // The months must lie in the period, with three months of history before them.
        guard let first = firstDays.first, calendar.start(of: first) >= start.addingTimeInterval(90 * 86_400) else { return [] }
        let residents = Double(max(1, county.areas.filter { $0.level == .grid }.reduce(0) { $0 + $1.population }))
        let volume = HistoryWorld.monthVolume.reduce(0, +)
        return redRunVillages(county: county, seed: seed).map { village in
            // The village's usual month in each category, from the simulation's own mix, times 2.5 more.
            var extra: [String: Int] = [:]
            let month = firstDays[redRunLength / 2].month
            let cases = Double(max(0, casesPerYear)) * HistoryWorld.monthVolume[month - 1] / volume * Double(village.population) / residents
            for group in redRunGroups {
                let usual = group.codes.map { cases * world.expectedShare(of: $0, month: month) }
                let total = max(group.minimum, Int((usual.reduce(0, +) * 2.5).rounded()))
                let sum = max(usual.reduce(0, +), 1e-9)
                let raw = usual.map { Double(total) * $0 / sum }
                for (code, n) in zip(group.codes, Apportion.largestRemainder(raw, total: total)) where n > 0 { extra[code] = n }
            }
            return DemoRedRun(villageCode: village.code, months: firstDays, extra: extra)
        }
    }

    /// Two of the most populous villages, in different townships.
    static func redRunVillages(county: DemoCounty, seed: UInt64) -> [Area] {
        var rng = HistoryRandom(seed: seed, stream: 4)
        let villages = county.areas.filter { $0.level == .village }.sorted { ($0.population, $1.code) > ($1.population, $0.code) }
        var pool = Array(villages.prefix(max(2, villages.count / 5)))
        var out: [Area] = []
        while out.count < 2, !pool.isEmpty {
            let v = pool.remove(at: rng.below(pool.count))
            if !out.contains(where: { $0.parentCode == v.parentCode }) { out.append(v) }
        }
        return out.sorted { $0.code < $1.code }
    }

    static func monday(of day: CivilDate) -> CivilDate {
        day.adding(days: -(((day.dayNumber + 3) % 7 + 7) % 7))  // 1970-01-05 was a Monday
    }

    /// Every seeded report of the spikes and red runs, in order of time.
    static func seededReports(world: HistoryWorld, county: DemoCounty, end: Date, days: Int, casesPerYear: Int, seed: UInt64) -> [SeededReport] {
        let calendar = world.calendar
        var rng = HistoryRandom(seed: seed, stream: 5)
        let start = end.addingTimeInterval(-Double(days) * 86_400)
        func grids(of village: String) -> [Area] { world.jurisdiction.children(of: village).filter { $0.level == .grid && $0.boundary != nil } }
        func source() -> CaseSource {
            let x = rng.unit()
            return x < 0.4 ? .gridWorker : x < 0.75 ? .resident : .hotline
        }
        /// An instant on `day`: working hours for grid workers, the waking day for the public.
        func instant(on day: CivilDate, _ source: CaseSource) -> Date {
            let hours = source == .gridWorker ? rng.uniform(8.5, 17.5) : rng.uniform(7.5, 21.5)
            return calendar.start(of: day).addingTimeInterval((hours * 3_600).rounded(.down))
        }
        var out: [SeededReport] = []
        func add(_ at: Date, _ source: CaseSource, _ code: String, _ grid: String) {
            guard at >= start && at < end, world.catalogue[code] != nil else { return }
            out.append(SeededReport(at: at, source: source, categoryCode: code, grid: grid))
        }
        for spike in spikes(county: county, calendar: calendar, end: end, days: days, seed: seed) {
            let candidates = grids(of: spike.villageCode)
            guard !candidates.isEmpty else { continue }
            let hot = rng.pick(candidates)  // most reports come from one place
            let monday = calendar.civilDate(of: spike.weekStart)
            for _ in 0..<spike.extra {
                let s = source()
                add(instant(on: monday.adding(days: rng.below(7)), s), s, spike.categoryCode, rng.chance(0.7) ? hot.code : rng.pick(candidates).code)
            }
        }
        for run in redRuns(world: world, county: county, end: end, days: days, casesPerYear: casesPerYear, seed: seed) {
            let candidates = grids(of: run.villageCode)
            guard !candidates.isEmpty else { continue }
            let table = WeightedTable(candidates.map { ($0, Double(max(1, $0.population))) })
            for (i, first) in run.months.enumerated() {
                let next = CivilDate(year: first.month == 12 ? first.year + 1 : first.year, month: first.month % 12 + 1, day: 1)!
                let length = next.dayNumber - first.dayNumber
                for (code, n) in run.extra.sorted(by: { $0.key < $1.key }) {
                    for _ in 0..<DemoRedRun.times(n, month: i) {
                        let s = source()
                        add(instant(on: first.adding(days: rng.below(length)), s), s, code, table.draw(&rng).code)
                    }
                }
            }
        }
        return out.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }
}
