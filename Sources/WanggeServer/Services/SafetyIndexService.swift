import Fluent
import Foundation
import Vapor
import WanggeCore
import WanggeStore

/// What a county configures about its safety index: the formula (`SafetyIndexFormula`, versioned) and the ladder its
/// red months climb (`SafetyIndexLadder`). Saved together as one document, one version per save.
struct SafetyIndexSettings: Codable, Sendable, Hashable {
    var formula: SafetyIndexFormula
    var ladder: SafetyIndexLadder
    /// Whether residents see the index on `/safety/{code}` (nil: yes).
    var publicPage: Bool? = nil

    static let standard = SafetyIndexSettings(formula: .standard, ladder: .standard)

    /// Every problem of the document, by field (the formula's and the ladder's).
    func problems(knownCategories: Set<String>) -> [SafetyIndexFormulaProblem] {
        formula.validate(knownCategories: knownCategories) + ladder.validate().map { SafetyIndexFormulaProblem("ladder." + $0.field, $0.reason) }
    }
}

/// The safety index's service (issue 19): gathers what a month counts from the store, computes every area's index
/// with the core's rules (`SafetyIndex.compute`) and publishes it as a new revision, then raises what the ladder
/// says (`SafetyIndexLadder.decide`) as warnings, once per key. The monthly job and `POST …/compute` both come here.
struct SafetyIndexService: Sendable {
    let app: Application

    var db: any Database { app.db }

    // MARK: Settings

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// The settings as a versioned document (`safety_index_formulas`).
    static let formulas = VersionedFormula<SafetyIndexSettings>(table: .safetyIndex, standard: .standard) { $0.formula.version = $1 }

    /// The settings in force and their version; version 1 is the standard until a county saves its own.
    func settings() async throws -> (version: Int, settings: SafetyIndexSettings) {
        let (version, s) = try await Self.formulas.current(on: db)
        return (version, s)
    }

    /// Saves `settings` as the next version (the standard first becomes version 1 if nothing was saved yet).
    func save(_ settings: SafetyIndexSettings, by: String) async throws -> Int {
        try await Self.formulas.save(settings, by: by, app: app)
    }

    /// The version 1 document, written before the first revision names it.
    func ensureSaved() async throws {
        try await Self.formulas.ensureSaved(app: app)
    }

    // MARK: Computing a month

    /// The areas scored: the county, its townships and villages.
    static let scoredLevels: Set<AreaLevel> = [.county, .township, .village]

    /// Every area's result for `month` with `formula`, from what the store holds now; areas with nothing to score
    /// (no data and no baseline) are left out.
    func compute(month: SafetyIndexMonth, formula: SafetyIndexFormula, asOf: Date? = nil) async throws -> [SafetyIndexResult] {
        let now = asOf ?? app.wangge.clock.now()
        let j = try await app.wangge.jurisdictions.current(on: db, now: now).jurisdiction
        let ref = try await app.wangge.reference.current(on: db, now: now)
        var gatherer = SafetyIndexGatherer(db: db, j: j, calendar: ref.calendar, context: ref.measureContext, formula: formula, asOf: now)
        let observed = try await gatherer.observations(month, rates: .everyArea)
        // Baseline months: the areas' own counts, and the county's rates (or every area's when a rate's baseline is
        // its own).
        var months: [SafetyIndexMonth: [String: SafetyIndexObservations]] = [month: observed]
        let ownRates = formula.indicators.contains { !$0.kind.isPerResidents && $0.baseline.isOwn }
        // Months before the first case the county recorded are no record, not a record of nothing: left out of the
        // baselines (a county's first year is compared with the months it has).
        let first = try await SafetyIndexQueries.firstReported(on: db).map { SafetyIndexService.month(of: $0, calendar: ref.calendar) }
        let wanted = Set(formula.indicators.flatMap { $0.baseline.months(before: month) }).filter { m in first.map { m >= $0 } ?? false }
        for m in wanted.sorted() {
            months[m] = try await gatherer.observations(m, rates: ownRates ? .everyArea : .countyOnly)
        }
        let root = j.root?.code ?? ""
        func baselines(_ code: String) -> [String: Measure] {
            var out: [String: Measure] = [:]
            for indicator in formula.indicators {
                out[indicator.code] = SafetyIndex.baseline(of: indicator, for: month,
                                                           own: { months[$0]?[code]?.measure(indicator) },
                                                           county: { months[$0]?[root]?.measure(indicator) })
            }
            return out
        }
        var results: [SafetyIndexResult] = []
        var baselineCache: [String: [String: Measure]] = [:]
        func cachedBaselines(_ code: String) -> [String: Measure] {
            if let b = baselineCache[code] { return b }
            let b = baselines(code)
            baselineCache[code] = b
            return b
        }
        for area in gatherer.scored {
            let parentCode = gatherer.scoredParent[area.code]
            let parent = parentCode.map { SafetyIndexParent(area: $0, observed: observed[$0] ?? SafetyIndexObservations(residents: 0),
                                                            baselines: cachedBaselines($0)) }
            let input = SafetyIndexInput(area: area.code, month: month, observed: observed[area.code] ?? SafetyIndexObservations(residents: 0),
                                         baselines: cachedBaselines(area.code), parent: parent)
            do {
                results.append(try SafetyIndex.compute(input, formula: formula))
            } catch .nothingToScore {
                continue
            } catch {
                throw error
            }
        }
        return results
    }

