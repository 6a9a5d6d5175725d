import Foundation

extension CaseSnapshot {
    /// Rebuilds a case from its actions alone, the first being its report. The state machine builds every
    /// snapshot this way (`apply` = check the command, make the record, apply the record), so the case row and
    /// the history always agree; a stored row that differs from its replay has been tampered with.
    public static func replay(_ actions: some Sequence<CaseActionRecord>) throws(CaseRuleError) -> CaseSnapshot {
        guard let s = try CaseLifecycle.replay(actions) else { throw .invalidHistory("no actions: a case starts with its report") }
        return s
    }

    /// The snapshot after one more recorded action. The record says the outcome (state, assignee, deadlines,
    /// detail); this only keeps the books.
    public func applying(_ r: CaseActionRecord) throws(CaseRuleError) -> CaseSnapshot {
        guard r.kind != .report else { throw .invalidHistory("a second report") }
        guard r.fromState == state else {
            throw .invalidHistory("\(r.kind.rawValue) from \(r.fromState?.rawValue ?? "nothing") on a \(state.rawValue) case")
        }
        guard r.at >= lastActionAt else { throw .invalidHistory("\(r.kind.rawValue) at \(r.at) runs backwards") }
        var s = self
        s.state = r.toState
        s.assignee = r.toAssignee
        if case .centre(let centre) = r.toAssignee { s.centre = centre }
        if let deadlines = r.deadlines { s.deadlines = deadlines }
        // A new stage (a new state, or a new department) may be supervised afresh.
        if r.toState != state || r.kind == .transfer { s.raisedSupervisions = [] }
        if r.toState != .signed { s.pendingExtension = nil }
        s.lastActionAt = r.at
        s.actionCount += 1
        switch r.kind {
        case .report, .comment, .reject:
            break
        case .accept:
            s.closureClockStartedAt = s.closureClockStartedAt ?? r.at
        case .merge:
            if case .mergedInto(let code)? = r.detail { s.mergedInto = code }
        case .dispatch, .sign, .resolve:
            s.stageStartedAt = r.at
        case .transfer:
            s.stageStartedAt = r.at
            s.transferCount += 1
        case .return:
            s.stageStartedAt = nil
            s.returnCount += 1
        case .escalate, .autoEscalate:
            s.stageStartedAt = nil
            s.escalationCount += 1
            if r.kind == .autoEscalate { s.autoEscalatedFrom.insert(centre.code) }
        case .requestExtension:
            if case .extensionRequest(let duration)? = r.detail {
                s.pendingExtension = PendingExtension(duration: duration, requestedAt: r.at)
            }
        case .approveExtension:
            s.pendingExtension = nil
            if case .extensionRequest(let duration)? = r.detail { s.approvedExtensions.append(duration) }
        case .refuseExtension:
            s.pendingExtension = nil
        case .suspend:
            s.suspendedSince = r.at
        case .resume:
            if let since = suspendedSince { s.suspensions.append(DateInterval(start: since, end: r.at)) }
            s.suspendedSince = nil
        case .selfResolve:
            s.stageStartedAt = r.at
            s.closureClockStartedAt = s.closureClockStartedAt ?? reportedAt
        case .verifyPass:
            s.stageStartedAt = nil
        case .verifyFail:
            s.reworkCount += 1
            s.stageStartedAt = r.toState == .signed ? r.at : nil
        case .close:
            s.closedAt = r.at
            s.feedbackGiven = false
            s.ratedSinceClose = false
            s.stageStartedAt = nil
        case .feedback:
            s.feedbackGiven = true
        case .rate:
            guard case .rating(let rating, let reopened)? = r.detail else { break }
            s.lastRating = rating
            s.ratedSinceClose = true
            if reopened {
                s.reopened = true
                s.reworkCount += 1
                s.closedAt = nil
                s.stageStartedAt = r.toState == .signed ? r.at : nil
            }
        case .supervise:
            s.supervisionCount += 1
            if case .supervision(let reason)? = r.detail, reason.isAutomatic { s.raisedSupervisions.insert(reason) }
        }
        return s
    }
}
