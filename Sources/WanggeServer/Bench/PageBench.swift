import Foundation
import Vapor
import WanggeCore
import WanggeStore

/// Server time per page on a database that holds the demo county and its year of cases: starts the real server on
/// loopback, signs in as the users who read each page, and times sequential requests (after one warm-up each)
/// against /healthz in the same run.
public enum PageBench {
    public struct Row: Sendable { public var page: String; public var user: String; public var p50: Double; public var p90: Double; public var bytes: Int }

    public static func run(_ config: AppConfig, rounds: Int, log: @escaping @Sendable (String) -> Void) async throws -> [Row] {
        var config = config
        config.port = Int.random(in: 20_000...40_000)
        config.host = "127.0.0.1"
        let app = try await AppFactory.make(config)
        do {
            try await Setup.migrate(app)
            let cases = try await CaseQueries.count(on: app.db)
            guard cases > 0 else { throw Abort(.preconditionFailed, reason: "the database has no cases: run `wangge demo --no-serve` first") }
            let t0 = Date()
            try await app.server.start(address: .hostname(config.host, port: config.port))
            let base = "http://127.0.0.1:\(config.port)"
            let password = config.demoPassword
            func token(_ user: String) async throws -> String {
                let r = try await app.client.post(URI(string: base + "/api/v1/auth/token")) { try $0.content.encode(["username": user, "password": password], as: .json) }
                struct T: Decodable { var token: String }
                return try r.content.decode(T.self).token
            }
            let operatorToken = try await token("operator"), leader = try await token("leader"), worker = try await token("gridworker")
            // No warm-up: the first dashboard after the start is answered from the store like every other.
            let first = try await app.client.get(URI(string: base + "/dashboard"), headers: ["Authorization": "Bearer \(leader)"])
            log(String(format: "%d cases; the first dashboard answered %d, %.2f s after the start", cases, first.status.code, Date().timeIntervalSince(t0)))
            struct List: Decodable { struct C: Decodable { var id: UUID }; var cases: [C] }
            let list = try await app.client.get(URI(string: base + "/api/v1/cases?per=1"), headers: ["Authorization": "Bearer \(operatorToken)"])
            let caseID = try list.content.decode(List.self).cases.first?.id.uuidString ?? ""
            let tracking = try await CaseQueries.find(id: UUID(uuidString: caseID) ?? UUID(), on: app.db)?.trackingCode ?? "NONE"
            let now = Date(), day = 86_400.0
            let today = Format.day(now)
            let yearAgo = Format.day(now.addingTimeInterval(-365 * day))
            // The periods a leader picks (issue 18): this month, last month, a quarter, a year not aligned to months, 17 odd
            // days; each on the dashboard, its CSV, the measures API, the mediation measures and the big screen.
            let shanghai = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Shanghai")!, from: now)
            let (y, m) = (shanghai.year!, shanghai.month!)
            func month(_ back: Int) -> (Int, Int) { let k = y * 12 + (m - 1) - back; return (k / 12, k % 12 + 1) }
            func firstDay(_ ym: (Int, Int)) -> String { String(format: "%04d-%02d-01", ym.0, ym.1) }
            func lastDay(_ ym: (Int, Int)) -> String {
                let days = [31, (ym.0 % 4 == 0 && (ym.0 % 100 != 0 || ym.0 % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][ym.1 - 1]
                return String(format: "%04d-%02d-%02d", ym.0, ym.1, days)
            }
            let lastMonth = "from=\(firstDay(month(1)))&to=\(lastDay(month(1)))"
            let quarter = "from=\(firstDay(month(3)))&to=\(lastDay(month(1)))"
            let oddYear = "from=\(Format.day(now.addingTimeInterval(-352 * day)))&to=\(Format.day(now.addingTimeInterval(-13 * day)))"
            let oddDays = "from=\(Format.day(now.addingTimeInterval(-40 * day)))&to=\(Format.day(now.addingTimeInterval(-24 * day)))"
            var pages: [(String, String, String?)] = [
                ("/healthz", "-", nil), ("/report", "resident", nil), ("/track/\(tracking)", "resident", nil),
                ("/workbench", "operator", operatorToken), ("/workbench?tab=all&clock=red", "operator", operatorToken),
                ("/cases/\(caseID)", "operator", operatorToken), ("/dashboard", "leader", leader),
                ("/dashboard?from=\(yearAgo)&to=\(today)", "leader", leader), ("/screen", "leader", leader),
                ("/api/v1/measures?from=\(yearAgo)&to=\(today)", "leader", leader),
                ("/worker", "gridworker", worker), ("/areas", "leader", leader), ("/mediations", "leader", leader),
            ]
            let thisMonth = "from=\(firstDay(month(0)))&to=\(today)"
            for period in [thisMonth, lastMonth, quarter, oddYear, oddDays] {
                pages += [("/dashboard?" + period, "leader", leader), ("/dashboard?export=areas&" + period, "leader", leader),
                          ("/api/v1/measures?" + period, "leader", leader), ("/api/v1/mediations/measures?" + period, "leader", leader),
                          ("/screen?" + period, "leader", leader)]
            }
            pages.append(("/api/v1/mediations/measures?from=\(yearAgo)&to=\(today)", "leader", leader))
            var rows: [Row] = []
            for (path, user, tok) in pages {
                let headers: HTTPHeaders = tok.map { ["Authorization": "Bearer \($0)"] } ?? [:]
                _ = try await app.client.get(URI(string: base + path), headers: headers)
                var times: [Double] = []
                var bytes = 0
                for _ in 0..<rounds {
                    let start = ContinuousClock.now
                    let r = try await app.client.get(URI(string: base + path), headers: headers)
                    let d = ContinuousClock.now - start
                    guard r.status == .ok else { throw Abort(.internalServerError, reason: "\(path) answered \(r.status.code)") }
                    bytes = r.body?.readableBytes ?? 0
                    times.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                }
                times.sort()
                let row = Row(page: path, user: user, p50: times[times.count / 2], p90: times[min(times.count - 1, times.count * 9 / 10)], bytes: bytes)
                log(String(format: "%-70@ %-10@ p50 %7.1f ms  p90 %7.1f ms  %8d bytes", path as NSString, user as NSString, row.p50, row.p90, bytes))
                rows.append(row)
            }
            await app.server.shutdown()
            try await app.asyncShutdown()
            return rows
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }
}
