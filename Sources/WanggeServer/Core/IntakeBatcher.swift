import WanggeStore

/// Group commit for new cases. Reports queue here; one drain task at a time takes up to `maximumBatch` of them and
/// writes them in one transaction in one write turn, then answers each. While a batch is being written the next
/// one gathers, so the busier intake is, the fewer commits each report costs.
actor IntakeBatcher {
    static let maximumBatch = 64

    private let gate: WriteGate
    private let writer: SQLiteIntakeWriter
    private var queue: [(pending: CaseQueries.PendingCase, answer: CheckedContinuation<CaseQueries.BatchOutcome?, Never>)] = []
    private var draining = false

    init(gate: WriteGate, writer: SQLiteIntakeWriter) {
        self.gate = gate
        self.writer = writer
    }

    /// The report's outcome, or nil when its batch failed as a whole and nothing of it was written: the caller
    /// then writes it alone and meets its own error, if any (a key or code taken meanwhile, a database problem).
    func submit(_ pending: CaseQueries.PendingCase) async -> CaseQueries.BatchOutcome? {
        await withCheckedContinuation { answer in
            queue.append((pending, answer))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    /// One batch, written in the next write turn.
    nonisolated func write(_ pending: [CaseQueries.PendingCase]) async throws -> [CaseQueries.BatchOutcome] {
        try await gate.turn { try await self.writer.write(pending) }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = queue.prefix(Self.maximumBatch)
            queue.removeFirst(batch.count)
            let outcomes = try? await write(batch.map(\.pending))
            for (i, member) in batch.enumerated() { member.answer.resume(returning: outcomes?[i]) }
        }
        draining = false
    }
}
