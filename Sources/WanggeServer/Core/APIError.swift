import Vapor

/// An error a client can act on: a stable code, a message, and the field at fault.
/// Rendered as `{"error": {"code", "message", "field"}}` by `ErrorRendering`.
public struct APIError: AbortError, DebuggableError {
    public var status: HTTPResponseStatus
    public var code: String
    public var message: String
    public var field: String?
    public var headers: HTTPHeaders = [:]
    /// For a refused case action: what the caller may do now.
    public var allowed: [String]? = nil

    public init(_ status: HTTPResponseStatus, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public var reason: String { message }
    public var identifier: String { code }

    static func badRequest(_ message: String, field: String?) -> APIError { APIError(.badRequest, "invalid_input", message, field: field) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static let unauthorized = APIError(.unauthorized, "unauthorized", "sign in first: send Authorization: Bearer TOKEN")
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }

    /// A rate limit: 429 with `Retry-After` in whole seconds.
    static func tooManyRequests(wait: TimeInterval, field: String? = nil,
                                message: String = "too many requests from your address; try again in a moment") -> APIError {
        let seconds = max(1, Int(min(wait, 86_400).rounded(.up)))
        var e = APIError(.tooManyRequests, "too_many_requests", message + " (\(seconds) s)", field: field)
        e.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
        return e
    }

    static func payloadTooLarge(limit: Int, route: SiteRoute) -> APIError {
        APIError(.payloadTooLarge, "payload_too_large", "the body is larger than \(ByteSize.text(limit)), the limit of \(route.method.rawValue) \(route.path)")
    }
}

enum ByteSize {
    /// 65536 → "64 KB", 10485760 → "10 MB".
    static func text(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MB" : bytes >= 1024 ? "\(bytes / 1024) KB" : "\(bytes) bytes"
    }
}
