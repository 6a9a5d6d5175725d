import Foundation

/// Where a report comes from.
public enum CaseSource: String, CaseIterable, Codable, Sendable {
    case resident, gridWorker = "grid_worker", hotline, `import`
    /// Through the Open311 interface, by a partner's API key (issue 21).
    case open311
}

/// A report as submitted, before it becomes a case.
public struct CaseReport: Sendable, Equatable, Codable {
    public var categoryCode: String
    public var description: String
    public var lat: Double?
    public var lon: Double?
    public var areaCode: String?
    public var address: String?
    public var source: CaseSource
    public var reporterName: String?
    public var reporterPhone: String?
    /// The name of the API key an Open311 report came through.
    public var channelKey: String?

    public init(categoryCode: String, description: String, lat: Double? = nil, lon: Double? = nil, areaCode: String? = nil,
                address: String? = nil, source: CaseSource, reporterName: String? = nil, reporterPhone: String? = nil,
                channelKey: String? = nil) {
        self.categoryCode = categoryCode
        self.description = description
        self.lat = lat
        self.lon = lon
        self.areaCode = areaCode
        self.address = address
        self.source = source
        self.reporterName = reporterName
        self.reporterPhone = reporterPhone
        self.channelKey = channelKey
    }

    public var point: GeoPoint? {
        guard let lat, let lon else { return nil }
        return GeoPoint(lon: lon, lat: lat)
    }

    public var hasReporter: Bool { reporterName != nil || reporterPhone != nil }
}

/// Why a report cannot be taken; `field` is the field at fault, as the API names it.
public struct IntakeProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field): \(message)" }
}

/// The rules a report must meet before anything is written.
public enum CaseIntakeRules {
    public static let maximumDescription = 2_000
    public static let maximumPhotos = 9

    /// Checks and tidies a report (trims words, normalises the phone). `photoCount` is how many photos came with it.
    public static func validate(_ report: CaseReport, catalogue: CategoryCatalogue, jurisdiction: Jurisdiction,
                                photoCount: Int) throws(IntakeProblem) -> (report: CaseReport, category: Category, location: Location) {
        var r = report
        guard let category = catalogue[r.categoryCode] else {
            throw IntakeProblem("category_code", "no category has code \(r.categoryCode)")
        }
        guard !category.isMajor else {
            throw IntakeProblem("category_code", "\(r.categoryCode) is a 大类; choose one of its 小类")
        }
        r.description = r.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !r.description.isEmpty else { throw IntakeProblem("description", "describe the problem in a few words") }
        guard TextInput.isClean(r.description, multiline: true) else { throw IntakeProblem("description", "holds control or invisible characters (such as direction marks)") }
        for (field, text) in [("reporter.name", r.reporterName), ("address", r.address), ("area_code", r.areaCode), ("category_code", Optional(r.categoryCode))] {
            if let text, !TextInput.isClean(text) { throw IntakeProblem(field, "holds control or invisible characters (such as direction marks)") }
        }
        guard r.description.count <= maximumDescription else {
            throw IntakeProblem("description", "at most \(maximumDescription) characters (this has \(r.description.count))")
        }
        guard photoCount <= maximumPhotos else { throw IntakeProblem("photos", "at most \(maximumPhotos) photos") }
        r.reporterName = r.reporterName.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        if let name = r.reporterName, name.count > 50 { throw IntakeProblem("reporter.name", "at most 50 characters") }
        if let phone = phoneDigits(r.reporterPhone) {
            guard isPhoneNumber(phone) else {
                throw IntakeProblem("reporter.phone", "not a phone number: give an 11-digit mobile (1xxxxxxxxxx) or a landline with its area code")
            }
            r.reporterPhone = phone
        } else {
            r.reporterPhone = nil
        }
        r.address = r.address.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        if let address = r.address, address.count > 200 { throw IntakeProblem("address", "at most 200 characters") }

        let location: Location
        switch (r.lat, r.lon) {
        case let (lat?, lon?):
            guard lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else {
                throw IntakeProblem("lat", "lat must be -90…90 and lon -180…180")
            }
            let located = jurisdiction.locate(GeoPoint(lon: lon, lat: lat))
            if located.isOutside {
                guard let code = r.areaCode, jurisdiction[code] != nil else {
                    throw IntakeProblem("lat", "the point lies outside the jurisdiction; give area_code or a point inside it")
                }
                location = Location(chain: jurisdiction.chain(from: code))
            } else {
                location = located
            }
        case (nil, nil):
            if let code = r.areaCode {
                guard jurisdiction[code] != nil else { throw IntakeProblem("area_code", "no area has code \(code)") }
                location = Location(chain: jurisdiction.chain(from: code))
            } else if r.address != nil, let root = jurisdiction.root {
                // Only words: the county's centre takes it and places it.
                location = Location(chain: [root])
            } else {
                throw IntakeProblem("lat", "give a point (lat and lon), an area_code or an address")
            }
        default:
            throw IntakeProblem(r.lat == nil ? "lat" : "lon", "lat and lon go together")
        }
        if category.photoRequired && photoCount == 0 && r.source == .gridWorker {
            throw IntakeProblem("photos", "this category needs a photo from the grid worker")
        }
        return (r, category, location)
    }

    /// A phone as typed without its separators (spaces, dashes, brackets); nil when nothing is left (no phone). Every
    /// form that takes a phone reads it this way.
    public static func phoneDigits(_ raw: String?) -> String? {
        guard let digits = raw?.filter({ !" -()".contains($0) }), !digits.isEmpty else { return nil }
        return digits
    }

    /// A Chinese mobile number (11 digits from 13…19) or a landline with its area code (0 and 9 to 11 more digits).
    public static func isPhoneNumber(_ s: String) -> Bool {
        var digits = s
        if digits.hasPrefix("+86") { digits.removeFirst(3) }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return false }
        if digits.count == 11, digits.hasPrefix("1"), let second = digits.dropFirst().first, "3456789".contains(second) { return true }
        return digits.hasPrefix("0") && (10...12).contains(digits.count)
    }
}

/// Case codes (`AL-20261123-000123`) and tracking codes (10 characters a resident can read out on the phone).
public enum CaseCodes {
    /// Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
    static let trackingAlphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    public static func caseCode(prefix: String, day: CivilDate, sequence: Int) -> String {
        let d = String(format: "%04d%02d%02d", day.year, day.month, day.day)
        return "\(prefix)-\(d)-\(String(format: "%06d", sequence))"
    }

    public static func trackingCode(using rng: inout some RandomNumberGenerator) -> String {
        String((0..<10).map { _ in trackingAlphabet[Int.random(in: 0..<trackingAlphabet.count, using: &rng)] })
    }

    public static func isTrackingCode(_ s: String) -> Bool {
        s.count == 10 && s.allSatisfy { trackingAlphabet.contains($0) }
    }
}
