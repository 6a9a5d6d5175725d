import Foundation

/// The mediation measures of a period (issue 12; DESIGN §5's 调解成功率), counted from snapshots, each rate with
/// its numerator and denominator:
/// - received: registered in the period; their amounts and people involved;
/// - concluded: ended (agreement, no agreement, withdrawn) in the period; agreements among them;
/// - success rate = agreements / concluded;
/// - settled at the first tier = agreements reached at the tier the dispute was registered at / agreements;
/// - confirmation rate = confirmed / decided (confirmed or refused) applications, decided in the period;
/// - paid: performance recorded in the period, against the agreed amounts of the agreements it belongs to.
public struct MediationCounts: Hashable, Sendable, Codable {
    public var received = 0
    public var amountInvolved: Fen = 0
    public var peopleInvolved = 0
    public var concluded = 0
    public var agreements = 0
    public var failed = 0
    public var withdrawn = 0
    public var settledAtFirstTier = 0
    public var confirmationsDecided = 0
    public var confirmed = 0
    public var amountAgreed: Fen = 0
    public var amountPaid: Fen = 0

    public init() {}

    public var success: Measure { Measure(numerator: agreements, denominator: concluded) }
    public var firstTier: Measure { Measure(numerator: settledAtFirstTier, denominator: agreements) }
    public var confirmation: Measure { Measure(numerator: confirmed, denominator: confirmationsDecided) }

    /// Field by field, saturating (`Fen.saturatingAdd`): amounts and people come from stored input, and a dashboard
    /// must not trap however large they are; the counts of records saturate too, for one rule.
    public mutating func add(_ o: MediationCounts) {
        func sum(_ a: inout Int, _ b: Int) { a = Fen.saturatingAdd(a, b) }
        sum(&received, o.received); sum(&amountInvolved, o.amountInvolved); sum(&peopleInvolved, o.peopleInvolved)
        sum(&concluded, o.concluded); sum(&agreements, o.agreements); sum(&failed, o.failed); sum(&withdrawn, o.withdrawn)
        sum(&settledAtFirstTier, o.settledAtFirstTier); sum(&confirmationsDecided, o.confirmationsDecided); sum(&confirmed, o.confirmed)
        sum(&amountAgreed, o.amountAgreed); sum(&amountPaid, o.amountPaid)
    }
}

public enum MediationMeasures {
    /// The same counts from the snapshot alone (it keeps every instant the measures look at), so a store can count
    /// a year without decoding every action; a test holds both equal on the demo's year.
    public static func counts(_ s: MediationSnapshot, period: DateInterval, calendar: WorkingCalendar) -> MediationCounts {
        var c = MediationCounts()
        func inPeriod(_ t: Date) -> Bool { t >= period.start && t < period.end }
        if inPeriod(s.registeredAt) {
            c.received = 1
            c.amountInvolved = s.registration.amount
            c.peopleInvolved = s.registration.peopleCount
        }
        if let concluded = s.concludedAt, inPeriod(concluded) {
            c.concluded = 1
            if s.agreedOn != nil {
                c.agreements = 1
                c.amountAgreed = s.terms.saturatingSum(of: \.amount)
                // Escalations after the agreement cannot happen (an agreed case is concluded).
                if s.escalations.isEmpty { c.settledAtFirstTier = 1 }
            } else if s.failureRoute != nil {
                c.failed = 1
            } else {
                c.withdrawn = 1
            }
        }
        if let conf = s.confirmation, let decided = conf.decidedAt, let ok = conf.confirmed, inPeriod(decided) {
            c.confirmationsDecided = 1
            if ok { c.confirmed = 1 }
        }
        let days = calendar.civilDate(of: period.start)..<calendar.civilDate(of: period.end)
        c.amountPaid = s.performances.lazy.filter { days.contains($0.performedOn) }.saturatingSum(of: \.amount)
        return c
    }

    /// What one mediation case adds to the counts of `period`, as its records tell (so a case changed after the
    /// period counts as it stood: the records carry their instants). `calendar` reads performance dates.
    public static func counts(_ records: [MediationRecord], period: DateInterval, calendar: WorkingCalendar) -> MediationCounts {
        var c = MediationCounts()
        guard let first = records.first, case .registration(let r)? = first.detail else { return c }
        if period.contains(first.at) && first.at < period.end {
            c.received = 1
            c.amountInvolved = r.amount
            c.peopleInvolved = r.peopleCount
        }
        var escalated = false
        var agreedAmount: Fen = 0
        let days = calendar.civilDate(of: period.start)..<calendar.civilDate(of: period.end)
        for rec in records.dropFirst() {
            if rec.kind == .escalate { escalated = true }
            if case .agreement(let terms, _)? = rec.detail { agreedAmount = terms.saturatingSum(of: \.amount) }
            let inPeriod = rec.at >= period.start && rec.at < period.end
            if rec.toState.isConcluded && !(rec.fromState?.isConcluded ?? false) && inPeriod {
                c.concluded += 1
                switch rec.toState {
                case .agreed:
                    c.agreements += 1
                    c.amountAgreed = Fen.saturatingAdd(c.amountAgreed, agreedAmount)
                    if !escalated { c.settledAtFirstTier += 1 }
                case .failed: c.failed += 1
                default: c.withdrawn += 1
                }
            }
            if case .confirmationDecided(let confirmed, _)? = rec.detail, inPeriod {
                c.confirmationsDecided += 1
                if confirmed { c.confirmed += 1 }
            }
            if case .performance(let p)? = rec.detail, days.contains(p.performedOn) { c.amountPaid = Fen.saturatingAdd(c.amountPaid, p.amount) }
        }
        return c
    }
}
