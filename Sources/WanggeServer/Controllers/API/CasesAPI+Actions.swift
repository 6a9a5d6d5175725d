import Fluent
import Vapor
import WanggeCore
import WanggeStore

extension CasesAPI {
    /// `POST /api/v1/cases/{id}/actions`: one step of the case loop, checked by the state machine, written in one
    /// transaction. Refused → 409 with the actions allowed now; outside the caller's scope → 404.
    static func act(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let body = try req.content.decode(CaseActionRequestDTO.self)
        guard let kind = CaseActionKind(rawValue: body.action), ![.report, .rate, .autoEscalate].contains(kind) else {
            throw APIError.badRequest("unknown action \(body.action)", field: "action")
        }
        let c = try await visibleCase(req, staff: staff)
        let ref = try await req.reference()
        var command = CaseCommand(kind: kind, note: body.note?.trimmingCharacters(in: .whitespacesAndNewlines), attachmentIDs: body.attachments ?? [])
        if let note = command.note, note.count > 2_000 { throw APIError.badRequest("note is at most 2,000 characters", field: "note") }
        if let note = command.note, !TextInput.isClean(note, multiline: true) { throw APIError.badRequest("note holds control or invisible characters (such as direction marks)", field: "note") }
        if let d = body.departmentCode {
            guard let dept = ref.departmentsByCode[d] else { throw APIError.badRequest("no department \(d)", field: "department_code") }
            command.department = dept
        }
        if let m = body.mergeInto {
            // Only a case the caller may see: one outside their scope is "no such case", exactly as one that does
            // not exist, so the answer tells nothing about cases they cannot see.
            guard m.utf8.count <= 64, TextInput.isClean(m) else { throw APIError.badRequest("merge_into is a case code or id", field: "merge_into") }
            var found = try await CaseQueries.find(code: m, on: req.db)
            if found == nil, let id = UUID(uuidString: m) { found = try await CaseQueries.find(id: id, on: req.db) }
            guard let target = found, target.id != c.id, CasePermissions.isInScope(target.snapshot, of: RecordActor(staff).staff!)
            else { throw APIError(.notFound, "not_found", "no other case \(m) in your scope to merge into", field: "merge_into") }
            command.mergeTarget = MergeTarget(code: target.code, state: target.snapshot.state)
        }
        if let e = body.extension {
            guard e.utf8.count <= 16, let d = WorkingDuration(e) else { throw APIError.badRequest("extension is like 8h or 2d", field: "extension") }
            command.extensionDuration = d
        }
        let maximum = req.wangge.config.limits.photosPerReport
        guard command.attachmentIDs.count <= maximum else {
            throw APIError.badRequest("at most \(maximum) attachments on one action", field: "attachments")
        }
        var seen = Set<String>()
        command.attachmentIDs = command.attachmentIDs.filter { seen.insert($0).inserted }
        // Only photos this member of staff uploaded, or that the case already has: attaching another case's photo
        // would open it to everyone who sees this case.
        for id in command.attachmentIDs {
            let usable: Bool
            switch PhotosAPI.isPhotoID(id) ? try await CaseQueries.photoUploader(sha256: id, on: req.db) : nil {
            case .none: usable = false  // no such photo
            case .some(let uploader?) where uploader == staff.id: usable = true
            case .some: usable = try await CaseQueries.caseUses(c.id, photo: id, on: req.db)
            }
            guard usable else { throw APIError.badRequest("no photo \(id.prefix(64)) uploaded by you", field: "attachments") }
        }
        // Refusals and conflicts are answered by `ErrorRendering`, the same for every kind.
        let updated = try await req.application.caseService.act(command, on: c, by: RecordActor(staff), at: req.now).stored
        let response = Response(status: .ok)
        try response.content.encode(try await detail(updated, staff: staff, on: req), as: .json)
        return response
    }
}

enum TrackingAPI {
    /// The actions a resident sees on the tracking page (and Open311's reads), and those whose note they read there.
    static let publicKinds: Set<CaseActionKind> = [.report, .accept, .reject, .merge, .dispatch, .sign, .resolve, .selfResolve,
                                                   .verifyPass, .verifyFail, .close, .feedback, .rate, .suspend, .resume]
    static let noteKinds: Set<CaseActionKind> = [.reject, .resolve, .selfResolve, .feedback]

    /// `GET /api/v1/track/{code}`: the public view of a case by its tracking code.
    static func show(_ req: Request) async throws -> TrackingDTO {
        try await dto(try await tracked(req), on: req)
    }

