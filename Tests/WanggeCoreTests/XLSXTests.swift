import Foundation
import Testing
@testable import WanggeCore

@Suite struct XLSXTests {
    @Test func writtenWorkbooksReadBack() throws {
        let rows = [["类别", "标题", "", "区域代码"],
                    [],
                    ["A & B <C> \"q\" 'a'", "  spaced  ", "two\r\nlines", "330599001002"],
                    ["", "", "", "", "E5"]]
        let data = try XLSX.write(rows: rows, sheetName: "风险清单")
        let archive = try ZipArchive(data)
        #expect(Set(archive.entries.keys) == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                             "xl/worksheets/sheet1.xml", "xl/styles.xml"])
        let back = try XLSX.read(data)
        #expect(back == [["类别", "标题", "", "区域代码"], [], rows[2], rows[3]])
    }

    @Test func charactersXMLCannotHoldAreDroppedAndSheetNamesCleaned() throws {
        #expect(try XLSX.read(XLSX.write(rows: [["a\u{1}b\u{FFFF}"]])) == [["ab"]])
        #expect(XLSX.sheetTitle("a/b[c]:*?") == "abc")
        #expect(XLSX.sheetTitle("///") == "Sheet1")
        #expect(XLSX.sheetTitle(String(repeating: "长", count: 40)).count == 31)
    }

    @Test func theSameRowsGiveTheSameBytes() throws {
        #expect(try XLSX.write(rows: [["x"]]) == XLSX.write(rows: [["x"]]))
    }

