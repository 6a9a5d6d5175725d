import Foundation
import WanggeCore

/// SplitMix64 for the simulated history, one stream per purpose (the report schedule, each case's life), so that
/// the same seed gives the same history on every machine. Conforms to `RandomNumberGenerator` for
/// `CaseCodes.trackingCode`.
struct HistoryRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64) {
        state = DemoRandom.mix(seed ^ DemoRandom.mix(stream &* 0xD1B5_4A32_D192_ED03 &+ 0x4849_5354_4F52_5921))
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return DemoRandom.mix(state)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }
    /// Uniform in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func between(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    /// Skewed towards `low`: most draws small, a tail towards `high`.
    mutating func early(_ low: Double, _ high: Double) -> Double {
        let u = unit()
        return low + (high - low) * u * u
    }
}

/// Items with cumulative weights, drawn by binary search.
struct WeightedTable<T> {
    private(set) var items: [T] = []
    private var cumulative: [Double] = []

    init() {}

    init(_ pairs: [(T, Double)]) {
        for (item, weight) in pairs where weight > 0 { add(item, weight) }
    }

    mutating func add(_ item: T, _ weight: Double) {
        guard weight > 0 else { return }
        items.append(item)
        cumulative.append((cumulative.last ?? 0) + weight)
    }

    var isEmpty: Bool { items.isEmpty }

    /// The summed weight of the items `matching`.
    func weight(where matching: (T) -> Bool) -> Double {
        var sum = 0.0
        for (i, item) in items.enumerated() where matching(item) { sum += cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]) }
        return sum
    }

    var totalWeight: Double { cumulative.last ?? 0 }

    func draw(_ rng: inout HistoryRandom) -> T {
        let x = rng.unit() * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > x { high = mid } else { low = mid + 1 }
        }
        return items[low]
    }
}

/// When a report arrives and from whom.
struct ReportSlot {
    var at: Date
    var source: CaseSource
}

/// A report before its words are written.
struct ReportDraft {
    var at: Date
    var source: CaseSource
    var category: Category
    var grid: String
    var point: GeoPoint
    /// A second report of a known problem names the same place.
    var address: String?
}

/// The fixed facts the simulation draws on: the county, its departments and staff, the category mix.
final class HistoryWorld {
    let calendar: WorkingCalendar
    let catalogue: CategoryCatalogue
    let jurisdiction: Jurisdiction
    private let areaByCode: [String: Area]
    private let departmentsByArea: [String: [Department]]
    private let departmentByCode: [String: Department]
    private let grids: WeightedTable<Int>  // indexes into `gridAreas`
    private let gridAreas: [Area]
    private let gridIndex: [String: Int]
    /// [source][month 0–11]
    private var categoryTables: [[WeightedTable<Category>]] = []
    private var routes: [String: RoutingDecision] = [:]
    private var people: DemoPeople

    private var operators: [String: RecordActor] = [:]
    private var handlers: [String: RecordActor] = [:]
    private var gridWorkers: [String: RecordActor] = [:]
    private var gridLeaders: [String: RecordActor] = [:]
    private var leaders: [String: RecordActor] = [:]

