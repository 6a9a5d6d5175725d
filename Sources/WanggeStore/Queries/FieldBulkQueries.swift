import Fluent
import Foundation
import SQLKit
import WanggeCore

/// Many rows of field work at once (the demo's year, written as its grids are made): visits, inspections and
/// patrols, many to a statement, each call one transaction. The same columns as the single writers'.
public enum FieldBulkQueries {
    public struct Visit: Sendable {
        public var householdID: UUID, gridCode: String, areaPath: String, day: CivilDate, outcome: VisitOutcome, note: String?, by: String, at: Date
        public init(householdID: UUID, gridCode: String, areaPath: String, day: CivilDate, outcome: VisitOutcome, note: String?, by: String, at: Date) {
            self.householdID = householdID; self.gridCode = gridCode; self.areaPath = areaPath; self.day = day
            self.outcome = outcome; self.note = note; self.by = by; self.at = at
        }
    }

    public struct Inspection: Sendable {
        public var id: UUID, placeID: UUID, areaPath: String, checklistCode: String, results: [InspectionItemResult], caseCodes: [String], by: String, at: Date
        public init(id: UUID, placeID: UUID, areaPath: String, checklistCode: String, results: [InspectionItemResult], caseCodes: [String], by: String, at: Date) {
            self.id = id; self.placeID = placeID; self.areaPath = areaPath; self.checklistCode = checklistCode
            self.results = results; self.caseCodes = caseCodes; self.by = by; self.at = at
        }
    }

    public struct Patrol: Sendable {
        public var id: UUID, gridCode: String, areaPath: String, worker: String, startedAt: Date, endedAt: Date?, summary: String?, findings: [PatrolFinding]
        public init(id: UUID, gridCode: String, areaPath: String, worker: String, startedAt: Date, endedAt: Date?, summary: String?, findings: [PatrolFinding]) {
            self.id = id; self.gridCode = gridCode; self.areaPath = areaPath; self.worker = worker
            self.startedAt = startedAt; self.endedAt = endedAt; self.summary = summary; self.findings = findings
        }
    }

    public static func insert(visits: [Visit], inspections: [Inspection], patrols: [Patrol], on db: any Database) async throws {
        let encoder = JSONEncoder()
        try await db.transaction { db in
            let sql = try SafetyIndexQueries.sqlDB(db)
            for chunk in visits.chunked(by: 400) {
                var q = sql.insert(into: "visits").columns("id", "household_id", "grid_code", "area_path", "day", "outcome", "note", "created_by", "created_at")
                for v in chunk {
                    q = q.values(SQLBind(UUID()), SQLBind(v.householdID), SQLBind(v.gridCode), SQLBind(v.areaPath), SQLBind(v.day.description),
                                 SQLBind(v.outcome.rawValue), SQLBind(v.note), SQLBind(v.by), SQLBind(v.at))
                }
                try await q.run()
            }
            for chunk in inspections.chunked(by: 300) {
                var q = sql.insert(into: "inspections").columns(InspectionQueries.columns)
                for i in chunk {
                    q = q.values(SQLBind(i.id), SQLBind(i.placeID), SQLBind(i.areaPath), SQLBind(i.checklistCode),
                                 SQLBind(String(decoding: try encoder.encode(i.results), as: UTF8.self)), SQLBind(i.results.filter { !$0.passed }.count),
                                 SQLBind(String(decoding: try encoder.encode(i.caseCodes), as: UTF8.self)), SQLBind(i.by), SQLBind(i.at))
                }
                try await q.run()
            }
            for chunk in patrols.chunked(by: 300) {
                var q = sql.insert(into: "patrols").columns(PatrolQueries.columns)
                for p in chunk {
                    q = q.values(SQLBind(p.id), SQLBind(p.gridCode), SQLBind(p.areaPath), SQLBind(p.worker), SQLBind(p.startedAt), SQLBind(p.endedAt),
                                 SQLBind(p.summary), SQLBind(String(decoding: try PatrolQueries.encoder.encode(p.findings), as: UTF8.self)), SQLBind(1))
                }
                try await q.run()
            }
        }
    }
}
