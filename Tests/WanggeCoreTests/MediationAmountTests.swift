import Foundation
import Testing

@testable import WanggeCore

/// Mediation amounts can never trap: input past `MediationLimits` is refused by field when it is entered, a payment
/// may not pass what remains unpaid of its term, and every sum of stored amounts saturates, so that no history —
/// not even one older than the bounds — can stop the measures.
@Suite("Mediation amounts")
struct MediationAmountTests {
    let calendar = CalendarFixture.calendar
    func at(_ text: String) -> Date { CalendarFixture.instant(text) }
    static let areas = MediationLifecycleTests.areas
    let op = RecordActor.staff(ActingStaff(username: "op", role: .operator, areaCode: "C01"))
    let mediator = RecordActor.staff(ActingStaff(username: "m-grid", role: .mediator, areaCode: "C01001001"))
    static let max = MediationLimits.maximumAmount

    func registration(amount: Fen = 500_000, people: Int = 2) -> MediationRegistration {
        MediationRegistration(code: "TJ-20261116-000001", typeCode: "neighbour", description: "欠款纠纷", areas: Self.areas, tier: .grid,
                              channel: .people, source: .walkIn, caseID: nil,
                              parties: [MediationParty(role: .applicant, kind: .person, name: "张三", phone: nil),
                                        MediationParty(role: .respondent, kind: .person, name: "李四", phone: nil)],
                              amount: amount, peopleCount: people, threatOfViolence: false)
    }

    func term(_ amount: Fen) -> AgreementTerm {
        AgreementTerm(obligor: "李四", description: "分期付款", amount: amount, dueDate: CivilDate("2026-12-30")!)
    }

    /// Registered, accepted and assigned: ready to agree.
    func mediating(_ r: MediationRegistration? = nil) throws -> (MediationSnapshot, [MediationRecord]) {
        var step = try MediationLifecycle.register(r ?? registration(), catalogue: .standard, actor: op, at: at("2026-11-16 09:00"))
        var records = [step.record]
        for (command, when) in [(MediationCommand.accept(complexity: .general), "2026-11-16 09:10"), (.assign(mediators: ["m-grid"]), "2026-11-16 09:20")] {
            step = try MediationLifecycle.apply(command, to: step.snapshot, actor: op, at: at(when), calendar: calendar)
            records.append(step.record)
        }
        return (step.snapshot, records)
    }

    func registrationRefusal(_ r: MediationRegistration) -> MediationRuleError? {
        do { _ = try MediationLifecycle.register(r, catalogue: .standard, actor: op, at: at("2026-11-16 09:00")); return nil } catch { return error }
    }

    func agreementRefusal(_ terms: [AgreementTerm]) throws -> MediationRuleError? {
        let (s, _) = try mediating()
        do { _ = try MediationLifecycle.apply(.agree(terms: terms), to: s, actor: mediator, at: at("2026-11-17 10:00"), calendar: calendar); return nil } catch { return error }
    }

    @Test func saturatingAdditionStopsAtTheEndsInsteadOfTrapping() {
        #expect(Fen.saturatingAdd(2, 3) == 5)
        #expect(Fen.saturatingAdd(.max, 1) == .max)
        #expect(Fen.saturatingAdd(.max, .max) == .max)
        #expect(Fen.saturatingAdd(.min, -1) == .min)
        #expect(Fen.saturatingAdd(.max, .min) == -1)
        #expect([Int.max, 1, 5].saturatingSum { $0 } == .max)
        #expect([1, 2, 3].saturatingSum { $0 } == 6)
        #expect(MediationLimits.yuanText(1_234_567) == "12345.67" && MediationLimits.yuanText(5) == "0.05" && MediationLimits.yuanText(Self.max) == "10000000000.00")
    }

