import Fluent
import Foundation
import Vapor
import WanggeCore
import WanggeStore

/// Warnings (预警): raised by early warning's weekly scan and by the safety index's ladder, listed and acted on in
/// one place. Every change is one transaction (`WarningQueries.act`) and one live event to the area's staff.
struct WarningService: Sendable {
    let app: Application

    /// Tells live pages of the area's staff about a new or changed warning.
    func announce(id: UUID, kind: String, action: String, at: Date) async {
        guard let w = try? await WarningQueries.find(id: id, on: app.db) else { return }
        let event = RecordEvent(record: "warning", kind: kind, id: w.id, code: w.key, state: w.status.rawValue, stateName: w.status.nameZH,
                                stateNameEn: w.status.rawValue, action: action, at: at,
                                audience: .init(areas: w.areaPath.split(separator: "/").map(String.init)))
        var e = event
        e.areaCode = w.areaCode
        e.categoryCode = w.categoryCode
        await LiveRelay.publish(e, app: app)
    }

    // MARK: Early warning

    static let job = PeriodicJob(name: "early-warning", lease: 30 * 60)

    /// Evidence is kept as the API shows it (snake_case keys).
    static let evidenceEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// The Monday of the week holding `day`.
    static func monday(of day: CivilDate) -> CivilDate { day.adding(days: 1 - day.weekday.rawValue) }

    /// Once a week has ended, tests it, once across every app server.
    static func runJob(_ app: Application, now: Date, calendar: WorkingCalendar) async throws {
        let tested = monday(of: calendar.civilDate(of: now)).adding(days: -7)
        let due = app.wangge.lastEarlyWarningWeek.withLockedValue { last -> Bool in
            guard last != tested else { return false }
            last = tested
            return true
        }
        guard due else { return }
        try await job.run(app, period: tested.description) {
            let s = try await WarningService(app: app).scan(weeks: [tested], calendar: calendar)
            app.logger.notice("early warning, week of \(tested): \(s.series) series tested, \(s.raised) warnings raised")
        }
    }

    struct ScanSummary: Sendable {
        struct Signal: Sendable, Hashable { var area: String; var category: String; var week: CivilDate; var level: EarlyWarningLevel }
        var series = 0
        var signals = 0
        var raised = 0
        /// Every signal, when asked for (`collect`).
        var found: [Signal] = []
    }

    /// Tests the weeks starting on the Mondays `weeks` (ascending): for each, every village × category and township ×
    /// category series with a case that week, against its own history (`EarlyWarning`), raising a warning per signal
    /// once per key. The weekly counts are read once for the whole stretch, one query per week.
    @discardableResult
    func scan(weeks: [CivilDate], calendar: WorkingCalendar, configuration: EarlyWarningConfiguration = .standard,
              raise: Bool = true, collect: Bool = false) async throws -> ScanSummary {
        guard let first = weeks.first, let last = weeks.last else { return ScanSummary() }
        let db = app.db, now = app.wangge.clock.now()
        let j = try await app.wangge.jurisdictions.current(on: db, now: now).jurisdiction
        let history = 52 * max(configuration.seasonalYears, 1) + max(configuration.seasonalHalfWindow, 0) + 1
        let start = first.adding(days: -7 * (history - 1))
        let count = (last.dayNumber - start.dayNumber) / 7 + 1
        // series[area][category] = weekly counts from `start`.
        var series: [String: [String: [Int]]] = [:]
        var levels: [String: [String]] = [:]
        func tested(_ grid: String) -> [String] {
            if let l = levels[grid] { return l }
            let l = j.chain(from: grid).filter { $0.level == .village || $0.level == .township }.map(\.code)
            levels[grid] = l
            return l
        }
        // Weeks before the first week with any case in the county are not zeros but no record at all (a county that
        // began using the platform last spring): the series start there, or a seasonal baseline of "nothing a
        // year ago" would make every steady series look like a rise.
        var firstWeek: Int?
        for w in 0..<count {
            let from = start.adding(days: 7 * w)
            let rows = try await SafetyIndexQueries.caseCounts(from: calendar.start(of: from), to: calendar.start(of: from.adding(days: 7)), on: db)
            if firstWeek == nil, !rows.isEmpty { firstWeek = w }
            for row in rows {
                for area in tested(row.areaCode) {
                    series[area, default: [:]][row.categoryCode, default: Array(repeating: 0, count: count)][w] += row.n
                }
            }
        }
        var summary = ScanSummary()
        for week in weeks {
            let end = (week.dayNumber - start.dayNumber) / 7
            var candidates: [EarlyWarningSeries] = []
            for (area, byCategory) in series {
                for (category, counts) in byCategory where counts[end] > 0 {
                    candidates.append(EarlyWarningSeries(area: area, category: category,
                                                         weeks: Array(counts[max(firstWeek ?? 0, end - history + 1)...end])))
                }
            }
            summary.series += candidates.count
            let signals = EarlyWarning.signals(candidates, configuration: configuration)
            summary.signals += signals.count
            if collect {
                summary.found += signals.compactMap { s in s.level.map { ScanSummary.Signal(area: s.area, category: s.category, week: week, level: $0) } }
            }
            guard raise else { continue }
            for s in signals {
                guard let level = s.level else { continue }
                let evidence = SpikeEvidence(triggers: s.triggers.map(\.rawValue), count: s.evidence.count, lastFourWeeks: s.evidence.lastFourWeeks,
                                             baseline: s.evidence.baseline, p: s.evidence.p, cusum: s.evidence.cusum, recent: s.evidence.recent,
                                             baselineWeeks: s.evidence.baselineWeeks, seasonalYears: { if case .seasonal(let y) = s.evidence.method { y } else { 0 } }())
                let w = NewWarning(key: "spike:\(s.area):\(s.category):\(week)", kind: .spike, level: level.rawValue, areaCode: s.area,
                                   areaPath: j.path(of: s.area), categoryCode: s.category, period: week.description,
                                   evidence: String(decoding: try Self.evidenceEncoder.encode(evidence), as: UTF8.self))
                let at = min(now, calendar.start(of: week.adding(days: 7)))
                if let id = try await app.wangge.writes.run(on: db, { try await WarningQueries.raise(w, at: at, on: db) }) {
                    summary.raised += 1
                    if weeks.count == 1 { await announce(id: id, kind: "created", action: "raise", at: at) }
                }
            }
        }
        return summary
    }

