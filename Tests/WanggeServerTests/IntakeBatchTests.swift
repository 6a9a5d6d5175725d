import Fluent
import Foundation
import XCTVapor
import XCTest
import WanggeCore
@testable import WanggeServer
@testable import WanggeStore

/// Group commit of new cases: many reports at once all get distinct codes and are all stored before they are
/// answered, and one report's trouble does not cost the others in its batch their cases.
final class IntakeBatchTests: XCTestCase {
    typealias Created = CaseLoopTests.Created

    func testManyConcurrentIntakesGetDistinctCodesAndAreAllStoredBeforeTheAnswer() async throws {
        try await withApp { app, _ in
            // setup
            try await SmallCounty.load(app)
            // MUT
            let answers = try await withThrowingTaskGroup(of: (HTTPStatus, Data).self) { group in
                for i in 0..<60 {
                    group.addTask { try await CaseLoopTests.report(app, lat: 30.01 + Double(i) * 0.003, key: i % 2 == 0 ? "many-\(i)" : nil) }
                }
                var all: [(HTTPStatus, Data)] = []
                for try await a in group { all.append(a) }
                return all
            }
            // validate
            XCTAssertEqual(answers.map(\.0), Array(repeating: .created, count: 60))
            let created = try answers.map { try CaseLoopTests.decoder.decode(Created.self, from: $0.1) }
            XCTAssertEqual(Set(created.map(\.code)).count, 60)
            XCTAssertEqual(Set(created.map(\.id)).count, 60)
            let count = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(count, 60)
            for c in created {
                let stored = try await CaseQueries.find(id: c.id, on: app.db)
                XCTAssertEqual(stored?.code, c.code)
                let actions = try await CaseQueries.actions(caseID: c.id, on: app.db)
                XCTAssertEqual(actions.map(\.record.kind), [.report])
            }
            // On SQLite the numbers of the day are 1...60, none skipped; PostgreSQL's concurrent writers skip
            // numbers when they collide (and retry with a later one).
            if app.wangge.intake != nil {
                XCTAssertEqual(Set(created.compactMap { Int($0.code.split(separator: "-").last!) }), Set(1...60))
            }
        }
    }

    func testConcurrentIntakesWithOneKeyCreateOneCase() async throws {
        try await withApp { app, _ in
            // setup
            try await SmallCounty.load(app)
            // MUT
            let answers = try await withThrowingTaskGroup(of: (HTTPStatus, Data).self) { group in
                for _ in 0..<12 { group.addTask { try await CaseLoopTests.report(app, key: "same") } }
                for i in 0..<12 { group.addTask { try await CaseLoopTests.report(app, lat: 30.02 + Double(i) * 0.01, key: "other-\(i)") } }
                var all: [(HTTPStatus, Data)] = []
                for try await a in group { all.append(a) }
                return all
            }
            // validate
            XCTAssertEqual(answers.filter { $0.0 == .created }.count, 13)
            XCTAssertEqual(answers.filter { $0.0 == .ok }.count, 11)
            let same = try answers.filter { $0.0 == .ok }.map { try CaseLoopTests.decoder.decode(Created.self, from: $0.1).id }
            XCTAssertEqual(Set(same).count, 1)
            let count = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(count, 13)
        }
    }

