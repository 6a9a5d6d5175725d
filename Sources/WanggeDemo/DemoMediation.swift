import Foundation
import WanggeCore

/// A member of the demo county's pool of mediators: an account of the mediator role (its user name is its id).
public struct DemoMediator: Sendable, Hashable {
    public var id: String
    public var name: String
    public var phone: String
    public var specialities: [String]
    /// The area they serve and act in: a township, or the county.
    public var areaCode: String
}

/// One dispute of the demo's year: every record as `MediationLifecycle` made it, and where it stands.
public struct SimulatedMediation: Sendable {
    public var records: [MediationRecord]
    public var snapshot: MediationSnapshot
}

/// The demo county's mediation: a pool of about 60 mediators (four per township and eight at the county) and a
/// year of disputes driven through `MediationLifecycle` in simulated time. Nothing about the outcome is decided in
/// advance: each session succeeds or not by chance (likelier for simple disputes and higher tiers); a failed tier
/// tries once more, then passes the dispute up or gives up; the success rate is what the process makes of it.
public enum DemoMediation {
    static let townshipSpecialities = [["village_cadre", "volunteer"], ["lawyer", "village_cadre"], ["counsellor", "volunteer"], ["police", "village_cadre"]]
    static let countySpecialities = [["lawyer"], ["lawyer", "accountant"], ["retired_judge"], ["accountant"], ["doctor"], ["counsellor"],
                                     ["police"], ["retired_judge", "lawyer"]]

    public static func pool(county: DemoCounty, seed: UInt64 = 0) -> [DemoMediator] {
        var people = DemoPeople(seed: seed ^ 0x4D45_4449)
        var rng = HistoryRandom(seed: seed, stream: 77)
        func phone() -> String { "13" + String(5 + rng.below(5)) + String(format: "%08d", rng.below(100_000_000)) }
        guard let countyArea = county.areas.first(where: { $0.level == .county }) else { return [] }
        var out: [DemoMediator] = []
        for (i, specialities) in countySpecialities.enumerated() {
            out.append(DemoMediator(id: String(format: "med-c%02d", i + 1), name: people.name(), phone: phone(), specialities: specialities, areaCode: countyArea.code))
        }
        for township in county.areas.filter({ $0.level == .township }).sorted(by: { $0.code < $1.code }) {
            for (i, specialities) in townshipSpecialities.enumerated() {
                out.append(DemoMediator(id: "med-\(township.code.suffix(3))-\(i + 1)", name: people.name(), phone: phone(),
                                        specialities: specialities, areaCode: township.code))
            }
        }
        return out
    }

    static let types: [(String, Double)] = [("neighbour", 25), ("marriage_family", 18), ("land_forest", 12), ("labour_wages", 10),
                                            ("contract_debt", 10), ("property", 6), ("traffic", 6), ("damages", 6), ("medical", 2),
                                            ("land_acquisition", 2), ("other", 3)]
    static let sources: [(MediationSource, Double)] = [(.walkIn, 47), (.hotline, 20), (.police, 16), (.court, 11), (.petition, 6)]

