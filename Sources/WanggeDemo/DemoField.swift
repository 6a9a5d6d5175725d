import Foundation
import WanggeCore

/// One grid's registry and year of field work in the demo county (issue 20), as `DemoField.grid(_:)` makes it.
public struct DemoGridField: Sendable {
    public var gridCode: String
    /// Buildings, then households (each in a building), then places: each with the id it is stored under.
    public var entries: [(id: UUID, entry: RegistryEntry)]
    public var visits: [DemoVisit]
    public var inspections: [DemoInspection]
    public var patrols: [DemoPatrol]
}

public struct DemoVisit: Sendable {
    public var householdID: UUID
    public var day: CivilDate
    public var outcome: VisitOutcome
    public var note: String?
    public var by: String
    public var at: Date
}

public struct DemoInspection: Sendable {
    public var id: UUID
    public var placeID: UUID
    public var checklistCode: String
    public var results: [InspectionItemResult]
    /// The cases its failed items raised (in the case history), by code.
    public var caseCodes: [String]
    public var by: String
    public var at: Date
}

public struct DemoPatrol: Sendable {
    public var id: UUID
    public var worker: String
    public var startedAt: Date
    public var endedAt: Date
    public var summary: String?
    public var findings: [PatrolFinding]
}

/// The demo county's registry and a year of field work, consistent with its population and its case history:
/// every grid's households (as many as the grid's census count, in buildings, at points inside the grid) visited
/// about once a quarter, with each grid keeping its own pace; a few thousand places, the key ones inspected on their
/// type's cadence; weekly patrols. The history's grid-worker reports of a hazard an inspection checklist covers
/// are, for most of them, what an inspection or a patrol found: the inspection (at a place registered where the
/// report was made) failed that item and raised that case, and the place was inspected again after the case was
/// closed; or the patrol's finding became that case. Nothing here invents a case the history does not have.
///
/// Everything follows from the seed and the history, grid by grid (each grid draws from its own stream).
public struct DemoField: Sendable {
    public let county: DemoCounty
    public let catalogue: FieldCatalogue
    public let calendar: WorkingCalendar
    public let end: Date
    public let seed: UInt64
    public let first: CivilDate
    let grids: [Area]
    let names: [String: String]
    let parents: [String: String]
    let workers: [String: String]
    /// Each grid's grid-worker reports of the year, in order.
    let reports: [String: [DemoFieldReport]]
    /// Case category → the checklist items that fail into it, with the place types using that checklist.
    let items: [String: [(checklist: Checklist, item: ChecklistItem, types: [PlaceType])]]

    struct DemoFieldReport: Sendable {
        var code: String
        var categoryCode: String
        var description: String
        var address: String?
        var point: GeoPoint
        var at: Date
        var by: String
        var closedAt: Date?
    }

    public init(county: DemoCounty, cases: [SimulatedCase], catalogue: FieldCatalogue = .standard, calendar: WorkingCalendar,
                end: Date, days: Int = 365, seed: UInt64 = 0) {
        self.county = county
        self.catalogue = catalogue
        self.calendar = calendar
        self.end = end
        self.seed = seed
        first = calendar.civilDate(of: end).adding(days: -days)
        grids = county.areas.filter { $0.level == .grid }.sorted { $0.code < $1.code }
        names = Dictionary(uniqueKeysWithValues: county.areas.map { ($0.code, $0.name) })
        parents = Dictionary(uniqueKeysWithValues: county.areas.compactMap { a in a.parentCode.map { (a.code, $0) } })
        var workers: [String: String] = [:]
        for a in county.accounts where a.role == .gridWorker && workers[a.areaCode] == nil { workers[a.areaCode] = a.username }
        self.workers = workers
        var reports: [String: [DemoFieldReport]] = [:]
        for c in cases where c.report.source == .gridWorker {
            guard let point = c.report.point, let by = c.records.first?.actor.staff?.username else { continue }
            let closed = c.records.last { $0.toState == .closed }?.at
            reports[c.snapshot.intake.areas[0].code, default: []].append(
                DemoFieldReport(code: c.code, categoryCode: c.snapshot.intake.categoryCode, description: c.report.description,
                                address: c.report.address, point: point, at: c.reportedAt, by: by, closedAt: closed))
        }
        self.reports = reports
        var items: [String: [(Checklist, ChecklistItem, [PlaceType])]] = [:]
        for l in catalogue.checklists {
            let types = catalogue.placeTypes.filter { $0.checklistCodes.contains(l.code) }
            guard !types.isEmpty else { continue }
            for item in l.items { items[item.categoryCode, default: []].append((l, item, types)) }
        }
        self.items = items
    }

