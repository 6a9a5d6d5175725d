import Foundation
import Testing
@testable import WanggeCore

@Suite struct RiskImportTests {
    static let areas = ["330599001002": "330599/330599001/330599001002/", "330599001003": "330599/330599001/330599001003/"]

    static func area(_ cell: String) -> (code: String, path: String)? {
        areas[cell].map { (cell, $0) }
    }

    static func read(_ table: [[String]], catalogue: RiskCatalogue = .standard) -> RiskImportResult {
        RiskImport.read(table, catalogue: catalogue, area: area)
    }

    @Test func aGoodTableGivesRegistrationsWithTheirRowNumbers() throws {
        // Columns in another order, Chinese and English names, a blank row and a blank line before the header.
        let table = [
            [],
            ["Title", "类别", "描述", "Area_Code", "可能性（L）", "S", "E", "C", "等级", "纬度", "lon"],
            ["消防通道堵塞", "消防", "仓库门前\n堆放货物", "330599001002", "4", "5", "", "", "红色", "29.1", "119.65"],
            ["", "", "", "", "", "", "", "", "", "", ""],
            ["  脚手架  ", "work_safety", "外墙施工", "330599001003", "3", "", "6", "15", "", "", ""],
        ]
        let result = Self.read(table)
        #expect(result.problems == [])
        #expect(result.rows.map(\.row) == [3, 5])
        let fire = try #require(result.rows.first)
        #expect(fire.categoryCode == "fire" && fire.title == "消防通道堵塞" && fire.description == "仓库门前\n堆放货物")
        #expect(fire.areaPath == "330599/330599001/330599001002/" && fire.point == GeoPoint(lon: 119.65, lat: 29.1))
        #expect(fire.assessment == .matrix(likelihood: 4, severity: 5) && fire.level == 1)
        let works = result.rows[1]
        #expect(works.title == "脚手架" && works.assessment == .lec(likelihood: 3, exposure: 6, consequence: 15) && works.level == 2)
        let registration = works.registration(code: "FX-20261207-000001")
        #expect(registration.code == "FX-20261207-000001" && registration.areaCode == "330599001003" && registration.point == nil)
    }

    @Test func everyProblemIsReportedByRowAndNothingIsReturned() {
        let table = [
            ["类别", "标题", "描述", "区域代码", "可能性", "严重性", "等级", "备注", "纬度", "经度"],
            ["消防", "好的一行", "描述", "330599001002", "3", "3", "", "x", "", ""],        // 2: fine
            ["消防", "未知区域", "描述", "999", "3", "3", "", "", "", ""],                  // 3
            ["消防", "等级不符", "描述", "330599001002", "3", "3", "红", "", "", ""],        // 4: 9 is orange
            ["爆炸", "", "描述", "330599001002", "6", "3", "紫", "", "91", ""],             // 5
        ]
        let result = Self.read(table)
        #expect(result.rows.isEmpty)
        let byRow = Dictionary(grouping: result.problems, by: { $0.row ?? 0 })
        #expect(byRow[1] == [RiskImportProblem(row: 1, column: "备注", reason: byRow[1]?.first?.reason ?? "")])
        #expect(byRow[1]?.first?.reason.contains("is not a column") == true)
        #expect(byRow[2] == nil)
        #expect(byRow[3]?.map(\.column) == ["区域代码"])
        #expect(byRow[3]?.first?.reason == "999 is not an area of this county")
        #expect(byRow[4]?.map(\.description) == ["row 4, 等级: is 红 (level 1), but the assessment (L × S = 3 × 3 = 9) proposes 橙 (level 2)"])
        let five = Set(byRow[5]?.compactMap(\.column) ?? [])
        #expect(five == ["类别", "标题", "可能性", "等级", "经度"])
        #expect(byRow[5]?.first { $0.column == "类别" }?.reason.hasPrefix("爆炸 is not a risk category; one of 安全生产, 消防") == true)
        #expect(byRow[5]?.first { $0.column == "经度" }?.reason == "is required when 纬度 is given")
        #expect(byRow[5]?.first { $0.column == "等级" }?.reason == "紫 is not a level; one of 1 红, 2 橙, 3 蓝, 4 绿")
    }