    init(county: DemoCounty, catalogue: CategoryCatalogue, calendar: WorkingCalendar, seed: UInt64) {
        self.calendar = calendar
        self.catalogue = catalogue
        jurisdiction = Jurisdiction(areas: county.areas)
        areaByCode = Dictionary(county.areas.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var byArea: [String: [Department]] = [:]
        for d in county.departments { byArea[d.areaCode, default: []].append(d) }
        for key in Array(byArea.keys) { byArea[key]!.sort { $0.code < $1.code } }
        departmentsByArea = byArea
        departmentByCode = Dictionary(county.departments.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        gridAreas = county.areas.filter { $0.level == .grid && $0.boundary != nil }
        gridIndex = Dictionary(gridAreas.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        grids = WeightedTable(gridAreas.enumerated().map { ($0, Double(max(1, $1.population))) })
        people = DemoPeople(seed: DemoRandom.mix(seed ^ 0x4853_5452_5950_4550))

        for account in county.accounts {
            let actor = RecordActor.staff(ActingStaff(username: account.username, role: account.role,
                                                  areaCode: account.areaCode, departmentCode: account.departmentCode))
            switch account.role {
            case .operator, .admin:
                if account.role == .operator, operators[account.areaCode] == nil { operators[account.areaCode] = actor }
            case .handler:
                if let d = account.departmentCode, handlers[d] == nil { handlers[d] = actor }
            case .gridWorker:
                if gridWorkers[account.areaCode] == nil { gridWorkers[account.areaCode] = actor }
            case .gridLeader:
                if gridLeaders[account.areaCode] == nil { gridLeaders[account.areaCode] = actor }
            case .leader:
                if leaders[account.areaCode] == nil { leaders[account.areaCode] = actor }
            case .mediator:
                break
            }
        }
        buildCategoryTables()
    }

    // MARK: Staff

    /// The operator of a centre: the demo account when there is one, else `op-<area code>`.
    func operatorActor(_ centre: CaseCentre) -> RecordActor {
        if let a = operators[centre.code] { return a }
        let a = RecordActor.staff(ActingStaff(username: "op-\(centre.code)", role: .operator, areaCode: centre.code))
        operators[centre.code] = a
        return a
    }

    /// A handler of a department: the demo account when there is one, else `h-<department code>`.
    func handlerActor(_ departmentCode: String) -> RecordActor {
        if let a = handlers[departmentCode] { return a }
        let area = departmentByCode[departmentCode]?.areaCode ?? DemoCounty.countyCode
        let a = RecordActor.staff(ActingStaff(username: "h-\(departmentCode)", role: .handler, areaCode: area,
                                          departmentCode: departmentCode))
        handlers[departmentCode] = a
        return a
    }

    func gridWorkerActor(_ grid: String) -> RecordActor {
        if let a = gridWorkers[grid] { return a }
        let a = RecordActor.staff(ActingStaff(username: "gw-\(grid)", role: .gridWorker, areaCode: grid))
        gridWorkers[grid] = a
        return a
    }

    func gridLeaderActor(_ grid: String) -> RecordActor {
        if let a = gridLeaders[grid] { return a }
        let a = RecordActor.staff(ActingStaff(username: "gl-\(grid)", role: .gridLeader, areaCode: grid))
        gridLeaders[grid] = a
        return a
    }

    /// The leader of the case's township when there is a demo one, else the county's.
    func leaderActor(for intake: CaseIntake) -> RecordActor {
        for area in intake.areas where area.level <= .township {
            if let a = leaders[area.code] { return a }
        }
        return .staff(ActingStaff(username: "leader", role: .leader, areaCode: DemoCounty.countyCode))
    }

    /// Who files the report: the resident themself, the 12345 operator of the county for a call, the grid's worker,
    /// or the import (the system).
    func reportingActor(_ source: CaseSource, intake: CaseIntake) -> RecordActor {
        switch source {
        case .resident, .open311: .reporter
        case .hotline: operatorActor(CaseCentre(code: DemoCounty.countyCode, level: .county))
        case .gridWorker: gridWorkerActor(intake.areas[0].code)
        case .import: .system
        }
    }

    // MARK: Departments

    func department(_ code: String) -> Department? { departmentByCode[code] }

    /// The department of `kind` nearest the case (smallest area first) among the case's areas no lower than
    /// `level`; the lowest code among equals.
    func nearest(_ kind: DepartmentKind, in areas: [AreaRef], atOrAbove level: AreaLevel = .cell) -> Department? {
        for area in areas where area.level <= level {
            if let d = departmentsByArea[area.code]?.first(where: { $0.kind == kind }) { return d }
        }
        return nil
    }

    /// Another department serving the case for a wrong dispatch or a transfer: the category's lead kind, then the
    /// local offices, then anyone serving the place; never `excluding`.
    func alternative(for category: Category, areas: [AreaRef], excluding: String?,
                     rng: inout HistoryRandom) -> Department? {
        var kinds: [DepartmentKind] = []
        if let lead = category.lead { kinds.append(lead) }
        kinds += [.townshipOffice, .governanceCentre, .justiceMediation, .urbanManagement, .villageCommittee]
        if case .department(let own)? = category.handler { kinds.removeAll { $0 == own } }
        if rng.chance(0.3) { kinds.swapAt(0, 1 + rng.below(kinds.count - 1)) }
        for kind in kinds {
            if let d = nearest(kind, in: areas), d.code != excluding { return d }
        }
        for area in areas {
            if let d = departmentsByArea[area.code]?.first(where: { $0.code != excluding }) { return d }
        }
        return nil
    }

    func route(_ category: Category, _ location: Location) throws(CaseRuleError) -> RoutingDecision {
        let key = category.code + "|" + (location.smallest?.code ?? "")
        if let r = routes[key] { return r }
        // Routing only looks at departments of the areas containing the case: hand it just those (same answer).
        let serving = location.chain.flatMap { departmentsByArea[$0.code] ?? [] }
        let r = try CaseRouter.route(category: category, location: location, departments: serving,
                                     jurisdiction: jurisdiction)
        routes[key] = r
        return r
    }

    // MARK: Reports

    /// The instants of all reports with their sources, in order. Each civil day gets its share of `total` by weight
    /// (workdays more than weekends and holidays, summer more than winter, ±15 % day to day); within a day, the
    /// hour follows the source (grid workers in working hours, hotline calls around the clock).
    func reportSlots(end: Date, days: Int, total: Int, rng: inout HistoryRandom) -> [ReportSlot] {
        guard days > 0, total > 0 else { return [] }
        let endSecond = Int(end.timeIntervalSince1970)
        let startSecond = endSecond - days * 86_400
        let firstDay = calendar.civilDate(of: Date(timeIntervalSince1970: TimeInterval(startSecond))).dayNumber
        let lastDay = calendar.civilDate(of: Date(timeIntervalSince1970: TimeInterval(endSecond - 1))).dayNumber
        var weights: [Double] = []
        for day in firstDay...lastDay {
            let midnight = localMidnight(day)
            let overlap = max(0, min(midnight + 86_400, endSecond) - max(midnight, startSecond))
            let civil = CivilDate(dayNumber: day)
            let base = calendar.isWorkday(civil) ? 1.0 : 0.42
            weights.append(base * Self.monthVolume[civil.month - 1] * rng.uniform(0.85, 1.15) * Double(overlap) / 86_400)
        }
        let sum = weights.reduce(0, +)
        var result: [ReportSlot] = []
        result.reserveCapacity(total)
        var cumulative = 0.0, assigned = 0
        for (i, day) in (firstDay...lastDay).enumerated() {
            cumulative += weights[i]
            let upTo = i == weights.count - 1 ? total : Int((Double(total) * cumulative / sum).rounded())
            let count = max(0, upTo - assigned)
            assigned += count
            let midnight = localMidnight(day)
            let workday = calendar.isWorkday(CivilDate(dayNumber: day))
            var slots: [ReportSlot] = []
            for _ in 0..<count {
                let source = drawSource(workday: workday, rng: &rng)
                var second = midnight + timeOfDay(source: source, workday: workday, rng: &rng)
                var tries = 0
                while (second < startSecond || second >= endSecond) && tries < 50 {
                    second = midnight + timeOfDay(source: source, workday: workday, rng: &rng)
                    tries += 1
                }
                second = min(max(second, startSecond), endSecond - 1)
                slots.append(ReportSlot(at: Date(timeIntervalSince1970: TimeInterval(second)), source: source))
            }
            slots.sort { $0.at < $1.at }
            result += slots
        }
        return result
    }

    private func localMidnight(_ day: Int) -> Int {
        let guess = day * 86_400
        return guess - calendar.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess + 43_200)))
    }

