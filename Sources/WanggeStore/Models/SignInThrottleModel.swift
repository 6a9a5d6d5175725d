import Fluent
import Foundation

/// Failed sign-ins per user name, so repeated failures slow further attempts on every app server alike.
final class SignInThrottleModel: Model, @unchecked Sendable {
    static let schema = "sign_in_throttles"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "failures") var failures: Int
    @Field(key: "last_failure_at") var lastFailureAt: Date

    init() {}

    init(username: String, failures: Int, lastFailureAt: Date) {
        self.username = username
        self.failures = failures
        self.lastFailureAt = lastFailureAt
    }
}
