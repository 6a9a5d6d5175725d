import Foundation
import WanggeCore

/// One entry of the demo county's risk register: every record as `RiskLifecycle` made it, and where it stands.
public struct SimulatedRisk: Sendable {
    public var records: [RiskRecord]
    public var snapshot: RiskSnapshot
    /// The smallest area the risk lies in (a village or a grid): `snapshot.registration.areaCode`.
    public var areaCode: String
}

/// The demo county's risk register (风险清单, DESIGN §6, issue 19): about 300 hazards and situations in places — a
/// factory's blocked fire exit, a slope above houses after rain, a reservoir dam's seepage, wage arrears at a building
/// site, a temple fair's crowd — over the ten standard categories, each driven through `RiskLifecycle` in simulated
/// time over the year ending `end`: registered by the risk office, reviewed (审核), approved by a leader, transferred
/// to its responsible department with a mitigation plan, reviewed on its level's cadence (green monthly, blue and
/// orange weekly, red daily), raised and lowered as handling goes on, reported back on, and a third of them cleared
/// (销号) and some archived. The clock job supervises the reviews that ran late; some are late at `end`.
///
/// The register names places and hazards, never people (DESIGN §2): no field holds a resident's name. The actors and
/// owners are the demo's staff accounts (`DemoCounty.accounts`): the operators and leaders of the county and of the
/// first township work the register; the market-regulation handlers review and report back on the entries
/// transferred to their departments; for the other departments the area's operator is the person in charge and
/// enters their reports.
///
/// Most red entries are recent (registered red in the last weeks) or lowered after days to weeks of daily reviews,
/// so that the year stays around 10,000 records. Everything follows from the seed.
public enum DemoRisks {
    /// The prefix of the register's codes (风险).
    public static let codePrefix = "FX"

    public static func simulate(county: DemoCounty, calendar: WorkingCalendar, end: Date, count: Int = 300,
                                seed: UInt64 = 0, policy: RiskPolicy = RiskPolicy()) -> [SimulatedRisk] {
        run(county: county, calendar: calendar, end: end, count: count, seed: seed, policy: policy).risks
    }

    /// The demo's heightened period: the National Day holiday (国庆安保, 1 to 8 October) last passed before `end`
    /// (at least two days before), over the whole county.
    public static func heightenedPeriod(county: DemoCounty, calendar: WorkingCalendar, end: Date) -> HeightenedPeriod? {
        guard let root = county.areas.first(where: { $0.parentCode == nil }) else { return nil }
        let today = calendar.civilDate(of: end)
        for year in [today.year, today.year - 1] {
            guard let from = CivilDate(year: year, month: 10, day: 1), let to = CivilDate(year: year, month: 10, day: 8) else { continue }
            let start = calendar.start(of: from), stop = calendar.start(of: to)
            if stop.addingTimeInterval(2 * 86_400) <= end && start >= end.addingTimeInterval(-360 * 86_400) {
                return HeightenedPeriod(name: "国庆安保", start: start, end: stop, areaCodes: [root.code])
            }
        }
        return nil
    }

    /// A few grave events of the demo's year, as the command centre would have recorded them (no names): an event
    /// with a death in a village some months ago, a mass incident in another, and a major incident during the
    /// heightened period when there is one.
    public static func graveEvents(county: DemoCounty, calendar: WorkingCalendar, end: Date, period: HeightenedPeriod?, seed: UInt64 = 0) -> [GraveEvent] {
        var rng = HistoryRandom(seed: seed, stream: 0x4752_4156)
        let villages = county.areas.filter { $0.level == .village }.sorted { $0.code < $1.code }
        let townships = county.areas.filter { $0.level == .township }.sorted { $0.code < $1.code }
        guard villages.count >= 2, !townships.isEmpty else { return [] }
        let today = calendar.civilDate(of: end)
        var out = [
            GraveEvent(areaCode: rng.pick(villages).code, occurredOn: today.adding(days: -(120 + Int(rng.unit() * 30))), code: "death",
                       summary: "村道发生一起交通事故，造成一人死亡。"),
            GraveEvent(areaCode: rng.pick(villages).code, occurredOn: today.adding(days: -(200 + Int(rng.unit() * 30))), code: "mass_incident",
                       summary: "因工程款纠纷，三十余人聚集在项目工地门口。"),
        ]
        if let p = period {
            out.append(GraveEvent(areaCode: rng.pick(townships).code, occurredOn: calendar.civilDate(of: p.start).adding(days: 3), code: "security_period_major",
                                  summary: "节日期间一处集贸市场发生火灾，无人员伤亡。"))
        }
        return out
    }

