import Foundation
import WanggeCore

/// What will happen to one case, drawn once when it is reported. The probabilities are the demo's assumptions about
/// a county that works well; the measures follow from them.
struct CaseFate {
    var selfResolve = false
    var reject = false
    var escalate = false
    var wrongDispatch = false
    var transfer = false
    var stuck = false
    var askExtension = false
    var extensionApproved = false
    var suspend = false
    var verifyFail = false
    var lateResolve = false
    var leaderSupervises = false
    var comment = false
    var lateFeedback = false
    var rates = false
    var firstRating = Satisfaction.satisfied
    var ratesAgain = false
    var secondRating = Satisfaction.satisfied

    /// A dispatch is signed late this often.
    static let lateSign = 0.0058
    /// Of the late ones, this share is left unsigned until the clock job escalates it.
    static let neverSigned = 0.2
}

/// One step someone takes.
struct LifeStep {
    var command: CaseCommand
    var actor: RecordActor
    var at: Date
}

/// One case lived through simulated time: each step is chosen from the current snapshot and the case's fate, the
/// clock job runs whenever time passes one of its deadlines, and every change goes through the state machine.
struct CaseLife {
    let world: HistoryWorld
    let category: Category
    let end: Date
    var rng: HistoryRandom
    let mergeTarget: ((Date) -> MergeTarget?)?

    private(set) var snapshot: CaseSnapshot
    private(set) var records: [CaseActionRecord] = []
    private(set) var problems: [String] = []
    private var fate = CaseFate()

    private var escalated = false
    private var returned = false
    private var returnedFrom: String?
    private var transferred = false
    private var extensionRequested = false
    private var suspendedOnce = false
    private var verifyFailed = false
    private var leaderDone = false
    private var commented = false
    private var dispatches = 0
    private var closings = 0

    private static let policy = ClockPolicy()
    private static let jobInterval = 600

    private var calendar: WorkingCalendar { world.calendar }
    private var urgent: Bool { category.priority == .urgent }
    private var daySeconds: Double { Double(calendar.hours.secondsPerDay) }

    /// Files the report (`intake`, by `actor`, at `at`) and draws the case's fate.
    init(world: HistoryWorld, category: Category, end: Date, rng: HistoryRandom,
         mergeTarget: ((Date) -> MergeTarget?)?, intake: CaseIntake, actor: RecordActor, at: Date) throws(CaseRuleError) {
        self.world = world
        self.category = category
        self.end = end
        self.rng = rng
        self.mergeTarget = mergeTarget
        let t = try CaseStateMachine.report(intake, actor: actor, at: at)
        snapshot = t.snapshot
        records = [t.record]
        drawFate()
    }

    private mutating func drawFate() {
        let intake = snapshot.intake
        let staff = intake.source == .gridWorker
        var f = CaseFate()
        f.selfResolve = rng.chance(0.10) && staff && mergeTarget == nil && intake.areas.first?.level == .grid
        f.reject = rng.chance(staff ? 0.004 : 0.028)
        f.escalate = rng.chance(0.01) && !urgent && intake.centre.level == .township
        f.wrongDispatch = rng.chance(0.022)
        f.transfer = rng.chance(0.009)
        f.stuck = rng.chance(0.0135)
        f.askExtension = rng.chance(0.03) && !f.stuck
        f.extensionApproved = rng.chance(0.8)
        f.suspend = rng.chance(0.012)
        f.verifyFail = rng.chance(0.025)
        f.lateResolve = rng.chance(0.03)
        f.leaderSupervises = rng.chance(f.stuck || f.lateResolve ? 0.3 : 0.003)
        f.comment = rng.chance(0.03)
        f.lateFeedback = rng.chance(0.0048)
        f.rates = rng.chance(0.68) && intake.hasReporter
        f.firstRating = drawRating(unsatisfied: 0.035)
        f.ratesAgain = rng.chance(0.8)
        f.secondRating = drawRating(unsatisfied: 0.4)
        fate = f
    }

