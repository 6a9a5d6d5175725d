import Foundation
import Testing

@testable import WanggeCore

/// The mediation case's rules: the whole life with escalation through the tiers and an extension with consent,
/// who may act, bad input named by field, the 30-day confirmation window on the calendar (not working) clock, the
/// clock job, and the measures against a hand count.
@Suite("Mediation")
struct MediationLifecycleTests {
    let calendar = CalendarFixture.calendar
    func at(_ text: String) -> Date { CalendarFixture.instant(text) }
    static let areas = [AreaRef(code: "C01001001", level: .grid), AreaRef(code: "C01001", level: .village),
                        AreaRef(code: "C01", level: .township), AreaRef(code: "C", level: .county)]
    let op = RecordActor.staff(ActingStaff(username: "op", role: .operator, areaCode: "C01"))
    let gridMediator = RecordActor.staff(ActingStaff(username: "m-grid", role: .mediator, areaCode: "C01001001"))
    let townMediator = RecordActor.staff(ActingStaff(username: "m-town", role: .mediator, areaCode: "C01"))
    let otherMediator = RecordActor.staff(ActingStaff(username: "m-other", role: .mediator, areaCode: "C02"))
    let leader = RecordActor.staff(ActingStaff(username: "lead", role: .leader, areaCode: "C"))

    func registration(amount: Fen = 500_000, people: Int = 2, parties: [MediationParty]? = nil, type: String = "neighbour") -> MediationRegistration {
        MediationRegistration(code: "TJ-20261116-000001", typeCode: type, description: "宅基地边界争执", areas: Self.areas, tier: .grid,
                              channel: .people, source: .walkIn, caseID: nil,
                              parties: parties ?? [MediationParty(role: .applicant, kind: .person, name: "张三", phone: "13812345678"),
                                                   MediationParty(role: .respondent, kind: .person, name: "李四", phone: nil)],
                              amount: amount, peopleCount: people, threatOfViolence: false)
    }

    struct Life {
        var snapshot: MediationSnapshot
        var records: [MediationRecord]
        mutating func take(_ step: LifecycleStep<MediationLifecycle>) { snapshot = step.snapshot; records.append(step.record) }
    }

    func registered(_ r: MediationRegistration? = nil, when: String = "2026-11-16 09:00") throws -> Life {
        let step = try MediationLifecycle.register(r ?? registration(), catalogue: .standard, actor: op, at: at(when))
        return Life(snapshot: step.snapshot, records: [step.record])
    }

    func act(_ life: inout Life, _ command: MediationCommand, by actor: RecordActor, _ when: String) throws {
        life.take(try MediationLifecycle.apply(command, to: life.snapshot, actor: actor, at: at(when), calendar: calendar))
        #expect(try MediationLifecycle.replay(life.records) == life.snapshot, "the snapshot is the replay of its records")
    }

