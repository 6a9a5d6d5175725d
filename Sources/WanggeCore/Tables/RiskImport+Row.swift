import Foundation

extension RiskImport {
    /// Reads one data row, collecting every problem of it rather than stopping at the first.
    struct RowReader {
        let row: Int
        let cells: [String]
        let header: Header
        let catalogue: RiskCatalogue
        var problems: [RiskImportProblem] = []

        init(row: Int, cells: [String], header: Header, catalogue: RiskCatalogue) {
            self.row = row
            self.cells = cells
            self.header = header
            self.catalogue = catalogue
        }

        /// The cell trimmed, without the apostrophe our CSV export puts before a formula's first character.
        func cell(_ c: RiskTableColumn) -> String {
            guard let j = header.columns[c], j < cells.count else { return "" }
            return TableText.unneutralised(cells[j].trimmingCharacters(in: .whitespacesAndNewlines))
        }

        /// The column as the file names it.
        func name(_ c: RiskTableColumn) -> String { header.columns[c].map { header.names[$0] } ?? c.header }

        mutating func problem(_ c: RiskTableColumn, _ reason: String) {
            problems.append(RiskImportProblem(row: row, column: name(c), reason: reason))
        }

        mutating func read(area: (String) -> (code: String, path: String)?) -> RiskImportRow? {
            let category = categoryCode()
            let title = text(.title, max: RiskLimits.titleLength, multiline: false)
            let description = text(.description, max: RiskLimits.textLength, multiline: true)
            let place = cell(.place)
            if !place.isEmpty, !RiskLimits.isCode(place) { problem(.place, "\(place) is not a place code (letters, digits, _ or -)") }
            let areaCell = cell(.area)
            let found = areaCell.isEmpty ? nil : area(areaCell)
            if areaCell.isEmpty { problem(.area, "is required") } else if found == nil { problem(.area, "\(areaCell) is not an area of this county") }
            let point = self.point()
            let assessment = self.assessment()
            let given = givenLevel()
            let level = assessment.flatMap { self.level(for: $0, given: given) }
            guard problems.isEmpty, let category, let title, let description, let found, let assessment, let level else { return nil }
            return RiskImportRow(row: row, categoryCode: category, title: title, description: description, areaCode: found.code,
                                 areaPath: found.path, point: point, placeCode: place.isEmpty ? nil : place,
                                 assessment: assessment, level: level)
        }

        mutating func text(_ c: RiskTableColumn, max: Int, multiline: Bool) -> String? {
            let t = cell(c)
            if t.isEmpty { problem(c, "is required"); return nil }
            if t.count > max { problem(c, "is \(t.count) characters; at most \(max)"); return nil }
            if !TextInput.isClean(t, multiline: multiline) {
                problem(c, multiline ? "contains control or invisible characters" : "contains a line break, control or invisible characters")
                return nil
            }
            return t
        }

        mutating func categoryCode() -> String? {
            let t = cell(.category)
            if t.isEmpty { problem(.category, "is required"); return nil }
            let k = RiskTableColumn.key(t)
            if let c = catalogue.categories.first(where: { $0.code == t || RiskTableColumn.key($0.name) == k || RiskTableColumn.key($0.nameEN) == k }) {
                return c.code
            }
            problem(.category, "\(t) is not a risk category; one of " + catalogue.categories.map(\.name).joined(separator: ", "))
            return nil
        }

        mutating func point() -> GeoPoint? {
            let lat = cell(.lat), lon = cell(.lon)
            if lat.isEmpty, lon.isEmpty { return nil }
            if lat.isEmpty { problem(.lat, "is required when \(name(.lon)) is given"); return nil }
            if lon.isEmpty { problem(.lon, "is required when \(name(.lat)) is given"); return nil }
            let la = Double(lat), lo = Double(lon)
            if !(la.map { $0.isFinite && (-90...90).contains($0) } ?? false) { problem(.lat, "\(lat) is not a latitude (-90 to 90)") }
            if !(lo.map { $0.isFinite && (-180...180).contains($0) } ?? false) { problem(.lon, "\(lon) is not a longitude (-180 to 180)") }
            guard let la, let lo, la.isFinite, lo.isFinite, (-90...90).contains(la), (-180...180).contains(lo) else { return nil }
            return GeoPoint(lon: lo, lat: la)
        }