    @Test func readsAnOpenpyxlWorkbook() throws {
        // Written by openpyxl 3.1.5 (deflated, inline strings, a rich-text cell, a second sheet), then repacked
        // without its theme and docProps, which the reader never opens.
        let rows = try XLSX.read(try #require(Data(base64Encoded: XLSXFixtures.openpyxl, options: .ignoreUnknownCharacters)))
        #expect(rows == [["类别", "标题", "描述", "区域代码", "可能性", "严重性", "纬度", "经度"],
                         ["消防", "某厂消防通道堵塞", "通道堆放货物 & <杂物>", "330599001002", "3", "4", "29.1", "119.65"],
                         ["fire", "", "加粗普通", "", "2.5", "TRUE", "", "last"],
                         [],
                         ["", "after a gap"]])
    }

    @Test func readsSharedStringsAndFindsTheFirstSheetThroughTheWorkbook() throws {
        // Hand-made and deflated by Python's zipfile; openpyxl reads it too. The first sheet listed is sheet2.xml,
        // by an absolute target; elements carry an x: prefix in the workbook; XFD1 is an empty cell.
        let rows = try XLSX.read(try #require(Data(base64Encoded: XLSXFixtures.sharedStrings, options: .ignoreUnknownCharacters)))
        #expect(rows == [["类别", "", "消防 安全"],
                         ["4.2", "FALSE", "", "8.4"],
                         [],
                         ["A & B <C> 中国 \"q\" 'a'", "line\r\ntwo", "330599001002", "x<y"]])
    }

    // MARK: Limits

    /// A raw DEFLATE stream of `count` zero bytes: one fixed-Huffman block, a literal then matches of 258 at
    /// distance 1 (13 bits for 258 bytes).
    static func zeros(_ count: Int) -> [UInt8] {
        var w = BitWriter()
        w.bits(1, 1); w.bits(1, 2)
        w.code(0x30, 8)  // literal 0
        var left = count - 1
        while left >= 258 { w.code(0xC5, 8); w.code(0, 5); left -= 258 }  // length 258, distance 1
        while left > 0 { w.code(0x30, 8); left -= 1 }
        w.code(0, 7)  // end of block
        return w.bytes
    }

    static func archive(_ name: String, deflated: [UInt8], declaring size: Int, crc: UInt32 = 0) throws -> Data {
        Data(try ZipArchive.write([.init(name: name, data: deflated, method: 8, size: size, crc: crc)]))
    }

    @Test func aZipBombIsRefused() throws {
        let bomb = Self.zeros(60 * 1024 * 1024)
        // Honest about its size: refused before anything is inflated.
        #expect { try XLSX.read(Self.archive("xl/worksheets/sheet1.xml", deflated: bomb, declaring: 60 * 1024 * 1024)) } throws: {
            guard case .tooLarge(let why)? = $0 as? TableError else { return false }
            return why.contains("inflates to 62914560 bytes")
        }
        // Lying about it: the inflater stops at the size declared.
        #expect { try XLSX.read(Self.archive("xl/worksheets/sheet1.xml", deflated: bomb, declaring: 10_000)) } throws: {
            guard case .tooLarge(let why)? = $0 as? TableError else { return false }
            return why.contains("beyond the 10000 bytes it declares")
        }
        // Within the total but compressed beyond belief.
        #expect { try XLSX.read(Self.archive("xl/worksheets/sheet1.xml", deflated: [UInt8](repeating: 0, count: 1000), declaring: 20_000_000)) } throws: {
            guard case .tooLarge(let why)? = $0 as? TableError else { return false }
            return why.contains("times its compressed size")
        }
    }

    @Test func inflatesStoredAndFixedBlocksAndChecksTheCRC() throws {
        let zeros = Self.zeros(1000)
        #expect(try Inflater.inflate(zeros, limit: 1000) == [UInt8](repeating: 0, count: 1000))
        #expect(throws: InflateError.tooLarge) { try Inflater.inflate(zeros, limit: 999) }
        var w = BitWriter()
        w.bits(1, 1); w.bits(0, 2); w.align()
        w.bits(3, 16); w.bits(0xFFFC, 16)
        w.bytes += Array("abc".utf8)
        #expect(try Inflater.inflate(w.bytes, limit: 10) == Array("abc".utf8))
        #expect(throws: InflateError.damaged("a block of reserved type 3")) { try Inflater.inflate([0x07], limit: 10) }
        let wrongCRC = try Self.archive("xl/worksheets/sheet1.xml", deflated: zeros, declaring: 1000, crc: 1)
        #expect(throws: TableError.damaged("xl/worksheets/sheet1.xml fails its CRC check")) { try XLSX.read(wrongCRC) }
    }

    /// A workbook of only a sheet1.xml (the fallback when there is no workbook.xml).
    static func sheet(_ xml: String) throws -> Data {
        Data(try ZipArchive.write([.init(name: "xl/worksheets/sheet1.xml", data: Array(xml.utf8))]))
    }

    @Test func rowsAndColumnsAreBounded() throws {
        #expect(try XLSX.read(Self.sheet(#"<worksheet><sheetData><row r="2"><c r="B2"><v>1</v></c></row></sheetData></worksheet>"#)) == [[], ["", "1"]])
        #expect(throws: TableError.tooManyRows(limit: TableLimits.maximumRows)) {
            try XLSX.read(Self.sheet(#"<worksheet><sheetData><row r="200002"><c r="A200002"><v>1</v></c></row></sheetData></worksheet>"#))
        }
        #expect(throws: TableError.tooManyColumns(row: 1, limit: 200)) {
            try XLSX.read(Self.sheet(#"<worksheet><sheetData><row r="1"><c r="GS1"><v>1</v></c></row></sheetData></worksheet>"#))
        }
    }

    @Test func whatIsNotAWorkbookIsSaidSo() throws {
        #expect(throws: TableError.notXLSX("no ZIP central directory")) { try XLSX.read(Data("PK\u{3}\u{4} and then nothing of a ZIP archive".utf8)) }
        let written = try XLSX.write(rows: [["a"]])
        #expect(throws: TableError.self) { try XLSX.read(written.prefix(written.count - 30)) }
        #expect(throws: TableError.damaged("xl/worksheets/sheet1.xml: a DOCTYPE or other declaration, which a workbook never has")) {
            try XLSX.read(Self.sheet(#"<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>"#))
        }
    }

    @Test func referencesAndEntities() {
        #expect(XLSX.reference("C5")! == (3, 5))
        #expect(XLSX.reference("AA10")! == (27, 10))
        #expect(XLSX.reference("5C") == nil && XLSX.reference("ABCD1") == nil && XLSX.reference("A0") == nil)
        #expect(XLSX.columnName(1) == "A" && XLSX.columnName(27) == "AA" && XLSX.columnName(16_384) == "XFD")
        #expect(SheetXML.decode(ArraySlice("&amp;&lt;&gt;&quot;&apos;&#65;&#x4E2D;&#xD800;&nope; & x".utf8)) == "&<>\"'A中\u{FFFD}&nope; & x")
        #expect(SheetXML.unescapeExcel("a_x000D_b_x005F_x") == "a\rb_x")
        #expect(XLSX.number("4.2000000000000002") == "4.2" && XLSX.number("3.0") == "3" && XLSX.number("1E-3") == "0.001")
    }
}

/// Writes DEFLATE bits, least significant first; Huffman codes most significant bit first.
struct BitWriter {
    var bytes: [UInt8] = []
    var used = 0

    mutating func bits(_ value: Int, _ count: Int) {
        for i in 0..<count {
            if used == 0 { bytes.append(0) }
            if value >> i & 1 == 1 { bytes[bytes.count - 1] |= 1 << used }
            used = (used + 1) % 8
        }
    }

    mutating func code(_ code: Int, _ length: Int) {
        for i in stride(from: length - 1, through: 0, by: -1) { bits(code >> i & 1, 1) }
    }

    mutating func align() { used = 0 }
}

/// Small workbooks made outside Swift (see the tests that read them), base64.
enum XLSXFixtures {
    static let openpyxl = """
        UEsDBBQAAAAIALtdh11xaT/vjwIAAGEGAAAYAAAAeGwvd29ya3NoZWV0cy9zaGVldDEueG1sfVVdb9MwFP0rUR72WKctHXRLI9GOrTwgTZuAZ7d12mhOHBy3
        hbdtSGwgoEggMZCgBQQTAvExAUKbgD+ztOu/wE7akA57T7HvvefY95zkxuwSuhG0EGLaTRd7QUlvMeYvABDUW8iFQYb4yOMZm1AXMr6lTRD4FMFGBHIxyBnG
        PHCh4+mWGcVWqWWSNsOOh1apFrRdF9JbZYRJt6Rn9WlgzWm2WBQAlunDJlpH7KrPAXwLEp6G4yIvcIinUWSX9IvZhWohQkQV1xzUDVJrTTRTI2RDbC43Sroh
        7oQwqjNBAfmjgyoIY8HEb3JjQqr/O1Qg0+sp/XLUP79eDQaoQvB1p8FaJf2CrjWQDduYrZFuFU16Sl1xCTJomZR0NSqatcy6WIgjeaHjCZHWGeVxh5/ErNHX
        o3D3gwkYv4OIgPoEUVYhhoOd8es9CaKiRPR6J3++SBBLKkR4/zDs94+P3owGWxLcJSWu9/nk9q/h5r4EtKwCHf98O955IAetKHU7/BgevpMgqkrEUe8/BOA+
        JWblErNyKiF/7I73DmRmKRH9R+HD7Rg33nw+3nocDr6Hr17K7FNxTHF3hk9+n3zbH919r81B11/U5jBbHL7Y5oG5JluU+auizOeNQrFoGFnDyMn8jXHiA+9Y
        eRN00jamc+dmcyvpXK6Yyc6mq+l0NlvMzBeSghkn8okTeUUDtkORTEN5PZ8rVAyXmtaBeDqCQBTi7+y9wejgaUxGo1pu27NPXPUkdkqdfLrLTOGUPnG2Fjd5
        SgBVOxgG7Iw3szDVo1xQEECbIapBrQl9GQ9IjSYxeq9A2nS8QMPI5nRG5jznpfEsizeM+JFONcIYcaNli/8CEBUFPG8TwpKNEDP5q1h/AVBLAwQUAAAACAC7
        XYddfX70xz4BAAAdAgAAGAAAAHhsL3dvcmtzaGVldHMvc2hlZXQyLnhtbE1S207DMAz9lSgfsHRIXDS1lcYQggekaRPwnLVuGy2JS+JR+Huc7MZDVR/b5/jY
        bTlh2McBgMSPsz5WciAaF0rFZgCn4wxH8FzpMDhNDEOv4hhAt5nkrLopijvltPGyLnNuHeoSD2SNh3UQ8eCcDr+PYHGq5FyeExvTD5QTqi5H3cMW6H1kAkN1
        0WmNAx8NehGgq+RyvlgeGbnjw8AU/8UiLbND3Cfw2laySJ7AQkNJQvPrG1ZgbVJiJ18nUXkdmpj/47P8c96f7e10hBXaT9PSUMkHKVro9MHSBqcXOO10e7X4
        pEnXZcBJhLRsXTYpSCO50fh0pC0FzhueRLVHEjSYKDK5VMReUkU1/LDK2dpRNp3tTYfe+CgsdKxYzO55eDj6OALCMZ95h0Tocjjw54OQGrjeIdIFpDtc/oj6
        D1BLAwQUAAAACAC7XYdd0gXxRlICAABHCgAADQAAAHhsL3N0eWxlcy54bWzdVtuK2zAQ/RXjD6iTmJq4JHmoIVBoy8LuQ1/lWE4EuriyvCT9+mok57ab41L6
        VpvgmTk6M2ekMc6qdyfJnw+cu+SopO7X6cG57lOW9bsDV6z/YDquPdIaq5jzrt1nfWc5a3oiKZktZrMiU0zodLPSg9oq1yc7M2i3Tmdpkm1WrdHX0DyNAb+W
        KZ68MrlOKyZFbUVczJSQpxhfhMjOSGMT59VwolOo/xUXzEeXpI65lNDGhmgWy4RH7xMLKS8qFmkMbFYdc45bvfVOJIXoe2y0X06dV7G37DRffExvGOHhy9TG
        NtzetRtDm5XkrSOGFftDMJzp6FEb54wiqxFsbzSLSs600fC5d1zKZzqvH+1dgWObxI3/0oQ9p47Pplc1mjHN6FCB23Qx+b/n7cSrcZ8H35AO/s/BOP5keSuO
        wT+2bwRcagcld+Uv0YRGZZ1+pxGUNznqQUgn9OgdRNNw/b47n9+x2g/5XQG/quEtG6R7uYDr9Gp/440YVHlZ9USNjauu9lc6ynlxnVNfTOiGH3lTja7d18FM
        vOHLjldgvIW24QIQZEUQQATCWlAGZEUerPU/9rXEfUUQKlw+hpaYtcSsyHsIVeGGtQCr9BdouSzzvCjg9lbVYxkV3MOioB9ICBUSB9aian+78xMDMDE2f5gN
        eMqTYwNbnhhR2PLEzhME9pA4ZQkGANYiDjwUOFEkAtSiUQOsPKdzhgrhaz4BlSWEaEjB9BYF2qiCbnBe8CXK87IEEIFARp5DiF7YCQjKICEQyvP4IX3zPcvO
        37ns+tdx8xtQSwMEFAAAAAgAu12HXbdH64rAAAAAFgIAAAsAAABfcmVscy8ucmVsc52SS24CMQxArxJlX0ypxAIxrNiwQ4gLuInno5nEkWPE9PaN2MAgaBFL
        /56eLa8PNKB2HHPbpWzGMMRc2VY1rQCyaylgnnGiWCo1S0AtoTSQ0PXYECzm8yXILcNu1rdMc/xJ9AqR67pztGV3ChT1Afiuw5ojSkNa2XGAM0v/zdzPCtSa
        na+s7PynNfCmzPP1IJCiR0VwLPSRpEyLdpSvPp7dvqTzpWNitHjf6P/z0KgUPfm/nTClidLXRQkmb7D5BVBLAwQUAAAACAC7XYddYoXhA0wBAABnAgAADwAA
        AHhsL3dvcmtib29rLnhtbI2RQU7DMBBFrxL5ACSNoBJVw4YKqIQooqh7J5k0o9qeyJ600EOwZ82Ko/UW2IkCkZAQK2f+zLz8b88PZHc50S560cq4mc1EzdzM
        4tgVNWjpzqgB43sVWS3Zl3YbU1VhAQsqWg2G4zRJprEFJRnJuBobJ3raf1iusSBLVwOwVj1KSzTiaj44e7RRPK6IoQh/CmpQNggH9zMQymiPDnNUyK+Z6L4V
        iEijQY1HKDORiMjVdLgji0cyLNW6sKRUJiZ9YwOWsfglr4PNZ5m7TmGZP4XMmZgmHlihddxNdHzpTe7BD/dVy3SDisEuJMOtpbZBs+0wPkY8ytFdxXBGRmrI
        xOnj7fT+GTx4bVn2ftiDRunsDH3DLsseOV5fcQ12tJ3+sZ32hgYXJVRooHzwHBca/k4K/yDh6Hyk5xeTS5+9VeraaytzT7L8jjW8ydUXUEsDBBQAAAAIALtd
        h12rXnIutAAAAI0CAAAaAAAAeGwvX3JlbHMvd29ya2Jvb2sueG1sLnJlbHPFkk0KgzAQRq8ScgBHbemiqKtu3BYvEHT8wcSEzJTq7Su6UKGLbqSr8E3I+x5M
        kidqxZ0dqO0cidHogVLZMrs7AJUtGkWBdTjMN7X1RvEcfQNOlb1qEOIwvIHfM2SW7JmimBz+QrR13ZX4sOXL4MBfwPC2vqcWkaUolG+QUwmj3sYEyxEFM1mK
        vEqlz6tICvi3UXwwis80Ip400qaz5kP/5cx+nt/iVr/EdXhcy3WRgMPvyz5QSwMEFAAAAAgAu12HXaXhG1gfAQAAYAQAABMAAABbQ29udGVudF9UeXBlc10u
        eG1sxVTLTsMwEPyVyNcqdumBA2p6oVyhB37AJJvGil/ybkv692wSWglUWqogcYkV7+zMeMfy8vUQAbPOWY+FaIjig1JYNuA0yhDBc6UOyWni37RVUZet3oJa
        zOf3qgyewFNOPYdYLddQ652l7KnjbTTBFyKBRZE9jsBeqxA6RmtKTVxXe199U8k/FSR3DhhsTMQZA0SmzkoMpR8Vjo0ve0jJVJBtdKJn7RimOquQDhZQXuY4
        4zLUtSmhCuXOcYvEmEBX2ACQs3IknV2RJh4yjN+7yQYGmouKDN2kEJFTS3C73jGWvjuPTASJzJVDniSZe/IJoU+8guq34jzh95DaIRNUwzJ9zF9zPvHfamTx
        n0beQmj/+sL3q3Ta+JMBNTwsqw9QSwECFAMUAAAACAC7XYddcWk/748CAABhBgAAGAAAAAAAAAAAAAAAgAEAAAAAeGwvd29ya3NoZWV0cy9zaGVldDEueG1s
        UEsBAhQDFAAAAAgAu12HXX1+9Mc+AQAAHQIAABgAAAAAAAAAAAAAAIABxQIAAHhsL3dvcmtzaGVldHMvc2hlZXQyLnhtbFBLAQIUAxQAAAAIALtdh13SBfFG
        UgIAAEcKAAANAAAAAAAAAAAAAACAATkEAAB4bC9zdHlsZXMueG1sUEsBAhQDFAAAAAgAu12HXbdH64rAAAAAFgIAAAsAAAAAAAAAAAAAAIABtgYAAF9yZWxz
        Ly5yZWxzUEsBAhQDFAAAAAgAu12HXWKF4QNMAQAAZwIAAA8AAAAAAAAAAAAAAIABnwcAAHhsL3dvcmtib29rLnhtbFBLAQIUAxQAAAAIALtdh12rXnIutAAA
        AI0CAAAaAAAAAAAAAAAAAACAARgJAAB4bC9fcmVscy93b3JrYm9vay54bWwucmVsc1BLAQIUAxQAAAAIALtdh12l4RtYHwEAAGAEAAATAAAAAAAAAAAAAACA
        AQQKAABbQ29udGVudF9UeXBlc10ueG1sUEsFBgAAAAAHAAcAxgEAAFQLAAAAAA==
        """

    static let sharedStrings = """
        UEsDBBQAAAAIAMJdh12VdlHuFAEAAD4DAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbMVSS0sDMRC++ytCrmWTtgcR2W0PPo4qWH/AmMzuhuZFJq3tvzfdVhGp
        FqHgaUi+J8nU842zbI2JTPANn4gxZ+hV0MZ3DX9Z3FdXnFEGr8EGjw3fIvH57KJebCMSK2JPDe9zjtdSkurRAYkQ0RekDclBLsfUyQhqCR3K6Xh8KVXwGX2u
        8s6Dz+pbbGFlM7vblOt9kYSWOLvZE3dZDYcYrVGQCy7XXn9LqQ4JoigHDvUm0qgQuDyasEN+DjjoHsvLJKORPUHKD+AKS26sfAtp+RrCUvxucqRlaFujUAe1
        ckUiKCYETT1idlYMUzgwfnQ6fyCTHMbkzEU+/f/YY/pPPaiHhPo5p7K1dPZP+eL90UMO6z97B1BLAwQUAAAACADCXYddHEn3vqQAAAAWAQAACwAAAF9yZWxz
        Ly5yZWxzjc/BDsIgDAbgVyG9O6YHY8zYLsZkVzMfAFnHyAYlgDrfXo7OePDY9P+/plWz2Jk9MERDTsC2KIGhU9QbpwVcu/PmAE1dXXCWKSfiaHxkueKigDEl
        f+Q8qhGtjAV5dHkzULAy5TFo7qWapEa+K8s9D58GrE3W9gJC22+BdS+P/9g0DEbhidTdoks/TnwlsiyDxiRgmfmTwnQjmoqMAq8rvnqwfgNQSwMEFAAAAAgA
        wl2HXbopVbbLAAAASQEAAA8AAAB4bC93b3JrYm9vay54bWyNUDuOwjAQvYo1PTihABRhaBASFQ17ABNPiEXsiTwGcpW9xGp7DgTHwHy07G5F92bm/TSTWeca
        ccDAlryCvJ+BQF+SsX6r4GO96I1hNp10xZHCbkO0E4nvuegU1DG2hZRc1ug096lFn24VBadjGsNWchtQG64Ro2vkIMuG0mnr4ekRsHnHharKljincu/Qx4dN
        kuqYGnNtW4Zbv3sK/yDhtUMF58/T5esbxH23NAoGIJK2sAmGpRmB/K9YNeYXPf9Dz290+cqSr7dMr1BLAwQUAAAACADCXYddrKBnu8oAAAA1AgAAGgAAAHhs
        L19yZWxzL3dvcmtib29rLnhtbC5yZWxztZFLa8MwDID/itF9UdJDu5W6vYxBr233A4yjxKGJbST39e9nBntklNJDdxJ6ffpAi9V56NWRWLrgNVRFCYq8DXXn
        Ww3vu7enZ1gtFxvqTcoT4rooKq940eBSinNEsY4GI0WI5HOnCTyYlFNuMRq7Ny3hpCynyL8ZMGaqda2B13UFaneJdA87NE1n6TXYw0A+XTmBp8B7cUQpQw23
        lDR8lwQ/Q1VkKuB1mdk/y+C5x79Ck1tCL48UEmeY6m3i/Gn5kRqVv2Rw9P/lB1BLAwQUAAAACADCXYddH74teCYBAACVAQAAFAAAAHhsL3NoYXJlZFN0cmlu
        Z3MueG1sVVBBTsMwELzzCsuVcqNOI6igiV1BC+ce4Fy5qZtYSuzE3pR8AKn8gCcgISHBoRfeExC/wElAFMn2eGd3NB5H0zrP0FYYK7WieDT0MRIq1mupEopv
        b66Pz/CURdYCcoPKUpwCFBNCbJyKnNuhLoRynY02OQdXmoTYwgi+tqkQkGck8P0xyblUGMW6UkDxKUaVkmUlZr+1M5AsAvb5+t7sniMCLCIt027j1sIdK+LI
        7tY9ZWILHguKnZcVZisw+9jvvh7fUK82nRBY8/LQ3D/9cYsU2RXFbUoHI9zO1JLrDVfJz9QiPXAHdoE8nhchukReBuHMSyBE3qA+uQrmoTcIgmB87oiy0hCW
        PThBoW3Ie/ifBlgmlVjWvu/Pl0dwpw/bbUL30+wbUEsDBBQAAAAIAMJdh10qMId8pAAAAN4AAAAYAAAAeGwvd29ya3NoZWV0cy9zaGVldDEueG1sTY7BCsIw
        DIZfpfTusnkQka5DEF9AfYDS1a24piMNzsc320E8JCRf8v+J6T5pUu9AJWZsdVPVWgX0uY84tPpxv+6OurNmyfQqYwisZB1Lq0fm+QRQ/BiSK1WeA8rkmSk5
        lpYGKDMF12+iNMG+rg+QXERtzcYujp01lBdFclaoX4tzoxW3OuIUMdyYhMdiDduFMg5qUxpga2DF4CXEQvKfJ/yetV9QSwMEFAAAAAgAwl2HXUk6m9oeAQAA
        JwIAABgAAAB4bC93b3Jrc2hlZXRzL3NoZWV0Mi54bWxtkVFvgjAUhf9K18cl0IJuUVNqmMQ/MJcsMT50WKSZbUnbqPv3u3QLAzPe7jnn3u+EsvVNn9FFOq+s
        KXCWUoykqe1RmVOB33bbZIHXnF2t+/StlAFB3PgCtyF0K0J83UotfGo7acBprNMiwOhOxHdOimNc0meSU/pMtFAGc/aQJEig2motTUBJwllMVSIIzpy9IgdF
        MPKd6EnZagY7dS+WoIYCe5gvnDJy4YzUv95m7GVT731bZZiAAMcHQj5czePOPIWO4y+fHnnJI+DjP3j14/ngwG14mT/CctMHF+l8iE7w84gfGo9hgzj7E+M4
        o0/LJaXZtBvElTkrI18jXnnOAvzk/aYqd+X+xr4OB4iCRHrrDnHfjoyeggyvzr8BUEsBAhQDFAAAAAgAwl2HXZV2Ue4UAQAAPgMAABMAAAAAAAAAAAAAAIAB
        AAAAAFtDb250ZW50X1R5cGVzXS54bWxQSwECFAMUAAAACADCXYddHEn3vqQAAAAWAQAACwAAAAAAAAAAAAAAgAFFAQAAX3JlbHMvLnJlbHNQSwECFAMUAAAA
        CADCXYdduilVtssAAABJAQAADwAAAAAAAAAAAAAAgAESAgAAeGwvd29ya2Jvb2sueG1sUEsBAhQDFAAAAAgAwl2HXaygZ7vKAAAANQIAABoAAAAAAAAAAAAA
        AIABCgMAAHhsL19yZWxzL3dvcmtib29rLnhtbC5yZWxzUEsBAhQDFAAAAAgAwl2HXR++LXgmAQAAlQEAABQAAAAAAAAAAAAAAIABDAQAAHhsL3NoYXJlZFN0
        cmluZ3MueG1sUEsBAhQDFAAAAAgAwl2HXSowh3ykAAAA3gAAABgAAAAAAAAAAAAAAIABZAUAAHhsL3dvcmtzaGVldHMvc2hlZXQxLnhtbFBLAQIUAxQAAAAI
        AMJdh11JOpvaHgEAACcCAAAYAAAAAAAAAAAAAACAAT4GAAB4bC93b3Jrc2hlZXRzL3NoZWV0Mi54bWxQSwUGAAAAAAcABwDNAQAAkgcAAAAA
        """
}