    private mutating func drawRating(unsatisfied: Double) -> Satisfaction {
        let x = rng.unit()
        return x < unsatisfied ? .unsatisfied : x < unsatisfied + (1 - unsatisfied) * 0.78 ? .satisfied : .basicallySatisfied
    }

    /// Lives the case until it is finished or the next step would fall at or after `end`; then lets the clock job
    /// catch up to `end`.
    mutating func live() {
        var steps = 0
        while steps < 200, let step = nextStep() {
            steps += 1
            let at = max(step.at, snapshot.lastActionAt)
            guard at < end else { break }
            let before = (snapshot.state, snapshot.assignee, snapshot.isSuspended)
            runClockJob(until: at)
            // The clock job moved the case (an escalation): choose again from where it is now.
            if (snapshot.state, snapshot.assignee, snapshot.isSuspended) != before { continue }
            guard apply(step, at: at) else { break }
        }
        if steps == 200 { problems.append("\(snapshot.intake.code): still \(snapshot.state.rawValue) after 200 steps") }
        runClockJob(until: end.addingTimeInterval(-1))
    }

    // MARK: The clock job

    /// The job runs every ten minutes; this runs it at each run after a deadline of the case that falls before
    /// `limit`, applying what it returns.
    private mutating func runClockJob(until limit: Date) {
        while !snapshot.isSuspended {
            let s = snapshot
            var due: Date?
            func consider(_ deadline: Date) {
                let second = Int(deadline.timeIntervalSince1970.rounded(.down))
                let tick = Date(timeIntervalSince1970: TimeInterval((second / Self.jobInterval + 1) * Self.jobInterval))
                due = min(due ?? tick, tick)
            }
            switch s.state {
            case .dispatched:
                guard let sign = s.deadlines.sign else { return }
                if !s.raisedSupervisions.contains(.unsignedLate) { consider(sign) }
                if !s.autoEscalatedFrom.contains(s.centre.code), CasePermissions.centreAbove(s) != nil {
                    consider(calendar.adding(Self.policy.autoEscalateAfter, to: sign))
                }
            case .signed:
                guard let resolve = s.deadlines.resolve, !s.raisedSupervisions.contains(.resolveLate) else { return }
                consider(resolve)
            default:
                return
            }
            guard let now = due, now <= limit else { return }
            let transitions = ClockJob.run(s, now: max(now, s.lastActionAt), calendar: calendar, policy: Self.policy)
            guard !transitions.isEmpty else { return }
            for t in transitions {
                snapshot = t.snapshot
                records.append(t.record)
            }
        }
    }

    // MARK: Steps

    private mutating func apply(_ step: LifeStep, at: Date) -> Bool {
        let before = snapshot
        do {
            let t = try CaseStateMachine.apply(step.command, to: snapshot, actor: step.actor, at: at, calendar: calendar)
            snapshot = t.snapshot
            records.append(t.record)
        } catch {
            problems.append("\(snapshot.intake.code): \(step.command.kind.rawValue) refused: \(error)")
            return false
        }
        switch step.command.kind {
        case .dispatch:
            dispatches += 1
            returnedFrom = nil
        case .transfer:
            dispatches += 1
            transferred = true
        case .return:
            returned = true
            returnedFrom = before.departmentCode
        case .escalate: escalated = true
        case .requestExtension: extensionRequested = true
        case .suspend: suspendedOnce = true
        case .verifyFail: verifyFailed = true
        case .supervise: leaderDone = true
        case .comment: commented = true
        case .close: closings += 1
        default: break
        }
        return true
    }