    /// Grid workers report on workdays above all; on days off the public and the hotline carry more of the load.
    private func drawSource(workday: Bool, rng: inout HistoryRandom) -> CaseSource {
        let x = rng.unit()
        if workday {
            return x < 0.485 ? .gridWorker : x < 0.77 ? .resident : x < 0.95 ? .hotline : .import
        }
        return x < 0.25 ? .gridWorker : x < 0.64 ? .resident : x < 0.95 ? .hotline : .import
    }

    /// Seconds after local midnight.
    private func timeOfDay(source: CaseSource, workday: Bool, rng: inout HistoryRandom) -> Int {
        func within(_ ranges: [(Int, Int)]) -> Int {  // minutes
            let total = ranges.reduce(0) { $0 + $1.1 - $1.0 }
            var x = rng.below(total * 60)
            for (a, b) in ranges {
                if x < (b - a) * 60 { return a * 60 + x }
                x -= (b - a) * 60
            }
            return ranges[0].0 * 60
        }
        let working = calendar.hours.periods.map { ($0.startMinute, $0.endMinute) }
        let fringe = [(7 * 60, 8 * 60 + 30), (12 * 60, 14 * 60), (17 * 60 + 30, 22 * 60)]
        let night = [(0, 7 * 60), (22 * 60, 24 * 60)]
        let x = rng.unit()
        if workday {
            let (work, nightShare): (Double, Double) = switch source {
            case .gridWorker: (0.9, 0.01)
            case .resident, .open311: (0.62, 0.04)
            case .hotline: (0.6, 0.08)
            case .import: (0.8, 0.0)
            }
            return x < work ? within(working) : x < 1 - nightShare ? within(fringe) : within(night)
        }
        switch source {
        case .gridWorker: return x < 0.85 ? within([(8 * 60, 18 * 60)]) : within([(18 * 60, 21 * 60)])
        case .import: return within([(9 * 60, 17 * 60)])
        case .resident, .hotline, .open311: return x < 0.88 ? within([(7 * 60 + 30, 22 * 60)]) : within(night)
        }
    }

