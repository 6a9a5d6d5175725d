import XCTVapor
import XCTest
@testable import WanggeServer

/// The OpenAPI document is served and describes every API route the app registers (scripts/test.sh also checks
/// it against the OpenAPI 3 schema with openapi-spec-validator).
final class OpenAPITests: XCTestCase {
    func testTheDocumentIsServedAndCoversEveryRoute() async throws {
        try await withApp { app, _ in
            var document = ""
            try await app.test(.GET, "/api/openapi.yaml") { res async throws in
                XCTAssertEqual(res.status, .ok)
                document = res.body.string
            }
            XCTAssertTrue(document.hasPrefix("openapi: 3."))
            let documented = Set(document.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("  /"), line.hasSuffix(":") else { return nil }
                return String(line.dropFirst(2).dropLast())
            })
            for route in app.routes.all {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                guard path.hasPrefix("/api/v1") || path.hasPrefix("/open311/") || path == "/healthz" || path == "/metrics" else { continue }
                XCTAssertTrue(documented.contains(path), "\(route.method) \(path) is not in openapi.yaml")
                let block = document.components(separatedBy: "\n  \(path):\n").last ?? ""
                let methods = "\n" + (block.components(separatedBy: "\n  /").first ?? "")
                XCTAssertTrue(methods.contains("\n    \(route.method.rawValue.lowercased()):"), "\(route.method) \(path) has no operation in openapi.yaml")
            }
        }
    }
}
