import Foundation
import Testing

@testable import WanggeCore

/// Open311's formats without the server: one value written as JSON and as XML, W3C dates, statuses, key names,
/// addresses placed by their words.
@Suite("Open311")
struct Open311CoreTests {
    static let value = Open311Value.list(item: "request", [.object([
        ("service_request_id", .string("AL-1")), ("address", .string("东村<幸福>路 & \"3\" 号'\u{1}")), ("lat", .number(30.1234567)),
        ("long", .number(120)), ("metadata", .bool(true)), ("media_url", .null), ("n", .integer(-3)),
    ])])

    @Test func jsonIsABareArrayThatFoundationReadsBack() throws {
        let text = Self.value.encoded(.json, root: "service_requests")
        #expect(!text.contains("<") && !text.contains(">") && !text.contains("&"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 1)
        #expect(parsed[0]["address"] as? String == "东村<幸福>路 & \"3\" 号'\u{1}")
        #expect(parsed[0]["lat"] as? Double == 30.1234567)
        #expect(parsed[0]["long"] as? Int == 120)
        #expect(parsed[0]["metadata"] as? Bool == true)
        #expect(parsed[0]["media_url"] is NSNull)
    }

    @Test func xmlEscapesMarkupAndReplacesWhatXMLCannotHold() {
        let text = Self.value.encoded(.xml, root: "service_requests")
        #expect(text.hasPrefix(#"<?xml version="1.0" encoding="utf-8"?>"#))
        #expect(text.contains("<service_requests><request><service_request_id>AL-1</service_request_id>"))
        #expect(text.contains("<address>东村&lt;幸福&gt;路 &amp; &quot;3&quot; 号'</address>"))
        #expect(text.contains("<media_url/>") && text.contains("<lat>30.1234567</lat>") && text.contains("<long>120</long>"))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test func xmlSafety() {
        #expect(Open311.isXMLSafe("张三 <b>&amp;</b>\t\n\r"))
        #expect(!Open311.isXMLSafe("a\u{1}b"))
        #expect(!Open311.isXMLSafe("a\u{FFFE}"))
        #expect(!Open311.isXMLSafe("\u{0}"))
    }

    @Test func formatFromTheSuffix() {
        #expect(Open311.split("services.json")! == ("services", .json))
        #expect(Open311.split("AL-20261123-000001.XML")! == ("AL-20261123-000001", .xml))
        #expect(Open311.split("services") == nil)
        #expect(Open311.split("services.html") == nil)
    }

    @Test func datesAreW3CWithTheCountysOffset() throws {
        let d = Date(timeIntervalSince1970: 1_795_452_800)  // 2026-11-23T16:53:20Z
        #expect(Open311Date.format(d, offsetSeconds: 8 * 3600) == "2026-11-24T00:53:20+08:00")
        #expect(Open311Date.format(d, offsetSeconds: 0) == "2026-11-23T16:53:20+00:00")
        #expect(Open311Date.format(d, offsetSeconds: -5 * 3600 - 1800) == "2026-11-23T11:23:20-05:30")
        for text in ["2026-11-24T00:53:20+08:00", "2026-11-23T16:53:20Z", "2026-11-23T16:53:20.000Z", "2026-11-24T00:53:20+0800", "2026-11-23t16:53:20z"] {
            #expect(Open311Date.parse(text, offsetSeconds: 8 * 3600) == d, "\(text)")
        }
        #expect(Open311Date.parse("2026-11-23T16:53Z", offsetSeconds: 0) == d.addingTimeInterval(-20))
        #expect(Open311Date.parse("2026-11-24", offsetSeconds: 8 * 3600) == Date(timeIntervalSince1970: 1_795_449_600))
        for bad in ["23/11/2026", "2026-11-23T16:53:20", "2026-13-01", "2026-02-29", "2026-11-23T24:00:00Z", "1969-12-31", "2026-11-23T16:53:20+15:00",
                    "", "2026-11-23T16:53:20Zjunk", String(repeating: "9", count: 400), "２０２６-11-23"] {
            #expect(Open311Date.parse(bad, offsetSeconds: 0) == nil, "\(bad)")
        }
        #expect(Open311Date.parse("2024-02-29", offsetSeconds: 0) != nil)
        // Round trip over many instants, before and after 1970-01-01 local midnight.
        for t in stride(from: 0, to: 4_000_000_000, by: 97_654_321) {
            let date = Date(timeIntervalSince1970: TimeInterval(t))
            #expect(Open311Date.parse(Open311Date.format(date, offsetSeconds: 8 * 3600), offsetSeconds: 0) == date)
        }
    }