    /// The rest of a report: its category for the source and the month, and a place (a grid by population, a
    /// point inside it).
    func draft(_ slot: ReportSlot, rng: inout HistoryRandom) -> ReportDraft {
        let month = calendar.civilDate(of: slot.at).month
        let category = categoryTables[Self.sourceIndex(slot.source)][month - 1].draw(&rng)
        let grid = gridAreas[grids.draw(&rng)]
        return ReportDraft(at: slot.at, source: slot.source, category: category, grid: grid.code,
                           point: point(in: grid, rng: &rng))
    }

    /// A seeded report's draft: its category and grid given, a point inside the grid.
    func draft(_ seeded: SeededReport, rng: inout HistoryRandom) -> ReportDraft? {
        guard let category = catalogue[seeded.categoryCode], let grid = areaByCode[seeded.grid] else { return nil }
        return ReportDraft(at: seeded.at, source: seeded.source, category: category, grid: grid.code, point: point(in: grid, rng: &rng))
    }

    /// The share of a month's reports that fall in the minor category `code`, over the sources in their workday mix.
    func expectedShare(of code: String, month: Int) -> Double {
        let mix: [(CaseSource, Double)] = [(.gridWorker, 0.485), (.resident, 0.285), (.hotline, 0.18), (.import, 0.05)]
        return mix.reduce(0) { sum, pair in
            let table = categoryTables[Self.sourceIndex(pair.0)][month - 1]
            return sum + pair.1 * table.weight { $0.code == code } / max(table.totalWeight, 1e-9)
        }
    }

    /// A point inside the grid: rejection sampling in its bounding box, to six decimals (about 0.1 m).
    func point(in grid: Area, rng: inout HistoryRandom) -> GeoPoint {
        Self.point(in: grid, tries: 500, rng: &rng) ?? GeoPoint(lon: 0, lat: 0)
    }

    /// A point inside the area (nil when it has no boundary): up to `tries` draws in its bounding box, to six
    /// decimals, else its interior point. The history, the risk register and the field work all place by it.
    static func point(in area: Area, tries: Int, rng: inout HistoryRandom) -> GeoPoint? {
        guard let boundary = area.boundary else { return nil }
        let box = boundary.bbox
        for _ in 0..<tries {
            let p = GeoPoint(lon: round6(rng.uniform(box.minLon, box.maxLon)), lat: round6(rng.uniform(box.minLat, box.maxLat)))
            if boundary.contains(p) { return p }
        }
        return boundary.interiorPoint
    }

    static func round6(_ x: Double) -> Double { (x * 1_000_000).rounded() / 1_000_000 }

    /// The chance that a report is a second report of a problem already in the loop.
    func duplicateChance(_ source: CaseSource) -> Double {
        switch source {
        case .resident, .open311: 0.034
        case .hotline: 0.03
        case .import: 0.02
        case .gridWorker: 0.004
        }
    }