    // MARK: Actions

    /// Applies `action` to warning `id` by `staff` (in scope), one transaction; 409 with the allowed list when the
    /// warning does not allow it, or when someone acted meanwhile.
    func act(_ w: StoredWarning, action: WarningAction, note: String?, staff: StaffAccount, j: Jurisdiction, calendar: WorkingCalendar) async throws -> StoredWarning {
        let now = app.wangge.clock.now()
        let reviewerLevel = j[staff.scope.areaCode]?.level ?? .grid
        let status: WarningStatus
        switch WarningRules.apply(action, kind: w.kind, status: w.status, note: note, reviewsDone: w.reviews.count, reviewerLevel: reviewerLevel) {
        case .success(let s): status = s
        case .failure(.notAllowed(let allowed)):
            var e = APIError(.conflict, "action_not_allowed", "\(action.rawValue) is not allowed now; allowed: \(allowed.map(\.rawValue).joined(separator: ", "))",
                             field: "action")
            e.allowed = allowed.map(\.rawValue)
            throw e
        case .failure(.bad(let field, let reason)):
            throw APIError.badRequest(reason, field: field)
        }
        let text = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let review = action == .review
            ? StoredWarning.Review(level: RectificationReviewLevel.allCases[w.reviews.count], onDay: calendar.civilDate(of: now).description,
                                   by: staff.username, note: text ?? "", at: now)
            : nil
        let db = app.db
        do {
            try await app.wangge.writes.run(on: db) {
                try await WarningQueries.act(id: w.id, version: w.version, status: status, at: now, by: staff.username,
                                             note: text?.isEmpty == false ? text : nil, review: review, on: db)
            }
        } catch is WarningConflict {
            throw APIError(.conflict, "conflict", "the warning changed meanwhile; read it again", field: "action")
        }
        await announce(id: w.id, kind: "changed", action: action.rawValue, at: now)
        guard let updated = try await WarningQueries.find(id: w.id, on: db) else { throw APIError(.notFound, "not_found", "no such warning") }
        return updated
    }
}

/// A spike's evidence as kept and shown: the counts, the baseline, the test's p and the CUSUM, the recent weeks.
struct SpikeEvidence: Codable, Sendable {
    var triggers: [String]
    var count: Int
    var lastFourWeeks: Int
    var baseline: Double
    var p: Double
    var cusum: Double
    var recent: [Int]
    var baselineWeeks: Int
    var seasonalYears: Int
}