    /// Computes `month` with the settings in force and publishes it as its next revision; then raises what the
    /// ladder says. Returns the revision, or nil when no area had anything to score.
    @discardableResult
    /// `at`: when it is published (the demo publishes its year's months as of each month's following day).
    func publish(month: SafetyIndexMonth, by: String?, at: Date? = nil) async throws -> (revision: Int, formulaVersion: Int, areas: Int)? {
        try await ensureSaved()
        let (version, settings) = try await self.settings()
        let results = try await compute(month: month, formula: settings.formula, asOf: at)
        guard !results.isEmpty else { return nil }
        let now = at ?? app.wangge.clock.now()
        let j = try await app.wangge.jurisdictions.current(on: db, now: now).jurisdiction
        let scores = try results.map { r in
            SafetyIndexQueries.NewScore(areaCode: r.area, areaPath: j.path(of: r.area), scoreHundredths: r.scoreHundredths, band: r.band.rawValue,
                                        explanation: String(decoding: try Self.encoder.encode(r), as: UTF8.self))
        }
        let db = db
        let revision = try await app.wangge.writes.run(on: db) {
            try await SafetyIndexQueries.saveRevision(month: month.description, formulaVersion: version, by: by, at: now, scores: scores, on: db)
        }
        try await climbLadder(month: month, ladder: settings.ladder, areas: results.map(\.area), j: j, at: now)
        return (revision, version, results.count)
    }

    /// Raises the ladder's notices for `month` for each area, from the current bands of every month published and
    /// the rectifications' reviews; each once per key, so running it again raises nothing new.
    func climbLadder(month: SafetyIndexMonth, ladder: SafetyIndexLadder, areas: [String], j: Jurisdiction, at now: Date) async throws {
        var bands: [String: [SafetyIndexMonth: SafetyBand]] = [:]
        for rev in try await SafetyIndexQueries.currentRevisions(on: db) {
            guard let m = SafetyIndexMonth(rev.month), m <= month else { continue }
            for s in try await SafetyIndexQueries.scores(month: rev.month, revision: rev.revision, explanations: false, on: db) {
                bands[s.areaCode, default: [:]][m] = SafetyBand(rawValue: s.band)
            }
        }
        let db = db
        for area in areas {
            guard let b = bands[area], b[month] == .red else { continue }
            let rectifications = try await WarningQueries.all(kinds: [.rectification], areaCode: area, on: db)
            let reviews = rectifications.flatMap { w in
                w.reviews.compactMap { r in CivilDate(r.onDay).map { RectificationReview(rectificationKey: w.key, level: r.level, on: $0, by: r.by, note: r.note) } }
            }
            let decision = ladder.decide(area: area, month: month, bands: b, reviews: reviews)
            for raise in decision.raises {
                let kind: WarningKind
                switch raise.kind {
                case .warningNotice: kind = .indexWarning
                case .specialSupervision: kind = .specialSupervision
                case .rectification: kind = .rectification
                case .step: kind = .step
                }
                var evidence: [String: String] = ["red_months": String(raise.redMonths), "month": raise.month.description]
                if case .step(let code) = raise.kind { evidence["step"] = code; evidence["step_name"] = ladder.extraSteps.first { $0.code == code }?.name }
                let w = NewWarning(key: raise.key, kind: kind, level: "red", areaCode: area, areaPath: j.path(of: area), period: raise.month.description,
                                   evidence: String(decoding: try Self.encoder.encode(evidence), as: UTF8.self), dueOn: raise.dueOn?.description)
                if let id = try await app.wangge.writes.run(on: db, { try await WarningQueries.raise(w, at: now, on: db) }) {
                    await WarningService(app: app).announce(id: id, kind: "created", action: "raise", at: now)
                }
            }
        }
    }

