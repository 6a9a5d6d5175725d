import Vapor
import WanggeStore

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

    /// `DELETE /api/v1/auth/token`: revokes the bearer token the request carries (a stolen or no longer needed
    /// one), at once, and ends the live streams opened with it. A page session is ended by `POST /logout` instead.
    static func revoke(_ req: Request) async throws -> HTTPStatus {
        guard let session = req.session, !session.viaCookie else {
            throw APIError(.unauthorized, "unauthorized", "send the token to revoke as Authorization: Bearer TOKEN")
        }
        try await Revocation.revoke(session.tokenHash, on: req)
        return .noContent
    }
}

/// Ending a token or session: deleted from the store, and the live streams opened with it end on this app server
/// at once (on others within their next session check, `liveCheckInterval`).
enum Revocation {
    static func revoke(_ tokenHash: String, on req: Request) async throws {
        try await AccountQueries.revokeToken(hash: tokenHash, on: req.db)
        await endHere(tokenHash, app: req.application)
    }

    /// What this app server holds of an ended token: its cached account and its live streams.
    static func endHere(_ tokenHash: String, app: Application) async {
        app.wangge.sessions.forget(tokenHash)
        await app.wangge.events.revoke(tokenHash)
    }
}