    @Test func aDisputeClimbsTheTiersIsExtendedWithConsentAgreedConfirmedAndFollowedUp() throws {
        var life = try registered()
        #expect(life.snapshot.committeeArea.code == "C01001001" && life.snapshot.tier == .grid)
        try act(&life, .accept(complexity: .simple), by: gridMediator, "2026-11-16 09:10")
        #expect(life.snapshot.deadline == at("2026-11-17 09:10"), "a simple dispute has one working day")
        try act(&life, .assign(mediators: ["m-grid"]), by: gridMediator, "2026-11-16 09:20")
        try act(&life, .scheduleSession(at: at("2026-11-16 14:00"), place: "村委会"), by: gridMediator, "2026-11-16 09:30")
        try act(&life, .recordSession(notes: "双方各执一词", participants: ["张三", "李四"]), by: gridMediator, "2026-11-16 15:00")
        // The grid cannot settle it: to the village, then to the township (each takes it on afresh).
        try act(&life, .escalate(reason: "涉及村集体土地"), by: gridMediator, "2026-11-16 16:00")
        #expect(life.snapshot.tier == .village && life.snapshot.committeeArea.code == "C01001" && life.snapshot.state == .accepted)
        #expect(life.snapshot.mediators.isEmpty)
        #expect(throws: MediationRuleError.self) { try MediationLifecycle.apply(.scheduleSession(at: at("2026-11-17 09:00"), place: "x"), to: life.snapshot, actor: gridMediator, at: at("2026-11-16 16:10"), calendar: calendar) }
        try act(&life, .escalate(reason: "需镇调委会主持"), by: op, "2026-11-17 10:00")
        #expect(life.snapshot.tier == .township && life.snapshot.committeeArea.code == "C01")
        try act(&life, .assign(mediators: ["m-town"]), by: townMediator, "2026-11-17 10:10")
        let before = try #require(life.snapshot.deadline)
        #expect(throws: MediationRuleError.invalidField(field: "consent", reason: "needs both parties' consent")) {
            try MediationLifecycle.apply(.extend(days: 10, applicantConsents: true, respondentConsents: false), to: life.snapshot, actor: townMediator, at: at("2026-11-17 11:00"), calendar: calendar)
        }
        try act(&life, .extend(days: 10, applicantConsents: true, respondentConsents: true), by: townMediator, "2026-11-17 11:00")
        #expect(life.snapshot.deadline == before.addingTimeInterval(10 * 86_400) && life.snapshot.extensionDays == 10)
        try act(&life, .scheduleSession(at: at("2026-11-18 09:00"), place: "镇调委会"), by: townMediator, "2026-11-17 11:10")
        try act(&life, .recordSession(notes: "达成一致", participants: ["张三", "李四", "村主任"]), by: townMediator, "2026-11-18 11:00")
        let terms = [AgreementTerm(obligor: "李四", description: "拆除越界围墙并赔偿", amount: 300_000, dueDate: CivilDate("2026-12-18")!)]
        try act(&life, .agree(terms: terms), by: townMediator, "2026-11-18 11:30")
        #expect(life.snapshot.state == .agreed && life.snapshot.agreedOn == CivilDate("2026-11-18") && life.snapshot.deadline == nil)
        try act(&life, .recordPerformance(TermPerformance(term: 0, amount: 300_000, performedOn: CivilDate("2026-11-20")!)), by: townMediator, "2026-11-20 10:00")
        try act(&life, .applyConfirmation(appliedOn: CivilDate("2026-11-21")!, court: "县人民法院"), by: op, "2026-11-21 10:00")
        try act(&life, .confirm, by: op, "2026-11-25 10:00")
        try act(&life, .followUp(result: .settled, notes: "未再发生"), by: townMediator, "2026-12-20 10:00")
        try act(&life, .close, by: op, "2026-12-20 10:10")
        #expect(life.snapshot.state == .closed && life.snapshot.amountPaid == 300_000 && life.snapshot.confirmation?.confirmed == true)
        #expect(MediationLifecycle.allowedActions(for: life.snapshot, actor: op).isEmpty)
        // Above the county there is nothing.
        var top = try registered()
        for (who, when) in [(op, "2026-11-16 09:10"), (op, "2026-11-16 09:20"), (op, "2026-11-16 09:30")] { try act(&top, .escalate(reason: "上交"), by: who, when) }
        #expect(top.snapshot.tier == .county)
        #expect(throws: MediationRuleError.self) { try MediationLifecycle.apply(.escalate(reason: "再上交"), to: top.snapshot, actor: op, at: at("2026-11-16 10:00"), calendar: calendar) }
    }

    @Test func onlyTheRightPeopleActAndARefusalListsWhatIsAllowed() throws {
        var life = try registered()
        // A mediator of another township: not theirs.
        #expect(throws: MediationRuleError.self) { try MediationLifecycle.apply(.accept(complexity: .general), to: life.snapshot, actor: otherMediator, at: at("2026-11-16 09:10"), calendar: calendar) }
        try act(&life, .accept(complexity: .general), by: op, "2026-11-16 09:10")
        #expect(life.snapshot.deadline == at("2026-11-19 09:10"), "a general dispute has three working days")
        try act(&life, .assign(mediators: ["m-grid"]), by: op, "2026-11-16 09:20")
        // The township's mediator is not assigned: may not agree for the grid's case.
        let refused = Result { () throws(MediationRuleError) in
            try MediationLifecycle.apply(.agree(terms: [AgreementTerm(obligor: "李四", description: "道歉", amount: 0, dueDate: CivilDate("2026-11-20")!)]),
                                         to: life.snapshot, actor: townMediator, at: at("2026-11-16 10:00"), calendar: calendar)
        }
        guard case .failure(let error) = refused, case .notAllowed(let action, let state, _, let allowed) = error else {
            Issue.record("an unassigned mediator agreed")
            return
        }
        #expect(action == .agree && state == .mediating && !allowed.contains(.agree))
        // Leaders supervise, and only that.
        #expect(MediationLifecycle.allowedActions(for: life.snapshot, actor: leader) == [.supervise])
        try act(&life, .supervise(.leader, note: "请尽快化解"), by: leader, "2026-11-16 11:00")
    }

    @Test func badInputIsNamedAndNothingIsRecorded() throws {
        func refusal(_ r: MediationRegistration) -> String? {
            do { _ = try MediationLifecycle.register(r, catalogue: .standard, actor: op, at: at("2026-11-16 09:00")); return nil } catch { return error.field }
        }
        #expect(refusal(registration(type: "astrology")) == "type_code")
        #expect(refusal(registration(parties: [])) == "parties")
        #expect(refusal(registration(parties: [MediationParty(role: .respondent, kind: .person, name: "李四", phone: nil)])) == "parties")
        #expect(refusal(registration(amount: -1)) == "amount_yuan")
        #expect(refusal(registration(people: 0)) == "people_count")
        var life = try registered()
        try act(&life, .accept(complexity: .general), by: op, "2026-11-16 09:10")
        try act(&life, .assign(mediators: ["m-grid"]), by: op, "2026-11-16 09:20")
        func agreeing(_ terms: [AgreementTerm]) -> String? {
            do { _ = try MediationLifecycle.apply(.agree(terms: terms), to: life.snapshot, actor: gridMediator, at: at("2026-11-17 10:00"), calendar: calendar); return nil } catch { return error.field }
        }
        #expect(agreeing([]) == "terms")
        #expect(agreeing([AgreementTerm(obligor: "李四", description: "赔偿", amount: 100, dueDate: CivilDate("2026-11-16")!)]) == "terms[0].due_date")
        #expect(agreeing([AgreementTerm(obligor: "李四", description: "赔偿", amount: -100, dueDate: CivilDate("2026-11-30")!)]) == "terms[0].amount_yuan")
        #expect(agreeing([AgreementTerm(obligor: " ", description: "赔偿", amount: 100, dueDate: CivilDate("2026-11-30")!)]) == "terms[0].obligor")
    }

    @Test func confirmationMustBeAppliedForWithin30CalendarDaysEvenAcrossTheNationalDayHoliday() throws {
        var life = try registered(when: "2026-09-18 09:00")
        try act(&life, .accept(complexity: .simple), by: op, "2026-09-18 09:10")
        try act(&life, .assign(mediators: ["m-grid"]), by: op, "2026-09-18 09:20")
        try act(&life, .agree(terms: [AgreementTerm(obligor: "李四", description: "赔偿", amount: 100_000, dueDate: CivilDate("2026-10-30")!)]), by: gridMediator, "2026-09-21 10:00")
        #expect(life.snapshot.agreedOn == CivilDate("2026-09-21"))
        // 30 days on the calendar: the 7 days off of 国庆 (Oct 1–7) do not lengthen it; the last day is Oct 21.
        func applying(_ day: String) throws -> MediationSnapshot {
            try MediationLifecycle.apply(.applyConfirmation(appliedOn: CivilDate(day)!, court: "县人民法院"), to: life.snapshot, actor: op,
                                         at: at("2026-10-25 10:00"), calendar: calendar).snapshot
        }
        #expect(try applying("2026-10-21").confirmation?.appliedOn == CivilDate("2026-10-21"))
        #expect(throws: MediationRuleError.self) { try applying("2026-10-22") }
        #expect(throws: MediationRuleError.self) { try applying("2026-09-20") }
    }

    @Test func theClockJobSupervisesALateMediationOncePerTier() throws {
        var life = try registered()
        try act(&life, .accept(complexity: .simple), by: op, "2026-11-16 09:10")
        #expect(MediationLifecycle.clockSteps(life.snapshot, now: at("2026-11-17 09:00"), calendar: calendar).isEmpty)
        let steps = MediationLifecycle.clockSteps(life.snapshot, now: at("2026-11-17 09:11"), calendar: calendar)
        #expect(steps.map(\.record.kind) == [.supervise])
        let raise = try #require(steps.first.flatMap { SupervisionRaise($0) })
        #expect(raise.reason == .mediationLate)
        life.take(try #require(steps.first))
        #expect(MediationLifecycle.clockSteps(life.snapshot, now: at("2026-11-20 09:00"), calendar: calendar).isEmpty, "once per tier")
        try act(&life, .escalate(reason: "超期未化解"), by: op, "2026-11-20 09:10")
        #expect(MediationLifecycle.clockSteps(life.snapshot, now: at("2026-11-30 09:00"), calendar: calendar).map(\.record.kind) == [.supervise],
                "the next tier's stage may be supervised again")
    }

    @Test func measuresOnAHandBuiltHistoryEqualTheHandCount() throws {
        // Four disputes in November: A agreed at its first tier and paid 3,000 of 3,000 yuan, confirmed;
        // B escalated then agreed (1,000 agreed, 400 paid), confirmation refused; C failed; D withdrawn;
        // E registered in November and still open; F registered in October, agreed in November.
        var lives: [Life] = []
        var a = try registered(registration(amount: 300_000, people: 2), when: "2026-11-02 09:00")
        try act(&a, .accept(complexity: .simple), by: op, "2026-11-02 09:10"); try act(&a, .assign(mediators: ["m-grid"]), by: op, "2026-11-02 09:20")
        try act(&a, .agree(terms: [AgreementTerm(obligor: "李四", description: "赔偿", amount: 300_000, dueDate: CivilDate("2026-11-30")!)]), by: gridMediator, "2026-11-03 10:00")
        try act(&a, .recordPerformance(TermPerformance(term: 0, amount: 300_000, performedOn: CivilDate("2026-11-10")!)), by: gridMediator, "2026-11-10 10:00")
        try act(&a, .applyConfirmation(appliedOn: CivilDate("2026-11-05")!, court: "县法院"), by: op, "2026-11-05 10:00")
        try act(&a, .confirm, by: op, "2026-11-12 10:00")
        lives.append(a)
        var b = try registered(registration(amount: 100_000, people: 6), when: "2026-11-03 09:00")
        try act(&b, .accept(complexity: .general), by: op, "2026-11-03 09:10"); try act(&b, .escalate(reason: "人数多"), by: op, "2026-11-03 09:20")
        try act(&b, .assign(mediators: ["m-town"]), by: op, "2026-11-03 09:30")
        try act(&b, .agree(terms: [AgreementTerm(obligor: "某公司", description: "补发工资", amount: 100_000, dueDate: CivilDate("2026-12-30")!)]), by: townMediator, "2026-11-04 10:00")
        try act(&b, .recordPerformance(TermPerformance(term: 0, amount: 40_000, performedOn: CivilDate("2026-11-20")!)), by: townMediator, "2026-11-20 10:00")
        try act(&b, .applyConfirmation(appliedOn: CivilDate("2026-11-06")!, court: "县法院"), by: op, "2026-11-06 10:00")
        try act(&b, .refuseConfirmation(reason: "协议内容违法"), by: op, "2026-11-13 10:00")
        lives.append(b)
        var c = try registered(registration(amount: 0, people: 3), when: "2026-11-04 09:00")
        try act(&c, .accept(complexity: .general), by: op, "2026-11-04 09:10"); try act(&c, .assign(mediators: ["m-grid"]), by: op, "2026-11-04 09:20")
        try act(&c, .fail(route: .court, note: nil), by: gridMediator, "2026-11-05 10:00")
        lives.append(c)
        var d = try registered(registration(amount: 50_000, people: 2), when: "2026-11-05 09:00")
        try act(&d, .withdraw(note: "自行和解"), by: op, "2026-11-06 09:00")
        lives.append(d)
        lives.append(try registered(registration(amount: 20_000, people: 4), when: "2026-11-20 09:00"))
        var f = try registered(registration(amount: 70_000, people: 2), when: "2026-10-28 09:00")
        try act(&f, .accept(complexity: .general), by: op, "2026-10-28 09:10"); try act(&f, .assign(mediators: ["m-grid"]), by: op, "2026-10-28 09:20")
        try act(&f, .agree(terms: [AgreementTerm(obligor: "李四", description: "赔偿", amount: 70_000, dueDate: CivilDate("2026-12-01")!)]), by: gridMediator, "2026-11-02 10:00")
        lives.append(f)

        let november = DateInterval(start: at("2026-11-01 00:00"), end: at("2026-12-01 00:00"))
        var total = MediationCounts()
        for l in lives { total.add(MediationMeasures.counts(l.records, period: november, calendar: calendar)) }
        #expect(total.received == 5)                       // A B C D E (F was October's)
        #expect(total.amountInvolved == 300_000 + 100_000 + 0 + 50_000 + 20_000)
        #expect(total.peopleInvolved == 2 + 6 + 3 + 2 + 4)
        #expect(total.concluded == 5 && total.agreements == 3 && total.failed == 1 && total.withdrawn == 1)  // A B C D F
        #expect(total.success == Measure(numerator: 3, denominator: 5))
        #expect(total.firstTier == Measure(numerator: 2, denominator: 3))  // A and F; B climbed
        #expect(total.confirmation == Measure(numerator: 1, denominator: 2))
        #expect(total.amountAgreed == 300_000 + 100_000 + 70_000 && total.amountPaid == 340_000)
        let october = DateInterval(start: at("2026-10-01 00:00"), end: at("2026-11-01 00:00"))
        var oct = MediationCounts()
        for l in lives { oct.add(MediationMeasures.counts(l.records, period: october, calendar: calendar)) }
        #expect(oct.received == 1 && oct.concluded == 0 && oct.success.rate == nil)
        // The risk of escalation: many people (B has 6) or a threat of violence.
        #expect(b.snapshot.riskOfEscalation && !a.snapshot.riskOfEscalation)
    }
}