    func testABatchAnswersTakenKeysAndRejectionsAndStoresTheRest() async throws {
        try await withApp { app, _ in
            // Group commit is SQLite's; PostgreSQL takes concurrent writers as they come.
            guard let intake = app.wangge.intake else { throw XCTSkip("group commit runs on SQLite only") }
            // setup
            try await SmallCounty.load(app)
            let (status, data) = try await CaseLoopTests.report(app, key: "earlier")
            XCTAssertEqual(status, .created)
            let earlier = try CaseLoopTests.decoder.decode(Created.self, from: data)
            let req = Request(application: app, on: app.eventLoopGroup.next())
            func pending(_ key: String?, hash: String = "h", lat: Double = 30.1) async throws -> CaseQueries.PendingCase {
                let dto = CaseReportDTO(categoryCode: CaseLoopTests.marketCategory, description: "无证经营", lat: lat, lon: 120.25,
                                        areaCode: nil, address: nil, source: nil, reporter: nil)
                return try await CasesAPI.prepare(dto, photos: [], key: key, requestHash: hash, on: req).pending
            }
            var refused = try await pending(nil)
            refused.make = { _ in throw APIError.badRequest("the case cannot be placed", field: "lat") }
            let batch = [try await pending("a", hash: "ha"), try await pending("earlier"), try await pending("a", hash: "ha2"),
                         refused, try await pending(nil), try await pending("b")]
            // MUT
            let outcomes = try await intake.write(batch)
            // validate
            guard outcomes.count == 6,
                  case .stored(let a, let nearA) = outcomes[0], case .keyTaken(let hashE, let idE) = outcomes[1],
                  case .keyTaken(let hashA, let idA) = outcomes[2], case .rejected = outcomes[3],
                  case .stored(let plain, _) = outcomes[4], case .stored(let b, _) = outcomes[5]
            else { return XCTFail("\(outcomes)") }
            XCTAssertEqual(idE, earlier.id)
            XCTAssertFalse(hashE.isEmpty)
            XCTAssertEqual(idA, a.id)
            XCTAssertEqual(hashA, "ha")  // the hash of the request that took the key, so a different body gets 409
            XCTAssertEqual(Set([a.code, plain.code, b.code]).count, 3)
            XCTAssertEqual(Set([a.code, plain.code, b.code, earlier.code]).compactMap { Int($0.split(separator: "-").last!) }.sorted(), [1, 2, 3, 4])
            for c in [a, plain, b] {
                let stored = try await CaseQueries.find(id: c.id, on: app.db)
                XCTAssertEqual(stored?.code, c.code)
            }
            // Its duplicate candidates are read with the batch: the earlier case and its batch mates, not itself.
            XCTAssertEqual(Set(nearA.nearest.map(\.code)), Set([earlier.code, plain.code, b.code]))
            XCTAssertEqual(nearA.total, 3)
            let keyA = try await CaseQueries.idempotent(key: "a", on: app.db)
            XCTAssertEqual(keyA?.caseID, a.id)
            let count = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(count, 4)
        }
    }

    func testABatchThatFailsWritesNothingAndItsReportsThenGoInOneByOne() async throws {
        try await withApp { app, _ in
            // Group commit is SQLite's; PostgreSQL takes concurrent writers as they come.
            guard let intake = app.wangge.intake else { throw XCTSkip("group commit runs on SQLite only") }
            // setup
            try await SmallCounty.load(app)
            let (_, data) = try await CaseLoopTests.report(app)
            let first = try CaseLoopTests.decoder.decode(Created.self, from: data)
            let req = Request(application: app, on: app.eventLoopGroup.next())
            let dto = CaseReportDTO(categoryCode: CaseLoopTests.marketCategory, description: "无证经营", lat: 30.1, lon: 120.25,
                                    areaCode: nil, address: nil, source: nil, reporter: nil)
            let good = try await CasesAPI.prepare(dto, photos: [], key: "good", requestHash: "h", on: req).pending
            var clash = try await CasesAPI.prepare(dto, photos: [], key: nil, requestHash: "", on: req).pending
            let make = clash.make
            clash.make = { n in var c = try make(n); c.code = first.code; return c }  // a code another writer took
            let members = [good, clash]
            // MUT
            let batch: Result<[CaseQueries.BatchOutcome], any Error> = await Result(catching: { try await intake.write(members) })
            // validate
            guard case .failure(let error) = batch else { return XCTFail("the batch should fail on the taken code") }
            XCTAssertTrue((error as? any DatabaseError)?.isConstraintFailure ?? false, "\(error)")
            let count = try await CaseQueries.count(on: app.db)
            XCTAssertEqual(count, 1)
            let key = try await CaseQueries.idempotent(key: "good", on: app.db)
            XCTAssertNil(key)
            // Alone, the good report goes in.
            let alone = try await intake.write([good])
            guard case .stored = alone.first else { return XCTFail("\(alone)") }
        }
    }
}
