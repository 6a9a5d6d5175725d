import Fluent
import Foundation
import WanggeCore
import WanggeStore

/// Every case's index row and measure outcomes, kept in memory by case version, so the dashboards count a year of
/// cases without reading its actions on every page. A cheap fingerprint (count and sum of versions) tells when
/// anything changed; then the rows touched lately are read, and when that does not account for the change every
/// id and version is compared. Outcomes are computed from all of a case's actions, which gives the right counts
/// for any instant after its last action (`Measures.outcomes`); an earlier instant is computed afresh.
actor MeasureIndex {
    /// A class, so the dashboards' passes over every case copy a pointer, not a row of strings (measured: copying
    /// the struct's fields was most of a dashboard's time).
    final class Entry: Sendable {
        let row: CaseIndexRow
        let outcomes: [MeasureOutcome]
        /// Read from the row once, not on every pass.
        let state: CaseState
        let majorCategory: String
        init(row: CaseIndexRow, outcomes: [MeasureOutcome]) {
            self.row = row
            self.outcomes = outcomes
            state = row.caseState
            majorCategory = String(row.category_code.prefix(2))
        }
    }

    private var entries: [UUID: Entry] = [:]
    private var fingerprint: (count: Int, versions: Int)? = nil
    private var latestUpdate = Date.distantPast
    private var checkedAt = Date.distantPast
    private var refreshing: Task<Void, any Error>? = nil

    /// Every case, up to date within `maxAge` seconds.
    func all(on db: any Database, calendar: WorkingCalendar, maxAge: TimeInterval = 1) async throws -> [Entry] {
        if Date().timeIntervalSince(checkedAt) >= maxAge || fingerprint == nil {
            if let running = refreshing {
                try await running.value
            } else {
                let task = Task { try await self.refresh(on: db, calendar: calendar) }
                refreshing = task
                defer { refreshing = nil }
                try await task.value
            }
        }
        return Array(entries.values)
    }

    var isWarm: Bool { fingerprint != nil }

    private func refresh(on db: any Database, calendar: WorkingCalendar) async throws {
        let started = Date()
        let now = try await CaseIndexQueries.fingerprint(on: db)
        defer { checkedAt = started }
        if let f = fingerprint, f == now { return }
        var rows: [CaseIndexRow]
        if fingerprint == nil {
            rows = try await CaseIndexQueries.rows(updatedSince: nil, on: db)
        } else {
            // Writes carry their action's time; two minutes' margin covers a commit that lagged behind it.
            rows = try await CaseIndexQueries.rows(updatedSince: latestUpdate.addingTimeInterval(-120), on: db)
        }
        try await apply(rows, on: db, calendar: calendar)
        if entries.count != now.count || entries.values.reduce(0, { $0 + $1.row.version }) != now.versions {
            let versions = try await CaseIndexQueries.versions(on: db)
            for id in entries.keys where versions[id] == nil { entries[id] = nil }
            let stale = versions.filter { entries[$0.key]?.row.version != $0.value }.map(\.key)
            try await apply(try await CaseIndexQueries.rows(ids: stale, on: db), on: db, calendar: calendar)
        }
        fingerprint = now
    }

    private func apply(_ rows: [CaseIndexRow], on db: any Database, calendar: WorkingCalendar) async throws {
        let changed = rows.filter { entries[$0.id]?.row.version != $0.version }
        guard !changed.isEmpty else { return }
        let histories = try await CaseIndexQueries.histories(ids: changed.map(\.id), on: db)
        for row in changed {
            let outcomes = histories[row.id].map { Measures.outcomes(of: $0, upTo: .distantFuture, calendar: calendar) } ?? []
            entries[row.id] = Entry(row: row, outcomes: outcomes)
            if row.updated_at > latestUpdate { latestUpdate = row.updated_at }
        }
    }

    /// The outcomes to count as of `asOf`: kept ones for cases untouched since, fresh ones for the others.
    static func outcomes(_ entries: [Entry], asOf: Date, on db: any Database, calendar: WorkingCalendar) async throws -> [UUID: [MeasureOutcome]] {
        let later = entries.filter { $0.row.updated_at > asOf && $0.row.reported_at <= asOf }.map(\.row.id)
        var out: [UUID: [MeasureOutcome]] = [:]
        if !later.isEmpty {
            for (id, h) in try await CaseIndexQueries.histories(ids: later, on: db) {
                out[id] = Measures.outcomes(of: h, upTo: asOf, calendar: calendar)
            }
        }
        return out
    }
}
