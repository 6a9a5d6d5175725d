import Vapor
import WanggeCore

struct AreaRefDTO: Content {
    var code: String
    var name: String
}

struct AreaDTO: Content {
    var code: String
    var name: String
    var level: String
    var parentCode: String?
    var population: Int
    var households: Int

    init(_ a: Area) {
        code = a.code
        name = a.name
        level = a.level.rawValue
        parentCode = a.parentCode
        population = a.population
        households = a.households
    }
}

struct AreaListDTO: Content {
    var areas: [AreaDTO]
}

/// A GeoJSON FeatureCollection of areas, with the same properties as `AreaDTO`.
struct AreaFeatureCollectionDTO: Content {
    struct Feature: Content {
        var type = "Feature"
        var properties: AreaDTO
        var geometry: GeoJSONGeometry?
    }
    var type = "FeatureCollection"
    var features: [Feature]
}

struct LocateDTO: Content {
    var grid: AreaRefDTO?
    var village: AreaRefDTO?
    var township: AreaRefDTO?
    var county: AreaRefDTO?
    var cell: AreaRefDTO?

    init(_ loc: Location) {
        func ref(_ level: AreaLevel) -> AreaRefDTO? { loc.area(at: level).map { AreaRefDTO(code: $0.code, name: $0.name) } }
        grid = ref(.grid)
        village = ref(.village)
        township = ref(.township)
        county = ref(.county)
        cell = ref(.cell)
    }

    // Levels that do not apply are written as null, not left out.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(grid, forKey: .grid)
        try c.encode(village, forKey: .village)
        try c.encode(township, forKey: .township)
        try c.encode(county, forKey: .county)
        if let cell { try c.encode(cell, forKey: .cell) }
    }
}

struct TeamMemberDTO: Content {
    var position: String
    var positionName: String
    var name: String
    var phone: String?
}

struct TeamDTO: Content {
    var grid: AreaRefDTO
    var members: [TeamMemberDTO]
}