    /// About `perYear` disputes reported over the `days` before `end`; those whose next step would fall after `end`
    /// stay where they are. `progress` hears (done, total).
    public static func simulate(county: DemoCounty, pool: [DemoMediator], catalogue: MediationCatalogue, calendar: WorkingCalendar,
                                end: Date, days: Int = 365, perYear: Int = 6_000, seed: UInt64 = 0,
                                progress: ((Int, Int) -> Void)? = nil) -> [SimulatedMediation] {
        var rng = HistoryRandom(seed: seed, stream: 78)
        var people = DemoPeople(seed: seed ^ 0x5041_5254)
        let j = Jurisdiction(areas: county.areas)
        let grids = county.areas.filter { $0.level == .grid }
        guard !grids.isEmpty, let countyArea = county.areas.first(where: { $0.level == .county }) else { return [] }
        let operatorActor = RecordActor.staff(ActingStaff(username: "operator", role: .operator, areaCode: countyArea.code))
        let total = perYear * days / 365
        // Report instants: working hours mostly, over the period, in order.
        let start = end.addingTimeInterval(-Double(days) * 86_400)
        var instants: [Date] = []
        while instants.count < total {
            let t = start.addingTimeInterval(rng.uniform(0, end.timeIntervalSince(start)))
            let working = calendar.isWorkday(calendar.civilDate(of: t))
            let hour = Calendar.hourIn(t, calendar.timeZone)
            if (working && (8...17).contains(hour)) || rng.chance(0.08) { instants.append(t) }
        }
        instants.sort()
        var load: [String: Int] = [:]
        var out: [SimulatedMediation] = []
        var day = -1, sequence = 0
        for (index, registeredAt) in instants.enumerated() {
            let civil = calendar.civilDate(of: registeredAt)
            if civil.dayNumber != day { day = civil.dayNumber; sequence = 0 }
            sequence += 1
            let grid = rng.pick(grids)
            let chain = j.chain(from: grid.code).map { AreaRef(code: $0.code, level: $0.level) }
            let type = weighted(types, &rng)
            let many = rng.chance(0.05)
            let amountYuan = type == "neighbour" || type == "marriage_family" ? (rng.chance(0.4) ? Double(rng.between(1, 50)) * 100 : 0)
                : (rng.early(5, 1_500) * 100).rounded()
            var parties = [MediationParty(role: .applicant, kind: .person, name: people.name(), phone: "13" + String(format: "%09d", rng.below(1_000_000_000))),
                           MediationParty(role: .respondent, kind: type == "labour_wages" || type == "property" ? .organisation : .person,
                                          name: type == "labour_wages" ? "某建筑公司" : type == "property" ? "某物业公司" : people.name(), phone: nil)]
            if rng.chance(0.1) { parties.append(MediationParty(role: .thirdParty, kind: .person, name: people.name(), phone: nil)) }
            let registration = MediationRegistration(
                code: CaseCodes.caseCode(prefix: "TJ", day: civil, sequence: sequence), typeCode: type,
                description: (catalogue.type(type)?.name ?? "矛盾") + "纠纷，双方协商未果，申请调解", areas: chain, tier: .grid,
                channel: rng.chance(0.9) ? .people : (rng.chance(0.5) ? .administrative : .judicial), source: weighted(sources, &rng),
                caseID: nil, parties: parties, amount: Fen(amountYuan * 100), peopleCount: many ? rng.between(5, 30) : 2 + (parties.count - 2),
                threatOfViolence: rng.chance(0.01))
            guard var life = try? Life(MediationLifecycle.register(registration, catalogue: catalogue, actor: operatorActor, at: registeredAt)) else { continue }
            life.run(pool: pool, load: &load, rng: &rng, calendar: calendar, end: end, operatorActor: operatorActor, simple: rng.chance(0.55))
            out.append(SimulatedMediation(records: life.records, snapshot: life.snapshot))
            if (index + 1) % 1_000 == 0 || index + 1 == instants.count { progress?(index + 1, instants.count) }
        }
        return out
    }

    static func weighted<T>(_ table: [(T, Double)], _ rng: inout HistoryRandom) -> T {
        var x = rng.uniform(0, table.reduce(0) { $0 + $1.1 })
        for (item, w) in table { if x < w { return item }; x -= w }
        return table[table.count - 1].0
    }

    /// One dispute's life in simulated time.
    struct Life {
        var snapshot: MediationSnapshot
        var records: [MediationRecord]
        var now: Date

        init(_ step: LifecycleStep<MediationLifecycle>) {
            snapshot = step.snapshot
            records = [step.record]
            now = step.record.at
        }

        /// Applies `command` at `at` (after the clock job has looked at the case), unless `at` is past the end;
        /// false when the simulation stops here.
        mutating func step(_ command: MediationCommand, by actor: RecordActor, at: Date, end: Date, calendar: WorkingCalendar) -> Bool {
            guard at <= end else { return false }
            for s in MediationLifecycle.clockSteps(snapshot, now: at, calendar: calendar) { take(s) }
            guard let s = try? MediationLifecycle.apply(command, to: snapshot, actor: actor, at: at, calendar: calendar) else { return false }
            take(s)
            return true
        }

