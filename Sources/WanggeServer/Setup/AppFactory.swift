import Logging
import Vapor

/// Makes a configured app. Vapor's own argument parsing is bypassed: `wangge` parses its command line itself.
public enum AppFactory {
    public static func make(_ config: AppConfig, clock: any WallClock = SystemClock(), environment: Environment = .production) async throws -> Application {
        var env = environment
        env.arguments = ["wangge", "serve"]
        let app = try await Application.make(env)
        do {
            try configure(app, config: config, clock: clock)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }
}
