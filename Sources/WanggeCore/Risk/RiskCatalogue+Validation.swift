import Foundation

/// One thing wrong with a risk catalogue or heightened period: the field as `risk.json` and the API name it
/// (`levels[2].colour`, `matrix_bands[1].from`), and why.
public struct RiskCatalogueProblem: Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field) \(reason)" }
}

extension RiskCatalogue {
    public static let maximumCategories = 200

    /// Everything wrong with the catalogue, each problem naming its field; empty when it can be used.
    public var problems: [RiskCatalogueProblem] {
        var out: [RiskCatalogueProblem] = []
        func name(_ text: String, _ field: String) {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.count > RiskLimits.nameLength || !TextInput.isClean(t) {
                out.append(.init(field, "must be 1 to \(RiskLimits.nameLength) characters of plain text"))
            }
        }
        if categories.isEmpty { out.append(.init("categories", "must name at least one category")) }
        if categories.count > Self.maximumCategories { out.append(.init("categories", "must name at most \(Self.maximumCategories) categories")) }
        for (i, c) in categories.enumerated() {
            if !RiskLimits.isCode(c.code) { out.append(.init("categories[\(i)].code", "must be 1 to 64 letters, digits, '_' or '-'")) }
            if categories[..<i].contains(where: { $0.code == c.code }) { out.append(.init("categories[\(i)].code", "repeats \(c.code)")) }
            name(c.name, "categories[\(i)].name")
            name(c.nameEN, "categories[\(i)].name_en")
        }

        for (i, l) in levels.enumerated() {
            let f = "levels[\(i)]"
            if !RiskLevel.numbers.contains(l.number) { out.append(.init("\(f).level", "must be 1 to 4")) }
            if levels[..<i].contains(where: { $0.number == l.number }) { out.append(.init("\(f).level", "repeats level \(l.number)")) }
            name(l.name, "\(f).name")
            name(l.nameEN, "\(f).name_en")
            if !Self.isColour(l.colour) { out.append(.init("\(f).colour", "must be a colour like #D93025")) }
            if RiskReviewInterval(l.reviewEvery.text) != l.reviewEvery { out.append(.init("\(f).review_every", "must be 1h to a year")) }
            if let h = l.heightenedEvery {
                if RiskReviewInterval(h.text) != h { out.append(.init("\(f).heightened_every", "must be 1h to a year")) }
                if h.nominalSeconds > l.reviewEvery.nominalSeconds { out.append(.init("\(f).heightened_every", "must not be longer than review_every (\(l.reviewEvery))")) }
            }
            // A more severe level is never reviewed less often than a milder one.
            if let milder = level(l.number + 1), l.reviewEvery.nominalSeconds > milder.reviewEvery.nominalSeconds {
                out.append(.init("\(f).review_every", "must not be longer than level \(milder.number)'s (\(milder.reviewEvery))"))
            }
        }
        if Set(levels.map(\.number)) != Set(RiskLevel.numbers) { out.append(.init("levels", "must define each level 1 to 4 once")) }

        for method in RiskAssessmentMethod.allCases { out += Self.problems(of: bands(for: method), method: method) }
        return out
    }

    /// A method's bands: each within the method's scores and the right way round, one per level, more severe levels
    /// higher, and every score the method can give in exactly one band (an overlap or a gap names the band to move).
    static func problems(of bands: [RiskBand], method: RiskAssessmentMethod) -> [RiskCatalogueProblem] {
        let field = method.bandsField
        let range = method.scoreRange
        let rangeText = "\(RiskBand.text(range.lowerBound)) to \(RiskBand.text(range.upperBound))"
        var out: [RiskCatalogueProblem] = []
        for (i, b) in bands.enumerated() {
            if !RiskLevel.numbers.contains(b.level) { out.append(.init("\(field)[\(i)].level", "must be 1 to 4")) }
            if bands[..<i].contains(where: { $0.level == b.level }) { out.append(.init("\(field)[\(i)].level", "repeats level \(b.level)")) }
            if !(b.from.isFinite && range.contains(b.from)) { out.append(.init("\(field)[\(i)].from", "must be a score from \(rangeText)")) }
            if !(b.to.isFinite && range.contains(b.to)) { out.append(.init("\(field)[\(i)].to", "must be a score from \(rangeText)")) }
            if b.to < b.from { out.append(.init("\(field)[\(i)].to", "must not be below from")) }
        }
        guard out.isEmpty else { return out }
        guard Set(bands.map(\.level)) == Set(RiskLevel.numbers) else { return [.init(field, "must have one band for each level 1 to 4")] }

        for (i, b) in bands.enumerated() {
            if let milder = bands.first(where: { $0.level == b.level + 1 }), b.from <= milder.to {
                out.append(.init("\(field)[\(i)].from", "must be above level \(milder.level)'s band (a more severe level takes higher scores)"))
            }
        }
        let scores = method.attainableScores
        // Overlaps: a score two bands take; the band that starts higher is named.
        for (i, a) in bands.enumerated() {
            for (j, b) in bands.enumerated() where i < j {
                guard let score = scores.first(where: { a.contains($0) && b.contains($0) }) else { continue }
                let (upper, other) = a.from >= b.from ? (i, j) : (j, i)
                if out.contains(where: { $0.field == "\(field)[\(upper)].from" }) { continue }
                out.append(.init("\(field)[\(upper)].from", "overlaps \(field)[\(other)] at score \(RiskBand.text(score))"))
            }
        }
        // Gaps: runs of scores no band takes; the band just above the run is named (or, above them all, the top one).
        var k = 0
        while k < scores.count {
            guard !bands.contains(where: { $0.contains(scores[k]) }) else { k += 1; continue }
            var end = k
            while end + 1 < scores.count && !bands.contains(where: { $0.contains(scores[end + 1]) }) { end += 1 }
            let low = scores[k], high = scores[end]
            let above = bands.indices.filter { bands[$0].from > high }.min { bands[$0].from < bands[$1].from }
            let below = bands.indices.filter { bands[$0].to < low }.max { bands[$0].to < bands[$1].to }
            let named = above.map { "\(field)[\($0)].from" } ?? below.map { "\(field)[\($0)].to" } ?? field
            let what = low == high ? "score \(RiskBand.text(low))" : "scores \(RiskBand.text(low)) to \(RiskBand.text(high))"
            out.append(.init(named, "leaves \(what) in no band"))
            k = end + 1
        }
        return out
    }

    static func isColour(_ s: String) -> Bool {
        s.count == 7 && s.first == "#" && s.dropFirst().allSatisfy { $0.isASCII && $0.isHexDigit }
    }

    /// The file a county keeps its own catalogue in (`risk.json` in the data directory), in this type's JSON:
    /// `{"categories": [{"code", "name", "name_en"}], "levels": [{"level", "name", "name_en", "colour",
    /// "review_every", "heightened_every"}], "matrix_bands": [{"level", "from", "to"}], "lec_bands": [...]}`.
    /// Every problem is named; nothing is taken from a file with one.
    public static func decode(from data: Data) throws -> RiskCatalogue {
        let catalogue: RiskCatalogue
        do { catalogue = try JSONDecoder().decode(RiskCatalogue.self, from: data) } catch {
            throw CatalogueProblem("risk.json is not the catalogue's JSON (categories, levels, matrix_bands, lec_bands): \(error)")
        }
        let problems = catalogue.problems
        guard problems.isEmpty else { throw CatalogueProblem("risk.json: " + problems.map(\.description).joined(separator: "; ")) }
        return catalogue
    }
}
