import Vapor
import WanggeCore

enum LocateAPI {
    /// `GET /api/v1/locate?lat=&lon=`: the grid, village, township and county of a point.
    static func locate(_ req: Request) async throws -> LocateDTO {
        let lat = try coordinate(req, "lat", range: -90...90)
        let lon = try coordinate(req, "lon", range: -180...180)
        let location = try await req.jurisdiction().locate(GeoPoint(lon: lon, lat: lat))
        guard !location.isOutside else {
            throw APIError(.notFound, "outside_jurisdiction", "the point \(lat), \(lon) lies outside the jurisdiction")
        }
        return LocateDTO(location)
    }

    static func coordinate(_ req: Request, _ name: String, range: ClosedRange<Double>) throws -> Double {
        guard let text = try req.textQuery(name, maxLength: 40) else {
            throw APIError.badRequest("\(name) is required", field: name)
        }
        guard let v = Double(text), v.isFinite, range.contains(v) else {
            throw APIError.badRequest("\(name) must be a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))", field: name)
        }
        return v
    }
}
