import Foundation

/// The data files shipped with the core: the default category catalogue and China's holiday schedules.
public enum CoreResources {
    public static func data(named name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(name).json"])
        }
        return try Data(contentsOf: url)
    }

    public static func defaultCatalogue() throws -> CategoryCatalogue {
        try CategoryCatalogue.decode(data(named: "categories"))
    }

    public static func bundledHolidaySchedules() throws -> HolidaySchedules {
        try HolidaySchedules.decode(from: data(named: "cn-holidays"))
    }
}
