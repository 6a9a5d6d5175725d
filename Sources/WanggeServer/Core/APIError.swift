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
}
