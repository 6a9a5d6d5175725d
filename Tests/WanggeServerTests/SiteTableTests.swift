import Foundation
import XCTVapor
import XCTest
@testable import WanggeServer

/// The route table's paths and links, and the one string table.
final class SiteTableTests: XCTestCase {
    static let server = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/WanggeServer")

    static func source(_ relative: String) throws -> String {
        try String(contentsOf: server.appendingPathComponent(relative), encoding: .utf8)
    }

    static func swiftFiles() -> [(path: String, text: String)] {
        let walk = FileManager.default.enumerator(atPath: server.path)
        var out: [(String, String)] = []
        while let relative = walk?.nextObject() as? String {
            guard relative.hasSuffix(".swift"), let text = try? source(relative) else { continue }
            out.append((relative, text))
        }
        return out
    }

    static func scripts() throws -> [(name: String, text: String)] {
        let dir = server.appendingPathComponent("Public/static")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".js") }.sorted()
            .map { ($0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) }
    }

    static func matches(_ pattern: String, in text: String) throws -> [[String]] {
        let regex = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (0..<m.numberOfRanges).map { i in Range(m.range(at: i), in: text).map { String(text[$0]) } ?? "" }
        }
    }

    // MARK: paths and links

    func testEveryPathIsServedByARouteAndEveryRouteHasItsPath() async throws {
        for path in SitePath.allCases {
            XCTAssertTrue(Site.routes.contains { $0.sitePath == path }, "\(path) (\(path.rawValue)) is in no route")
        }
        try await withApp { app, _ in
            let registered = Set(app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            for route in Site.routes {
                XCTAssertTrue(registered.contains("\(route.method.rawValue) \(route.path)"), "\(route.method.rawValue) \(route.path) is not registered")
            }
        }
    }

    func testLinksFillTheParametersAndEscapeTheValues() {
        XCTAssertEqual(SitePath.workbench.link(), "/workbench")
        XCTAssertEqual(SitePath.home.link(), "/")
        XCTAssertEqual(SitePath.caseView.link("AL-20261123-000001"), "/cases/AL-20261123-000001")
        XCTAssertEqual(SitePath.apiTrackPhoto.link("T3ST", "ab12"), "/api/v1/track/T3ST/photos/ab12")
        XCTAssertEqual(SitePath.apiCaseActions.link("a/b?c&d<e f#路灯"), "/api/v1/cases/a%2Fb%3Fc%26d%3Ce%20f%23%E8%B7%AF%E7%81%AF/actions")
        XCTAssertEqual(SitePath.caseView.link(".."), "/cases/%2E%2E")
        XCTAssertEqual(SitePath.caseView.link("x", query: ["back": "?tab=all&q=路 灯", "fragment": nil]),
                       "/cases/x?back=%3Ftab%3Dall%26q%3D%E8%B7%AF%20%E7%81%AF")
        XCTAssertEqual(SitePath.dashboard.link(query: ["area": "3301", "from": "2026-11-01", "to": nil, "m": "rework"]),
                       "/dashboard?area=3301&from=2026-11-01&m=rework")
        XCTAssertEqual(SitePath.audit.link([], queryItems: [("page", "2"), ("user", "a+b=c")]), "/audit?page=2&user=a%2Bb%3Dc")
        // What a link escapes comes back whole.
        let value = "a/b?c&d<e f#g%h+i=j 中文"
        let url = URLComponents(string: SitePath.track.link(value, query: ["q": value]))
        XCTAssertEqual(url?.path, "/track/" + value)
        XCTAssertEqual(url?.queryItems?.first { $0.name == "q" }?.value, value)
        XCTAssertTrue(SitePath.caseView.matches("/cases/AL-1"))
        XCTAssertFalse(SitePath.caseView.matches("/cases/AL-1/x"))
        XCTAssertFalse(SitePath.caseView.matches("/workbench"))
        XCTAssertEqual(SitePath.apiTrackPhoto.parameters, ["code", "sha"])
    }

    // MARK: the string table

    /// Every text is in one table, in both languages; the pages pick between two data fields with `Lang.pick`.
    func testTheStringTableIsOneTableWithBothLanguages() throws {
        let table = try Self.source("Views/Text.swift")
        let literal = #""((?:[^"\\]|\\.)*)""#
        let entries = try Self.matches(#"Text\(zh:\s*"# + literal + #",\s*en:\s*"# + literal + #"\)"#, in: table)
        XCTAssertEqual(entries.count, table.components(separatedBy: "Text(zh:").count - 1, "a Text(zh:en:) in Text.swift is not two string literals")
        XCTAssertGreaterThan(entries.count, 200)
        for e in entries {
            XCTAssertFalse(e[1].trimmingCharacters(in: .whitespaces).isEmpty, "empty zh: \(e[0])")
            XCTAssertFalse(e[2].trimmingCharacters(in: .whitespaces).isEmpty, "empty en: \(e[0])")
        }
        for (path, text) in Self.swiftFiles() where path != "Views/Text.swift" {
            XCTAssertFalse(text.contains("Text(zh:"), "\(path) makes a Text outside the table")
            XCTAssertFalse(text.contains("extension Text "), "\(path) extends the string table")
            // Lang itself chooses; CasesAPI+Actions.swift still has three choices of its own (left for now).
            guard path != "Views/Lang.swift", path != "Controllers/API/CasesAPI+Actions.swift" else { continue }
            XCTAssertFalse(text.contains("== .zh ?"), "\(path) chooses a text by language inline: use Text (UI text) or Lang.pick (data)")
        }
    }
}