    /// The next step from the case as it stands, or nil when its life is over.
    private mutating func nextStep() -> LifeStep? {
        let s = snapshot
        let now = s.lastActionAt
        let op = world.operatorActor(s.centre)
        if s.isSuspended {
            let at = work(now, seconds: daySeconds * Double(rng.between(2, 12)) + rng.uniform(0, 3600))
            return LifeStep(command: .resume(note: rng.pick(DemoHistoryText.resumeNotes)), actor: op, at: at)
        }
        switch s.state {
        case .reported:
            if fate.selfResolve {
                return LifeStep(command: .selfResolve(result: rng.pick(DemoHistoryText.selfResolveResults)),
                                actor: world.gridWorkerActor(s.intake.areas[0].code), at: wall(now, rng.uniform(300, 3600)))
            }
            let at = acceptTime(now)
            if let target = mergeTarget?(at) {
                return LifeStep(command: .merge(into: target, note: "与\(target.code)反映同一问题，合并办理。"), actor: op, at: at)
            }
            if fate.reject {
                let reasons = s.intake.source == .gridWorker ? DemoHistoryText.staffRejectReasons : DemoHistoryText.rejectReasons
                return LifeStep(command: .reject(reason: rng.pick(reasons)), actor: op, at: at)
            }
            return LifeStep(command: .accept(), actor: op, at: at)

        case .accepted:
            if fate.escalate, !escalated, s.centre.level == .township {
                return LifeStep(command: .escalate(reason: rng.pick(DemoHistoryText.escalateReasons)), actor: op,
                                at: work(now, seconds: rng.uniform(600, 5400)))
            }
            guard let department = dispatchDepartment() else {
                problems.append("\(s.intake.code): no department to dispatch to")
                return nil
            }
            let at = urgent ? wall(now, rng.uniform(120, 900)) : onDuty(wall(now, rng.uniform(120, 2400)))
            return LifeStep(command: .dispatch(to: department), actor: op, at: at)

        case .dispatched:
            guard let department = s.departmentCode, let deadline = s.deadlines.sign else { return nil }
            let handler = world.handlerActor(department)
            if fate.wrongDispatch, !returned, dispatches == 1 {
                let limit = Double(s.intake.limits.sign.workingSeconds(given: calendar.hours))
                return LifeStep(command: .return(reason: rng.pick(DemoHistoryText.returnReasons)), actor: handler,
                                at: work(now, seconds: limit * rng.uniform(0.1, 0.8)))
            }
            return LifeStep(command: .sign(), actor: handler, at: signTime(now, deadline: deadline))

        case .signed:
            return signedStep(s, operator: op)

        case .resolved:
            guard let deadline = s.deadlines.verify else { return nil }
            let grid = s.intake.areas[0].code
            let onTheSpot = s.departmentCode == nil
            let actor = onTheSpot || rng.chance(0.2) ? world.gridLeaderActor(grid) : world.gridWorkerActor(grid)
            let remaining = Double(calendar.workingSeconds(from: now, to: deadline))
            let at: Date
            if rng.chance(0.01) {
                at = work(deadline, seconds: rng.uniform(600, 4 * 3600))
            } else if urgent {
                at = wall(now, max(300, min(remaining, 3 * 3600) * rng.early(0.05, 0.9)))
            } else {
                at = work(now, seconds: max(300, remaining * rng.early(0.03, 0.9)))
            }
            if fate.verifyFail, !verifyFailed {
                return LifeStep(command: .verifyFail(reason: rng.pick(DemoHistoryText.verifyFailReasons)), actor: actor, at: at)
            }
            return LifeStep(command: .verifyPass(), actor: actor, at: at)

        case .verified:
            let at = urgent ? wall(now, rng.uniform(600, 3600)) : work(now, seconds: rng.uniform(300, 5400))
            return LifeStep(command: .close(), actor: op, at: at)

        case .closed:
            guard s.hasReporter else { return nil }
            if !s.feedbackGiven {
                let at = fate.lateFeedback && closings == 1
                    ? work(now, seconds: daySeconds * rng.uniform(1.05, 2.5))
                    : work(now, seconds: rng.early(300, 5 * 3600))
                return LifeStep(command: .feedback(rng.pick(DemoHistoryText.feedbacks)), actor: op, at: at)
            }
            guard !s.ratedSinceClose else { return nil }
            let rating: Satisfaction
            if closings == 1 && fate.rates {
                rating = fate.firstRating
            } else if closings >= 2 && fate.rates && fate.ratesAgain {
                rating = fate.secondRating
            } else {
                return nil
            }
            let words = rating == .unsatisfied ? rng.pick(DemoHistoryText.unsatisfiedComments)
                                               : rng.pick(DemoHistoryText.ratingComments)
            return LifeStep(command: .rate(rating, comment: words), actor: .reporter,
                            at: awake(wall(now, rng.uniform(1800, 72 * 3600))))

        case .rejected, .merged:
            return nil
        }
    }