@Suite("Mediation catalogue file")
struct MediationCatalogueFileTests {
    @Test func aCountysFileIsReadAndEveryProblemIsNamed() throws {
        let good = #"{"types": [{"code": "water", "name": "用水纠纷", "name_en": "Water", "category_codes": ["0603"], "specialities": ["elder"]}], "specialities": [{"code": "elder", "name": "老党员", "name_en": "Veteran member"}]}"#
        let c = try MediationCatalogue.decode(from: Data(good.utf8))
        #expect(c.types.map(\.code) == ["water"] && c.type(forCategory: "0603")?.code == "water" && c.speciality("elder") != nil)
        func problem(_ json: String) -> String {
            do { _ = try MediationCatalogue.decode(from: Data(json.utf8)); return "" } catch { return "\(error)" }
        }
        #expect(problem("not json").contains("not the catalogue's JSON"))
        #expect(problem(#"{"types": [], "specialities": []}"#).contains("no types"))
        let twice = problem(#"{"types": [{"code": "a", "name": "甲", "name_en": "A", "specialities": ["x"]}, {"code": "a", "name": "乙", "name_en": "B"}], "specialities": []}"#)
        #expect(twice.contains("type code a appears twice") && twice.contains("names speciality x"))
        #expect(problem(#"{"types": [{"code": "a", "name": "甲", "name_en": "A", "category_codes": ["0601"]}, {"code": "b", "name": "乙", "name_en": "B", "category_codes": ["0601"]}], "specialities": []}"#)
            .contains("category 0601 opens as more than one type"))
    }
}
