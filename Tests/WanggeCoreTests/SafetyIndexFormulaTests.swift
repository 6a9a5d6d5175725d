import Foundation
import Testing

@testable import WanggeCore

/// The formula is data a county edits: every bad field is named (the formula page shows it next to the field), and
/// what the API sends back is what it takes.
@Suite("Safety index formula")
struct SafetyIndexFormulaTests {
    static func fields(_ f: SafetyIndexFormula, known: Set<String>? = nil) -> Set<String> { Set(f.validate(knownCategories: known).map(\.field)) }

    @Test func theStandardFormulaIsValidAgainstTheBundledCategories() throws {
        // setup
        let catalogue = try CoreResources.defaultCatalogue()
        let minors = Set(catalogue.categories.filter { !$0.isMajor }.map(\.code))
        // MUT
        let problems = SafetyIndexFormula.standard.validate(knownCategories: minors)
        // validate
        #expect(problems == [])
        #expect(SafetyIndexFormula.standard.indicators.reduce(0) { $0 + $1.weight } == 100)
        // The check against the catalogue does bite: a code the catalogue lacks is named.
        var f = SafetyIndexFormula.standard
        f.groups[0].indicators[0].categoryCodes.append("1699")
        #expect(Self.fields(f, known: minors) == ["groups[0].indicators[0].categoryCodes[5]"])
    }

    @Test func aFormulaSurvivesTheRoundTripThroughJSON() throws {
        // setup
        var f = SafetyIndexFormula.standard
        f.version = 7
        f.groups[4].indicators[2].weight = 12.5
        // MUT
        let back = try JSONDecoder().decode(SafetyIndexFormula.self, from: JSONEncoder().encode(f))
        // validate
        #expect(back == f)
        #expect(back != .standard)
    }

    /// Each edit breaks exactly the field named, and nothing else.
    @Test(arguments: [
        ("negative weight", "groups[1].indicators[0].weight"),
        ("infinite weight", "groups[1].indicators[0].weight"),
        ("all weights zero", "groups"),
        ("blue above green", "bands.blue"),
        ("orange equal to blue", "bands.orange"),
        ("green above 100", "bands.green"),
        ("duplicate indicator code", "groups[2].indicators[0].code"),
        ("duplicate group code", "groups[1].code"),
        ("duplicate deduction code", "deductions[1].code"),
        ("a category counted twice", "groups[2].indicators[0].categoryCodes[0]"),
        ("incidence without categories", "groups[0].indicators[0].categoryCodes"),
        ("a rate with categories", "groups[4].indicators[0].categoryCodes"),
        ("incidence higher is better", "groups[0].indicators[0].direction"),
        ("version zero", "version"),
        ("blank name", "groups[3].indicators[1].nameEN"),
        ("code too long", "groups[0].indicators[0].code"),
        ("too many categories", "groups[0].indicators[0].categoryCodes"),
        ("deduction of 500 points", "deductions[0].pointsPerEvent"),
        ("zero at ratio 1", "normalisation.zeroAtRatio"),
        ("negative prior", "smallAreas.priorEvents"),
        ("empty group", "groups[3].indicators"),
    ])
    func eachBadFieldIsNamed(_ edit: String, _ field: String) {
        // setup
        var f = SafetyIndexFormula.standard
        switch edit {
        case "negative weight": f.groups[1].indicators[0].weight = -1
        case "infinite weight": f.groups[1].indicators[0].weight = .infinity
        case "all weights zero": for g in f.groups.indices { for i in f.groups[g].indicators.indices { f.groups[g].indicators[i].weight = 0 } }
        case "blue above green": f.bands.blue = 95
        case "orange equal to blue": f.bands.orange = 80
        case "green above 100": f.bands.green = 101
        case "duplicate indicator code": f.groups[2].indicators[0].code = "fire"
        case "duplicate group code": f.groups[1].code = "public_order"
        case "duplicate deduction code": f.deductions[1].code = "death"
        case "a category counted twice": f.groups[2].indicators[0].categoryCodes[0] = "0201"
        case "incidence without categories": f.groups[0].indicators[0].categoryCodes = []
        case "a rate with categories": f.groups[4].indicators[0].categoryCodes = ["0101"]
        case "incidence higher is better": f.groups[0].indicators[0].direction = .higherIsBetter
        case "version zero": f.version = 0
        case "blank name": f.groups[3].indicators[1].nameEN = "  "
        case "code too long": f.groups[0].indicators[0].code = String(repeating: "x", count: 65)
        case "too many categories": f.groups[0].indicators[0].categoryCodes = (0..<501).map { "X\($0)" }
        case "deduction of 500 points": f.deductions[0].pointsPerEvent = 500
        case "zero at ratio 1": f.normalisation.zeroAtRatio = 1
        case "negative prior": f.smallAreas.priorEvents = -5
        case "empty group": f.groups[3].indicators = []
        default: Issue.record("no such edit \(edit)")
        }
        // MUT
        let named = Self.fields(f)
        // validate
        #expect(named == [field], "\(edit)")
    }