    @Test func aRegistrationPastTheBoundsIsRefusedNamingTheField() {
        #expect(registrationRefusal(registration(amount: Self.max, people: MediationLimits.maximumPeople)) == nil, "the bounds are inclusive")
        #expect(registrationRefusal(registration(amount: Self.max + 1))?.field == "amount_yuan")
        #expect(registrationRefusal(registration(amount: .max))?.field == "amount_yuan")
        #expect(registrationRefusal(registration(amount: .min))?.field == "amount_yuan")
        #expect(registrationRefusal(registration(people: MediationLimits.maximumPeople + 1))?.field == "people_count")
        #expect(registrationRefusal(registration(people: .max))?.field == "people_count")
        #expect(registrationRefusal(registration(amount: Self.max + 1))?.description.contains("10000000000.00 yuan") == true)
    }

    @Test func anAgreementPastTheBoundsIsRefusedNamingTheField() throws {
        #expect(try agreementRefusal(Array(repeating: term(Self.max), count: MediationLimits.maximumTerms)) == nil, "50 terms at the maximum")
        #expect(try agreementRefusal([term(0), term(Self.max + 1)])?.field == "terms[1].amount_yuan")
        #expect(try agreementRefusal([term(100), term(200), term(.max)])?.field == "terms[2].amount_yuan")
        #expect(try agreementRefusal([term(.min)])?.field == "terms[0].amount_yuan")
        #expect(try agreementRefusal(Array(repeating: term(100), count: MediationLimits.maximumTerms + 1))?.field == "terms")
        #expect(try agreementRefusal([term(0)]) == nil, "a term of no money (an apology) is still a term")
    }

    @Test func aPaymentMayNotPassWhatRemainsUnpaidOfItsTerm() throws {
        var (s, _) = try mediating()
        s = try MediationLifecycle.apply(.agree(terms: [term(100_000), term(0)]), to: s, actor: mediator, at: at("2026-11-17 10:00"), calendar: calendar).snapshot
        func pay(_ amount: Fen, term: Int = 0) throws -> MediationSnapshot {
            try MediationLifecycle.apply(.recordPerformance(TermPerformance(term: term, amount: amount, performedOn: CivilDate("2026-11-18")!)),
                                         to: s, actor: mediator, at: at("2026-11-18 10:00"), calendar: calendar).snapshot
        }
        func refusal(_ amount: Fen, term: Int = 0) -> MediationRuleError? {
            let r = Result { () throws(MediationRuleError) in
                try MediationLifecycle.apply(.recordPerformance(TermPerformance(term: term, amount: amount, performedOn: CivilDate("2026-11-18")!)),
                                             to: s, actor: mediator, at: at("2026-11-18 10:00"), calendar: calendar)
            }
            if case .failure(let e) = r { return e }
            return nil
        }
        #expect(refusal(100_001)?.field == "amount_yuan", "more than the whole term")
        #expect(refusal(.max)?.field == "amount_yuan")
        #expect(refusal(0)?.field == "amount_yuan", "a payment is more than nothing")
        #expect(refusal(-1)?.field == "amount_yuan")
        #expect(refusal(1, term: 1)?.field == "amount_yuan", "a term of no money takes no payment")
        #expect(refusal(1, term: 2)?.field == "term")
        s = try pay(60_000)
        #expect(s.paid(onTerm: 0) == 60_000 && s.unpaid(onTerm: 0) == 40_000)
        let over = refusal(40_001)
        #expect(over?.field == "amount_yuan")
        #expect(over?.description.contains("400.00 yuan") == true, "the refusal says what remains: \(String(describing: over))")
        s = try pay(40_000)
        #expect(s.amountPaid == 100_000 && s.unpaid(onTerm: 0) == 0)
        #expect(refusal(1)?.field == "amount_yuan", "paid in full")
    }

