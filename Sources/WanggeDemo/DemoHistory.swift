import Foundation
import WanggeCore

/// One case of the demo county's simulated history: the report as submitted and validated, and every step of its
/// life as the state machine recorded it.
public struct SimulatedCase: Sendable, Equatable {
    /// `AL-YYYYMMDD-NNNNNN`: the report's day in the calendar's zone and its number that day, from 1.
    public var code: String
    /// Ten characters of `CaseCodes`' alphabet, unique within one simulation.
    public var trackingCode: String
    /// The report after `CaseIntakeRules.validate`: a point inside a grid, words, source, and the reporter's name
    /// and phone when they gave them.
    public var report: CaseReport
    /// How many photos the report was validated with (grid workers always send one or more; the demo writes no
    /// photo files, so `records` carry no attachment ids).
    public var photoCount: Int
    /// Every action in order, the report first, as `CaseStateMachine.report`, `.apply` and `ClockJob.run` made them.
    public var records: [CaseActionRecord]
    /// The case as it stands at the end of the simulation; always `CaseSnapshot.replay(records)`.
    public var snapshot: CaseSnapshot

    public var reportedAt: Date { records[0].at }
    public var history: CaseHistory { CaseHistory(actions: records) }

    /// The state the case was in at `instant` (nil before it was reported).
    public func state(at instant: Date) -> CaseState? {
        records.last { $0.at <= instant }?.toState
    }
}

/// A year (or any number of days) of cases for the demo county, made by driving the case state machine through
/// simulated time: reports arrive on a seeded schedule (more on workdays and in working hours, seasonal peaks), are
/// validated and routed like real ones, and every step after that (accept, dispatch, sign, resolve, verify, close,
/// feedback, rating, and the side steps) is a `CaseCommand` applied by `CaseStateMachine.apply` at a simulated time,
/// with the clock job run whenever simulated time passes a deadline. Nothing is written by hand, so the measures
/// computed from the records come out of the process.
///
/// Everything follows from the seed: the same inputs give the same cases, record for record.
public enum DemoHistory {
    /// The prefix of the demo county's case codes (安澜).
    public static let codePrefix = "AL"

    /// Simulates `days` days ending just before `end`, about `casesPerYear` cases a year (pro rata), and returns the
    /// cases in the order they were reported. Every action happens before `end`: cases reported in the last days are
    /// still open in various states, as are a few long-overdue ones; everything else is finished. `progress` is
    /// called with (cases done, cases in all) about every 1,000 cases and at the end.
    public static func simulate(county: DemoCounty, catalogue: CategoryCatalogue, calendar: WorkingCalendar,
                                end: Date, days: Int = 365, casesPerYear: Int = 36_000, seed: UInt64 = 0,
                                progress: ((Int, Int) -> Void)? = nil) -> [SimulatedCase] {
        run(county: county, catalogue: catalogue, calendar: calendar, end: end, days: days,
            casesPerYear: casesPerYear, seed: seed, progress: progress).cases
    }

    /// The distinct members of staff who act in `cases`, in order of first appearance. Demo accounts keep their
    /// usernames; the others are made up per centre, department and grid (`op-<area>`, `h-<department>`,
    /// `gw-<grid>`, `gl-<grid>`), for a caller that wants an account row behind every actor.
    public static func staff(in cases: [SimulatedCase]) -> [ActingStaff] {
        var seen: Set<String> = []
        var result: [ActingStaff] = []
        for c in cases {
            for r in c.records {
                if let s = r.actor.staff, seen.insert(s.username).inserted { result.append(s) }
            }
        }
        return result
    }