    /// A recent open case (reported within 48 hours, with a point) that a new report at `instant` repeats, and a
    /// point 20–150 m from it in the same grid. Only the last few hundred cases are looked at.
    /// Seeded reports (`skipping`) are never repeated, so the rest of the history is the same with them or without.
    func duplicateTarget(in cases: [SimulatedCase], at instant: Date, skipping: (Int) -> Bool = { _ in false },
                         rng: inout HistoryRandom) -> (Int, GeoPoint)? {
        var candidates: [Int] = []
        for i in stride(from: cases.count - 1, through: max(0, cases.count - 400), by: -1) {
            if skipping(i) { continue }
            let c = cases[i]
            if instant.timeIntervalSince(c.reportedAt) > 48 * 3600 { break }
            guard c.snapshot.intake.point != nil, c.state(at: instant)?.isOpen == true,
                  c.snapshot.intake.areas.first?.level == .grid,
                  catalogue[c.snapshot.intake.categoryCode]?.priority != .urgent
            else { continue }
            candidates.append(i)
        }
        guard !candidates.isEmpty else { return nil }
        let target = rng.pick(candidates)
        let origin = cases[target].snapshot.intake.point!
        var point = origin
        if let grid = gridIndex[cases[target].snapshot.intake.areas[0].code].map({ gridAreas[$0] }),
           let boundary = grid.boundary {
            for _ in 0..<20 {
                let metres = rng.uniform(20, 150)
                let (dx, dy) = (rng.uniform(-1, 1), rng.uniform(-1, 1))
                let norm = max(1e-9, (dx * dx + dy * dy).squareRoot())
                let p = GeoPoint(lon: Self.round6(origin.lon + dx / norm * metres / (111_320 * 0.861)),
                                 lat: Self.round6(origin.lat + dy / norm * metres / 111_320))
                if boundary.contains(p) {
                    point = p
                    break
                }
            }
        }
        return (target, point)
    }

    /// The report as a person would submit it: words, an address line, and for most residents and callers their
    /// name and phone.
    func report(for d: ReportDraft, rng: inout HistoryRandom) -> CaseReport {
        report(for: d, rng: &rng, people: &people)
    }

    /// The same, naming reporters from `people` (a seeded report draws its own, leaving the others' names alone).
    func report(for d: ReportDraft, rng: inout HistoryRandom, people: inout DemoPeople) -> CaseReport {
        let grid = areaByCode[d.grid]
        let village = grid?.parentCode.flatMap { areaByCode[$0] }
        let address = d.address ?? addressLine(village: village, rng: &rng)
        let words: String
        switch d.source {
        case .gridWorker:
            words = "网格巡查发现：\(address)\(d.category.name)。" + rng.pick(DemoHistoryText.patrolTails)
        case .resident, .open311:
            words = "\(address)\(d.category.name)，" + rng.pick(DemoHistoryText.residentTails)
        case .hotline:
            words = "12345来电反映：\(address)\(d.category.name)，" + rng.pick(DemoHistoryText.callTails)
        case .import:
            words = "上级平台转办：\(d.category.name)，地点\(address)。请属地核实处理并反馈。"
        }
        var name: String?, phone: String?
        let share: Double = switch d.source {
        case .resident, .hotline, .open311: 0.7
        case .import: 0.4
        case .gridWorker: 0
        }
        if rng.chance(share) {
            if rng.chance(0.93) { name = people.name() }
            if d.source == .hotline && rng.chance(0.15) {
                phone = "0572" + String(5_000_000 + rng.below(4_000_000))
            } else {
                phone = people.phone()
            }
        }
        return CaseReport(categoryCode: d.category.code, description: words, lat: d.point.lat, lon: d.point.lon,
                          address: address, source: d.source, reporterName: name, reporterPhone: phone)
    }

    private func addressLine(village: Area?, rng: inout HistoryRandom) -> String {
        guard let village else { return "" }
        if village.name.hasSuffix("社区") {
            return "\(village.name)\(rng.pick(DemoHistoryText.roads))\(rng.between(1, 299))号附近"
        }
        return "\(village.name)第\(rng.between(1, 12))村民小组"
    }

    // MARK: The category mix

    private static func sourceIndex(_ s: CaseSource) -> Int {
        switch s {
        case .gridWorker: 0
        case .resident, .open311: 1
        case .hotline: 2
        case .import: 3
        }
    }

    /// Total volume by month: a quiet Spring Festival, a busy summer.
    static let monthVolume: [Double] = [0.85, 0.75, 0.95, 1.0, 1.05, 1.12, 1.18, 1.15, 1.05, 0.95, 0.98, 0.95]

