import Fluent
import Foundation
import SQLKit
import WanggeCore

/// A case with its whole history, written at once (the demo's simulated year; an import of past cases).
public struct HistoricCase: Sendable {
    public var code: String
    public var trackingCode: String
    public var report: CaseReport
    /// Every action in order, the report first.
    public var records: [CaseActionRecord]
    /// The replay of `records`.
    public var snapshot: CaseSnapshot
    public var history: CaseHistory { CaseHistory(actions: records) }

    public init(code: String, trackingCode: String, report: CaseReport, records: [CaseActionRecord], snapshot: CaseSnapshot) {
        self.code = code
        self.trackingCode = trackingCode
        self.report = report
        self.records = records
        self.snapshot = snapshot
    }
}

extension CaseQueries {
    /// Writes cases with their whole histories in batches, in one transaction; `paths` gives each case's area
    /// path; `progress` is told how many cases are written.
    public static func bulkInsert(_ cases: [HistoricCase], paths: [String: String], context: MeasureFactContext, on db: any Database,
                                  progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            var written = 0
            for chunk in cases.chunked(by: 400) {
                var caseRows: [CaseRow] = []
                var actionRows: [ActionRow] = []
                var factRows: [MeasureQueries.Row] = []
                for c in chunk {
                    let id = UUID()
                    caseRows.append(try caseRow(id: id, code: c.code, trackingCode: c.trackingCode, report: c.report,
                                                snapshot: c.snapshot, areaPath: paths[c.snapshot.areaCode] ?? "",
                                                version: c.records.count, calendar: context.calendar))
                    for (i, r) in c.records.enumerated() { actionRows.append(try actionRow(r, seq: i + 1, caseID: id)) }
                    factRows += MeasureQueries.rows(caseID: id, versions: MeasureFact.versions(of: c.history, calendar: context.calendar),
                                                    snapshot: c.snapshot, areaPath: paths[c.snapshot.areaCode] ?? "",
                                                    categoryCode: c.report.categoryCode, context: context)
                }
                try await sql.insert(into: CaseModel.schema).models(caseRows, nilEncodingStrategy: .asNil).run()
                for actions in actionRows.chunked(by: 800) { try await sql.insert(into: CaseActionModel.schema).models(Array(actions), nilEncodingStrategy: .asNil).run() }
                try await MeasureQueries.insert(factRows, on: sql)
                written += chunk.count
                progress(written, cases.count)
            }
            try await MeasureQueries.rebuildRollup(on: sql)
            try await RecordSequences.cover(kind: "case", codes: cases.map(\.code), on: sql)
        }
    }
}
