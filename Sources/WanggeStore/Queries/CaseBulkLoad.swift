import Fluent
import Foundation
import SQLKit
import WanggeCore

extension CaseQueries {
    /// Writes simulated cases with their whole histories in batches, in one transaction; `paths` gives each
    /// case's area path; `progress` is told how many cases are written.
    public static func bulkInsert(_ cases: [SimulatedCase], paths: [String: String], on db: any Database,
                                  progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            var written = 0
            for chunk in cases.chunked(by: 400) {
                var caseRows: [CaseRow] = []
                var actionRows: [ActionRow] = []
                for c in chunk {
                    let id = UUID()
                    caseRows.append(try caseRow(id: id, code: c.code, trackingCode: c.trackingCode, report: c.report,
                                                snapshot: c.snapshot, areaPath: paths[c.snapshot.areaCode] ?? "",
                                                version: c.records.count))
                    for (i, r) in c.records.enumerated() { actionRows.append(try actionRow(r, seq: i + 1, caseID: id)) }
                }
                try await sql.insert(into: CaseModel.schema).models(caseRows, nilEncodingStrategy: .asNil).run()
                for actions in actionRows.chunked(by: 800) { try await sql.insert(into: CaseActionModel.schema).models(Array(actions), nilEncodingStrategy: .asNil).run() }
                written += chunk.count
                progress(written, cases.count)
            }
        }
    }
}
