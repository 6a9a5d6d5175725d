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
    ///
    /// A simulation of half a year or more also seeds, through the same intake and state machine, the rises early
    /// warning and the safety index are to find: the week's spikes of `spikes(county:calendar:end:days:seed:)` and the
    /// villages' three bad months of `redRuns(county:catalogue:calendar:end:days:casesPerYear:seed:)` (about 150
    /// reports, under half a percent of a year's). They draw from their own random streams and are never taken for
    /// a duplicate, so every other case is the same with them or without.
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
    /// `seeding: false` leaves out the seeded spikes and red runs (to compare).
    static func run(county: DemoCounty, catalogue: CategoryCatalogue, calendar: WorkingCalendar, end requestedEnd: Date,
                    days: Int, casesPerYear: Int, seed: UInt64, seeding: Bool = true,
                    progress: ((Int, Int) -> Void)?) -> (cases: [SimulatedCase], problems: [String]) {
        let end = Date(timeIntervalSince1970: requestedEnd.timeIntervalSince1970.rounded(.down))
        let world = HistoryWorld(county: county, catalogue: catalogue, calendar: calendar, seed: seed)
        var rng = HistoryRandom(seed: seed, stream: 1)
        let total = Int((Double(max(0, casesPerYear)) * Double(max(0, days)) / 365).rounded())
        let slots = world.reportSlots(end: end, days: days, total: total, rng: &rng)
        // The spikes and red runs early warning and the safety index are to find, each report from its own streams.
        let seeded = seeding && days >= seedingMinimumDays
            ? seededReports(world: world, county: county, end: end, days: days, casesPerYear: casesPerYear, seed: seed) : []
        var seededRng = HistoryRandom(seed: seed, stream: 2)
        var seededPeople = DemoPeople(seed: DemoRandom.mix(seed ^ 0x5345_4544_4544))
        let arrivals = slots.count + seeded.count

        var cases: [SimulatedCase] = []
        cases.reserveCapacity(arrivals)
        var isSeeded: [Bool] = []
        isSeeded.reserveCapacity(arrivals)
        var problems: [String] = []
        var trackingCodes: Set<String> = []
        var day = -1, sequence = 0
        var regular = 0, extra = 0
        for index in 0..<arrivals {
            // The next report in time: a drawn slot, or a seeded one (after the drawn slots of the same second).
            let fromSeed = extra < seeded.count && (regular == slots.count || seeded[extra].at < slots[regular].at)
            let slot = fromSeed ? ReportSlot(at: seeded[extra].at, source: seeded[extra].source) : slots[regular]
            let lifeStream = fromSeed ? 0x4000_0000 &+ UInt64(extra) : 0x1000 &+ UInt64(regular)
            var r = fromSeed ? seededRng : rng
            defer {
                if fromSeed { seededRng = r; extra += 1 } else { rng = r; regular += 1 }
            }
            let civil = calendar.civilDate(of: slot.at)
            if civil.dayNumber != day {
                day = civil.dayNumber
                sequence = 0
            }
            sequence += 1
            let code = CaseCodes.caseCode(prefix: codePrefix, day: civil, sequence: sequence)
            var tracking = CaseCodes.trackingCode(using: &r)
            while !trackingCodes.insert(tracking).inserted { tracking = CaseCodes.trackingCode(using: &r) }

            var draft: ReportDraft
            var duplicateOf: Int?
            let report: CaseReport
            if fromSeed {
                guard let d = world.draft(seeded[extra], rng: &r) else {
                    problems.append("\(code): the seeded report names no known category or grid")
                    continue
                }
                draft = d
                report = world.report(for: draft, rng: &r, people: &seededPeople)
            } else {
                draft = world.draft(slot, rng: &r)
                if r.chance(world.duplicateChance(draft.source)),
                   let (target, point) = world.duplicateTarget(in: cases, at: slot.at, skipping: { isSeeded[$0] }, rng: &r) {
                    duplicateOf = target
                    draft.category = world.catalogue[cases[target].snapshot.intake.categoryCode]!
                    draft.point = point
                    draft.grid = cases[target].snapshot.intake.areas[0].code
                    draft.address = cases[target].report.address
                }
                report = world.report(for: draft, rng: &r)
            }
            let photoCount = draft.source == .gridWorker ? 1 + r.below(3) : (r.chance(0.35) ? 1 + r.below(3) : 0)

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
                                    rng: HistoryRandom(seed: seed, stream: lifeStream),
                                    mergeTarget: mergeTarget, intake: intake, actor: reporter, at: slot.at)
            } catch {
                problems.append("\(code): the report was refused by the state machine: \(error)")
                continue
            }
            life.live()
            problems.append(contentsOf: life.problems)
            cases.append(SimulatedCase(code: code, trackingCode: tracking, report: validated.report,
                                       photoCount: photoCount, records: life.records, snapshot: life.snapshot))
            isSeeded.append(fromSeed)
            if let progress, (index + 1) % 1_000 == 0 { progress(index + 1, arrivals) }
        }
        progress?(arrivals, arrivals)
        return (cases, problems)
    }
}
