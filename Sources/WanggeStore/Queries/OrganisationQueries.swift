import Fluent
import Foundation
import WanggeCore

/// Departments and grid teams.
public enum OrganisationQueries {
    public static func insert(_ departments: [Department], on db: any Database) async throws {
        for chunk in departments.map(DepartmentModel.init).chunked(by: 500) { try await chunk.create(on: db) }
    }

    public static func insert(_ team: [GridTeamMember], on db: any Database) async throws {
        for chunk in team.map(GridTeamMemberModel.init).chunked(by: 500) { try await chunk.create(on: db) }
    }

    public static func department(code: String, on db: any Database) async throws -> Department? {
        try await DepartmentModel.query(on: db).filter(\.$code == code).first()?.toDepartment()
    }

    public static func departments(on db: any Database) async throws -> [Department] {
        try await DepartmentModel.query(on: db).sort(\.$code).all().map { try $0.toDepartment() }
    }

    public static func team(ofGrids codes: [String], on db: any Database) async throws -> [GridTeamMember] {
        guard !codes.isEmpty else { return [] }
        var result: [GridTeamMember] = []
        for chunk in codes.chunked(by: 500) {
            result += try await GridTeamMemberModel.query(on: db).filter(\.$gridCode ~~ Array(chunk)).all().map { try $0.toMember() }
        }
        let order = Dictionary(uniqueKeysWithValues: TeamPosition.allCases.enumerated().map { ($1, $0) })
        return result.sorted { ($0.gridCode, order[$0.position]!, $0.name) < ($1.gridCode, order[$1.position]!, $1.name) }
    }
}
