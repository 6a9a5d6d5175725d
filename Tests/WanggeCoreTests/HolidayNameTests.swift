import Foundation
import Testing

@testable import WanggeCore

/// A holiday's name is text a page shows: an uploaded year refuses names with control or invisible characters, as
/// every other name (schemathesis found a year stored with U+0000 and a direction mark in a name).
@Suite("Holiday names")
struct HolidayNameTests {
    func year(named name: String) throws(CalendarError) -> YearSchedule {
        let body = try! JSONSerialization.data(withJSONObject: ["off": [["name": name, "from": "2031-10-01", "to": "2031-10-07"]], "work": []])
        return try HolidaySchedules.decodeYear(from: body, year: 2031)
    }

    @Test(arguments: ["\u{7}假", "国庆\u{202E}节", "国\u{0}庆", "", String(repeating: "节", count: 51), "国庆\n节"])
    func badNamesAreRefused(_ name: String) {
        #expect(throws: CalendarError.self) { try year(named: name) }
    }

    @Test func aPlainNameIsTaken() throws {
        #expect(try year(named: "国庆节").off.first?.name == "国庆节")
    }
}