    @Test func statusesAndUpdates() {
        #expect(Open311.status(of: .reported) == "open")
        #expect(Open311.status(of: .resolved) == "open")
        for s in [CaseState.closed, .rejected, .merged] { #expect(Open311.status(of: s) == "closed") }
        #expect(Open311.updateStatus(of: .resolve, to: .resolved) == "FIXED")
        #expect(Open311.updateStatus(of: .rate, to: .dispatched) == "REOPEN")
        #expect(Open311.updateStatus(of: .comment, to: .dispatched) == nil)
        #expect(Open311.updateStatus(of: .transfer, to: .dispatched) == nil)
    }

    @Test func keyNamesRatesAndKeys() {
        #expect(APIKeyRules.isValidName("civic-app_2.0"))
        for bad in ["", "-a", "a b", "名", String(repeating: "a", count: 65), "a/b", "a\u{0}"] { #expect(!APIKeyRules.isValidName(bad), "\(bad)") }
        #expect(APIKeyRules.isValidRate(1) && APIKeyRules.isValidRate(100_000))
        #expect(!APIKeyRules.isValidRate(0) && !APIKeyRules.isValidRate(100_001) && !APIKeyRules.isValidRate(-1))
        #expect(APIKeyRules.isWellFormedKey("wg_" + String(repeating: "A", count: 43)))
        #expect(!APIKeyRules.isWellFormedKey("wg_" + String(repeating: "A", count: 42)))
        #expect(!APIKeyRules.isWellFormedKey("xx_" + String(repeating: "A", count: 43)))
        #expect(!APIKeyRules.isWellFormedKey("wg_" + String(repeating: "%", count: 43)))
    }

    static let county: Jurisdiction = {
        func a(_ code: String, _ name: String, _ level: AreaLevel, _ parent: String?) -> Area {
            Area(code: code, name: name, level: level, parentCode: parent, boundary: nil, population: 1, households: 1)
        }
        return Jurisdiction(areas: [
            a("1", "安澜县", .county, nil), a("11", "东镇", .township, "1"), a("12", "西镇", .township, "1"),
            a("111", "一村", .village, "11"), a("121", "一村", .village, "12"), a("122", "幸福社区", .village, "12"),
        ])
    }()

    @Test func addressesArePlacedByTheirWordsOrNotAtAll() {
        let j = Self.county
        #expect(AddressPlacer.place("东镇一村幸福路 3 号", in: j, under: "1")?.code == "111")
        #expect(AddressPlacer.place("西镇 一村", in: j, under: "1")?.code == "121")
        #expect(AddressPlacer.place("幸福社区 5 幢", in: j, under: "1")?.code == "122")
        #expect(AddressPlacer.place("一村 12 号", in: j, under: "1") == nil, "two 一村: ambiguous")
        #expect(AddressPlacer.place("一村 12 号", in: j, under: "11")?.code == "111", "the key's area decides")
        #expect(AddressPlacer.place("火星基地", in: j, under: "1") == nil)
        #expect(AddressPlacer.place("幸福社区", in: j, under: "11") == nil, "outside the key's area")
        #expect(AddressPlacer.place("   ", in: j, under: "1") == nil)
    }
}
