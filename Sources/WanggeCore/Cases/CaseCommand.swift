/// What someone asks to do to a case: the action kind and its fields, as `POST /cases/{id}/actions` carries them.
/// The state machine checks that the fields the kind needs are present (`CaseRuleError.missingField`).
///
/// Fields by kind: `note` is required (the reason, result or message) for reject, return, escalate,
/// request_extension, refuse_extension, suspend, resolve, self_resolve, verify_fail, feedback and comment;
/// `department` for dispatch and transfer; `mergeTarget` for merge; `extensionDuration` for request_extension;
/// `rating` for rate; `supervisionReason` for a leader's supervise (the clock job's is implied by the state).
public struct CaseCommand: Hashable, Sendable {
    public var kind: CaseActionKind
    public var note: String?
    public var attachmentIDs: [String]
    public var department: Department?
    public var mergeTarget: MergeTarget?
    public var extensionDuration: WorkingDuration?
    public var rating: Satisfaction?
    public var supervisionReason: SupervisionReason?

    public init(kind: CaseActionKind, note: String? = nil, attachmentIDs: [String] = [], department: Department? = nil,
                mergeTarget: MergeTarget? = nil, extensionDuration: WorkingDuration? = nil, rating: Satisfaction? = nil,
                supervisionReason: SupervisionReason? = nil) {
        self.kind = kind
        self.note = note
        self.attachmentIDs = attachmentIDs
        self.department = department
        self.mergeTarget = mergeTarget
        self.extensionDuration = extensionDuration
        self.rating = rating
        self.supervisionReason = supervisionReason
    }

    public static func accept(note: String? = nil) -> Self { Self(kind: .accept, note: note) }
    public static func reject(reason: String) -> Self { Self(kind: .reject, note: reason) }
    public static func merge(into target: MergeTarget, note: String? = nil) -> Self {
        Self(kind: .merge, note: note, mergeTarget: target)
    }
    public static func dispatch(to department: Department, note: String? = nil) -> Self {
        Self(kind: .dispatch, note: note, department: department)
    }
    public static func sign(note: String? = nil) -> Self { Self(kind: .sign, note: note) }
    public static func `return`(reason: String) -> Self { Self(kind: .return, note: reason) }
    public static func transfer(to department: Department, note: String? = nil) -> Self {
        Self(kind: .transfer, note: note, department: department)
    }
    public static func escalate(reason: String) -> Self { Self(kind: .escalate, note: reason) }
    public static func requestExtension(_ duration: WorkingDuration, reason: String) -> Self {
        Self(kind: .requestExtension, note: reason, extensionDuration: duration)
    }
    public static func approveExtension(note: String? = nil) -> Self { Self(kind: .approveExtension, note: note) }
    public static func refuseExtension(reason: String) -> Self { Self(kind: .refuseExtension, note: reason) }
    public static func suspend(reason: String) -> Self { Self(kind: .suspend, note: reason) }
    public static func resume(note: String? = nil) -> Self { Self(kind: .resume, note: note) }
    public static func resolve(result: String, attachmentIDs: [String] = []) -> Self {
        Self(kind: .resolve, note: result, attachmentIDs: attachmentIDs)
    }
    public static func selfResolve(result: String, attachmentIDs: [String] = []) -> Self {
        Self(kind: .selfResolve, note: result, attachmentIDs: attachmentIDs)
    }
    public static func verifyPass(note: String? = nil, attachmentIDs: [String] = []) -> Self {
        Self(kind: .verifyPass, note: note, attachmentIDs: attachmentIDs)
    }
    public static func verifyFail(reason: String, attachmentIDs: [String] = []) -> Self {
        Self(kind: .verifyFail, note: reason, attachmentIDs: attachmentIDs)
    }
    public static func close(note: String? = nil) -> Self { Self(kind: .close, note: note) }
    public static func feedback(_ message: String) -> Self { Self(kind: .feedback, note: message) }
    public static func comment(_ text: String, attachmentIDs: [String] = []) -> Self {
        Self(kind: .comment, note: text, attachmentIDs: attachmentIDs)
    }
    public static func rate(_ rating: Satisfaction, comment: String? = nil) -> Self {
        Self(kind: .rate, note: comment, rating: rating)
    }
    public static func supervise(_ reason: SupervisionReason, note: String? = nil) -> Self {
        Self(kind: .supervise, note: note, supervisionReason: reason)
    }
    public static let autoEscalate = Self(kind: .autoEscalate)

    /// Kinds whose `note` must not be empty.
    public static let noteRequired: Set<CaseActionKind> = [
        .reject, .return, .escalate, .requestExtension, .refuseExtension, .suspend, .resolve, .selfResolve,
        .verifyFail, .feedback, .comment,
    ]
}

/// The case another case is merged into, as the caller found it: its code and current state.
public struct MergeTarget: Hashable, Sendable {
    public var code: String
    public var state: CaseState

    public init(code: String, state: CaseState) {
        self.code = code
        self.state = state
    }
}
