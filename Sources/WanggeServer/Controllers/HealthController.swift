import Fluent
import Metrics
import Prometheus
import SQLKit
import Vapor

/// One Prometheus registry per process: swift-metrics may be bootstrapped only once, while tests build many apps.
enum MetricsBackend {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

enum HealthController {
    struct Health: Content { var status: String; var database: String }

    /// `GET /healthz`: answers 200 only when the database answers.
    static func health(_ req: Request) async throws -> Response {
        let response = Response()
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            try await sql.raw("SELECT 1").run()
            try response.content.encode(Health(status: "ok", database: "ok"))
        } catch {
            req.logger.warning("health check: database does not answer", metadata: ["error": .string("\(error)")])
            response.status = .serviceUnavailable
            try response.content.encode(Health(status: "unavailable", database: "unreachable"))
        }
        return response
    }

    /// `GET /metrics`: every swift-metrics measurement in Prometheus text format, for the addresses `METRICS_ALLOW`
    /// names (loopback by default); to everyone else it does not exist.
    static func metrics(_ req: Request) async throws -> Response {
        guard let allowed = req.wangge.config.network.metricsAllowed, req.client.isIn(allowed) else { throw APIError.notFound("no such page") }
        let response = Response(status: .ok, body: .init(string: MetricsBackend.registry.emitToString()))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return response
    }
}
