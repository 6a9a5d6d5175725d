import FluentPostgresDriver
import NIOConcurrencyHelpers
import Foundation
import PostgresNIO
import SQLKit
import Vapor
import WanggeStore

/// Carries case events to every app server's live pages. On PostgreSQL an event goes out as NOTIFY on one channel
/// and every server (this one included) hears it on its own LISTEN connection, so several stateless app servers
/// behind a balancer all show every change (DESIGN §8). On SQLite there is one server, and events go straight to
/// its hub.
enum LiveRelay {
    static let channel = "wangge_cases"

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    static func publish(_ event: RecordEvent, app: Application) async {
        guard case .postgres = app.wangge.config.database else {
            await app.wangge.events.publish(event)
            return
        }
        do {
            let payload = String(decoding: try encoder.encode(event), as: UTF8.self)
            guard let sql = app.db as? any SQLDatabase else { return }
            try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
        } catch {
            // The change itself is committed; a page that missed the event catches up on its next refresh.
            app.logger.warning("live event not sent", metadata: ["error": .string("\(error)")])
            await app.wangge.events.publish(event)
        }
    }

    /// Listens on PostgreSQL while the app runs, reconnecting after a failure.
    struct Listener: LifecycleHandler {
        private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

        func didBootAsync(_ app: Application) async throws {
            guard case .postgres(let url, _, _) = app.wangge.config.database else { return }
            let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
            let t = Task {
                var attempt = 0
                while !Task.isCancelled {
                    do {
                        let connection = try await PostgresConnection.connect(
                            on: app.eventLoopGroup.next(), configuration: configuration, id: 1, logger: app.logger).get()
                        attempt = 0
                        do {
                            try await connection.listen(on: LiveRelay.channel) { notifications in
                                for try await n in notifications {
                                    if let event = try? LiveRelay.decoder.decode(RecordEvent.self, from: Data(n.payload.utf8)) {
                                        await app.wangge.events.publish(event)
                                    }
                                }
                            }
                        } catch {
                            try? await connection.close()
                            throw error
                        }
                        try? await connection.close()
                    } catch {
                        if Task.isCancelled { break }
                        attempt += 1
                        app.logger.warning("live events: LISTEN failed, retrying", metadata: ["error": .string("\(error)")])
                    }
                    try? await Task.sleep(for: .seconds(min(30, 1 << min(attempt, 5))))
                }
            }
            task.withLockedValue { $0 = t }
        }

        func shutdownAsync(_ app: Application) async {
            task.withLockedValue { $0?.cancel() }
        }
    }
}