    static func dto(_ c: StoredCase, on req: Request) async throws -> TrackingDTO {
        let ref = try await req.reference()
        let lang = Lang.of(req)
        let actions = try await CaseQueries.actions(caseID: c.id, on: req.db)
        let s = c.snapshot
        return TrackingDTO(
            code: c.trackingCode, status: s.state.rawValue, statusName: lang == .zh ? s.state.nameZH : s.state.nameEN,
            category: ref.catalogue[c.report.categoryCode].map { lang == .zh ? $0.name : $0.nameEN } ?? c.report.categoryCode,
            reportedAt: c.reportedAt,
            canRate: s.state == .closed && s.hasReporter && !s.ratedSinceClose,
            rating: s.lastRating?.rawValue,
            // Staff names, departments and internal notes stay inside; the resident sees the steps and the outcome.
            timeline: actions.filter { publicKinds.contains($0.record.kind) }.map { a in
                let showNote = noteKinds.contains(a.record.kind)
                return TrackingDTO.Step(action: a.record.kind.rawValue, at: a.record.at, status: a.record.toState.rawValue,
                                        note: showNote ? a.record.note : nil)
            })
    }

    struct RatingBody: Content { var rating: String; var comment: String? }

    /// `POST /api/v1/track/{code}/rating`: the reporter rates a closed case; 不满意 reopens it once.
    static func rate(_ req: Request) async throws -> TrackingDTO {
        let c = try await tracked(req)
        try await rate(c, body: try req.content.decode(RatingBody.self), on: req)
        return try await show(req)
    }

    /// Applies a rating to a tracked case (the API's and the follow page's form).
    static func rate(_ c: StoredCase, body: RatingBody, on req: Request) async throws {
        guard let rating = Satisfaction(rawValue: body.rating) else {
            throw APIError.badRequest("rating must be satisfied, basically_satisfied or unsatisfied", field: "rating")
        }
        if let comment = body.comment, comment.count > 500 { throw APIError.badRequest("comment is at most 500 characters", field: "comment") }
        if let comment = body.comment, !TextInput.isClean(comment, multiline: true) { throw APIError.badRequest("comment holds control or invisible characters (such as direction marks)", field: "comment") }
        _ = try await req.application.caseService.act(.rate(rating, comment: body.comment), on: c, by: .reporter, at: req.now)
    }

    static func tracked(_ req: Request) async throws -> StoredCase {
        let code = try req.parameters.require("code").uppercased()
        guard CaseCodes.isTrackingCode(code), let c = try await CaseQueries.find(trackingCode: code, on: req.db) else {
            throw APIError(.notFound, "not_found", "no case has tracking code \(code)", field: "tracking_code")
        }
        return c
    }
}

enum MeasuresAPI {
    /// `GET /api/v1/measures?area=CODE&from=DATE&to=DATE`: DESIGN §5 rates with numerators and denominators.
    static func show(_ req: Request) async throws -> MeasuresDTO {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let ref = try await req.reference()
        let (a, path, period, fromText, toText) = try req.measureScope(staff, j, ref.calendar)
        let report = try await MeasureScope(path: path, period: period, asOf: min(req.now, period.end), context: ref.measureContext)
            .total(cache: req.wangge.pieces, on: req.db)
        let lang = Lang.of(req)
        var out: [String: MeasureDTO] = [:]
        for kind in MeasureKind.allCases {
            let m = report[kind]
            out[kind.rawValue] = MeasureDTO(name: kind.nameZH, nameEn: kind.nameEN, numerator: m.numerator, denominator: m.denominator,
                                            rate: m.rate.map { ($0 * 10_000).rounded() / 10_000 },
                                            definition: lang == .zh ? kind.definitionZH : kind.definitionEN)
        }
        // DESIGN §5's mediation success rate, from the mediation cases of the same area and period.
        let mediation = try await MediationsAPI.counts(scopePath: path, period: period, calendar: ref.calendar, cache: req.wangge.pieces,
                                                       on: req.db).total.success
        out["mediation_success"] = MeasureDTO(name: "调解成功率", nameEn: "Mediation success rate", numerator: mediation.numerator,
                                              denominator: mediation.denominator, rate: mediation.rate.map { ($0 * 10_000).rounded() / 10_000 },
                                              definition: lang == .zh ? "达成协议的调解案件 / 办结的调解案件（达成协议、调解不成、撤回）"
                                                  : "mediation cases ending in agreement / mediation cases concluded (agreement, no agreement, withdrawn)")
        let counted = ReportedTotals(try await MeasureQueries.reported(scopePath: path, period: period, on: req.db), catalogue: ref.catalogue)
        let sources = counted.sources.sorted { $0.key < $1.key }.map { SourceCountDTO(source: $0.key.source, channelKey: $0.key.channelKey, reported: $0.value) }
        return MeasuresDTO(area: AreaRefDTO(code: a.code, name: a.name), from: fromText, to: toText, measures: out, sources: sources)
    }
}