    public var gridCount: Int { grids.count }

    /// The grid's buildings, households and places, and its year of visits, inspections and patrols.
    public func grid(_ index: Int) -> DemoGridField {
        let grid = grids[index]
        var rng = HistoryRandom(seed: seed, stream: 0x4649_454C_0000 &+ UInt64(index))
        var people = DemoPeople(seed: DemoRandom.mix(seed ^ 0x4649_454C_4450 ^ UInt64(index)))
        let worker = workers[grid.code] ?? "gw-\(grid.code)"
        let village = grid.parentCode.flatMap { names[$0] } ?? ""
        let lane = gridLane(grid, village: village)
        var entries: [(id: UUID, entry: RegistryEntry)] = []
        var visits: [DemoVisit] = []

        // Buildings of 1 to 12 households (a farmhouse to a small block), each household a room of it.
        var households: [UUID] = []
        var number = 0
        while households.count < grid.households {
            number += 1
            let size = min(grid.households - households.count, rng.chance(0.45) ? 1 : rng.between(2, 12))
            guard let point = point(in: grid, rng: &rng) else { break }
            let address = "\(lane)\(number)号"
            let building = uuid(&rng)
            entries.append((building, RegistryEntry(kind: .building, address: address, point: point)))
            for room in 0..<size {
                let id = uuid(&rng)
                let where_ = size == 1 ? address : "\(address)\(room / 4 + 1)0\(room % 4 + 1)室"
                entries.append((id, RegistryEntry(kind: .household, address: where_, point: point, size: householdSize(&rng), buildingID: building)))
                households.append(id)
            }
        }
        visits = self.visits(households, worker: worker, rng: &rng)

        // Places: about one for every 45 households, and one where an inspection found what a report of the history says.
        var places: [(id: UUID, entry: RegistryEntry, type: PlaceType)] = []
        let keyTypes = catalogue.placeTypes
        for _ in 0..<max(1, Int((Double(grid.households) / 45 * rng.uniform(0.7, 1.3)).rounded())) {
            guard let point = point(in: grid, rng: &rng) else { break }
            let type = drawType(keyTypes, rng: &rng)
            number += 1
            places.append((uuid(&rng), place(type, address: "\(lane)\(number)号", point: point, village: village, rng: &rng, people: &people), type))
        }
        var inspections: [DemoInspection] = []
        var patrols: [DemoPatrol] = []
        var failedWindows: [UUID: [(Date, Date)]] = [:]
        var found: Set<String> = []
        for r in reports[grid.code] ?? [] {
            guard let choices = items[r.categoryCode], rng.chance(0.7) else { continue }
            let (checklist, item, types) = rng.pick(choices)
            let type = rng.pick(types)
            number += 1
            let id = uuid(&rng)
            places.append((id, place(type, address: r.address ?? "\(lane)\(number)号", point: r.point, village: village, rng: &rng, people: &people), type))
            let at = r.at.addingTimeInterval(-rng.uniform(300, 2_400))
            inspections.append(DemoInspection(id: uuid(&rng), placeID: id, checklistCode: checklist.code,
                                              results: checklist.items.map { InspectionItemResult(itemCode: $0.code, passed: $0.code != item.code,
                                                                                                   note: $0.code == item.code ? "检查发现：\($0.name)不达标" : nil) },
                                              caseCodes: [r.code], by: r.by, at: at))
            found.insert(r.code)
            // Inspected again a few days after the case was closed.
            if let closed = r.closedAt {
                let again = workingTime(after: closed.addingTimeInterval(rng.uniform(1, 8) * 86_400), rng: &rng)
                if again < end {
                    inspections.append(passed(place: id, checklist: checklist, by: worker, at: again, rng: &rng))
                }
                failedWindows[id, default: []].append((at, again))
            } else {
                failedWindows[id, default: []].append((at, end))
            }
        }
        for p in places {
            entries.append((p.id, p.entry))
            let lists = p.type.checklistCodes.compactMap { catalogue.checklist($0) }
            guard !lists.isEmpty else { continue }
            let cadence = ["restaurant", "school", "hazardous_goods"].contains(p.type.code) ? 30.0 : 90.0
            var t = calendar.start(of: first).addingTimeInterval(rng.uniform(0, cadence) * 86_400)
            var turn = 0
            while t < end {
                let at = workingTime(after: t, rng: &rng)
                if at < end, !(failedWindows[p.id] ?? []).contains(where: { $0.0 <= at && at < $0.1 }) {
                    inspections.append(passed(place: p.id, checklist: lists[turn % lists.count], by: worker, at: at, rng: &rng))
                    turn += 1
                }
                t = t.addingTimeInterval(cadence * 86_400 * rng.uniform(0.85, 1.15))
            }
        }

        // Patrols: the reports no inspection found are mostly a patrol's findings; every other week has a patrol that
        // found nothing worth a case.
        var patrolWeeks: Set<Int> = []
        for r in reports[grid.code] ?? [] where !found.contains(r.code) && rng.chance(0.6) {
            let start = r.at.addingTimeInterval(-rng.uniform(1_200, 3_600))
            let finding = PatrolFinding(number: 1, at: r.at, note: String(r.description.prefix(PatrolRules.noteLength)), point: r.point, caseCode: r.code)
            patrols.append(DemoPatrol(id: uuid(&rng), worker: r.by, startedAt: start, endedAt: r.at.addingTimeInterval(rng.uniform(1_800, 5_400)),
                                      summary: "巡查中发现问题并已上报", findings: [finding]))
            patrolWeeks.insert(calendar.civilDate(of: r.at).dayNumber / 7)
        }
        var day = first
        let last = calendar.civilDate(of: end)
        while day < last {
            let week = day.dayNumber / 7
            if !patrolWeeks.contains(week) {
                let on = day.adding(days: rng.below(5))
                let start = calendar.start(of: on).addingTimeInterval(rng.uniform(8.5, 15) * 3_600)
                let stop = start.addingTimeInterval(rng.uniform(2_400, 9_000))
                if stop < end {
                    patrols.append(DemoPatrol(id: uuid(&rng), worker: worker, startedAt: start, endedAt: stop,
                                              summary: rng.pick(Self.quietPatrols), findings: []))
                }
            }
            day = day.adding(days: 7)
        }
        return DemoGridField(gridCode: grid.code, entries: entries, visits: visits, inspections: inspections, patrols: patrols)
    }