    /// The month holding `instant` in the calendar's zone.
    static func month(of instant: Date, calendar: WorkingCalendar) -> SafetyIndexMonth {
        let d = calendar.civilDate(of: instant)
        return SafetyIndexMonth(year: d.year, month: d.month)!
    }

    /// The month before the one holding `instant` in the calendar's zone: the last month that has ended.
    static func lastEndedMonth(at instant: Date, calendar: WorkingCalendar) -> SafetyIndexMonth {
        let d = calendar.civilDate(of: instant)
        return SafetyIndexMonth(year: d.year, month: d.month)!.adding(months: -1)
    }

    /// The monthly job: once the month has ended, computes and publishes it, once across every app server.
    static let job = PeriodicJob(name: "safety-index", lease: 30 * 60)

    static func runJob(_ app: Application, now: Date, calendar: WorkingCalendar) async throws {
        let month = lastEndedMonth(at: now, calendar: calendar)
        let due = app.wangge.lastSafetyIndexMonth.withLockedValue { last -> Bool in
            guard last != month else { return false }
            last = month
            return true
        }
        guard due else { return }
        try await job.run(app, period: month.description) {
            let started = Date()
            if let r = try await SafetyIndexService(app: app).publish(month: month, by: nil) {
                app.logger.notice("safety index \(month): revision \(r.revision), \(r.areas) areas, formula \(r.formulaVersion), \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
            }
        }
    }
}

/// What the store counts for the index, area by area: cases by category summed up the tree from the grid they stand
/// in, red and orange risks open at the month's end, and the governance rates (the case measures' facts by grid, the
/// mediation facts by area path).
struct SafetyIndexGatherer {
    enum Rates { case everyArea, countyOnly }

    let db: any Database
    let j: Jurisdiction
    let calendar: WorkingCalendar
    let context: MeasureFactContext
    let formula: SafetyIndexFormula
    let asOf: Date
    /// The county, townships and villages, the county first.
    let scored: [Area]
    /// Each scored area's scored parent (a village's township, a township's county).
    let scoredParent: [String: String]
    let residents: [String: Int]
    /// For a category code, the per-residents indicators counting it.
    let indicatorsByCategory: [String: [String]]
    var ancestors: [String: [String]] = [:]

    init(db: any Database, j: Jurisdiction, calendar: WorkingCalendar, context: MeasureFactContext, formula: SafetyIndexFormula, asOf: Date) {
        self.db = db
        self.j = j
        self.calendar = calendar
        self.context = context
        self.formula = formula
        self.asOf = asOf
        scored = j.areas.filter { SafetyIndexService.scoredLevels.contains($0.level) }.sorted { ($0.level, $0.code) < ($1.level, $1.code) }
        var parent: [String: String] = [:]
        for a in scored {
            parent[a.code] = j.chain(from: a.code).dropFirst().first { SafetyIndexService.scoredLevels.contains($0.level) }?.code
        }
        scoredParent = parent
        // Residents: the area's own figure, or its children's sum where it has none.
        var people: [String: Int] = [:]
        func count(_ a: Area) -> Int {
            if let n = people[a.code] { return n }
            let n = a.population > 0 ? a.population : j.children(of: a.code).reduce(0) { Fen.saturatingAdd($0, count($1)) }
            people[a.code] = n
            return n
        }
        for a in scored { _ = count(a) }
        residents = people
        var byCategory: [String: [String]] = [:]
        for i in formula.indicators where i.kind == .incidence {
            for c in Set(i.categoryCodes) { byCategory[c, default: []].append(i.code) }
        }
        indicatorsByCategory = byCategory
    }

    /// The scored areas holding `code` (itself included), from the smallest up.
    mutating func scoredChain(_ code: String) -> [String] {
        if let c = ancestors[code] { return c }
        let c = j.chain(from: code).filter { SafetyIndexService.scoredLevels.contains($0.level) }.map(\.code)
        ancestors[code] = c
        return c
    }