    /// Share of each 大类 by source (grid worker, resident, hotline, import), as a county's platform sees them:
    /// city management, environment, disputes and public services the most.
    private static let majorWeights: [String: [Double]] = [
        "01": [5, 1, 1, 1.5],  // 安全生产
        "02": [9, 2, 2, 2],  // 消防
        "03": [3, 3, 4, 4],  // 食品药品
        "04": [2.5, 3, 3, 3],  // 公共卫生
        "05": [5, 2.5, 2, 2],  // 出租房屋
        "06": [7, 15, 12, 10],  // 矛盾纠纷
        "07": [1, 4, 7, 6],  // 劳动保障
        "08": [10, 12, 12, 12],  // 生态环境
        "09": [8, 6, 7, 7],  // 五水共治
        "10": [33, 21, 15, 15],  // 城市管理
        "11": [6, 8, 7, 7],  // 交通
        "12": [4, 5, 6, 6],  // 民政救助
        "13": [0.5, 3, 4, 3],  // 法律服务
        "14": [4, 14, 18, 18],  // 公共服务
        "15": [3, 1.5, 1, 2],  // 自然资源
        "99": [1, 3, 3, 3],  // 其他
    ]

    /// Common complaints weigh more within their 大类.
    private static let minorBoost: [String: Double] = [
        "1001": 3, "1002": 2, "1004": 3, "1005": 1.5, "1006": 1.5, "1003": 1.3, "1014": 1.2, "1015": 2.5,
        "0808": 2, "0809": 1.5, "0810": 1.5, "0806": 1.2, "0603": 3, "0601": 1.5, "0606": 1.5, "0604": 1.2,
        "0614": 1.5, "1103": 3, "1101": 1.5, "1401": 2, "1404": 1.5, "1412": 1.5, "1409": 1.2, "1202": 1.5,
        "1201": 2, "0904": 1.5, "0902": 1.2, "0701": 2.5, "0702": 1.5, "0204": 2.5, "0201": 2, "0209": 1.5,
        "0303": 1.5, "1301": 2, "1303": 1.5, "9901": 1.5, "9902": 1.2, "9903": 0.5, "0402": 1.3, "0406": 1.2,
        "1502": 1.5, "0501": 1.5, "0504": 1.5, "0612": 1.5,
    ]

    /// Seasons: floods and water in summer, fire and gas in winter, straw burning at the harvests.
    static func season(_ code: String, month m: Int) -> Double {
        let summer = (6...9).contains(m), winter = m == 12 || m <= 2
        switch code {
        case "0905", "0906", "0907", "0908": return summer ? 3.0 : (m == 5 || m == 10) ? 1.3 : 0.5
        case "0901", "0903", "0904", "0902": return summer ? 1.5 : 1
        case "0402": return summer ? 2.5 : (m >= 11 || m <= 3) ? 0.4 : 1
        case "0803": return [5, 6, 10, 11].contains(m) ? 3.5 : 0.4
        case "0103", "0104": return winter ? 1.8 : 1
        case "0108": return m <= 2 ? 4 : m == 12 ? 1.5 : 0.3
        case "1506": return m == 4 ? 3 : (m >= 11 || m <= 3) ? 2 : (6...8).contains(m) ? 0.3 : 1
        case "1503": return summer ? 2.5 : 0.7
        case "0701", "0702": return winter ? 2.5 : 1
        case "1201", "1208": return (winter || m == 7 || m == 8) ? 1.5 : 1
        case "1406": return (7...9).contains(m) ? 2.5 : 0.8
        case "1414": return [4, 5, 7, 8, 10].contains(m) ? 2 : 0.8
        case "1401": return (m == 7 || m == 8) ? 2 : m == 1 ? 1.5 : 1
        case "0806", "0807", "0808": return (5...9).contains(m) ? 1.3 : 1
        default:
            if code.hasPrefix("02") { return winter ? 1.8 : (m == 11 || m == 3) ? 1.3 : 1 }
            return 1
        }
    }

