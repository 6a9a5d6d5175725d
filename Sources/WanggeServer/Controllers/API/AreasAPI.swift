import Vapor
import WanggeCore
import WanggeStore

enum AreasAPI {
    /// `GET /api/v1/areas?level=&parent=`: the caller's scope subtree; GeoJSON when asked for.
    static func list(_ req: Request) async throws -> Response {
        let staff = try req.requireStaff()
        let j = try await req.jurisdiction()
        let areas = try query(j, scope: staff.scope.areaCode, level: try req.textQuery("level", maxLength: 16),
                              parent: try req.textQuery("parent", maxLength: 64))
        let response = Response(status: .ok)
        if req.headers.accept.contains(where: { $0.mediaType.type == "application" && $0.mediaType.subType == "geo+json" }) {
            let fc = AreaFeatureCollectionDTO(features: areas.map {
                .init(properties: AreaDTO($0), geometry: $0.boundary.map(GeoJSONGeometry.init))
            })
            try response.content.encode(fc, as: .json)
            response.headers.contentType = HTTPMediaType(type: "application", subType: "geo+json")
        } else {
            try response.content.encode(AreaListDTO(areas: areas.map(AreaDTO.init)), as: .json)
        }
        return response
    }

    static func query(_ j: Jurisdiction, scope: String, level: String?, parent: String?) throws -> [Area] {
        var lvl: AreaLevel? = nil
        if let level {
            guard let l = AreaLevel(rawValue: level) else {
                throw APIError.badRequest("level must be one of \(AreaLevel.allCases.map(\.rawValue).joined(separator: ", "))", field: "level")
            }
            lvl = l
        }
        if let parent, !j.isWithin(parent, ancestor: scope) {
            throw APIError(.notFound, "not_found", "no area \(parent) in your scope", field: "parent")
        }
        return j.subtree(of: scope).filter { a in
            (lvl == nil || a.level == lvl) && (parent == nil || a.parentCode == parent)
        }
    }

    /// `GET /api/v1/areas/{code}/team`: a grid's team, phones masked for roles that do not need them.
    static func team(_ req: Request) async throws -> TeamDTO {
        let staff = try req.requireStaff()
        let code = try req.parameters.require("code")
        let j = try await req.jurisdiction()
        guard let grid = j[code], grid.level == .grid, staff.scope.covers(code, in: j) else {
            throw APIError.notFound("no grid \(code) in your scope")
        }
        let lang = Lang.of(req)
        let team = try await OrganisationQueries.team(ofGrids: [code], on: req.db)
        let members = team.map { m in
            TeamMemberDTO(position: m.position.rawValue, positionName: lang.pick(m.position.nameZH, m.position.nameEN),
                          name: m.name, phone: PersonalDataPolicy.teamPhone(m.phone, shownTo: staff.role))
        }
        try await req.audit(PersonalDataViews.team(grid: code, members: team, shownTo: staff.role))
        return TeamDTO(grid: AreaRefDTO(code: grid.code, name: grid.name), members: members)
    }
}
