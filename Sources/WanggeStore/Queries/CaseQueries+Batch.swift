import Fluent
import Foundation
import SQLKit
import WanggeCore

extension CaseQueries {
    /// A new case waiting for its write turn: everything but its number, which only the writer can give, because
    /// the day's next number must be read in the same transaction that uses it.
    public struct PendingCase: Sendable {
        /// The code up to the day ("AL-20261123"); numbers count per prefix.
        public var prefix: String
        public var idempotencyKey: String?
        public var requestHash: String?
        /// The case to write given its number; throws when the report cannot become a case (the others still go in).
        public var make: @Sendable (_ sequence: Int) throws -> NewCase

        public init(prefix: String, idempotencyKey: String?, requestHash: String?, make: @escaping @Sendable (Int) throws -> NewCase) {
            self.prefix = prefix
            self.idempotencyKey = idempotencyKey
            self.requestHash = requestHash
            self.make = make
        }
    }

    /// What became of one report of a batch.
    public enum BatchOutcome: Sendable {
        /// Written, with the open cases near it of its category (itself not among them) as duplicate candidates.
        case stored(StoredCase, nearby: [DuplicateCandidate])
        /// Its idempotency key already names a case (stored earlier, or earlier in the same batch).
        case keyTaken(requestHash: String, caseID: UUID)
        case rejected(any Error)
    }

    /// Writes a batch of new cases in one transaction (group commit): one read of the keys already taken, one read
    /// of each day's last number, multi-row inserts, and one read of the duplicate candidates of them all (what
    /// `duplicateCandidates` would find for each, `metres` around it, back to `maxAge` before it). Outcomes come in
    /// the order of `pending`. When it throws nothing was written; the caller then writes the reports one at a
    /// time, each with its own outcome.
    public static func createBatch(_ pending: [PendingCase], duplicatesWithin metres: Double = DuplicateFinder.defaultDistanceMetres,
                                   maxAge: TimeInterval = DuplicateFinder.defaultMaxAge, on db: any Database) async throws -> [BatchOutcome] {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            var taken = try await keysTaken(pending.compactMap(\.idempotencyKey), on: sql)
            var next: [String: Int] = [:]
            var outcomes: [BatchOutcome] = []
            var caseRows: [CaseRow] = [], actionRows: [ActionRow] = [], keyRows: [IdempotencyRow] = []
            outcomes.reserveCapacity(pending.count)
            for p in pending {
                if let key = p.idempotencyKey, let earlier = taken[key] {
                    outcomes.append(.keyTaken(requestHash: earlier.requestHash, caseID: earlier.caseID))
                    continue
                }
                let sequence: Int
                if let n = next[p.prefix] { sequence = n } else { sequence = try await nextSequence(prefix: p.prefix, on: db) }
                let new: NewCase
                do { new = try p.make(sequence) } catch { outcomes.append(.rejected(error)); continue }
                next[p.prefix] = sequence + 1
                let id = UUID(), s = new.transition.snapshot
                caseRows.append(try caseRow(id: id, code: new.code, trackingCode: new.trackingCode, report: new.report, snapshot: s,
                                            areaPath: new.areaPath, version: 1))
                actionRows.append(try actionRow(new.transition.record, seq: 1, caseID: id))
                if let key = new.idempotencyKey, let hash = new.requestHash {
                    keyRows.append(IdempotencyRow(id: UUID(), key: key, request_hash: hash, case_id: id, created_at: s.reportedAt))
                    taken[key] = (hash, id)
                }
                outcomes.append(.stored(StoredCase(id: id, code: new.code, trackingCode: new.trackingCode, report: new.report,
                                                   snapshot: s, version: 1, reportedAt: s.reportedAt), nearby: []))
            }
            // Rows of one insert must name the same columns, so nil is written as NULL rather than left out.
            if !caseRows.isEmpty {
                try await sql.insert(into: CaseModel.schema).models(caseRows, nilEncodingStrategy: .asNil).run()
                try await sql.insert(into: CaseActionModel.schema).models(actionRows, nilEncodingStrategy: .asNil).run()
            }
            if !keyRows.isEmpty { try await sql.insert(into: IdempotencyKeyModel.schema).models(keyRows).run() }
            return try await withNearby(outcomes, metres: metres, maxAge: maxAge, on: sql)
        }
    }

    /// Of these idempotency keys, those already stored, with their request hash and case.
    static func keysTaken(_ keys: [String], on sql: any SQLDatabase) async throws -> [String: (requestHash: String, caseID: UUID)] {
        guard !keys.isEmpty else { return [:] }
        var taken: [String: (requestHash: String, caseID: UUID)] = [:]
        for row in try await sql.select().columns("key", "request_hash", "case_id").from(IdempotencyKeyModel.schema)
            .where("key", .in, Array(Set(keys))).all() {
            taken[try row.decode(column: "key", as: String.self)] =
                (try row.decode(column: "request_hash", as: String.self), try row.decode(column: "case_id", as: UUID.self))
        }
        return taken
    }

    /// The stored outcomes with their duplicate candidates, read in one query for the whole batch.
    static func withNearby(_ outcomes: [BatchOutcome], metres: Double, maxAge: TimeInterval, on sql: any SQLDatabase) async throws -> [BatchOutcome] {
        var boxes: [Int: DuplicateBox] = [:]
        var since = Date.distantFuture
        for (i, o) in outcomes.enumerated() {
            guard case .stored(let c, _) = o, let point = c.report.point else { continue }
            boxes[i] = DuplicateBox(categoryCode: c.report.categoryCode, around: point, metres: metres)
            since = min(since, c.reportedAt.addingTimeInterval(-maxAge))
        }
        guard !boxes.isEmpty else { return outcomes }
        // One OR term per box, each led by the category so that SQLite serves each from the (category, lat) index.
        let rows = try await sql.select().columns(duplicateColumns).from(CaseModel.schema)
            .where("reported_at", .greaterThanOrEqual, since)
            .where("state", .notIn, [CaseState.rejected, .merged, .closed].map(\.rawValue))
            .where(group: { any in
                for box in boxes.values {
                    any.orWhere(group: { term in
                        term.where("category_code", .equal, box.categoryCode)
                            .where("lat", .greaterThanOrEqual, box.lat.lowerBound).where("lat", .lessThanOrEqual, box.lat.upperBound)
                            .where("lon", .greaterThanOrEqual, box.lon.lowerBound).where("lon", .lessThanOrEqual, box.lon.upperBound)
                    })
                }
                return any
            })
            .all().map(duplicateCandidate)
        var result = outcomes
        for (i, box) in boxes {
            guard case .stored(let c, _) = outcomes[i] else { continue }
            let since = c.reportedAt.addingTimeInterval(-maxAge)
            result[i] = .stored(c, nearby: rows.filter { $0.code != c.code && $0.reportedAt >= since && box.contains($0) })
        }
        return result
    }
}