    /// The simulation with the commands the rules refused (none, unless the simulation has a bug; a refused command
    /// ends that entry's life where it stands).
    static func run(county: DemoCounty, calendar: WorkingCalendar, end requestedEnd: Date, count: Int,
                    seed: UInt64, policy: RiskPolicy = RiskPolicy()) -> (risks: [SimulatedRisk], problems: [String]) {
        let end = Date(timeIntervalSince1970: requestedEnd.timeIntervalSince1970.rounded(.down))
        let staff = RiskStaff(county: county)
        let j = Jurisdiction(areas: county.areas)
        var rng = HistoryRandom(seed: seed, stream: 0x5249_534B)
        let villages = county.areas.filter { $0.level == .village }
        guard count > 0, !villages.isEmpty else { return ([], []) }
        // Villages by population; the first township's weigh more, so its demo accounts have a register to work.
        let places = WeightedTable(villages.map { v in
            (v, Double(max(1, v.population)) * (v.parentCode == staff.firstTownship ? 2.5 : 1))
        })
        let start = end.addingTimeInterval(-365 * 86_400)

        // Draw every entry's hazard, place, first level and registration instant, then number them in order.
        var drafts: [RiskDraft] = []
        let recentRed = max(1, count * 4 / 100), earlierRed = count * 27 / 1_000
        for i in 0..<count {
            let level: Int
            let at: Date
            if i < recentRed {
                level = 1
                at = registrationInstant(from: end.addingTimeInterval(-35 * 86_400), to: end.addingTimeInterval(-86_400), calendar: calendar, rng: &rng)
            } else {
                if i < recentRed + earlierRed {
                    level = 1
                } else {
                    let x = rng.unit()
                    level = x < 0.4 ? 4 : x < 0.73 ? 3 : 2
                }
                // The year opens with the survey campaign (集中排查) that filled the register; the rest trickle in.
                at = rng.chance(0.35)
                    ? registrationInstant(from: start, to: start.addingTimeInterval(30 * 86_400), calendar: calendar, rng: &rng)
                    : registrationInstant(from: start, to: end.addingTimeInterval(-2 * 3_600), calendar: calendar, rng: &rng)
            }
            let category = DemoMediation.weighted(DemoRiskText.categoryWeights, &rng)
            var hazards = DemoRiskText.hazards.filter { $0.category == category }
            if level == 1 { hazards = hazards.filter { $0.severity >= 4 } }
            let hazard = rng.pick(hazards.isEmpty ? DemoRiskText.hazards.filter { $0.severity >= 4 } : hazards)
            let village = places.draw(&rng)
            let grids = j.children(of: village.code).filter { $0.level == .grid }
            let area = !grids.isEmpty && rng.chance(0.7) ? rng.pick(grids) : village
            drafts.append(RiskDraft(hazard: hazard, village: village, area: area, level: level, at: at, stream: UInt64(i)))
        }
        drafts.sort { ($0.at, $0.stream) < ($1.at, $1.stream) }

        var out: [SimulatedRisk] = []
        var problems: [String] = []
        var day = -1, sequence = 0
        for d in drafts {
            let civil = calendar.civilDate(of: d.at)
            if civil.dayNumber != day { day = civil.dayNumber; sequence = 0 }
            sequence += 1
            var life = RiskLife(draft: d, code: CaseCodes.caseCode(prefix: codePrefix, day: civil, sequence: sequence),
                                path: j.path(of: d.area.code), staff: staff, calendar: calendar, end: end,
                                rng: HistoryRandom(seed: seed, stream: 0x5249_0000 &+ d.stream), policy: policy)
            life.live()
            problems += life.problems
            guard let snapshot = life.snapshot else { continue }
            out.append(SimulatedRisk(records: life.records, snapshot: snapshot, areaCode: d.area.code))
        }
        return (out, problems)
    }

    /// An instant in working hours of a workday between `from` and `to` (or of any day, now and then: hazards are
    /// found at weekends too).
    static func registrationInstant(from: Date, to: Date, calendar: WorkingCalendar, rng: inout HistoryRandom) -> Date {
        for _ in 0..<20 {
            let t = from.addingTimeInterval(rng.uniform(0, max(1, to.timeIntervalSince(from))))
            let day = calendar.civilDate(of: t)
            guard calendar.isWorkday(day) || rng.chance(0.15) else { continue }
            let at = calendar.start(of: day).addingTimeInterval((rng.uniform(8.5, 17.5) * 3_600).rounded(.down))
            if at >= from && at < to { return at }
        }
        return Date(timeIntervalSince1970: from.addingTimeInterval(max(0, to.timeIntervalSince(from)) / 2).timeIntervalSince1970.rounded(.down))
    }
}

/// What is drawn for an entry before its life.
struct RiskDraft {
    var hazard: DemoHazard
    var village: Area
    var area: Area
    /// The level of the registrar's first assessment.
    var level: Int
    var at: Date
    var stream: UInt64
}

/// The demo accounts that work the register, found by role and scope.
struct RiskStaff {
    struct Member {
        var actor: RecordActor
        var owner: RiskOwner
        var departmentCode: String?
    }

    let firstTownship: String
    private var byName: [String: Member] = [:]
    private var operators: [String: String] = [:]
    private var leaders: [String: String] = [:]

    init(county: DemoCounty) {
        firstTownship = DemoCounty.countyCode + "001"
        for a in county.accounts {
            let actor = RecordActor.staff(ActingStaff(username: a.username, role: a.role, areaCode: a.areaCode, departmentCode: a.departmentCode))
            byName[a.username] = Member(actor: actor, owner: RiskOwner(username: a.username, name: a.displayName), departmentCode: a.departmentCode)
            if a.role == .operator, operators[a.areaCode] == nil { operators[a.areaCode] = a.username }
            if a.role == .leader, leaders[a.areaCode] == nil { leaders[a.areaCode] = a.username }
        }
    }

    /// The nearest demo account among `names[area]` for the areas of `path`, deepest first.
    private func nearest(_ names: [String: String], path: String) -> Member {
        for code in path.split(separator: "/").reversed() {
            if let n = names[String(code)], let m = byName[n] { return m }
        }
        return byName[names[DemoCounty.countyCode] ?? ""] ?? Member(
            actor: .staff(ActingStaff(username: "operator", role: .operator, areaCode: DemoCounty.countyCode)),
            owner: RiskOwner(username: "operator", name: "风险办"), departmentCode: nil)
    }