    @Test func aMillionAgreementsOfFiftyTermsAtTheMaximumCountWithoutTrapping() throws {
        var (s, records) = try mediating(registration(amount: Self.max, people: MediationLimits.maximumPeople))
        let terms = Array(repeating: term(Self.max), count: MediationLimits.maximumTerms)
        for command in [MediationCommand.agree(terms: terms), .recordPerformance(TermPerformance(term: 0, amount: Self.max, performedOn: CivilDate("2026-11-20")!))] {
            let step = try MediationLifecycle.apply(command, to: s, actor: mediator, at: at("2026-11-20 10:00"), calendar: calendar)
            s = step.snapshot
            records.append(step.record)
        }
        let november = DateInterval(start: at("2026-11-01 00:00"), end: at("2026-12-01 00:00"))
        let one = MediationMeasures.counts(records, period: november, calendar: calendar)
        #expect(one == MediationMeasures.counts(s, period: november, calendar: calendar), "the snapshot counts as the records do")
        #expect(one.amountAgreed == 50 * Self.max && one.amountInvolved == Self.max && one.amountPaid == Self.max)
        var total = MediationCounts()
        for _ in 0..<1_000_000 { total.add(one) }
        #expect(total.agreements == 1_000_000 && total.received == 1_000_000)
        #expect(total.amountInvolved == 1_000_000 * Self.max, "10^18 fen still fits: exact")
        #expect(total.amountPaid == 1_000_000 * Self.max)
        #expect(total.peopleInvolved == 1_000_000 * MediationLimits.maximumPeople)
        #expect(total.amountAgreed == .max, "5 × 10^19 fen does not fit: saturated, not trapped")
        #expect(total.success == Measure(numerator: 1_000_000, denominator: 1_000_000))
    }

    @Test func aStoredHistoryOlderThanTheBoundsStillCountsWithoutTrapping() throws {
        // Records as an older version could have stored them: nothing checked the amounts then. Replay does not
        // re-check (a history is what happened); the measures must count it anyway.
        var r = registration(amount: .max, people: .max)
        r.code = "TJ-20261116-000002"
        let register = MediationRecord(kind: .register, actor: op, at: at("2026-11-16 09:00"), fromState: nil, toState: .registered, detail: .registration(r))
        let agree = MediationRecord(kind: .agree, actor: op, at: at("2026-11-16 10:00"), fromState: .registered, toState: .agreed,
                                    detail: .agreement(terms: [term(.max), term(.max)], effectiveOn: CivilDate("2026-11-16")!))
        let payments = (0..<3).map { i in
            MediationRecord(kind: .recordPerformance, actor: op, at: at("2026-11-17 10:0\(i)"), fromState: .agreed, toState: .agreed,
                            detail: .performance(TermPerformance(term: 0, amount: .max, performedOn: CivilDate("2026-11-17")!)))
        }
        let records = [register, agree] + payments
        let s = try #require(try MediationLifecycle.replay(records))
        #expect(s.amountPaid == .max && s.paid(onTerm: 0) == .max && s.unpaid(onTerm: 0) == 0)
        let november = DateInterval(start: at("2026-11-01 00:00"), end: at("2026-12-01 00:00"))
        let c = MediationMeasures.counts(records, period: november, calendar: calendar)
        #expect(c == MediationMeasures.counts(s, period: november, calendar: calendar))
        #expect(c.amountAgreed == .max && c.amountPaid == .max && c.amountInvolved == .max && c.peopleInvolved == .max)
        var total = c
        total.add(c)
        #expect(total.amountAgreed == .max && total.peopleInvolved == .max && total.agreements == 2)
        // No further payment can be recorded against it: term 0 is paid (as far as a sum can tell), and a payment is
        // bounded like a term even where the old term was not.
        for (term, amount) in [(0, 1), (1, Fen.max), (1, Self.max + 1)] {
            #expect(throws: MediationRuleError.self) {
                try MediationLifecycle.apply(.recordPerformance(TermPerformance(term: term, amount: amount, performedOn: CivilDate("2026-11-18")!)),
                                             to: s, actor: op, at: self.at("2026-11-18 10:00"), calendar: self.calendar)
            }
        }
    }
}
