import Fluent
import Foundation
import SQLKit
import WanggeCore

/// The mediation measures counted from stored facts (`MediationFact`, table `mediation_facts`) with one GROUP BY,
/// the seam the case loop's measures have in `MeasureQueries`: a mediation's facts are rewritten from its snapshot
/// in the transaction of each of its writes (`replace`), written for every mediation by `rebuild` (after a bulk
/// load, and once for a database made before they were kept: `backfill`). Each count equals what
/// `MediationMeasures.counts(snapshot, period:calendar:)` adds up over the mediations.
public enum MediationMeasureQueries {
    static let schema = "mediation_facts"
    static let marker = "mediation_facts"

    /// Counts by the mediation's type, tier and mediators (as they stand now), and their total.
    public struct Groups: Sendable, Hashable {
        public var total = MediationCounts()
        public var byType: [String: MediationCounts] = [:]
        public var byTier: [String: MediationCounts] = [:]
        public var byMediator: [String: MediationCounts] = [:]
        /// By the mediation's area path as stored, when asked for (`counts(…byArea: true)`).
        public var byArea: [String: MediationCounts] = [:]

        public init() {}

        /// Adds what the mediations of one type, tier and set of mediators count.
        public mutating func add(_ c: MediationCounts, type: String, tier: String, mediators: [String]) {
            guard c != MediationCounts() else { return }
            total.add(c)
            byType[type, default: MediationCounts()].add(c)
            byTier[tier, default: MediationCounts()].add(c)
            for m in mediators { byMediator[m, default: MediationCounts()].add(c) }
        }

        /// Adds another piece's groups.
        public mutating func add(_ g: Groups) {
            total.add(g.total)
            for (k, c) in g.byType { byType[k, default: MediationCounts()].add(c) }
            for (k, c) in g.byTier { byTier[k, default: MediationCounts()].add(c) }
            for (k, c) in g.byMediator { byMediator[k, default: MediationCounts()].add(c) }
        }

        var weight: Int { 1 + byType.count + byTier.count + byMediator.count }
    }

    /// The write counters' kind (`record_month_versions`) of mediation facts.
    public static let counterKind = "mediation"

    struct Row: Codable, Hashable {
        var mediation_id: UUID, ordinal: Int, kind: String, at: Date, by_day: Bool
        var area_path: String, type_code: String, tier: String
        /// The mediators assigned now, joined by "|" (user names have no "|"): grouped on, then split.
        var mediators: String
        var received: Int, amount_involved: Int, people_involved: Int, concluded: Int, agreements: Int, failed: Int
        var withdrawn: Int, first_tier: Int, decided: Int, confirmed: Int, amount_agreed: Int, amount_paid: Int