        mutating func take(_ s: LifecycleStep<MediationLifecycle>) {
            snapshot = s.snapshot
            records.append(s.record)
            now = s.record.at
        }

        mutating func run(pool: [DemoMediator], load: inout [String: Int], rng: inout HistoryRandom, calendar: WorkingCalendar, end: Date,
                          operatorActor: RecordActor, simple: Bool) {
            func later(_ low: Double, _ high: Double) -> Date { calendar.adding(workingSeconds: Int(rng.uniform(low, high) * 3_600), to: now) }
            func calendarLater(days low: Int, _ high: Int) -> Date { now.addingTimeInterval(Double(rng.between(low, high)) * 86_400 + rng.uniform(0, 6 * 3_600)) }
            var tierMediators: [DemoMediator] = []
            func committee() -> [DemoMediator] {
                let code = snapshot.committeeArea.code
                let level = snapshot.committeeArea.level
                // Grid and village tiers are the township's mediators; the township's own; the county's at the top.
                let servingCode = level == .county ? code : snapshot.registration.areas.first { $0.level == .township }?.code ?? code
                return pool.filter { $0.areaCode == servingCode }
            }
            func actor(_ m: DemoMediator) -> RecordActor { .staff(ActingStaff(username: m.id, role: .mediator, areaCode: m.areaCode)) }
            let wanted = MediationCatalogue.standard.type(snapshot.registration.typeCode)?.specialities ?? []
            var sessionsAtTier = 0
            // Accept at the first tier.
            var members = committee()
            guard let first = members.first else { return }
            guard step(.accept(complexity: simple ? .simple : .general), by: actor(first), at: later(0.2, 2), end: end, calendar: calendar) else { return }
            while true {
                // Assign the best-suited, least loaded mediator(s) of the committee.
                members = committee()
                let ranked = members.sorted { a, b in
                    let fa = wanted.firstIndex { a.specialities.contains($0) } ?? 99, fb = wanted.firstIndex { b.specialities.contains($0) } ?? 99
                    return (fa, load[a.id] ?? 0, a.id) < (fb, load[b.id] ?? 0, b.id)
                }
                tierMediators = Array(ranked.prefix(rng.chance(0.2) ? 2 : 1))
                guard let lead = tierMediators.first else { return }
                guard step(.assign(mediators: tierMediators.map(\.id)), by: actor(lead), at: later(0.2, 3), end: end, calendar: calendar) else { return }
                for m in tierMediators { load[m.id, default: 0] += 1 }
                defer { for m in tierMediators { load[m.id, default: 0] -= 1 } }
                sessionsAtTier = 0
                var settled = false
                while sessionsAtTier < 2 {
                    // A general dispute's limit may pass before the next session: both parties agree to more time.
                    let sessionAt = later(simple ? 1 : 3, simple ? 6 : 18)
                    if let due = snapshot.deadline, sessionAt > due, rng.chance(0.5),
                       !step(.extend(days: rng.between(5, 15), applicantConsents: true, respondentConsents: true), by: actor(lead), at: later(0.1, 1), end: end, calendar: calendar) { return }
                    guard step(.scheduleSession(at: sessionAt, place: rng.chance(0.7) ? "村（社区）调解室" : "乡镇调解中心"), by: actor(lead), at: later(0.1, 1), end: end, calendar: calendar) else { return }
                    now = max(now, sessionAt)
                    sessionsAtTier += 1
                    let tierBonus = Double(snapshot.tier.rank) * 0.06
                    let success = rng.chance((simple ? 0.62 : 0.48) + tierBonus)
                    guard step(.recordSession(notes: success ? "双方达成一致意见" : "双方分歧较大，未能达成一致", participants: snapshot.registration.parties.map(\.name)),
                               by: actor(lead), at: later(1, 3), end: end, calendar: calendar) else { return }
                    if rng.chance(0.009) {
                        _ = step(.withdraw(note: "申请人撤回"), by: operatorActor, at: later(1, 8), end: end, calendar: calendar)
                        closeLater(by: operatorActor, rng: &rng, end: end, calendar: calendar)
                        return
                    }
                    if success { settled = true; break }
                }
                if settled { break }
                // Up a tier, or give up.
                if snapshot.tier.next != nil, rng.chance(0.86) {
                    // Escalation itself hands the case to the next tier's committee, taken on (accepted) with a new clock;
                    // the loop assigns its mediators.
                    guard step(.escalate(reason: "本级调解未成，提交上一级"), by: actor(lead), at: later(0.5, 4), end: end, calendar: calendar) else { return }
                    continue
                }
                let route = DemoMediation.weighted([(FailureRoute.court, 6.0), (.arbitration, 2), (.administrative, 2)], &rng)
                _ = step(.fail(route: route, note: "告知当事人依法" + (route == .court ? "起诉" : route == .arbitration ? "申请仲裁" : "向行政机关反映")),
                         by: actor(lead), at: later(0.5, 4), end: end, calendar: calendar)
                if rng.chance(0.5) { _ = step(.followUp(result: .recurred, notes: "仍在诉讼中"), by: actor(lead), at: calendarLater(days: 7, 20), end: end, calendar: calendar) }
                closeLater(by: operatorActor, rng: &rng, end: end, calendar: calendar)
                return
            }
            // The agreement, its performance, judicial confirmation and the follow-up visit.
            let lead = tierMediators[0]
            let agreedDay = calendar.civilDate(of: later(0.5, 2))
            let amount = snapshot.registration.amount
            var terms = [AgreementTerm(obligor: snapshot.registration.parties[1].name, description: amount > 0 ? "分期支付赔偿款" : "停止侵害、赔礼道歉",
                                       amount: amount > 0 ? max(100, Fen(Double(amount) * rng.uniform(0.3, 1))) : 0, dueDate: agreedDay.adding(days: rng.between(7, 45)))]
            if rng.chance(0.2) { terms.append(AgreementTerm(obligor: snapshot.registration.parties[0].name, description: "撤回其他投诉", amount: 0, dueDate: agreedDay.adding(days: 7))) }
            guard step(.agree(terms: terms), by: actor(lead), at: later(0.5, 2), end: end, calendar: calendar) else { return }
            guard let agreed = snapshot.agreedOn else { return }
            // Confirmation first (it must come within 30 days), then performance by the due date, then a visit.
            if rng.chance(0.28) {
                let on = agreed.adding(days: rng.between(1, 25))
                let at = calendar.start(of: on).addingTimeInterval(10 * 3_600)
                if step(.applyConfirmation(appliedOn: on, court: "县人民法院"), by: operatorActor, at: max(at, now), end: end, calendar: calendar) {
                    _ = step(rng.chance(0.96) ? .confirm : .refuseConfirmation(reason: "协议部分条款不符合法律规定"), by: operatorActor,
                             at: calendarLater(days: 3, 12), end: end, calendar: calendar)
                }
            }
            for (i, t) in terms.enumerated() where t.amount > 0 {
                let paid = rng.chance(0.93) ? t.amount : (rng.chance(0.6) ? t.amount / 2 : 0)
                guard paid > 0 else { continue }
                let day = t.dueDate.adding(days: -rng.between(0, 5))
                let at = max(calendar.start(of: day).addingTimeInterval(11 * 3_600), now)
                _ = step(.recordPerformance(TermPerformance(term: i, amount: paid, performedOn: calendar.civilDate(of: at))), by: actor(lead), at: at, end: end, calendar: calendar)
            }
            if rng.chance(0.85) {
                _ = step(.followUp(result: rng.chance(0.97) ? .settled : .recurred, notes: "回访：双方关系平稳"), by: actor(lead),
                         at: calendarLater(days: 10, 30), end: end, calendar: calendar)
            }
            closeLater(by: operatorActor, rng: &rng, end: end, calendar: calendar)
        }

        mutating func closeLater(by actor: RecordActor, rng: inout HistoryRandom, end: Date, calendar: WorkingCalendar) {
            _ = step(.close, by: actor, at: now.addingTimeInterval(Double(rng.between(1, 5)) * 86_400), end: end, calendar: calendar)
        }
    }
}

extension Calendar {
    static func hourIn(_ t: Date, _ zone: TimeZone) -> Int {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        return c.component(.hour, from: t)
    }
}