    /// The risk office's operator for the area (the township's demo operator, else the county's).
    func riskOperator(path: String) -> Member { nearest(operators, path: path) }
    /// The leader who approves and clears (the township's demo leader, else the county's).
    func leader(path: String) -> Member { nearest(leaders, path: path) }
    /// The demo handler of a department, if it has one.
    func handler(of department: String) -> Member? {
        byName.values.first { $0.departmentCode == department && $0.actor.staff?.role == .handler }
    }
}

/// One entry lived through simulated time: each command goes through `RiskLifecycle.apply`, and the clock job
/// supervises a review at its first run after the review fell due.
struct RiskLife {
    let draft: RiskDraft
    let code: String
    let path: String
    let staff: RiskStaff
    let calendar: WorkingCalendar
    let end: Date
    var rng: HistoryRandom
    let policy: RiskPolicy

    private(set) var snapshot: RiskSnapshot?
    private(set) var records: [RiskRecord] = []
    private(set) var problems: [String] = []

    /// The hazard's likelihood and severity as the reviews find them (1–5 each).
    private var likelihood = 1
    private var severity = 1
    /// Whether the entry is assessed by LEC (work safety's method) rather than the matrix.
    private var lec = false
    /// A red spell ends by this instant (the hazard is brought under control and the entry lowered).
    private var redUntil: Date?
    /// The hazard is gone by this instant: the next review proposes clearing.
    private var goneAt: Date?
    /// Reviews stop this long before `end`, so the entry is late at the end.
    private var lateFrom: Date?
    /// A feedback reported measures done since the last review.
    private var progress = false

    init(draft: RiskDraft, code: String, path: String, staff: RiskStaff, calendar: WorkingCalendar, end: Date, rng: HistoryRandom,
         policy: RiskPolicy = RiskPolicy()) {
        self.policy = policy
        self.draft = draft
        self.code = code
        self.path = path
        self.staff = staff
        self.calendar = calendar
        self.end = end
        self.rng = rng
    }

    // MARK: Steps

    private var now: Date { snapshot?.lastActionAt ?? draft.at }

    /// The first clock-job run after `due` (the job runs every ten minutes).
    private func tick(after due: Date) -> Date {
        let s = Int(due.timeIntervalSince1970.rounded(.down))
        return Date(timeIntervalSince1970: TimeInterval((s / 600 + 1) * 600))
    }

    /// The clock job's runs up to `limit`: a review past due is supervised once.
    private mutating func runClockJob(until limit: Date) {
        guard let s = snapshot, s.state.isOpen, let due = s.nextReviewDue else { return }
        let at = tick(after: due)
        guard at <= limit, at < end else { return }
        for step in RiskLifecycle.clockSteps(s, now: at, calendar: calendar, policy: policy) { take(step) }
    }

    private mutating func take(_ step: LifecycleStep<RiskLifecycle>) {
        snapshot = step.snapshot
        records.append(step.record)
    }

    /// Applies `command` by `actor` at `at` (after the clock job), unless `at` is at or after the end; false when the
    /// life stops here.
    @discardableResult
    private mutating func step(_ command: RiskCommand, by actor: RecordActor, at requested: Date) -> Bool {
        guard let s = snapshot else { return false }
        let at = max(requested, s.lastActionAt)
        guard at < end else { return false }
        runClockJob(until: at)
        do {
            take(try RiskLifecycle.apply(command, to: snapshot!, actor: actor, at: at, calendar: calendar))
            return true
        } catch {
            problems.append("\(code): \(command.kind.rawValue) refused: \(error)")
            return false
        }
    }

    // MARK: Time

    private func hourOfDay(_ t: Date) -> Double {
        let day = calendar.civilDate(of: t)
        return t.timeIntervalSince(calendar.start(of: day)) / 3_600
    }

    /// `hours` after `from`, moved to the next morning when it falls outside 08:00–18:00.
    private mutating func later(_ from: Date, hours: ClosedRange<Double>) -> Date {
        let t = from.addingTimeInterval((rng.uniform(hours.lowerBound, hours.upperBound) * 3_600).rounded(.down))
        let h = hourOfDay(t)
        if h >= 8 && h < 18 { return t }
        let day = calendar.civilDate(of: t).adding(days: h >= 18 ? 1 : 0)
        return calendar.start(of: day).addingTimeInterval((rng.uniform(8.3, 10) * 3_600).rounded(.down))
    }

    /// A review a little before `due`, in the daytime: on a red entry's daily review the same evening or morning.
    private mutating func reviewTime(due: Date, level: Int) -> Date {
        let early: Double = switch level {
        case 1: rng.uniform(0, 2)
        case 4: rng.uniform(0, 72)
        default: rng.uniform(0, 24)
        }
        var t = due.addingTimeInterval(-(early * 3_600).rounded(.down))
        let h = hourOfDay(t)
        if h < 8 || h >= 18 {
            let day = calendar.civilDate(of: t).adding(days: h < 8 ? -1 : 0)
            t = calendar.start(of: day).addingTimeInterval((rng.uniform(16, 17.8) * 3_600).rounded(.down))
        }
        return max(t, now.addingTimeInterval(600))
    }

    // MARK: Assessments

    private func level(_ l: Int, _ s: Int) -> Int {
        switch l * s {
        case 20...: 1
        case 9...: 2
        case 4...: 3
        default: 4
        }
    }

    /// The pair (likelihood, severity) for a level nearest the hazard's usual severity.
    private mutating func pair(for target: Int, severity usual: Int) -> (Int, Int) {
        var best: [(Int, Int)] = []
        var distance = Int.max
        for s in 1...5 {
            for l in 1...5 where level(l, s) == target {
                let d = abs(s - usual)
                if d < distance { distance = d; best = [] }
                if d == distance { best.append((l, s)) }
            }
        }
        return rng.pick(best)
    }