        /// The row with its instant to the millisecond, to compare a stored row with a new one.
        var compared: Row {
            var r = self
            r.at = Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded() / 1000)
            return r
        }
    }

    static func rows(id: UUID, snapshot s: MediationSnapshot, areaPath: String, calendar: WorkingCalendar) -> [Row] {
        MediationFact.facts(of: s, calendar: calendar).enumerated().map { i, f in
            let c = f.counts
            return Row(mediation_id: id, ordinal: i, kind: f.kind.rawValue, at: f.at, by_day: f.byDay, area_path: areaPath,
                       type_code: s.registration.typeCode, tier: s.tier.rawValue, mediators: s.mediators.joined(separator: "|"),
                       received: c.received, amount_involved: c.amountInvolved, people_involved: c.peopleInvolved,
                       concluded: c.concluded, agreements: c.agreements, failed: c.failed, withdrawn: c.withdrawn,
                       first_tier: c.settledAtFirstTier, decided: c.confirmationsDecided, confirmed: c.confirmed,
                       amount_agreed: c.amountAgreed, amount_paid: c.amountPaid)
        }
    }

    /// Rewrites one mediation's facts from its snapshot, inside the caller's transaction (the write of the step),
    /// and raises the write counters of the months whose facts changed (a server's kept pieces of them are stale).
    public static func replace(id: UUID, snapshot: MediationSnapshot, areaPath: String, calendar: WorkingCalendar,
                               on sql: any SQLDatabase) async throws {
        let old = try await sql.select().column("*").from(schema).where("mediation_id", .equal, id).all().map { try $0.decode(model: Row.self) }
        let new = rows(id: id, snapshot: snapshot, areaPath: areaPath, calendar: calendar)
        try await sql.delete(from: schema).where("mediation_id", .equal, id).run()
        try await insert(new, on: sql)
        var touched: Set<MeasureQueries.MonthKey> = []
        // (Compared to the millisecond: a database keeps instants to the microsecond at best.)
        for r in Set(old.map(\.compared)).symmetricDifference(new.map(\.compared)) {
            touched.insert(MeasureQueries.MonthKey(kind: counterKind, monthStart: MeasureFact.month(of: r.at, calendar: calendar).start,
                                                   townshipPath: MeasureQueries.townshipPath(r.area_path)))
        }
        for k in touched { try await MeasureQueries.bump(k, on: sql) }
    }

    static func insert(_ rows: [Row], on sql: any SQLDatabase) async throws {
        for chunk in rows.chunked(by: 500) where !chunk.isEmpty {
            try await sql.insert(into: schema).models(Array(chunk), nilEncodingStrategy: .asNil).run()
        }
    }

    /// Writes the facts of every mediation once, for a database made before they were kept. Does nothing when
    /// they are there already; returns how many mediations were written.
    public static func backfill(calendar: WorkingCalendar, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        if try await sql.select().column("name").from("store_markers").where("name", .equal, marker).first() != nil { return 0 }
        return try await rebuild(calendar: calendar, on: db)
    }

    /// Rewrites the facts of every mediation from its snapshot, in one transaction (after a bulk load).
    @discardableResult
    public static func rebuild(calendar: WorkingCalendar, on db: any Database) async throws -> Int {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
            try await sql.delete(from: schema).run()
            let ids = try await sql.select().column("id").from("mediations").all().map { try $0.decode(column: "id", as: UUID.self) }
            for chunk in ids.chunked(by: 500) {
                var rows: [Row] = []
                for m in try await sql.select().column("id").column("snapshot").column("area_path").from("mediations")
                    .where("id", .in, Array(chunk)).all() {
                    let s = try CaseQueries.decoder.decode(MediationSnapshot.self, from: Data(try m.decode(column: "snapshot", as: String.self).utf8))
                    rows += Self.rows(id: try m.decode(column: "id", as: UUID.self), snapshot: s,
                                      areaPath: try m.decode(column: "area_path", as: String.self), calendar: calendar)
                }
                try await insert(rows, on: sql)
            }
            // Every kept piece of mediation counts is stale.
            try await MeasureQueries.bump(MeasureQueries.MonthKey(kind: counterKind, monthStart: Date(timeIntervalSince1970: 0),
                                                                  townshipPath: MeasureQueries.MonthKey.everything), on: sql)
            try await sql.delete(from: "store_markers").where("name", .equal, marker).run()
            try await sql.insert(into: "store_markers").columns("name", "at").values(SQLBind(marker), SQLBind(Date())).run()
            return ids.count
        }
    }

    /// A value above this (in fen, or people) is added up in Swift, saturating, rather than by SQL's SUM: the
    /// rest then cannot overflow a 64-bit sum (fewer than 9 million rows of at most 10^12).
    static let large = 1_000_000_000_000
    static let amounts = ["amount_involved", "people_involved", "amount_agreed", "amount_paid"]
    static let tallies = ["received", "concluded", "agreements", "failed", "withdrawn", "first_tier", "decided", "confirmed"]

    /// The measures of one piece of time (a month at most; see `KeptCounts`), with its month's stamp read before.
    public static func pieceCounts(scopePath: String, interval: DateInterval, stamp: MeasureQueries.Stamp, calendar: WorkingCalendar,
                                   on db: any Database) async throws -> MediationPieceCounts {
        MediationPieceCounts(interval: interval, stamp: stamp,
                             groups: try await counts(scopePath: scopePath, period: interval, calendar: calendar, on: db))
    }

    /// The measures of the mediations under `scopePath` for `period`: one GROUP BY over the facts in it.
    public static func counts(scopePath: String, period: DateInterval, calendar: WorkingCalendar, byArea: Bool = false,
                              on db: any Database) async throws -> Groups {
        guard let sql = db as? any SQLDatabase else { throw StoreError.corrupt("the database does not speak SQL") }
        let b = MediationFact.bounds(of: period, calendar: calendar)
        func wherePeriod(_ q: inout SQLQueryString) {
            q.appendLiteral(" FROM mediation_facts WHERE at >= "); q.appendInterpolation(bind: min(b.days.from, b.instants.start))
            q.appendLiteral(" AND at < "); q.appendInterpolation(bind: max(b.days.to, b.instants.end))
            q.appendLiteral(" AND "); q.appendInterpolation(LikePattern.startsWith(SQLColumn("area_path"), scopePath))
            q.appendLiteral(" AND CASE WHEN by_day = "); q.appendInterpolation(bind: true)
            q.appendLiteral(" THEN (CASE WHEN at >= "); q.appendInterpolation(bind: b.days.from)
            q.appendLiteral(" AND at < "); q.appendInterpolation(bind: b.days.to)
            q.appendLiteral(" THEN 1 ELSE 0 END) ELSE (CASE WHEN at >= "); q.appendInterpolation(bind: b.instants.start)
            q.appendLiteral(" AND at < "); q.appendInterpolation(bind: b.instants.end)
            q.appendLiteral(" THEN 1 ELSE 0 END) END = 1")
        }
        func isLarge(_ c: String) -> String { "(\(c) > \(large) OR \(c) < -\(large))" }
        let area = byArea ? ", area_path" : ", '' AS area_path"
        var q = SQLQueryString("SELECT mediators, type_code, tier\(area)")
        for t in tallies { q.appendLiteral(", CAST(SUM(\(t)) AS BIGINT) AS \(t)") }
        for a in amounts { q.appendLiteral(", CAST(SUM(CASE WHEN \(isLarge(a)) THEN 0 ELSE \(a) END) AS BIGINT) AS \(a)") }
        q.appendLiteral(", CAST(SUM(CASE WHEN \(amounts.map(isLarge).joined(separator: " OR ")) THEN 1 ELSE 0 END) AS BIGINT) AS large_values")
        wherePeriod(&q)
        q.appendLiteral(byArea ? " GROUP BY mediators, type_code, tier, area_path" : " GROUP BY mediators, type_code, tier")
        struct Key: Hashable { var mediators: String, type: String, tier: String, area: String }
        var sums: [Key: MediationCounts] = [:]
        var anyLarge = false
        for r in try await sql.raw(q).all() {
            let key = Key(mediators: try r.decode(column: "mediators", as: String.self), type: try r.decode(column: "type_code", as: String.self),
                          tier: try r.decode(column: "tier", as: String.self), area: try r.decode(column: "area_path", as: String.self))
            func v(_ c: String) throws -> Int { try r.decode(column: c, as: Int?.self) ?? 0 }
            var c = MediationCounts()
            (c.received, c.concluded, c.agreements, c.failed) = (try v("received"), try v("concluded"), try v("agreements"), try v("failed"))
            (c.withdrawn, c.settledAtFirstTier, c.confirmationsDecided, c.confirmed) = (try v("withdrawn"), try v("first_tier"), try v("decided"), try v("confirmed"))
            (c.amountInvolved, c.peopleInvolved, c.amountAgreed, c.amountPaid) = (try v("amount_involved"), try v("people_involved"), try v("amount_agreed"), try v("amount_paid"))
            sums[key, default: MediationCounts()].add(c)
            if try v("large_values") > 0 { anyLarge = true }
        }
        if anyLarge {
            // The values SQL left out, added one by one, saturating.
            var q = SQLQueryString("SELECT mediators, type_code, tier\(area), " + amounts.map { "CASE WHEN \(isLarge($0)) THEN \($0) ELSE 0 END AS \($0)" }.joined(separator: ", "))
            wherePeriod(&q)
            q.appendLiteral(" AND (\(amounts.map(isLarge).joined(separator: " OR ")))")
            for r in try await sql.raw(q).all() {
                let key = Key(mediators: try r.decode(column: "mediators", as: String.self), type: try r.decode(column: "type_code", as: String.self),
                              tier: try r.decode(column: "tier", as: String.self), area: try r.decode(column: "area_path", as: String.self))
                var c = MediationCounts()
                (c.amountInvolved, c.peopleInvolved) = (try r.decode(column: "amount_involved", as: Int.self), try r.decode(column: "people_involved", as: Int.self))
                (c.amountAgreed, c.amountPaid) = (try r.decode(column: "amount_agreed", as: Int.self), try r.decode(column: "amount_paid", as: Int.self))
                sums[key, default: MediationCounts()].add(c)
            }
        }
        var g = Groups()
        for (k, c) in sums {
            g.add(c, type: k.type, tier: k.tier, mediators: k.mediators.split(separator: "|").map(String.init))
            if byArea, c != MediationCounts() { g.byArea[k.area, default: MediationCounts()].add(c) }
        }
        return g
    }
}

/// The mediation measures of one piece of time under one scope, kept by a server while the write counters of the
/// piece's month stand (`MediationMeasureQueries.replace` raises them). They hold for any instant: a mediation's
/// facts are rewritten with each of its writes, none waits on the clock.
public struct MediationPieceCounts: KeptCounts {
    public var interval: DateInterval
    public var knownBy: Date { .distantPast }
    public var stamp: MeasureQueries.Stamp
    public var groups: MediationMeasureQueries.Groups
    public var weight: Int { 4 + groups.weight }
}
