import Foundation
import Testing
@testable import WanggeCore

@Suite struct TableTextTests {
    /// "类别,标题\r\n消防,仓库 𠀀\r\n" as `iconv -f UTF-8 -t GB18030` writes it (𠀀 is a four-byte sequence).
    static let gb18030: [UInt8] = [0xC0, 0xE0, 0xB1, 0xF0, 0x2C, 0xB1, 0xEA, 0xCC, 0xE2, 0x0D, 0x0A, 0xCF, 0xFB, 0xB7, 0xC0, 0x2C,
                                   0xB2, 0xD6, 0xBF, 0xE2, 0x20, 0x95, 0x32, 0x82, 0x36, 0x0D, 0x0A]

    @Test func utf8WithAndWithoutBOMReadAlike() throws {
        let text = "类别,标题\r\n消防,仓库\r\n"
        let plain = try TableText.rows(Data(text.utf8))
        let withBOM = try TableText.rows(Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)))
        #expect(plain == [["类别", "标题"], ["消防", "仓库"]])
        #expect(withBOM == plain)
    }

    @Test func gb18030BytesDecode() throws {
        #expect(try TableText.rows(Data(Self.gb18030)) == [["类别", "标题"], ["消防", "仓库 𠀀"]])
        #expect(try TableText.decode(Data([0xCF, 0xFB, 0xB7, 0xC0, 0xB0, 0xB2, 0xC8, 0xAB])) == "消防安全")
    }

    #if canImport(Glibc)
    @Test func iconvDecodesLikeFoundation() {
        #expect(TableText.iconvGB18030(Data(Self.gb18030)) == "类别,标题\r\n消防,仓库 𠀀\r\n")
        #expect(TableText.iconvGB18030(Data([0xCF, 0xFB, 0xFF])) == nil)
    }
    #endif

    @Test func bytesThatAreNeitherEncodingAreRefused() {
        // 0xFF is no lead byte in GB18030, and never valid in UTF-8.
        #expect(throws: TableError.notText) { try TableText.rows(Data([0x61, 0x2C, 0xFF, 0xFF, 0x0A])) }
    }

    @Test func quotedFieldsDoubledQuotesAndLineBreaks() throws {
        let text = "a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",x\n\"crlf\r\nkept\",\"\"\n"
        #expect(try TableText.parse(text) == [["a", "b,c", "d\"e"], ["multi\nline", "x"], ["crlf\r\nkept"]])
    }

    @Test func lineEndsAndBlankRecords() throws {
        // A blank line stays a record, so record numbers are the file's; a final line break adds none.
        #expect(try TableText.parse("a,b\r\n\r\nc\rd\n") == [["a", "b"], [""], ["c"], ["d"]])
        #expect(try TableText.parse("a,b") == [["a", "b"]])
        #expect(try TableText.parse("") == [])
        #expect(try TableText.parse("a,,\n") == [["a"]])
    }

    @Test func anUnterminatedQuoteNamesItsRow() {
        #expect(throws: TableError.unterminatedQuote(row: 2, line: 2)) { try TableText.parse("a,b\r\nc,\"d\r\ne\r\n") }
        #expect(throws: TableError.unterminatedQuote(row: 3, line: 4)) { try TableText.parse("h\n\"x\ny\"\n\"open") }
    }

    @Test func columnsAreBounded() throws {
        let wide = (1...201).map(String.init).joined(separator: ",")
        #expect(throws: TableError.tooManyColumns(row: 2, limit: 200)) { try TableText.parse("a\n" + wide) }
        // Empty cells past the limit are dropped, not counted.
        let commas = "a" + String(repeating: ",", count: 5000) + "\nb"
        #expect(try TableText.parse(commas) == [["a"], ["b"]])
    }

    @Test func csvRoundTripsAndNeutralisesFormulas() throws {
        let rows = [["类别", "标题", "描述"],
                    ["消防", "a, \"quoted\"", "two\nlines"],
                    ["=SUM(A1:A2)", "-5", "@cmd"],
                    ["+1", "\tx", "plain"]]
        let data = TableText.csv(rows: rows)
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"a, \"\"quoted\"\"\""))
        #expect(text.contains("'=SUM(A1:A2),'-5,'@cmd\r\n"))
        let back = try TableText.rows(data)
        #expect(back[1] == rows[1])
        #expect(back[2] == ["'=SUM(A1:A2)", "'-5", "'@cmd"])
        #expect(back.map { $0.map(TableText.unneutralised) } == rows)
        #expect(TableText.unneutralised("'plain") == "'plain")
    }

    @Test func tableFilePicksTheFormatByItsBytes() throws {
        let xlsx = try XLSX.write(rows: [["a", "b"]], sheetName: "S")
        #expect(try TableFile.rows(xlsx) == [["a", "b"]])
        #expect(try TableFile.rows(Data("a,b\n".utf8)) == [["a", "b"]])
        #expect(throws: TableError.self) { try TableFile.rows(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) }
    }
}