    /// The simulation with the steps the state machine refused (none, unless the simulation has a bug; a refused step
    /// ends that case's life where it stands).
    static func run(county: DemoCounty, catalogue: CategoryCatalogue, calendar: WorkingCalendar, end requestedEnd: Date,
                    days: Int, casesPerYear: Int, seed: UInt64,
                    progress: ((Int, Int) -> Void)?) -> (cases: [SimulatedCase], problems: [String]) {
        let end = Date(timeIntervalSince1970: requestedEnd.timeIntervalSince1970.rounded(.down))
        let world = HistoryWorld(county: county, catalogue: catalogue, calendar: calendar, seed: seed)
        var rng = HistoryRandom(seed: seed, stream: 1)
        let total = Int((Double(max(0, casesPerYear)) * Double(max(0, days)) / 365).rounded())
        let slots = world.reportSlots(end: end, days: days, total: total, rng: &rng)

        var cases: [SimulatedCase] = []
        cases.reserveCapacity(slots.count)
        var problems: [String] = []
        var trackingCodes: Set<String> = []
        var day = -1, sequence = 0
        for (index, slot) in slots.enumerated() {
            let civil = calendar.civilDate(of: slot.at)
            if civil.dayNumber != day {
                day = civil.dayNumber
                sequence = 0
            }
            sequence += 1
            let code = CaseCodes.caseCode(prefix: codePrefix, day: civil, sequence: sequence)
            var tracking = CaseCodes.trackingCode(using: &rng)
            while !trackingCodes.insert(tracking).inserted { tracking = CaseCodes.trackingCode(using: &rng) }

            var draft = world.draft(slot, rng: &rng)
            var duplicateOf: Int?
            if rng.chance(world.duplicateChance(draft.source)),
               let (target, point) = world.duplicateTarget(in: cases, at: slot.at, rng: &rng) {
                duplicateOf = target
                draft.category = world.catalogue[cases[target].snapshot.intake.categoryCode]!
                draft.point = point
                draft.grid = cases[target].snapshot.intake.areas[0].code
                draft.address = cases[target].report.address
            }
            let report = world.report(for: draft, rng: &rng)
            let photoCount = draft.source == .gridWorker ? 1 + rng.below(3) : (rng.chance(0.35) ? 1 + rng.below(3) : 0)

            let validated: (report: CaseReport, category: Category, location: Location)
            do {
                validated = try CaseIntakeRules.validate(report, catalogue: catalogue, jurisdiction: world.jurisdiction,
                                                         photoCount: photoCount)
            } catch {
                problems.append("\(code): the report was refused: \(error)")
                continue
            }
            let routing: RoutingDecision
            do {
                routing = try world.route(validated.category, validated.location)
            } catch {
                problems.append("\(code): routing failed: \(error)")
                continue
            }
            guard let intake = CaseIntake(code: code, category: validated.category, location: validated.location,
                                          point: validated.report.point, source: validated.report.source,
                                          hasReporter: validated.report.hasReporter, routing: routing)
            else {
                problems.append("\(code): no intake")
                continue
            }

            var mergeTarget: ((Date) -> MergeTarget?)?
            if let target = duplicateOf {
                let other = cases[target]
                mergeTarget = { instant in
                    guard let state = other.state(at: instant), state.isOpen else { return nil }
                    return MergeTarget(code: other.code, state: state)
                }
            }
            let reporter = world.reportingActor(draft.source, intake: intake)
            var life: CaseLife
            do {
                life = try CaseLife(world: world, category: validated.category, end: end,
                                    rng: HistoryRandom(seed: seed, stream: 0x1000 &+ UInt64(index)),
                                    mergeTarget: mergeTarget, intake: intake, actor: reporter, at: slot.at)
            } catch {
                problems.append("\(code): the report was refused by the state machine: \(error)")
                continue
            }
            life.live()
            problems.append(contentsOf: life.problems)
            cases.append(SimulatedCase(code: code, trackingCode: tracking, report: validated.report,
                                       photoCount: photoCount, records: life.records, snapshot: life.snapshot))
            if let progress, (index + 1) % 1_000 == 0 { progress(index + 1, slots.count) }
        }
        progress?(slots.count, slots.count)
        return (cases, problems)
    }
}
