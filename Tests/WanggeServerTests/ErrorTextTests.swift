import Foundation
import XCTVapor
import XCTest
@testable import WanggeServer

/// Every error a page shows is in the page's language: the text table has a text for every error code the server
/// can answer, the pages' data block carries them, and the server-rendered pages show them instead of the API's
/// English message.
final class ErrorTextTests: XCTestCase {
    /// The codes the server's sources make: `APIError(status, "code", …)` (the helpers in APIError.swift included),
    /// and the codes Vapor's own errors get from their status.
    static func codesInSources() throws -> Set<String> {
        var codes: Set<String> = []
        for (_, text) in SiteTableTests.swiftFiles() {
            for m in try SiteTableTests.matches(#"APIError\([^\n]*?,\s*"([a-z_]+)","#, in: text) { codes.insert(m[1]) }
            for m in try SiteTableTests.matches(#"APIError\(\.[a-zA-Z]+,\s*"([a-z_]+)"\)"#, in: text) { codes.insert(m[1]) }
        }
        return codes
    }

    func testEveryErrorCodeTheServerAnswersHasATextInBothLanguages() throws {
        let codes = try Self.codesInSources()
        for code in ["invalid_input", "unauthorized", "forbidden", "not_found", "conflict", "action_not_allowed", "too_many_requests",
                     "payload_too_large", "unsupported_media_type", "csrf_failed", "idempotency_key_reused", "invalid_credentials",
                     "invalid_photo", "upload_quota", "already_mediated", "no_reporter", "too_many_streams", "busy", "wrong_host",
                     "internal_error", "invalid_period"] {
            XCTAssertTrue(codes.contains(code), "the sources no longer make \(code): is the pattern still right?")
        }
        for code in codes.sorted() {
            XCTAssertNotNil(Text.apiErrors[code], "the error code \(code) has no text in Text.apiErrors")
        }
        let cjk = { (s: String) in s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }
        for (key, text) in Text.apiErrors {
            XCTAssertTrue(cjk(text.zh), "\(key): the Chinese text has no Chinese")
            XCTAssertFalse(text.en.isEmpty || cjk(text.en), "\(key): the English text")
            let code = key.split(separator: ":").first.map(String.init) ?? key
            XCTAssertTrue(codes.contains(code) || ["bad_request", "method_not_allowed", "request_timeout", "service_unavailable",
                                                   "internal_server_error"].contains(code), "\(key): no such code in the sources")
        }
        XCTAssertEqual(Text.apiError(code: "invalid_input", field: "reporter.phone")?.zh, Text.apiErrors["invalid_input:reporter.phone"]?.zh)
        XCTAssertEqual(Text.apiError(code: "invalid_input", field: "note")?.zh, Text.apiErrors["invalid_input"]?.zh)
        XCTAssertNil(Text.apiError(code: "no_such_code", field: nil))
    }

    func testThePagesDataBlockCarriesTheErrorTexts() async throws {
        try await withApp { app, _ in
            for (path, lang) in [("/report", Lang.zh), ("/report?lang=en", .en)] {
                try await app.test(.GET, path) { res async throws in
                    let found = try SiteTableTests.matches(#"<script type="application/json" id="w-text">(.*?)</script>"#, in: res.body.string)
                    let block = try XCTUnwrap(found.first?[1])
                    let data = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(block.utf8)) as? [String: [String: String]])
                    let errors = try XCTUnwrap(data["errors"], path)
                    XCTAssertEqual(errors.count, Text.apiErrors.count)
                    for (code, text) in Text.apiErrors { XCTAssertEqual(errors[code], lang.t(text), "\(path): \(code)") }
                }
            }
        }
    }

    /// A page that fails shows the table's text for the error's code; the English detail only on an English page.
    func testTheErrorPageSpeaksThePagesLanguage() async throws {
        try await withApp { app, _ in
            try await SmallCounty.load(app)
            let token = try await app.token("countyop")
            let headers: HTTPHeaders = ["Cookie": "\(StaffAuthentication.cookieName)=\(token)", "Accept": "text/html"]
            try await app.test(.GET, "/dashboard?m=bogus", headers: headers) { res async throws in
                XCTAssertEqual(res.status, .badRequest)
                XCTAssertContains(res.body.string, Text.apiErrors["invalid_input"]!.zh)
                XCTAssertFalse(res.body.string.contains("must be one of"), "the English detail on a Chinese page")
            }
            try await app.test(.GET, "/dashboard?from=2026-12-01&to=2026-11-01", headers: headers) { res async throws in
                XCTAssertEqual(res.status, .badRequest)
                XCTAssertContains(res.body.string, Text.fromAfterTo.zh)
            }
            try await app.test(.GET, "/dashboard?m=bogus&lang=en", headers: headers) { res async throws in
                XCTAssertContains(res.body.string, Text.apiErrors["invalid_input"]!.en)
                XCTAssertContains(res.body.string, "must be one of")
            }
            try await app.test(.GET, "/cases/no-such-case", headers: headers) { res async throws in
                XCTAssertEqual(res.status, .notFound)
                XCTAssertContains(res.body.string, Text.apiErrors["not_found"]!.zh)
            }
        }
    }
}
