import Fluent
import Foundation
import WanggeCore
import WanggeDemo
import WanggeStore

public enum DemoSeed {
    /// Writes the demo county: areas, departments, teams and accounts, in one transaction.
    /// `passwordHash` is the hash of the shared demo password.
    public static func load(_ county: DemoCounty, passwordHash: String, on db: any Database) async throws {
        try await db.transaction { db in
            try await AreaQueries.insert(county.areas, on: db)
            try await OrganisationQueries.insert(county.departments, on: db)
            try await OrganisationQueries.insert(county.team, on: db)
            for a in county.accounts {
                _ = try await AccountQueries.create(username: a.username, displayName: a.displayName, passwordHash: passwordHash,
                                                    role: a.role, areaCode: a.areaCode, departmentCode: a.departmentCode, on: db)
            }
        }
    }
}
