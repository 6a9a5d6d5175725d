/// Where a case stands in its life (DESIGN §4). Suspension (挂账) is a flag on the case, not a state.
public enum CaseState: String, CaseIterable, Codable, Sendable {
    case reported, accepted, rejected, merged, dispatched, signed, resolved, verified, closed

    /// Out of the loop for good.
    public static let finished: [CaseState] = [.rejected, .merged, .closed]

    /// Still in the loop: not rejected, merged or closed. Duplicates are looked for among open cases only.
    public var isOpen: Bool { !Self.finished.contains(self) }

    public var nameZH: String {
        switch self {
        case .reported: "上报"
        case .accepted: "受理"
        case .rejected: "不予受理"
        case .merged: "合并"
        case .dispatched: "派遣"
        case .signed: "签收"
        case .resolved: "处置完毕"
        case .verified: "核查通过"
        case .closed: "结案"
        }
    }

    public var nameEN: String {
        switch self {
        case .reported: "Reported"
        case .accepted: "Accepted"
        case .rejected: "Rejected"
        case .merged: "Merged"
        case .dispatched: "Dispatched"
        case .signed: "Signed for"
        case .resolved: "Resolved"
        case .verified: "Verified"
        case .closed: "Closed"
        }
    }
}

/// One kind of step in a case's life (流转记录). Raw values are the wire and database names.
public enum CaseActionKind: String, CaseIterable, Codable, Sendable {
    /// The first action: it creates the case.
    case report
    case accept, reject, merge, dispatch, sign
    case `return`
    case transfer, escalate
    case requestExtension = "request_extension"
    case approveExtension = "approve_extension"
    case refuseExtension = "refuse_extension"
    case suspend, resume, resolve
    case verifyPass = "verify_pass"
    case verifyFail = "verify_fail"
    case close, feedback, comment
    /// A grid worker fixed it on the spot: reported → resolved, still to be verified.
    case selfResolve = "self_resolve"
    /// The reporter's rating, through the tracking code (no staff account).
    case rate
    /// A 督办: raised by the clock job for late work, or by a leader. Does not change the state.
    case supervise
    /// The clock job moving unsigned work to the centre of the level above.
    case autoEscalate = "auto_escalate"

    public var nameZH: String {
        switch self {
        case .report: "上报"
        case .accept: "受理"
        case .reject: "不予受理"
        case .merge: "合并"
        case .dispatch: "派遣"
        case .sign: "签收"
        case .return: "退回"
        case .transfer: "转派"
        case .escalate: "上报上级"
        case .requestExtension: "申请延期"
        case .approveExtension: "批准延期"
        case .refuseExtension: "驳回延期"
        case .suspend: "挂账"
        case .resume: "恢复"
        case .resolve: "处置完毕"
        case .verifyPass: "核查通过"
        case .verifyFail: "核查不通过（返工）"
        case .close: "结案"
        case .feedback: "反馈"
        case .comment: "备注"
        case .selfResolve: "自处理"
        case .rate: "评价"
        case .supervise: "督办"
        case .autoEscalate: "超时自动上报"
        }
    }

    public var nameEN: String {
        switch self {
        case .report: "Report"
        case .accept: "Accept"
        case .reject: "Reject"
        case .merge: "Merge"
        case .dispatch: "Dispatch"
        case .sign: "Sign for"
        case .return: "Return"
        case .transfer: "Transfer"
        case .escalate: "Escalate"
        case .requestExtension: "Request extension"
        case .approveExtension: "Approve extension"
        case .refuseExtension: "Refuse extension"
        case .suspend: "Suspend"
        case .resume: "Resume"
        case .resolve: "Resolve"
        case .verifyPass: "Verification passed"
        case .verifyFail: "Verification failed (rework)"
        case .close: "Close"
        case .feedback: "Feedback"
        case .comment: "Comment"
        case .selfResolve: "Resolved on the spot"
        case .rate: "Rate"
        case .supervise: "Supervise"
        case .autoEscalate: "Escalated for lateness"
        }
    }
}

/// The reporter's rating of the outcome.
public enum Satisfaction: String, CaseIterable, Codable, Sendable {
    case satisfied
    case basicallySatisfied = "basically_satisfied"
    case unsatisfied

    /// 满意 and 基本满意 count as satisfied in the satisfaction rate.
    public var countsAsSatisfied: Bool { self != .unsatisfied }

    public var nameZH: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .unsatisfied: "不满意"
        }
    }

    public var nameEN: String {
        switch self {
        case .satisfied: "Satisfied"
        case .basicallySatisfied: "Basically satisfied"
        case .unsatisfied: "Unsatisfied"
        }
    }
}
