import Fluent
import WanggeStore

/// Group commit for new cases. Reports queue here; one drain task at a time takes up to `maximumBatch` of them and
/// writes them in one transaction inside the write gate, then answers each. While a batch is being written the next
/// one gathers, so the busier intake is, the fewer commits each report costs.
actor IntakeBatcher {
    static let maximumBatch = 64

    private let gate: WriteGate
    private var queue: [(pending: CaseQueries.PendingCase, db: any Database, answer: CheckedContinuation<CaseQueries.BatchOutcome?, Never>)] = []
    private var draining = false

    init(gate: WriteGate) { self.gate = gate }

    /// The report's outcome, or nil when its batch failed as a whole and nothing of it was written: the caller
    /// then writes it alone and meets its own error, if any (a key or code taken meanwhile, a database problem).
    func submit(_ pending: CaseQueries.PendingCase, on db: any Database) async -> CaseQueries.BatchOutcome? {
        await withCheckedContinuation { answer in
            queue.append((pending, db, answer))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = queue.prefix(Self.maximumBatch)
            queue.removeFirst(batch.count)
            let pending = batch.map(\.pending)
            let outcomes = try? await gate.exclusive(on: batch.first!.db) { db in try await CaseQueries.createBatch(pending, on: db) }
            for (i, member) in batch.enumerated() { member.answer.resume(returning: outcomes?[i]) }
        }
        draining = false
    }
}