    mutating func scoredChain(path: String) -> [String] {
        guard let last = path.split(separator: "/").last else { return [] }
        return scoredChain(String(last))
    }

    func interval(_ m: SafetyIndexMonth) -> DateInterval {
        DateInterval(start: calendar.start(of: m.firstDay), end: calendar.start(of: m.dayAfter))
    }

    /// One month's observations of every scored area.
    mutating func observations(_ month: SafetyIndexMonth, rates: Rates) async throws -> [String: SafetyIndexObservations] {
        let period = interval(month)
        var out: [String: SafetyIndexObservations] = [:]
        for a in scored { out[a.code] = SafetyIndexObservations(residents: residents[a.code] ?? 0) }
        let indicators = formula.indicators
        // Incidence: cases by grid and category.
        if !indicatorsByCategory.isEmpty {
            for row in try await SafetyIndexQueries.caseCounts(from: period.start, to: period.end, on: db) {
                guard let codes = indicatorsByCategory[row.categoryCode] else { continue }
                for area in scoredChain(row.areaCode) {
                    for code in codes {
                        let was = out[area]?.counts[code] ?? 0
                        out[area]?.counts[code] = Fen.saturatingAdd(was, row.n)
                    }
                }
            }
        }
        // Red and orange risks open at the month's end.
        let riskIndicators = indicators.filter { $0.kind == .openHighRisks }
        if !riskIndicators.isEmpty {
            for (path, n) in try await SafetyIndexQueries.openRisks(at: period.end, severeUpTo: RiskLevel.leadersNotifiedUpTo, on: db) {
                for area in scoredChain(path: path) {
                    for i in riskIndicators {
                        let was = out[area]?.counts[i.code] ?? 0
                        out[area]?.counts[i.code] = Fen.saturatingAdd(was, n)
                    }
                }
            }
        }
        // Grave events of the month that stand (not withdrawn), for the formula's deductions: an event counts in its
        // area and every scored area holding it.
        let deductionCodes = Set(formula.deductions.map(\.code))
        if !deductionCodes.isEmpty {
            for row in try await SafetyRegisterQueries.graveEventCounts(month: month.description, on: db) where deductionCodes.contains(row.code) {
                for area in scoredChain(path: row.areaPath) {
                    let was = out[area]?.graveEvents[row.code] ?? 0
                    out[area]?.graveEvents[row.code] = Fen.saturatingAdd(was, row.n)
                }
            }
        }
        // The governance rates.
        let caseRates: [(SafetyIndicator, MeasureKind)] = indicators.compactMap { i in
            switch i.kind {
            case .completion: (i, .effectiveCompletion)
            case .onTimeClosure: (i, .onTimeClosure)
            case .satisfaction: (i, .satisfaction)
            default: nil
            }
        }
        let rootPath = j.root.map { j.path(of: $0.code) } ?? ""
        let root = j.root?.code ?? ""
        if !caseRates.isEmpty {
            var byArea: [String: MeasureCounts] = [:]
            switch rates {
            case .everyArea:
                let counts = try await MeasureQueries.counts(scopePath: rootPath, period: period, asOf: asOf, by: .area, context: context, on: db)
                for (grid, c) in counts {
                    for area in scoredChain(grid) { byArea[area, default: MeasureCounts()].add(c) }
                }
            case .countyOnly:
                let counts = try await MeasureQueries.counts(scopePath: rootPath, period: period, asOf: asOf, by: .total, context: context, on: db)
                byArea[root] = counts[""] ?? MeasureCounts()
            }
            for (area, c) in byArea {
                for (i, kind) in caseRates { out[area]?.rates[i.code] = c[kind] }
            }
        }
        let mediation = indicators.filter { $0.kind == .mediationSuccess }
        if !mediation.isEmpty {
            let groups = try await MediationMeasureQueries.counts(scopePath: rootPath, period: period, calendar: calendar,
                                                                  byArea: rates == .everyArea, on: db)
            var byArea: [String: MediationCounts] = [:]
            if rates == .everyArea {
                for (path, c) in groups.byArea {
                    for area in scoredChain(path: path) { byArea[area, default: MediationCounts()].add(c) }
                }
            } else {
                byArea[root] = groups.total
            }
            for (area, c) in byArea {
                for i in mediation { out[area]?.rates[i.code] = c.success }
            }
        }
        return out
    }
}
