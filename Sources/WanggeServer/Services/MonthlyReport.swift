import Fluent
import Foundation
import Vapor
import WanggeCore
import WanggeStore

/// The month's analysis report (研判报告) of one area, gathered from the data: cases by category and their trend, the
/// measures, the index and what moved it, risks opened and cleared, warnings, mediation outcomes and the top
/// recurring problems.
struct MonthlyReport: Sendable {
    struct Count: Sendable { var code: String; var n: Int; var previous: Int }

    var area: String
    var month: SafetyIndexMonth
    var total: Int
    var previousTotal: Int
    var byMajor: [Count]
    var top: [Count]
    /// The last six months' totals, the oldest first.
    var trend: [(month: SafetyIndexMonth, n: Int)]
    var measures: MeasureCounts
    var index: SafetyIndexResult?
    var previousIndex: SafetyIndexResult?
    var risksOpened: Int
    var risksCleared: Int
    var warnings: [StoredWarning]
    var mediation: MediationCounts

    static func gather(area: String, month: SafetyIndexMonth, app: Application, j: Jurisdiction, reference: ReferenceCache.Data,
                       now: Date) async throws -> MonthlyReport {
        let db = app.db, calendar = reference.calendar, path = j.path(of: area)
        func interval(_ m: SafetyIndexMonth) -> DateInterval { DateInterval(start: calendar.start(of: m.firstDay), end: calendar.start(of: m.dayAfter)) }
        var inArea: [String: Bool] = [:]
        func counts(_ m: SafetyIndexMonth) async throws -> [String: Int] {
            let p = interval(m)
            var out: [String: Int] = [:]
            for row in try await SafetyIndexQueries.caseCounts(from: p.start, to: p.end, on: db) {
                let inside = inArea[row.areaCode] ?? j.path(of: row.areaCode).hasPrefix(path)
                inArea[row.areaCode] = inside
                if inside { out[row.categoryCode, default: 0] += row.n }
            }
            return out
        }
        var now6: [(SafetyIndexMonth, [String: Int])] = []
        for k in (0..<6).reversed() { now6.append((month.adding(months: -k), try await counts(month.adding(months: -k)))) }
        let this = now6.last?.1 ?? [:], before = now6.dropLast().last?.1 ?? [:]
        var major: [String: (Int, Int)] = [:]
        for (c, n) in this { major[reference.catalogue.majorCode(of: c), default: (0, 0)].0 += n }
        for (c, n) in before { major[reference.catalogue.majorCode(of: c), default: (0, 0)].1 += n }
        let byMajor = major.map { Count(code: $0.key, n: $0.value.0, previous: $0.value.1) }.sorted { ($1.n, $0.code) < ($0.n, $1.code) }
        let top = this.map { Count(code: $0.key, n: $0.value, previous: before[$0.key] ?? 0) }.sorted { ($1.n, $0.code) < ($0.n, $1.code) }.prefix(8)
        let period = interval(month)
        let measures = try await MeasureQueries.counts(scopePath: path, period: period, asOf: now, by: .total, context: reference.measureContext, on: db)[""]
            ?? MeasureCounts()
        var index: SafetyIndexResult?, previousIndex: SafetyIndexResult?
        if let r = try await SafetyIndexQueries.revisions(month: month.description, on: db).last {
            index = try await SafetyIndexAPI.result(area: area, month: month, revision: r.revision, on: db)
        }
        if let r = try await SafetyIndexQueries.revisions(month: month.adding(months: -1).description, on: db).last {
            previousIndex = try await SafetyIndexAPI.result(area: area, month: month.adding(months: -1), revision: r.revision, on: db)
        }
        let risks = try await SafetyIndexQueries.riskChanges(scopePath: path, from: period.start, to: period.end, on: db)
        let warnings = try await WarningQueries.list(WarningFilter(scopePath: path), page: 1, per: 200, on: db).items
            .filter { period.start <= $0.raisedAt && $0.raisedAt < period.end }
        let mediation = try await MediationMeasureQueries.counts(scopePath: path, period: period, calendar: calendar, on: db).total
        return MonthlyReport(area: area, month: month, total: this.values.reduce(0, +), previousTotal: before.values.reduce(0, +), byMajor: byMajor,
                             top: Array(top), trend: now6.map { ($0.0, $0.1.values.reduce(0, +)) }, measures: measures, index: index,
                             previousIndex: previousIndex, risksOpened: risks.opened, risksCleared: risks.cleared, warnings: warnings, mediation: mediation)
    }
}