    @Test func anUnknownKindDecodesAndIsNamedByValidation() throws {
        // setup: the JSON of the standard formula with one kind a county mistyped.
        let json = try #require(String(data: JSONEncoder().encode(SafetyIndexFormula.standard), encoding: .utf8))
        let edited = json.replacingOccurrences(of: "\"kind\":\"mediation_success\"", with: "\"kind\":\"burglary\"")
        #expect(edited != json)
        // MUT
        let f = try JSONDecoder().decode(SafetyIndexFormula.self, from: Data(edited.utf8))
        // validate
        #expect(f.validate().map(\.field) == ["groups[4].indicators[3].kind"])
        #expect(f.validate()[0].reason.contains("burglary"))
        #expect(throws: SafetyIndexFormulaError.self) { try f.validated() }
    }

    @Test func severalProblemsAreAllNamedAtOnce() {
        // setup
        var f = SafetyIndexFormula.standard
        f.groups[0].indicators[0].weight = -3
        f.bands = SafetyBandThresholds(green: 70, blue: 80, orange: 90)
        f.deductions[2].code = "death"
        // MUT
        let named = Self.fields(f)
        // validate
        #expect(named == ["groups[0].indicators[0].weight", "bands.blue", "bands.orange", "deductions[2].code"])
        #expect(throws: SafetyIndexError.invalidFormula(f.validate())) {
            try SafetyIndex.compute(SafetyIndexInput(area: "C", month: SafetyIndexMonth("2026-11")!, observed: .init(residents: 10),
                                                     baselines: [:], parent: nil), formula: f)
        }
    }

    @Test func bandsAreReadFromTheShownScore() {
        let b = SafetyBandThresholds.standard
        #expect([100, 90, 89.99, 80, 79.99, 70, 69.99, 0].map(b.band(for:)) == [.green, .green, .blue, .blue, .orange, .orange, .red, .red])
    }

    @Test func monthsParseCountAndStayInRange() throws {
        let m = try #require(SafetyIndexMonth("2026-01"))
        #expect(m.adding(months: -1).description == "2025-12")
        #expect(m.adding(months: 23).description == "2027-12")
        #expect(SafetyIndexMonth("2026-13") == nil && SafetyIndexMonth("2026-1") == nil && SafetyIndexMonth("26-01-01") == nil)
        #expect(m.adding(months: .max).description == "9999-12" && m.adding(months: .min).description == "0001-01")
        #expect(SafetyIndexBaselineChoice.ownPrevious12Months.months(before: m).map(\.description).first == "2025-01")
        #expect(SafetyIndexBaselineChoice.ownThreeYearAverage.months(before: m).count == 36)
        #expect(!SafetyIndexBaselineChoice.ownThreeYearAverage.months(before: m).contains(m))
    }
}