    /// Signed: decide an extension request, transfer, comment, a leader's supervision, a suspension, and in the end
    /// the resolution.
    private mutating func signedStep(_ s: CaseSnapshot, operator op: RecordActor) -> LifeStep? {
        let now = s.lastActionAt
        if let pending = s.pendingExtension {
            let at = work(pending.requestedAt, seconds: rng.uniform(1200, 4 * 3600))
            let command: CaseCommand = fate.extensionApproved
                ? .approveExtension(note: "同意延期。")
                : .refuseExtension(reason: rng.pick(DemoHistoryText.refuseReasons))
            return LifeStep(command: command, actor: op, at: at)
        }
        guard let department = s.departmentCode, let deadline = s.deadlines.resolve else { return nil }
        let handler = world.handlerActor(department)
        let start = s.stageStartedAt ?? now
        let limit = Double(s.intake.limits.resolve.workingSeconds(given: calendar.hours))
        let firstRound = s.reworkCount == 0
        func later(_ seconds: Double) -> Date { max(now, work(start, seconds: seconds)) }

        if fate.transfer, !transferred, firstRound, !urgent,
           let other = world.alternative(for: category, areas: s.intake.areas, excluding: department, rng: &rng) {
            return LifeStep(command: .transfer(to: other, note: rng.pick(DemoHistoryText.transferNotes)), actor: op,
                            at: later(max(1800, limit * rng.uniform(0.05, 0.3))))
        }
        if fate.comment, !commented {
            return LifeStep(command: .comment(rng.pick(DemoHistoryText.comments)), actor: op,
                            at: work(now, seconds: rng.uniform(600, 7200)))
        }
        if fate.leaderSupervises, !leaderDone {
            return LifeStep(command: .supervise(.leader, note: rng.pick(DemoHistoryText.supervisionNotes)),
                            actor: world.leaderActor(for: s.intake), at: later(limit * rng.uniform(0.2, 0.9)))
        }
        if fate.askExtension, !extensionRequested, firstRound, !urgent {
            let days = s.intake.limits.resolve.workingSeconds(given: calendar.hours) >= 5 * Int(daySeconds)
                ? rng.between(2, 5) : rng.between(1, 3)
            return LifeStep(command: .requestExtension(.days(days), reason: rng.pick(DemoHistoryText.extensionReasons)),
                            actor: handler, at: later(limit * rng.uniform(0.4, 0.85)))
        }
        if fate.suspend, !suspendedOnce, firstRound, !urgent {
            return LifeStep(command: .suspend(reason: rng.pick(DemoHistoryText.suspendReasons)), actor: op,
                            at: later(limit * rng.uniform(0.1, 0.5)))
        }
        let result = firstRound ? rng.pick(DemoHistoryText.resolveResults) : rng.pick(DemoHistoryText.reworkResolveResults)
        return LifeStep(command: .resolve(result: result), actor: handler,
                        at: resolveTime(now, start: start, deadline: deadline, limit: limit, firstRound: firstRound))
    }

    private mutating func resolveTime(_ now: Date, start: Date, deadline: Date, limit: Double, firstRound: Bool) -> Date {
        if fate.stuck && firstRound {
            return work(start, seconds: daySeconds * rng.uniform(25, 90))  // a hard case: months, past every deadline
        }
        let refused = extensionRequested && !fate.extensionApproved
        if firstRound && (fate.lateResolve || (refused && rng.chance(0.5))) {
            return work(deadline, seconds: max(600, limit * rng.uniform(0.05, 0.6)))
        }
        let remaining = Double(calendar.workingSeconds(from: now, to: deadline))
        if urgent {
            return wall(now, max(300, min(remaining, 6 * 3600) * rng.early(0.1, 0.9)))
        }
        return work(now, seconds: max(300, remaining * rng.early(0.05, 0.92)))
    }