    /// The assessment the reviewers write for the current likelihood and severity: the matrix, or an LEC triple
    /// that proposes the same level.
    private mutating func assessment() -> RiskAssessment {
        guard lec else { return .matrix(likelihood: likelihood, severity: severity) }
        let (l, e, c) = rng.pick(DemoRiskText.lec[level(likelihood, severity) - 1])
        return .lec(likelihood: l, exposure: e, consequence: c)
    }

    // MARK: The life

    mutating func live() {
        let h = draft.hazard
        (likelihood, severity) = pair(for: draft.level, severity: h.severity)
        lec = h.category == "work_safety" && rng.chance(0.4)
        let op = staff.riskOperator(path: path)
        let village = draft.village.name
        let registration = RiskRegistration(
            code: code, categoryCode: h.category, title: village + h.title, description: village + h.description,
            areaCode: draft.area.code, areaPath: path, point: point(in: draft.area), assessment: assessment())
        do {
            take(try RiskLifecycle.register(registration, policy: policy, actor: op.actor, at: draft.at, calendar: calendar))
        } catch {
            problems.append("\(code): registration refused: \(error)")
            return
        }
        let red = draft.level == 1
        if red {
            // Registered red lately: most are still red at the end. Earlier in the year: lowered after days or weeks.
            let recent = draft.at > end.addingTimeInterval(-40 * 86_400)
            redUntil = draft.at.addingTimeInterval(rng.uniform(recent ? 14 : 5, recent ? 70 : 28) * 86_400)
        }
        if rng.chance(0.5) { goneAt = max(draft.at, redUntil ?? draft.at).addingTimeInterval(rng.uniform(25, 220) * 86_400) }
        if !red, rng.chance(0.18) { lateFrom = end.addingTimeInterval(-rng.uniform(1, 12) * 86_400) }
        lifeSteps(red: red)
        // The clock job catches up to the end: a review late now is supervised.
        runClockJob(until: end.addingTimeInterval(-1))
    }

    private mutating func lifeSteps(red: Bool) {
        let h = draft.hazard
        let op = staff.riskOperator(path: path)
        let leader = staff.leader(path: path)

        // 审核: the risk office confirms the level, or finds it no risk (a few) and archives it.
        let notRisk = !red && rng.chance(0.03)
        guard step(.review(assessment: assessment(), decision: .keep, note: notRisk ? "现场核实情况与登记不符" : nil, policy: policy),
                   by: op.actor, at: later(now, hours: red ? 0.5...3 : 2...40)) else { return }
        if notRisk {
            step(.archive(note: rng.pick(DemoRiskText.notRiskNotes)), by: op.actor, at: later(now, hours: 1...24))
            return
        }
        // 审批 by a leader, then 移送 to the responsible department with its owners (告知), and the plan.
        guard step(.approve(note: rng.chance(0.6) ? "同意，按程序移送责任单位。" : nil), by: leader.actor,
                   at: later(now, hours: red ? 0.5...3 : rng.chance(0.2) ? 48...150 : 2...30)) else { return }
        let department = responsibleDepartment(h)
        let handler = staff.handler(of: department)
        let owners = RiskOwners(departmentCode: department, leader: leader.owner, personInCharge: handler?.owner ?? op.owner)
        guard step(.transfer(owners: owners, note: rng.pick(DemoRiskText.transferNotes)), by: op.actor,
                   at: later(now, hours: red ? 0.5...4 : 2...30)) else { return }
        let worker = handler?.actor ?? op.actor
        let today = calendar.civilDate(of: now)
        let measures = Array(h.measures.prefix(2 + rng.below(max(1, h.measures.count - 1)))).enumerated().map { i, text in
            MitigationMeasure(description: text, dueOn: today.adding(days: (red ? 3 : 10) * (i + 1) + rng.between(0, red ? 4 : 25)))
        }
        guard step(.plan(measures), by: worker, at: later(now, hours: red ? 1...6 : 4...48)) else { return }

        // Reviews on the cadence, with the department's reports in between, until the hazard is gone and cleared.
        var reviews = 0
        while reviews < 2_000, let s = snapshot, s.state == .active, let due = s.nextReviewDue {
            if let lateFrom, due >= lateFrom { break }
            var at = reviewTime(due: due, level: s.level)
            if s.level > 1 && rng.chance(0.015) { at = due.addingTimeInterval(rng.uniform(3, 72) * 3_600) }  // a review runs late
            // Reports on the measures that fell due before this review.
            let reviewDay = calendar.civilDate(of: at)
            let dueMeasures = s.plan.indices.filter { s.plan[$0].doneOn == nil && s.plan[$0].dueOn <= reviewDay }
            if !dueMeasures.isEmpty, rng.chance(0.85) {
                let done = dueMeasures.filter { _ in rng.chance(0.85) }
                let feedbackAt = min(at.addingTimeInterval(-1_800), later(now, hours: 2...30))
                if !done.isEmpty {
                    let text = "已落实：" + done.map { s.plan[$0].description }.joined(separator: "；") + "。"
                    guard step(.feedback(text: text, measuresDone: done), by: worker, at: feedbackAt) else { return }
                    progress = true
                } else {
                    guard step(.feedback(text: rng.pick(DemoRiskText.slowFeedback), measuresDone: []), by: worker, at: feedbackAt) else { return }
                }
            }
            guard review(at: at, by: rng.chance(handler == nil ? 0 : 0.7) ? worker : op.actor) else { return }
            reviews += 1
            if snapshot?.clearProposed == true {
                // 销号 by the leader, and for some the archive after a while.
                guard step(.clear(note: rng.chance(0.5) ? "同意销号。" : nil), by: leader.actor, at: later(now, hours: 2...40)) else { return }
                if rng.chance(0.45) {
                    step(.archive(note: rng.chance(0.5) ? "销号后资料整理归档。" : nil), by: op.actor,
                         at: later(now.addingTimeInterval(rng.uniform(3, 40) * 86_400), hours: 0...1))
                }
                return
            }
        }
        if reviews == 2_000 { problems.append("\(code): still active after 2,000 reviews") }
    }

