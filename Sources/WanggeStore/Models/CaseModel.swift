import Fluent
import Foundation
import WanggeCore

final class CaseModel: Model, @unchecked Sendable {
    static let schema = "cases"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "tracking_code") var trackingCode: String
    @Field(key: "category_code") var categoryCode: String
    @Field(key: "description") var description: String
    @OptionalField(key: "lat") var lat: Double?
    @OptionalField(key: "lon") var lon: Double?
    @OptionalField(key: "address") var address: String?
    @Field(key: "area_code") var areaCode: String
    @Field(key: "area_path") var areaPath: String
    @Field(key: "source") var source: String
    @OptionalField(key: "reporter_name") var reporterName: String?
    @OptionalField(key: "reporter_phone") var reporterPhone: String?
    @OptionalField(key: "channel_key") var channelKey: String?
    @Field(key: "state") var state: String
    @OptionalField(key: "department_code") var departmentCode: String?
    @Field(key: "operator_area_code") var operatorAreaCode: String
    @Field(key: "suspended") var suspended: Bool
    @OptionalField(key: "next_deadline_at") var nextDeadlineAt: Date?
    @OptionalField(key: "closure_due_at") var closureDueAt: Date?
    /// The running clock's thresholds (`CaseClock.Thresholds`), so the queue filters by colour in SQL.
    @OptionalField(key: "clock_yellow_at") var clockYellowAt: Date?
    @OptionalField(key: "clock_due_at") var clockDueAt: Date?
    @OptionalField(key: "clock_paused_colour") var clockPausedColour: String?
    @Field(key: "snapshot") var snapshot: String
    @Field(key: "version") var version: Int
    @Field(key: "reported_at") var reportedAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

final class CaseActionModel: Model, @unchecked Sendable {
    static let schema = "case_actions"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "seq") var seq: Int
    @Field(key: "kind") var kind: String
    @OptionalField(key: "actor") var actor: String?
    @OptionalField(key: "actor_role") var actorRole: String?
    @Field(key: "at") var at: Date
    @OptionalField(key: "from_state") var fromState: String?
    @Field(key: "to_state") var toState: String
    @OptionalField(key: "from_assignee") var fromAssignee: String?
    @OptionalField(key: "to_assignee") var toAssignee: String?
    @OptionalField(key: "note") var note: String?
    @Field(key: "attachments") var attachments: String
    /// The whole domain record as JSON; the columns beside it are for reading and querying.
    @Field(key: "record") var record: String

    init() {}
}

final class PhotoModel: Model, @unchecked Sendable {
    static let schema = "photos"

    @ID(key: .id) var id: UUID?
    @Field(key: "sha256") var sha256: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @OptionalField(key: "width") var width: Int?
    @OptionalField(key: "height") var height: Int?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "uploaded_by") var uploadedBy: UUID?

    init() {}
}