    /// Centres keep an operator on duty 08:00–20:00 every day (urgent work around the clock), so reports are
    /// accepted within the hour or so, or the next morning.
    private mutating func acceptTime(_ now: Date) -> Date {
        if urgent { return wall(now, rng.uniform(60, 600)) }
        if rng.chance(0.05) { return onDuty(wall(now, rng.uniform(3600, 4 * 3600))) }
        return onDuty(wall(now, rng.early(120, 3600)))
    }

    /// The instant, or soon after 08:00 when it falls between 20:00 and 08:00 (local time).
    private mutating func onDuty(_ instant: Date) -> Date {
        let second = Int(instant.timeIntervalSince1970)
        let local = second + calendar.timeZone.secondsFromGMT(for: instant)
        let sinceMidnight = ((local % 86_400) + 86_400) % 86_400
        if sinceMidnight >= 8 * 3600 && sinceMidnight < 20 * 3600 { return instant }
        let nextMorning = second - sinceMidnight + 8 * 3600 + (sinceMidnight >= 20 * 3600 ? 86_400 : 0)
        return Date(timeIntervalSince1970: TimeInterval(nextMorning + rng.between(60, 2400)))
    }

    private mutating func signTime(_ now: Date, deadline: Date) -> Date {
        let limit = Double(snapshot.intake.limits.sign.workingSeconds(given: calendar.hours))
        if rng.chance(CaseFate.lateSign) {
            if rng.chance(CaseFate.neverSigned), CasePermissions.centreAbove(snapshot) != nil {
                // left unsigned: the clock job escalates it before anyone signs
                return work(calendar.adding(Self.policy.autoEscalateAfter, to: deadline), seconds: rng.uniform(1800, 4 * 3600))
            }
            return work(deadline, seconds: rng.uniform(300, 3 * 3600))
        }
        if urgent { return wall(now, rng.uniform(120, min(limit, 1800))) }
        return work(now, seconds: max(60, limit * rng.early(0.03, 0.95)))
    }

    /// `seconds` of working time after `from` (whole seconds).
    private func work(_ from: Date, seconds: Double) -> Date {
        calendar.adding(workingSeconds: max(1, Int(seconds)), to: from)
    }

    /// `seconds` of wall-clock time after `from` (whole seconds).
    private func wall(_ from: Date, _ seconds: Double) -> Date {
        Date(timeIntervalSince1970: (from.timeIntervalSince1970 + max(1, seconds)).rounded(.down))
    }

    /// The instant, or 07:00 to 08:00 the same morning when it falls in the small hours (people rate by day).
    private mutating func awake(_ instant: Date) -> Date {
        let second = Int(instant.timeIntervalSince1970)
        let local = second + calendar.timeZone.secondsFromGMT(for: instant)
        let sinceMidnight = ((local % 86_400) + 86_400) % 86_400
        guard sinceMidnight < 7 * 3600 else { return instant }
        return Date(timeIntervalSince1970: TimeInterval(second - sinceMidnight + 7 * 3600 + rng.below(3600)))
    }

    /// Where to dispatch: after a return, another department; else the routed one while the case is with the centre
    /// routing chose; else (escalated, or routing found none) a department at or above the centre's level.
    private mutating func dispatchDepartment() -> Department? {
        let s = snapshot
        let areas = s.intake.areas
        if let from = returnedFrom {
            return world.alternative(for: category, areas: areas, excluding: from, rng: &rng)
        }
        if s.centre == s.intake.centre, let code = s.intake.routedDepartmentCode, let d = world.department(code) {
            return d
        }
        var kinds: [DepartmentKind] = []
        if case .department(let k)? = category.handler { kinds.append(k) }
        if let lead = category.lead { kinds.append(lead) }
        kinds += [.governanceCentre, .townshipOffice, .villageCommittee]
        for kind in kinds {
            if let d = world.nearest(kind, in: areas, atOrAbove: s.centre.level) { return d }
        }
        return world.alternative(for: category, areas: areas, excluding: nil, rng: &rng)
    }
}