    /// One review on the cadence: the hazard as found, the level it proposes, and the decision.
    private mutating func review(at: Date, by actor: RecordActor) -> Bool {
        guard let s = snapshot else { return false }
        let current = s.level
        let month = calendar.civilDate(of: at).month
        let perMonth: Double = switch current {
        case 4: 1
        case 1: 30
        default: 4.3
        }
        var note: String?
        if current == 1 && redUntil == nil { redUntil = at.addingTimeInterval(5 * 86_400) }
        if let until = redUntil, current == 1, at >= until {
            // The red spell is over: brought under control, lowered to orange.
            while likelihood > 1 && level(likelihood, severity) == 1 { likelihood -= 1 }
            redUntil = nil
        } else if let gone = goneAt, at >= gone {
            if current <= 2 {
                likelihood = max(1, likelihood - 1)
                while severity > 1 && likelihood * severity > 8 { severity -= 1 }
            } else {
                likelihood = 1
                let a = assessment()
                return step(.review(assessment: a, decision: .clear, note: rng.pick(DemoRiskText.clearNotes), policy: policy), by: actor, at: at)
            }
        } else if current != 1 {
            let season = draft.hazard.category == "flood_geology" && (5...9).contains(month) ? 4.0 : 1
            let raise = 0.025 * season / perMonth
            // Handling lowers the likelihood: now and then, and likelier after the department reported measures done.
            let lower = 0.12 / perMonth + (progress ? 0.2 : 0)
            if rng.chance(raise), likelihood < 5 {
                likelihood += 1
                if level(likelihood, severity) == 1 {
                    if rng.chance(0.3) {
                        redUntil = at.addingTimeInterval(rng.uniform(3, 18) * 86_400)
                    } else {
                        likelihood -= 1
                    }
                }
            } else if rng.chance(lower), likelihood > 1 {
                likelihood -= 1
            }
        }
        progress = false
        let a = assessment()
        let proposed = level(likelihood, severity)
        let decision: RiskDecision
        if proposed < current {
            decision = .raise
            note = rng.pick(draft.hazard.category == "flood_geology" ? DemoRiskText.floodRaiseNotes : DemoRiskText.raiseNotes)
        } else if proposed > current {
            if rng.chance(0.04) {
                decision = .keep
                note = "部分措施尚未落实到位，研判后暂维持原等级。"
            } else {
                decision = .lower
                note = rng.pick(DemoRiskText.lowerNotes)
            }
        } else {
            decision = .keep
            note = rng.chance(0.3) ? rng.pick(DemoRiskText.keepNotes) : nil
        }
        if decision == .keep && proposed != current {
            // The reviewer kept the level: the hazard stays as it was assessed before.
            (likelihood, severity) = pair(for: current, severity: severity)
            return step(.review(assessment: assessment(), decision: .keep, note: note, policy: policy), by: actor, at: at)
        }
        return step(.review(assessment: a, decision: decision, note: note, policy: policy), by: actor, at: at)
    }

    /// The department that answers for the hazard: its own township office where the township has one of the kind,
    /// else the county's.
    private func responsibleDepartment(_ h: DemoHazard) -> String {
        let township = path.split(separator: "/").dropFirst().first.map(String.init) ?? DemoCounty.countyCode
        if h.township {
            return DemoCounty.departmentCode(areaCode: township, kind: h.department, ordinal: 1)
        }
        return DemoCounty.departmentCode(areaCode: DemoCounty.countyCode, kind: h.department, ordinal: 1)
    }

    /// A point inside the area, to six decimals.
    private mutating func point(in area: Area) -> GeoPoint? { HistoryWorld.point(in: area, tries: 200, rng: &rng) }
}

/// A kind of hazard of the register: the words of its entry (after the village's name), its usual severity, the
/// department kind that answers for it (the township's office of that kind, or the county's), and its measures.
struct DemoHazard: Sendable {
    var category: String
    var title: String
    var description: String
    var severity: Int
    var department: DepartmentKind
    var township = false
    var measures: [String]
}

/// The words of the demo's register: hazards and situations in places, never people.
enum DemoRiskText {
    static let categoryWeights: [(String, Double)] = [
        ("work_safety", 16), ("fire", 16), ("flood_geology", 12), ("public_health", 8), ("food_drugs", 10), ("wages_labour", 8),
        ("land_demolition", 7), ("finance_fundraising", 5), ("events_crowds", 8), ("other", 10),
    ]

    /// LEC triples (L, E, C) proposing each level under the standard bands, red first.
    static let lec: [[(Double, Double, Double)]] = [
        [(6, 6, 15), (3, 6, 40), (10, 6, 7)],
        [(3, 6, 15), (6, 3, 15), (1, 6, 40)],
        [(3, 6, 7), (1, 6, 15), (3, 3, 15)],
        [(1, 6, 7), (1, 3, 7), (0.5, 6, 15)],
    ]

