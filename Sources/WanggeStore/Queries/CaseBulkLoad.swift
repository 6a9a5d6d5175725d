import Fluent
import Foundation
import WanggeCore

extension CaseQueries {
    /// Writes simulated cases with their whole histories in batches, in one transaction; `paths` gives each
    /// case's area path; `progress` is told how many cases are written.
    public static func bulkInsert(_ cases: [SimulatedCase], paths: [String: String], on db: any Database,
                                  progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws {
        try await db.transaction { db in
            var written = 0
            for chunk in cases.chunked(by: 400) {
                var caseRows: [CaseModel] = []
                var actionRows: [CaseActionModel] = []
                for c in chunk {
                    let id = UUID()
                    let m = CaseModel()
                    m.id = id
                    m.code = c.code
                    m.trackingCode = c.trackingCode
                    m.categoryCode = c.report.categoryCode
                    m.description = c.report.description
                    m.lat = c.report.lat
                    m.lon = c.report.lon
                    m.address = c.report.address
                    m.areaPath = paths[c.snapshot.areaCode] ?? ""
                    m.source = c.report.source.rawValue
                    m.reporterName = c.report.reporterName
                    m.reporterPhone = c.report.reporterPhone
                    m.version = c.records.count
                    m.reportedAt = c.reportedAt
                    try fill(m, from: c.snapshot)
                    caseRows.append(m)
                    for (i, r) in c.records.enumerated() {
                        actionRows.append(try actionModel(r, seq: i + 1, caseID: id))
                    }
                }
                try await caseRows.create(on: db)
                for actions in actionRows.chunked(by: 800) { try await actions.create(on: db) }
                written += chunk.count
                progress(written, cases.count)
            }
        }
    }

    static func actionModel(_ r: CaseActionRecord, seq: Int, caseID: UUID) throws -> CaseActionModel {
        let a = CaseActionModel()
        a.caseID = caseID
        a.seq = seq
        a.kind = r.kind.rawValue
        a.actor = r.actor.staff?.username
        a.actorRole = r.actor.staff?.role.rawValue ?? r.actor.kind
        a.at = r.at
        a.fromState = r.fromState?.rawValue
        a.toState = r.toState.rawValue
        a.fromAssignee = r.fromAssignee?.rawValue
        a.toAssignee = r.toAssignee.rawValue
        a.note = r.note
        a.attachments = try json(r.attachmentIDs)
        a.record = try json(r)
        return a
    }
}