        /// L × S or LEC, by the method column or, without it, by which numbers are given.
        mutating func assessment() -> RiskAssessment? {
            let l = cell(.likelihood), s = cell(.severity), e = cell(.exposure), c = cell(.consequence), m = cell(.method)
            var method: RiskAssessmentMethod = e.isEmpty && c.isEmpty ? .matrix : .lec
            if !m.isEmpty {
                guard let given = Self.method(m) else { problem(.method, "\(m) is not a method; 风险矩阵 (matrix, L×S) or LEC"); return nil }
                method = given
            }
            let before = problems.count
            switch method {
            case .matrix:
                if !e.isEmpty { problem(.exposure, "belongs to LEC; the matrix method takes likelihood and severity") }
                if !c.isEmpty { problem(.consequence, "belongs to LEC; the matrix method takes likelihood and severity") }
                let li = whole(.likelihood, l), se = whole(.severity, s)
                guard let li, let se, problems.count == before else { return nil }
                return .matrix(likelihood: li, severity: se)
            case .lec:
                if !s.isEmpty { problem(.severity, "belongs to the matrix method; LEC takes likelihood, exposure and consequence") }
                let li = value(.likelihood, l, LECScale.likelihoods), ex = value(.exposure, e, LECScale.exposures)
                let co = value(.consequence, c, LECScale.consequences)
                guard let li, let ex, let co, problems.count == before else { return nil }
                return .lec(likelihood: li, exposure: ex, consequence: co)
            }
        }

        static func method(_ text: String) -> RiskAssessmentMethod? {
            let k = RiskTableColumn.key(text)
            if ["matrix", "ls", "l×s", "lxs", "l*s", "风险矩阵", "矩阵", RiskTableColumn.key(RiskAssessmentMethod.matrix.nameZH)].contains(k) { return .matrix }
            if ["lec", "作业条件危险性", "作业条件危险性评价法", RiskTableColumn.key(RiskAssessmentMethod.lec.nameZH)].contains(k) { return .lec }
            return nil
        }

        mutating func whole(_ c: RiskTableColumn, _ t: String) -> Int? {
            if t.isEmpty { problem(c, "is required for the matrix method (1 to 5)"); return nil }
            guard let d = Double(t), d == d.rounded(), (1...5).contains(d) else { problem(c, "\(t) is not a whole number from 1 to 5"); return nil }
            return Int(d)
        }

        mutating func value(_ c: RiskTableColumn, _ t: String, _ allowed: [Double]) -> Double? {
            let list = allowed.map(RiskBand.text).joined(separator: ", ")
            if t.isEmpty { problem(c, "is required for the LEC method (one of \(list))"); return nil }
            guard let d = Double(t), allowed.contains(d) else { problem(c, "\(t) is not one of \(list)"); return nil }
            return d
        }

        /// The level the file gives, if any: `.some(nil)` when it gives one that is no level.
        mutating func givenLevel() -> Int?? {
            let t = cell(.level)
            guard !t.isEmpty else { return .none }
            guard let given = Self.level(t, catalogue) else {
                let names = catalogue.levels.map { "\($0.number) \($0.name)" }.joined(separator: ", ")
                problem(.level, "\(t) is not a level; one of \(names)")
                return .some(nil)
            }
            return given
        }

        /// The level the assessment proposes; a level given in the file must be the same.
        mutating func level(for assessment: RiskAssessment, given: Int??) -> Int? {
            guard let proposed = catalogue.proposedLevel(for: assessment) else {
                problem(.likelihood, "the score \(RiskBand.text(assessment.score)) falls in no band of the catalogue")
                return nil
            }
            guard case let .some(given) = given else { return proposed }
            guard let given else { return nil }
            guard given == proposed else {
                problem(.level, "is \(levelText(given)), but the assessment (\(Self.formula(assessment))) proposes \(levelText(proposed))")
                return nil
            }
            return proposed
        }

        func levelText(_ n: Int) -> String { catalogue.level(n).map { "\($0.name) (level \(n))" } ?? "level \(n)" }

        /// "L × S = 3 × 3 = 9", "D = L × E × C = 3 × 6 × 15 = 270".
        static func formula(_ a: RiskAssessment) -> String {
            switch a {
            case let .matrix(l, s): "L × S = \(l) × \(s) = \(RiskBand.text(a.score))"
            case let .lec(l, e, c): "D = L × E × C = \([l, e, c].map(RiskBand.text).joined(separator: " × ")) = \(RiskBand.text(a.score))"
            }
        }

        /// A level as people write it: 1–4, "1级", "一级", or a catalogue name ("红", "红色", "红色风险", "Red").
        static func level(_ text: String, _ catalogue: RiskCatalogue) -> Int? {
            func stripped(_ s: String) -> String {
                var k = RiskTableColumn.key(s)
                if k.hasPrefix("level") { k.removeFirst(5) }
                for suffix in ["风险", "级", "色"] where k.hasSuffix(suffix) && k.count > suffix.count { k.removeLast(suffix.count) }
                return k
            }
            let k = stripped(text)
            if let n = Int(k) { return catalogue.level(n) == nil ? nil : n }
            if let i = ["一", "二", "三", "四"].firstIndex(of: k), catalogue.level(i + 1) != nil { return i + 1 }
            return catalogue.levels.first { stripped($0.name) == k || stripped($0.nameEN) == k }?.number
        }
    }
}