    static let hazards: [DemoHazard] = [
        // 安全生产
        DemoHazard(category: "work_safety", title: "一家家具厂喷漆车间通风不良", description: "喷漆车间未设局部排风，油漆桶和稀释剂堆放在车间内，存在火灾和中毒风险。",
                   severity: 4, department: .emergencyManagement, township: true, measures: ["加装局部排风设施", "油漆稀释剂移至专用仓库", "开展有限空间作业培训", "每日班前检查通风设施"]),
        DemoHazard(category: "work_safety", title: "竹制品加工厂粉尘积聚", description: "竹粉尘在车间梁柱和设备表面积聚，除尘设施运行不正常，存在粉尘爆炸风险。",
                   severity: 5, department: .emergencyManagement, measures: ["清理车间积尘并建立清扫制度", "维修除尘设施", "更换防爆电气设备", "聘请第三方开展安全评估"]),
        DemoHazard(category: "work_safety", title: "液化气供应站钢瓶超期未检", description: "供应站内部分液化气钢瓶超过检验周期仍在充装流转，瓶阀锈蚀，存在泄漏风险。",
                   severity: 4, department: .marketRegulation, township: true, measures: ["超期钢瓶停止充装并送检", "建立钢瓶检验台账", "张贴安全使用告知"]),
        DemoHazard(category: "work_safety", title: "石料厂开采面边坡过陡", description: "石料厂开采面台阶高度和坡度超出设计，坡顶有浮石，雨后存在坍塌风险。",
                   severity: 5, department: .emergencyManagement, measures: ["停止开采面作业", "清除坡顶浮石", "按设计放坡分台阶", "设置边坡位移监测"]),
        DemoHazard(category: "work_safety", title: "冷库氨制冷系统管道老化", description: "冷库氨制冷管道和阀门锈蚀，泄漏报警装置失效，周边有居民区。",
                   severity: 5, department: .emergencyManagement, measures: ["更换锈蚀管道阀门", "修复氨泄漏报警装置", "制定氨泄漏应急预案并演练"]),
        DemoHazard(category: "work_safety", title: "在建厂房脚手架搭设不规范", description: "在建厂房外脚手架未设剪刀撑，连墙件缺失，高处作业防护不到位。",
                   severity: 4, department: .housing, measures: ["按方案整改脚手架", "补设连墙件和安全网", "开展高处作业专项检查"]),
        // 消防
        DemoHazard(category: "fire", title: "一家服装厂消防通道堵塞", description: "厂房东侧消防通道被成品货物堆占，一处安全出口上锁，车间内疏散指示灯损坏。",
                   severity: 4, department: .fireRescue, measures: ["清理消防通道堆物", "安全出口保持畅通", "更换疏散指示标志", "每周开展防火巡查"]),
        DemoHazard(category: "fire", title: "沿街商铺“三合一”场所", description: "沿街商铺一层经营、二层仓储、三层住宿，未设防火分隔，疏散楼梯仅一部。",
                   severity: 5, department: .fireRescue, measures: ["住宿部分搬离", "设置防火分隔", "增设简易喷淋和独立式烟感"]),
        DemoHazard(category: "fire", title: "老旧小区电动自行车楼道充电", description: "老旧小区多个单元楼道内停放电动自行车并飞线充电，楼道无喷淋设施。",
                   severity: 4, department: .fireRescue, measures: ["建设集中充电棚", "清理楼道停放车辆", "安装楼道电动车阻车系统"]),
        DemoHazard(category: "fire", title: "民宿消防设施配置不足", description: "民宿为木结构建筑，灭火器配置不足，未安装独立式感烟探测器。",
                   severity: 3, department: .fireRescue, measures: ["按标准配置灭火器", "安装独立式感烟探测器", "开展从业人员消防培训"]),
        DemoHazard(category: "fire", title: "农贸市场电气线路私拉乱接", description: "市场摊位电气线路私拉乱接，部分线路未穿管保护，配电箱周边堆放纸箱。",
                   severity: 3, department: .fireRescue, measures: ["规范敷设电气线路", "清理配电箱周边可燃物", "落实市场防火巡查"]),
        DemoHazard(category: "fire", title: "竹木加工厂易燃物露天堆放", description: "竹木边角料在厂区露天大量堆放，与厂房间距不足，旁边有焚烧痕迹。",
                   severity: 3, department: .fireRescue, measures: ["清运边角料", "划定堆放区并保持防火间距", "禁止厂区露天焚烧"]),
        // 防汛地灾
        DemoHazard(category: "flood_geology", title: "后山边坡雨后出现裂缝", description: "连续降雨后，后山坡顶出现长约二十米的裂缝，坡脚下方有民房六户。",
                   severity: 5, department: .naturalResources, measures: ["设置警示标志并落实监测", "汛期坡下住户临时转移避险", "实施削坡和截排水工程"]),
        DemoHazard(category: "flood_geology", title: "山塘水库坝体渗水", description: "小（二）型水库下游坝坡出现两处渗水点，溢洪道有杂物堵塞。",
                   severity: 5, department: .water, measures: ["降低水位运行", "清理溢洪道", "落实巡查责任人和预警设施", "实施坝体除险加固"]),
        DemoHazard(category: "flood_geology", title: "溪沟行洪断面被侵占", description: "溪沟两岸堆放建筑材料并搭建简易棚，行洪断面明显缩窄。",
                   severity: 3, department: .water, measures: ["清除河道堆物和简易棚", "疏浚溪沟", "设立河道管理范围标志"]),
        DemoHazard(category: "flood_geology", title: "低洼路段汛期积水", description: "穿村道路低洼路段排水不畅，强降雨时积水深度超过半米。",
                   severity: 2, department: .urbanManagement, township: true, measures: ["疏通排水管道", "设置积水警示标尺", "汛期落实专人值守"]),
        DemoHazard(category: "flood_geology", title: "地质灾害隐患点（滑坡）", description: "登记在册的滑坡隐患点，坡体前缘有变形迹象，威胁下方道路和农房。",
                   severity: 4, department: .naturalResources, measures: ["加密汛期巡查监测", "更新避险转移预案", "安装自动位移监测设备"]),
        DemoHazard(category: "flood_geology", title: "河道堤防局部塌陷", description: "河道左岸堤防约十五米段局部塌陷，堤后为农田和村道。",
                   severity: 4, department: .water, measures: ["设置围挡和警示", "抢修塌陷段堤防", "汛前全线排查"]),
        // 公共卫生
        DemoHazard(category: "public_health", title: "农贸市场活禽交易区消杀不到位", description: "活禽交易区未按要求每日清洗消毒，休市制度落实不到位。",
                   severity: 3, department: .marketRegulation, township: true, measures: ["落实每日清洗消毒", "执行定期休市制度", "建立消杀台账"]),
        DemoHazard(category: "public_health", title: "小区二次供水水箱清洗超期", description: "小区二次供水水箱超过一年未清洗消毒，水箱人孔未加锁。",
                   severity: 3, department: .health, measures: ["清洗消毒水箱并送检水样", "水箱人孔加锁", "建立清洗档案"]),
        DemoHazard(category: "public_health", title: "垃圾中转站蚊蝇孳生", description: "垃圾中转站清运不及时，污水外溢，周边蚊蝇密度高。",
                   severity: 2, department: .urbanManagement, township: true, measures: ["提高清运频次", "修复污水收集设施", "开展病媒生物消杀"]),
        DemoHazard(category: "public_health", title: "养殖场病死畜禽处置不规范", description: "养殖场病死畜禽未按规定无害化处理，存在随意丢弃现象。",
                   severity: 3, department: .agriculture, measures: ["落实无害化处理", "建立病死畜禽处置台账", "开展动物防疫检查"]),
        // 食品药品
        DemoHazard(category: "food_drugs", title: "学校周边小餐饮无证经营", description: "学校周边多家小餐饮无证经营，操作间生熟不分，无防蝇设施。",
                   severity: 3, department: .marketRegulation, township: true, measures: ["督促办理经营许可", "整改操作间布局", "开展校园周边食品安全专项检查"]),
        DemoHazard(category: "food_drugs", title: "农村家宴集中办酒场所卫生条件差", description: "村文化礼堂承办家宴，厨房无冷藏设施，食材来源无记录。",
                   severity: 3, department: .marketRegulation, township: true, measures: ["配置冷藏设施", "落实家宴申报备案", "开展厨师食品安全培训"]),
        DemoHazard(category: "food_drugs", title: "食品小作坊原料存放不规范", description: "食品小作坊原料与成品混放，部分原料超过保质期。",
                   severity: 3, department: .marketRegulation, township: true, measures: ["清理过期原料", "分区存放原料和成品", "建立进货查验记录"]),
        DemoHazard(category: "food_drugs", title: "药店处方药销售管理不规范", description: "药店处方药未凭处方销售，执业药师不在岗。",
                   severity: 2, department: .marketRegulation, measures: ["落实凭处方销售", "执业药师在岗公示", "开展药品经营专项检查"]),
        DemoHazard(category: "food_drugs", title: "冷链食品仓库温控记录缺失", description: "冷链仓库温控设备故障，近一个月无温度记录。",
                   severity: 3, department: .marketRegulation, measures: ["维修温控设备", "补建温度监测记录", "进口冷链食品追溯核查"]),
        // 欠薪劳资
        DemoHazard(category: "wages_labour", title: "安置房建设工地拖欠工资", description: "安置房建设工地总包单位资金紧张，拖欠约八十名农民工工资约二百万元。",
                   severity: 4, department: .humanResources, measures: ["督促总包单位制定支付计划", "启用工资保证金", "落实农民工工资专用账户"]),
        DemoHazard(category: "wages_labour", title: "一家纺织企业停产欠薪", description: "纺织企业停产两个月，拖欠一百余名职工工资和社保费。",
                   severity: 4, department: .humanResources, measures: ["核实欠薪金额", "督促企业清偿", "引导职工依法维权"]),
        DemoHazard(category: "wages_labour", title: "装修工程分包款结算纠纷", description: "商住楼装修工程分包款结算存在分歧，可能引发工人讨薪。",
                   severity: 2, department: .humanResources, measures: ["组织双方对账", "督促按合同结算"]),
        DemoHazard(category: "wages_labour", title: "物流园区用工不规范", description: "物流园区部分企业未签订劳动合同，加班时长超标。",
                   severity: 2, department: .humanResources, measures: ["督促签订劳动合同", "开展劳动用工专项检查"]),
        // 征地拆迁
        DemoHazard(category: "land_demolition", title: "道路拓宽工程征地补偿未结清", description: "道路拓宽工程涉及四十余户，部分征地补偿款未按期发放。",
                   severity: 3, department: .townshipOffice, township: true, measures: ["核对补偿清单", "按期发放补偿款", "做好政策解释"]),
        DemoHazard(category: "land_demolition", title: "旧村改造安置房交付滞后", description: "旧村改造安置房交付较计划推迟半年，过渡费发放标准存在争议。",
                   severity: 3, department: .townshipOffice, township: true, measures: ["公布安置房建设进度", "按标准发放过渡费", "建立沟通联络机制"]),
        DemoHazard(category: "land_demolition", title: "高速公路连接线征迁涉及坟墓迁移", description: "连接线工程涉及百余座坟墓迁移，迁移补偿方案尚未公示。",
                   severity: 3, department: .townshipOffice, township: true, measures: ["公示迁移补偿方案", "设置集中安置点", "分片包干做好解释"]),
        DemoHazard(category: "land_demolition", title: "集体土地流转合同到期续约分歧", description: "村集体土地流转合同到期，流转价格和续约期限存在分歧。",
                   severity: 2, department: .townshipOffice, township: true, measures: ["召开村民代表会议", "依法评估流转价格"]),
        // 金融非法集资
        DemoHazard(category: "finance_fundraising", title: "一家养老服务机构预收大额会员费", description: "养老服务机构以高额返利为名预收会员费，涉及金额较大。",
                   severity: 4, department: .publicSecurity, measures: ["开展摸底排查", "发布风险提示", "督促机构停止预收费用"]),
        DemoHazard(category: "finance_fundraising", title: "农民专业合作社高息吸收资金", description: "合作社以入股分红名义向社会不特定对象吸收资金，承诺高额回报。",
                   severity: 4, department: .publicSecurity, measures: ["核查资金规模", "停止吸收资金", "开展防范非法集资宣传"]),
        DemoHazard(category: "finance_fundraising", title: "投资咨询公司开展线下推介会", description: "投资咨询公司在酒店多次举办理财推介会，宣传保本高收益产品。",
                   severity: 4, department: .publicSecurity, measures: ["约谈公司负责人", "停止推介活动", "发布风险提示"]),
        DemoHazard(category: "finance_fundraising", title: "保健品会销场所", description: "租用场所举办保健品会销，以免费礼品吸引老年人参加。",
                   severity: 3, department: .marketRegulation, township: true, measures: ["开展会销场所检查", "开展防诈骗宣传"]),
        // 大型活动人员密集
        DemoHazard(category: "events_crowds", title: "传统庙会人员高度密集", description: "传统庙会预计单日客流超过两万人次，主街宽度不足五米，周边停车位不足。",
                   severity: 5, department: .publicSecurity, township: true, measures: ["制定安保和疏散方案", "实行单向通行和限流", "设置医疗救护点"]),
        DemoHazard(category: "events_crowds", title: "元宵灯会观灯人流集中", description: "灯会主会场沿河布置，观灯高峰人流集中在两座小桥。",
                   severity: 4, department: .publicSecurity, township: true, measures: ["桥面限流管控", "增设临时护栏", "安排志愿者疏导"]),
        DemoHazard(category: "events_crowds", title: "景区节假日游客超载", description: "节假日景区游客超过最大承载量，索道和步道排队拥堵。",
                   severity: 4, department: .cultureTourism, measures: ["实行预约限流", "发布客流预警", "增加疏导人员"]),
        DemoHazard(category: "events_crowds", title: "文化礼堂大型演出", description: "文化礼堂举办大型演出，容纳人数超过设计容量，仅有一个出口。",
                   severity: 3, department: .cultureTourism, measures: ["控制入场人数", "开启备用出口", "演出前检查消防设施"]),
        DemoHazard(category: "events_crowds", title: "山地越野赛沿线安全保障", description: "越野赛沿线山路狭窄，部分路段临崖，补给点和救援力量不足。",
                   severity: 3, department: .cultureTourism, measures: ["临崖路段设置防护", "增设补给点和救援点", "制定应急预案"]),
        // 其他
        DemoHazard(category: "other", title: "C级危房仍在使用", description: "经鉴定为C级危房的老旧房屋仍作为仓库使用，墙体开裂。",
                   severity: 4, department: .housing, measures: ["停止使用并设置警示", "实施加固或拆除"]),
        DemoHazard(category: "other", title: "村道桥梁护栏缺损", description: "村道桥梁护栏多处缺损，桥面有裂缝，夜间无照明。",
                   severity: 3, department: .transport, measures: ["修复桥梁护栏", "设置警示标志和照明", "开展桥梁检测"]),
        DemoHazard(category: "other", title: "废弃矿洞洞口未封闭", description: "废弃矿洞洞口未封闭，靠近游步道，存在坠落风险。",
                   severity: 4, department: .naturalResources, measures: ["封闭洞口", "设置警示标志"]),
        DemoHazard(category: "other", title: "户外广告牌锈蚀松动", description: "沿街大型户外广告牌钢结构锈蚀，台风季存在坠落风险。",
                   severity: 3, department: .urbanManagement, township: true, measures: ["拆除或加固广告牌", "台风前专项检查"]),
        DemoHazard(category: "other", title: "自建房违规加层", description: "沿街自建房违规加建至五层并用于出租，结构安全未经鉴定。",
                   severity: 4, department: .housing, measures: ["开展房屋安全鉴定", "停止出租", "依法拆除违规加层"]),
    ]

    static let transferNotes = ["请按管控措施落实整改并按期反馈。", "已告知责任单位，请落实管控责任。", "移送责任单位办理，按期反馈进展。"]
    static let notRiskNotes = ["经核实不构成风险隐患，归档。", "与已登记风险重复，归档。", "现场核实已整改到位，不再列入清单。"]
    static let slowFeedback = ["整改正在推进，部分措施需延后完成。", "已制定整改计划，材料采购中。"]
    static let raiseNotes = ["复核发现隐患有所加重，提升风险等级。", "近期相关事件增多，研判后升级管控。"]
    static let floodRaiseNotes = ["连续强降雨，隐患点变形加剧，提升等级。", "进入主汛期，研判后升级管控。"]
    static let lowerNotes = ["整改措施已落实，风险明显降低，下调等级。", "经复核，隐患部分消除，降级管控。"]
    static let keepNotes = ["现场复核，管控措施落实，维持原等级。", "隐患仍在，继续落实管控措施。"]
    static let clearNotes = ["经现场复核，隐患已消除，建议销号。", "整改全部完成并验收，建议销号。"]
}