    /// Each grid keeps its own pace: most meet 85–99 % of their households each quarter, a few fall behind.
    func visits(_ households: [UUID], worker: String, rng: inout HistoryRandom) -> [DemoVisit] {
        let pace = rng.chance(0.1) ? rng.uniform(0.5, 0.8) : rng.uniform(0.85, 0.99)
        let today = calendar.civilDate(of: end)
        var out: [DemoVisit] = []
        out.reserveCapacity(households.count * 5)
        var quarter = VisitPeriod.quarter.range(holding: first)
        while quarter.first <= today {
            let from = max(quarter.first, first), to = min(quarter.next, today.adding(days: 1))
            let span = to.dayNumber - from.dayNumber
            if span > 0 {
                let share = Double(span) / Double(quarter.next.dayNumber - quarter.first.dayNumber)
                for h in households where rng.chance(pace * min(1, share * 1.1)) {
                    let on = from.adding(days: rng.below(span))
                    let at = calendar.start(of: on).addingTimeInterval(rng.uniform(8.5, 18) * 3_600)
                    guard at < end else { continue }
                    if rng.chance(0.1), on.dayNumber > from.dayNumber {
                        let before = from.adding(days: rng.below(on.dayNumber - from.dayNumber))
                        out.append(DemoVisit(householdID: h, day: before, outcome: .notHome, note: nil, by: worker,
                                             at: calendar.start(of: before).addingTimeInterval(rng.uniform(8.5, 18) * 3_600)))
                    }
                    out.append(DemoVisit(householdID: h, day: on, outcome: .met, note: rng.chance(0.15) ? rng.pick(Self.visitNotes) : nil, by: worker, at: at))
                }
            }
            quarter = VisitPeriod.quarter.range(holding: quarter.next)
        }
        return out
    }

    func passed(place: UUID, checklist: Checklist, by: String, at: Date, rng: inout HistoryRandom) -> DemoInspection {
        DemoInspection(id: uuid(&rng), placeID: place, checklistCode: checklist.code,
                       results: checklist.items.map { InspectionItemResult(itemCode: $0.code, passed: true) }, caseCodes: [], by: by, at: at)
    }