    @Test func textsAndCoordinatesAreChecked() {
        let header = ["类别", "标题", "描述", "区域代码", "可能性", "严重性", "纬度", "经度"]
        let long = String(repeating: "长", count: RiskLimits.titleLength + 1)
        let result = Self.read([header,
                                ["fire", long, "d", "330599001002", "1", "1", "", ""],
                                ["fire", "two\nlines", "d", "330599001002", "1", "1", "30", ""],
                                ["fire", "t", "d", "330599001002", "1", "1", "nan", "200"]])
        #expect(result.problems.map(\.description) == [
            "row 2, 标题: is 101 characters; at most 100",
            "row 3, 标题: contains a line break, control or invisible characters",
            "row 3, 经度: is required when 纬度 is given",
            "row 4, 纬度: nan is not a latitude (-90 to 90)",
            "row 4, 经度: 200 is not a longitude (-180 to 180)",
        ])
    }

    @Test func methodsAreNotMixed() {
        let header = ["类别", "标题", "描述", "区域代码", "评估方法", "L", "S", "E", "C"]
        let result = Self.read([header,
                                ["fire", "a", "d", "330599001002", "", "3", "3", "6", ""],
                                ["fire", "b", "d", "330599001002", "LEC", "3", "", "6", "16"],
                                ["fire", "c", "d", "330599001002", "风险矩阵（L×S）", "2.5", "3", "", ""]])
        #expect(result.problems.map(\.description) == [
            "row 2, S: belongs to the matrix method; LEC takes likelihood, exposure and consequence",
            "row 2, C: is required for the LEC method (one of 1, 3, 7, 15, 40, 100)",
            "row 3, C: 16 is not one of 1, 3, 7, 15, 40, 100",
            "row 4, L: 2.5 is not a whole number from 1 to 5",
        ])
    }

    @Test func aMissingColumnIsReportedOnceNotOnEveryRow() {
        let result = Self.read([["类别", "标题", "区域代码", "可能性", "严重性", "纬度"], ["fire", "t", "330599001002", "1", "1", "30"]])
        #expect(result.problems.map(\.description) == [
            "row 1, 描述: the column is missing",
            "row 1, 经度: latitude and longitude come together; the column is missing",
        ])
    }

    @Test func emptyFilesAndTooManyRows() {
        #expect(Self.read([]).problems.map(\.reason) == ["the file is empty"])
        #expect(Self.read([RiskExport.header]).problems.map(\.reason) == ["the file has no risks under its header"])
        let row = ["fire", "t", "d", "330599001002", "1", "1"]
        let many = [["类别", "标题", "描述", "区域代码", "可能性", "严重性"]] + Array(repeating: row, count: RiskImport.maximumRows + 1)
        #expect(Self.read(many).problems.map(\.reason) == ["at most 5000 risks per file; this one has 5001"])
    }

    @Test func aValueWithoutAHeaderIsReported() {
        let result = Self.read([["类别", "标题", "描述", "区域代码", "可能性", "严重性"], ["fire", "t", "d", "330599001002", "1", "1", "", "stray"]])
        #expect(result.problems.map(\.description) == ["row 2, column H: has a value but no header"])
    }

    @Test func levelsAsPeopleWriteThem() {
        let c = RiskCatalogue.standard
        for text in ["1", "1级", "一级", "红", "红色", "红色风险", "Red", "level 1"] {
            #expect(RiskImport.RowReader.level(text, c) == 1, "\(text)")
        }
        #expect(RiskImport.RowReader.level("黄", c) == nil)
        #expect(RiskImport.RowReader.level("黄色", .workSafety) == 3)
        #expect(RiskImport.RowReader.level("5", c) == nil)
    }

    static let exported = [
        RiskExportRow(code: "FX-20261207-000001", categoryCode: "fire", title: "=HYPERLINK(\"x\")", description: "通道, \"堵塞\"\n两行",
                      areaCode: "330599001002", placeCode: "P-1", assessment: .matrix(likelihood: 4, severity: 4), level: 2,
                      state: .active, point: GeoPoint(lon: 119.65, lat: 29.1)),
        RiskExportRow(code: "FX-20261207-000002", categoryCode: "work_safety", title: "-脚手架", description: "外墙",
                      areaCode: "330599001003", assessment: .lec(likelihood: 0.5, exposure: 6, consequence: 100), level: 2),
    ]

    static func check(_ result: RiskImportResult) {
        #expect(result.problems == [])
        #expect(result.rows.map(\.row) == [2, 3])
        for (row, original) in zip(result.rows, exported) {
            #expect(row.title == original.title && row.description == original.description && row.categoryCode == original.categoryCode)
            #expect(row.areaCode == original.areaCode && row.placeCode == original.placeCode && row.point == original.point)
            #expect(row.assessment == original.assessment && row.level == original.level)
        }
    }

    @Test func anExportImportsAgainAsCSV() throws {
        let table = [RiskExport.header] + Self.exported.map { RiskExport.cells($0, catalogue: .standard) }
        #expect(table[1][1] == "消防" && table[1][12] == "橙" && table[2][6] == "LEC" && table[2][11] == "300")
        let csv = TableText.csv(rows: table)
        #expect(String(decoding: csv, as: UTF8.self).contains("'=HYPERLINK"))
        Self.check(Self.read(try TableText.rows(csv)))
    }

    @Test func anExportImportsAgainAsXLSX() throws {
        let table = [RiskExport.header] + Self.exported.map { RiskExport.cells($0, catalogue: .standard) }
        Self.check(Self.read(try XLSX.read(XLSX.write(rows: table, sheetName: "风险清单"))))
    }
}