    private func buildCategoryTables() {
        let minors = catalogue.categories.filter { !$0.isMajor && $0.limits != nil && $0.handler != nil }
        var siblingCounts: [String: Int] = [:]
        for c in minors { siblingCounts[c.parentCode ?? "", default: 0] += 1 }
        categoryTables = (0..<4).map { source in
            (1...12).map { month in
                var table = WeightedTable<Category>()
                for c in minors {
                    let major = Self.majorWeights[c.parentCode ?? ""]?[source] ?? 1
                    let siblings = Double(max(1, siblingCounts[c.parentCode ?? ""] ?? 1))
                    let priority: Double = switch c.priority {
                    case .urgent?: 0.12
                    case .high?: 0.55
                    default: 1
                    }
                    table.add(c, major / siblings * 4 * priority * (Self.minorBoost[c.code] ?? 1)
                                 * Self.season(c.code, month: month))
                }
                return table
            }
        }
    }
}

/// The words of the simulated history.
enum DemoHistoryText {
    static let roads = ["人民路", "解放路", "中山路", "文化路", "建设路", "新华路", "环城路", "滨河路", "昌硕路", "天目路",
                        "竹海路", "溪山路", "迎宾路", "胜利路", "凤凰路"]
    static let patrolTails = ["已拍照上报。", "现场已劝导，需相关部门处理。", "存在安全隐患，请尽快处置。", "已告知当事人，待处理。"]
    static let residentTails = ["希望尽快处理。", "已持续多日，请相关部门处理。", "影响居民生活，请派人来看看。",
                                "多次反映未解决，请重视。", "谢谢！"]
    static let callTails = ["来电人要求尽快处理并回复。", "来电人情绪较急，请及时处置。", "请属地核实处理。"]
    static let staffRejectReasons = ["经核实不属于网格事项，已告知上报人。", "经现场核实问题不存在。", "已纳入专项整治统一处理，不再单独立案。"]
    static let rejectReasons = ["不属于本平台受理范围，已告知来电人通过诉讼途径解决。", "反映内容不清，多次联系无果，不予受理。",
                                "属于咨询类问题，已当场答复。", "经核实为历史遗留问题，已按信访程序办理。"]
    static let returnReasons = ["非本部门职责，请重新派遣。", "不属于本部门管辖范围。", "派遣有误，该事项由属地负责。"]
    static let transferNotes = ["涉及其他部门职责，转派办理。", "经现场核实，需由该部门牵头处置。"]
    static let escalateReasons = ["涉及多个部门，需县级协调。", "问题复杂，超出乡镇处置能力。"]
    static let extensionReasons = ["需等待检测报告。", "涉及多方协调，需延期办理。", "需采购材料后施工。", "当事人外出，需延期调处。"]
    static let refuseReasons = ["理由不充分，请按期办结。", "不予延期，请加快办理。"]
    static let suspendReasons = ["当事人外出务工，暂缓办理。", "汛期施工暂停，待条件具备后恢复。", "待司法程序结果。",
                                 "待上级部门答复。"]
    static let resumeNotes = ["条件具备，恢复办理。", "当事人已返回，恢复办理。"]
    static let selfResolveResults = ["已现场劝离。", "已现场清理。", "已现场劝导当事人整改到位。", "已协调当事人当场处理完毕。"]
    static let resolveResults = ["已处置完毕，现场已恢复。", "已责令整改，整改到位。", "已组织调解，双方达成一致。",
                                 "已维修完毕。", "已清理完毕。", "已答复当事人并办理完毕。", "已依法查处。"]
    static let reworkResolveResults = ["已返工处理，现场复核无问题。", "已再次处理，问题已解决。"]
    static let verifyFailReasons = ["现场复核仍未整改到位。", "问题反弹，需重新处理。", "处置不彻底。"]
    static let feedbacks = ["您反映的问题已处理完毕，感谢您的支持。", "您反映的问题已办结，如有疑问请联系我们。",
                            "经相关部门处理，问题已解决。"]
    static let comments = ["已电话联系当事人了解情况。", "已与属地网格员核实。", "请承办单位注意办理时限。"]
    static let supervisionNotes = ["请加快办理，按期办结。", "群众反映强烈，请限期处理。"]
    static let ratingComments = ["处理及时，谢谢！", "问题解决了。", "态度很好。", nil, nil, nil]
    static let unsatisfiedComments = ["问题没有解决。", "处理太慢。", "只是敷衍了事。"]
}