    /// The first working hours on a workday at or after `t` (9:00–17:00).
    func workingTime(after t: Date, rng: inout HistoryRandom) -> Date {
        var day = calendar.civilDate(of: t)
        while !calendar.isWorkday(day) { day = day.adding(days: 1) }
        let at = calendar.start(of: day).addingTimeInterval(rng.uniform(9, 17) * 3_600)
        return at < t ? calendar.start(of: day.adding(days: 1)).addingTimeInterval(rng.uniform(9, 17) * 3_600) : at
    }

    func place(_ type: PlaceType, address: String, point: GeoPoint, village: String, rng: inout HistoryRandom, people: inout DemoPeople) -> RegistryEntry {
        let owner = people.name()
        let word = rng.pick(Self.placeWords[type.code] ?? ["服务点"])
        let name: String = switch type.code {
        case "rental_housing": "\(owner.prefix(1))家出租房"
        case "school", "hazardous_goods", "factory", "other": "\(village)\(word)"
        default: rng.chance(0.5) ? "\(owner.prefix(1))记\(word)" : "\(village)\(word)"
        }
        var attributes: [String: String] = [:]
        for a in type.attributes where a.required || rng.chance(0.7) {
            attributes[a.code] = switch a.kind {
            case .text: word
            case .number: String(a.code == "rooms" ? rng.between(3, 24) : a.code == "workers" ? rng.between(5, 120) : rng.between(10, 200))
            case .yesNo: rng.chance(0.1) ? "yes" : "no"
            case .choice(let options): rng.pick(options)
            }
        }
        return RegistryEntry(kind: .place, name: name, address: address, point: point, typeCode: type.code, attributes: attributes,
                             contactName: owner, contactPhone: people.phone())
    }

    func drawType(_ types: [PlaceType], rng: inout HistoryRandom) -> PlaceType {
        let weights = types.map { Self.typeWeights[$0.code] ?? 1 }
        var u = rng.unit() * weights.reduce(0, +)
        for (t, w) in zip(types, weights) {
            u -= w
            if u < 0 { return t }
        }
        return types[types.count - 1]
    }

    /// The grid's lane: its village's name and the grid's number in the village ("青石村三组").
    func gridLane(_ grid: Area, village: String) -> String {
        let n = Int(grid.code.suffix(3)) ?? 1
        return "\(village)\(n)组"
    }

    func householdSize(_ rng: inout HistoryRandom) -> Int {
        let u = rng.unit()
        return u < 0.16 ? 1 : u < 0.44 ? 2 : u < 0.7 ? 3 : u < 0.86 ? 4 : u < 0.95 ? 5 : 6
    }

    func point(in area: Area, rng: inout HistoryRandom) -> GeoPoint? { HistoryWorld.point(in: area, tries: 200, rng: &rng) }

    func uuid(_ rng: inout HistoryRandom) -> UUID {
        let a = rng.next(), b = rng.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * i))
            bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * i))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    static let typeWeights: [String: Double] = ["shop": 40, "restaurant": 20, "factory": 8, "school": 3, "rental_housing": 15,
                                                "hazardous_goods": 2, "inn": 4, "other": 8]
    static let placeWords: [String: [String]] = [
        "shop": ["便利店", "五金店", "超市", "水果店", "理发店", "服装店", "农资店"],
        "restaurant": ["面馆", "小吃店", "饭店", "早餐店", "农家乐"],
        "factory": ["竹木制品厂", "机械配件厂", "包装厂", "茶叶加工厂"],
        "school": ["幼儿园", "小学"],
        "rental_housing": ["出租房"],
        "hazardous_goods": ["加油站", "液化气供应点"],
        "inn": ["旅馆", "民宿"],
        "other": ["文化礼堂", "农贸市场", "快递驿站"],
    ]
    static let visitNotes = ["家中一切正常", "反映路灯不亮，已记录", "老人身体健康，已提醒防诈骗", "宣传消防安全常识", "家庭和睦，无诉求"]
    static let quietPatrols = ["巡查辖区，未发现问题", "重点巡查沿街店铺，秩序良好", "巡查河道与主要道路，无异常", "夜间巡查前准备，路灯正常"]
}
