import Vapor

enum AuthAPI {
    struct TokenRequest: Content {
        var username: String
        var password: String
    }

    struct TokenResponse: Content {
        var token: String
        var expiresAt: Date
    }

    static func token(_ req: Request) async throws -> TokenResponse {
        let body = try req.content.decode(TokenRequest.self)
        guard !body.username.isEmpty else { throw APIError.badRequest("username is required", field: "username") }
        guard !body.password.isEmpty else { throw APIError.badRequest("password is required", field: "password") }
        let result = try await SignIn.attempt(username: body.username, password: body.password, kind: .api, on: req)
        return TokenResponse(token: result.secret, expiresAt: result.expiresAt)
    }
}
