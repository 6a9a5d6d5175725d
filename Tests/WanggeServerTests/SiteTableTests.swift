import Foundation
import XCTVapor
import XCTest
@testable import WanggeServer

/// The route table's paths and links, and the one string table for the pages and their scripts.
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
        for (key, text) in Text.js {
            XCTAssertFalse(text.zh.isEmpty || text.en.isEmpty, key)
            let zhNames = Set(try Self.matches(#"\{(\w+)\}"#, in: text.zh).map { $0[1] })
            XCTAssertEqual(zhNames, Set(try Self.matches(#"\{(\w+)\}"#, in: text.en).map { $0[1] }), "\(key) fills other names in zh and en")
        }
        for (path, text) in Self.swiftFiles() where path != "Views/Text.swift" {
            XCTAssertFalse(text.contains("Text(zh:"), "\(path) makes a Text outside the table")
            XCTAssertFalse(text.contains("extension Text "), "\(path) extends the string table")
            // Lang itself chooses; CasesAPI+Actions.swift still has three choices of its own (left for now).
            guard path != "Views/Lang.swift", path != "Controllers/API/CasesAPI+Actions.swift" else { continue }
            XCTAssertFalse(text.contains("== .zh ?"), "\(path) chooses a text by language inline: use Text (UI text) or Lang.pick (data)")
        }
    }

    /// Every page carries its scripts' texts and paths as a JSON data block, and it holds every key the scripts use.
    func testThePagesDataBlockHoldsEveryTextAndPathTheScriptsUse() async throws {
        var used: Set<String> = [], paths: Set<String> = []
        for (name, js) in try Self.scripts() where name != "sw.js" {
            let keys = try Self.matches(#"W\.s\("([^"]+)""#, in: js).map { $0[1] }
            XCTAssertEqual(keys.count, js.components(separatedBy: "W.s(").count - 1, "\(name) calls W.s with something other than a literal key")
            used.formUnion(keys)
            let named = try Self.matches(#"W\.path\("([^"]+)""#, in: js).map { $0[1] }
            XCTAssertEqual(named.count, js.components(separatedBy: "W.path(").count - 1, "\(name) calls W.path with something other than a literal name")
            paths.formUnion(named)
            XCTAssertFalse(js.contains("W.t("), "\(name) still has W.t: texts come from the table (W.s), data fields through W.pick")
            XCTAssertFalse(js.contains("\"/api/"), "\(name) writes an API path: use W.path")
        }
        XCTAssertFalse(used.isEmpty)
        XCTAssertEqual(Set(Text.js.keys).subtracting(used), [], "texts in Text.js that no script uses")
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let token = try await app.token("countyop")
            for (path, lang, headers) in [("/report", Lang.zh, HTTPHeaders()), ("/report?lang=en", .en, [:]),
                                          ("/workbench", .zh, ["Authorization": "Bearer \(token)"])] as [(String, Lang, HTTPHeaders)] {
                try await app.test(.GET, path, headers: headers) { res async throws in
                    XCTAssertEqual(res.status, .ok, path)
                    let html = res.body.string
                    let found = try Self.matches(#"<script type="application/json" id="w-text">(.*?)</script>"#, in: html)
                    XCTAssertEqual(found.count, 1, path)
                    let block = try XCTUnwrap(found.first?[1])
                    XCTAssertFalse(block.contains("<"), "\(path): a '<' in the data block")
                    let data = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(block.utf8)) as? [String: [String: String]], path)
                    let text = try XCTUnwrap(data["text"]), served = try XCTUnwrap(data["paths"])
                    for key in used {
                        XCTAssertEqual(text[key], Text.js[key].map { lang.t($0) }, "\(path): the scripts use \(key), which the string table lacks")
                    }
                    for name in paths {
                        XCTAssertEqual(served[name], SitePath.allCases.first { $0.name == name }?.rawValue, "\(path): the scripts use the path \(name)")
                    }
                }
            }
        }
    }

    func testTheDataBlockCannotBeClosedByItsText() throws {
        let evil = "</script><script>alert(1)</script><!-- \u{2028} \"'&"
        let block = Layout.dataBlock(Layout.ScriptData(text: ["x": evil], paths: ["p": "/a/:b"]))
        XCTAssertTrue(block.hasPrefix("<script type=\"application/json\" id=\"w-text\">"))
        XCTAssertTrue(block.hasSuffix("</script>"))
        let inner = block.dropFirst("<script type=\"application/json\" id=\"w-text\">".count).dropLast("</script>".count)
        XCTAssertFalse(inner.contains("<"))
        let data = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(inner.utf8)) as? [String: [String: String]])
        XCTAssertEqual(data["text"]?["x"], evil)
    }
}
