import PostgresNIO
import Vapor
import WanggeCore
import WanggeStore

/// Turns every error into the JSON error shape for API calls and into a short page for browsers.
struct ErrorRendering: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            let api = Self.apiError(error)
            // The route, not the raw path (a client may send kilobytes of it), and the error's type at error level: its
            // full text can hold file paths and data, so it is logged only at debug.
            let route = req.route.map { "\($0.method.rawValue) /\($0.path.map(\.description).joined(separator: "/"))" } ?? "unrouted"
            if api.status == .internalServerError {
                req.logger.error("request failed", metadata: ["route": .string(route), "error": .string(String(describing: type(of: error)))])
                req.logger.debug("request failed", metadata: ["route": .string(route), "detail": .string(String(String(reflecting: error).prefix(2_000)))])
            } else {
                req.logger.debug("client error", metadata: ["code": .string(api.code), "route": .string(route)])
            }
            if req.url.path.hasPrefix(Open311API.prefix + "/") {
                // The Open311 interface answers every error as the spec's array, in the format its path asks for.
                let response = Open311API.error(api, path: req.url.path)
                for (name, value) in api.headers { response.headers.replaceOrAdd(name: name, value: value) }
                return response
            }
            let wantsJSON = req.url.path.hasPrefix("/api/") || req.headers.accept.contains { $0.mediaType.type == "application" && $0.mediaType.subType == "json" }
            let response: Response
            if wantsJSON {
                response = Response(status: api.status)
                try response.content.encode(ErrorBody(error: .init(code: api.code, message: api.message, field: api.field, allowedActions: api.allowed)), as: .json)
            } else {
                let lang = Lang.of(req)
                response = Response(status: api.status, body: .init(string: ErrorPage.render(status: api.status, code: api.code, field: api.field, message: api.message, lang: lang)))
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
        case let e as RecordConflict:
            return APIError(.conflict, "conflict", e.description)
        case let e as any RefusalError:
            return refused(e)
        case let e as PSQLError where ["22021", "22P05", "54000"].contains(e.serverInfo?[.sqlState] ?? ""):
            // Text PostgreSQL cannot store (U+0000) or too large for it: the request's fault, whichever field held it.
            return .badRequest("the request holds text that cannot be stored (a NUL character, or too much of it)", field: nil)
        case let e as any AbortError:
            let code = e.status.code == 404 ? "not_found" : e.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            var api = APIError(e.status, code, e.reason)
            api.headers = e.headers
            return api
        default:
            return APIError(.internalServerError, "internal_error", "something went wrong on the server; it has been logged")
        }
    }

    /// Every kind's rule errors, answered the same way (`Refusal`), in the kind's own words.
    static func refused(_ e: any RefusalError) -> APIError {
        switch e.refusal {
        case .notAllowed(let allowed):
            var api = APIError(.conflict, "action_not_allowed", e.description, field: "action")
            api.allowed = allowed
            return api
        case .notDue:
            return APIError(.conflict, "action_not_due", e.description, field: "action")
        case .missingField(let field), .invalidField(let field):
            return .badRequest(e.description, field: field)
        case .brokenHistory:
            // The stored record does not follow from itself: the server's fault, logged as such.
            return APIError(.internalServerError, "broken_history", "the record's stored history is inconsistent; it has been logged")
        case .outsideJurisdiction:
            return APIError(.badRequest, "outside_jurisdiction", e.description)
        }
    }

    /// A body that does not decode, in the API's words: snake_case field names (the decoder's keys are Swift's) and
    /// JSON's kinds of value instead of Swift types.
    static func decodingError(_ e: DecodingError) -> APIError {
        func field(_ path: [any CodingKey]) -> String? {
            path.isEmpty ? nil : path.map { $0.intValue.map(String.init) ?? snakeCase($0.stringValue) }.joined(separator: ".")
        }
        switch e {
        case let .keyNotFound(key, ctx):
            let f = field(ctx.codingPath + [key]) ?? snakeCase(key.stringValue)
            return .badRequest("\(f) is required", field: f)
        case let .typeMismatch(type, ctx):
            return .badRequest("\(field(ctx.codingPath) ?? "the body") must be \(jsonKind(type))", field: field(ctx.codingPath))
        case let .valueNotFound(type, ctx):
            return .badRequest("\(field(ctx.codingPath) ?? "the body") must be \(jsonKind(type)), not null", field: field(ctx.codingPath))
        case let .dataCorrupted(ctx):
            return .badRequest(ctx.codingPath.isEmpty ? "the body is not valid JSON" : "\(field(ctx.codingPath)!) has a value that cannot be read",
                               field: field(ctx.codingPath))
        @unknown default:
            return .badRequest("the body cannot be read", field: nil)
        }
    }

    /// "categoryCode" → "category_code", as the API spells its fields.
    static func snakeCase(_ key: String) -> String {
        var out = ""
        for ch in key {
            if ch.isUppercase, !out.isEmpty { out.append("_") }
            out += ch.lowercased()
        }
        return out
    }

    /// The kind of JSON value a Swift type is read from.
    static func jsonKind(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") || name.hasPrefix("KeyedDecodingContainer") { return "an object" }
        if name.hasPrefix("Array") || name.hasPrefix("UnkeyedDecodingContainer") { return "a list" }
        if name.hasPrefix("String") || name == "UUID" || name == "Date" { return "a string" }
        if name == "Bool" { return "true or false" }
        if ["Int", "Int64", "Int32", "UInt", "UInt64"].contains(name) { return "a whole number" }
        if ["Double", "Float", "Decimal"].contains(name) { return "a number" }
        return "another kind of value"
    }
}
