import Vapor
import WanggeCore

/// Turns every error into the JSON error shape for API calls and into a short page for browsers.
struct ErrorRendering: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            let api = Self.apiError(error)
            if api.status == .internalServerError {
                req.logger.error("request failed", metadata: ["path": .string(req.url.path), "error": .string(String(reflecting: error))])
            } else {
                req.logger.debug("client error", metadata: ["code": .string(api.code), "path": .string(req.url.path)])
            }
            let wantsJSON = req.url.path.hasPrefix("/api/") || req.headers.accept.contains { $0.mediaType.type == "application" && $0.mediaType.subType == "json" }
            let response: Response
            if wantsJSON {
                response = Response(status: api.status)
                try response.content.encode(ErrorBody(error: .init(code: api.code, message: api.message, field: api.field, allowedActions: api.allowed)), as: .json)
            } else {
                let lang = Lang.of(req)
                response = Response(status: api.status, body: .init(string: ErrorPage.render(status: api.status, message: api.message, lang: lang)))
                response.headers.contentType = .html
            }
            for (name, value) in api.headers { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        }
    }

    struct ErrorBody: Content {
        struct Detail: Content { var code: String; var message: String; var field: String?; var allowedActions: [String]? }
        var error: Detail
    }

    static func apiError(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case let e as AccountError:
            if case .usernameTaken = e { return APIError(.conflict, "username_taken", e.description, field: e.field) }
            return APIError(.badRequest, "invalid_input", e.description, field: e.field)
        case let e as DecodingError:
            return decodingError(e)
        case let e as any AbortError:
            let code = e.status.code == 404 ? "not_found" : e.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            var api = APIError(e.status, code, e.reason)
            api.headers = e.headers
            return api
        default:
            return APIError(.internalServerError, "internal_error", "something went wrong on the server; it has been logged")
        }
    }

    static func decodingError(_ e: DecodingError) -> APIError {
        func field(_ path: [any CodingKey]) -> String? {
            path.isEmpty ? nil : path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch e {
        case let .keyNotFound(key, ctx):
            let f = field(ctx.codingPath + [key]) ?? key.stringValue
            return .badRequest("\(f) is required", field: f)
        case let .typeMismatch(type, ctx):
            return .badRequest("\(field(ctx.codingPath) ?? "body") must be \(type)", field: field(ctx.codingPath))
        case let .valueNotFound(_, ctx):
            return .badRequest("\(field(ctx.codingPath) ?? "body") must not be null", field: field(ctx.codingPath))
        case let .dataCorrupted(ctx):
            return .badRequest(ctx.codingPath.isEmpty ? "the body is not valid JSON" : "\(field(ctx.codingPath)!) is not valid: \(ctx.debugDescription)",
                               field: field(ctx.codingPath))
        @unknown default:
            return .badRequest("the body cannot be read", field: nil)
        }
    }
}
