import Foundation

/// One bad field of a formula: where it is (as in the formula's JSON, `groups[0].indicators[2].weight`) and why.
public struct SafetyIndexFormulaProblem: Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var reason: String
    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }
    public var description: String { "\(field): \(reason)" }
}

/// A formula that cannot be used, with every problem named (the API answers 400 with the list).
public struct SafetyIndexFormulaError: Error, Hashable, CustomStringConvertible {
    public var problems: [SafetyIndexFormulaProblem]
    public var description: String { "safety index formula: " + problems.map(\.description).joined(separator: "; ") }
}

/// The sizes a formula must stay within, so that nothing in it can make a computation trap or run long.
public enum SafetyIndexFormulaLimits {
    public static let maximumVersion = 1_000_000
    public static let maximumGroups = 20
    public static let maximumIndicators = 100
    public static let maximumCategoriesPerIndicator = 500
    public static let maximumDeductions = 50
    public static let maximumCodeLength = 64
    public static let maximumNameLength = 100
    public static let maximumWeight = 1_000.0
    public static let maximumPriorEvents = 1_000.0
    public static let maximumPriorCases = 1_000_000
}

extension SafetyIndexFormula {
    /// Every problem of the formula, by field; empty when it can be used. With `knownCategories` (the minor codes of
    /// the county's `categories.json`), an incidence indicator naming any other category is a problem too.
    public func validate(knownCategories: Set<String>? = nil) -> [SafetyIndexFormulaProblem] {
        typealias L = SafetyIndexFormulaLimits
        var problems: [SafetyIndexFormulaProblem] = []
        func bad(_ field: String, _ reason: String) { problems.append(SafetyIndexFormulaProblem(field, reason)) }
        func checkCode(_ field: String, _ code: String) {
            if code.trimmingCharacters(in: .whitespaces).isEmpty || code.count > L.maximumCodeLength {
                bad(field, "must be 1 to \(L.maximumCodeLength) characters, not blank")
            }
        }
        func checkNames(_ field: String, _ name: String, _ nameEN: String) {
            for (suffix, text) in [("name", name), ("nameEN", nameEN)]
            where text.trimmingCharacters(in: .whitespaces).isEmpty || text.count > L.maximumNameLength {
                bad("\(field).\(suffix)", "must be 1 to \(L.maximumNameLength) characters, not blank")
            }
        }
        func duplicates(_ what: String, _ codes: [(field: String, code: String)]) {
            var seen: [String: String] = [:]
            for (field, code) in codes {
                if let first = seen[code] { bad(field, "\(what) code \(code) is used already at \(first)") } else { seen[code] = field }
            }
        }

        if !(1...L.maximumVersion).contains(version) { bad("version", "must be 1 to \(L.maximumVersion)") }
        if groups.isEmpty { bad("groups", "there must be at least one group") }
        if groups.count > L.maximumGroups { bad("groups", "at most \(L.maximumGroups) groups") }
        if indicators.count > L.maximumIndicators { bad("groups", "at most \(L.maximumIndicators) indicators in all") }

        var indicatorCodes: [(field: String, code: String)] = []
        var countedCategories: [(field: String, code: String)] = []
        for (g, group) in groups.enumerated() {
            let gf = "groups[\(g)]"
            checkCode("\(gf).code", group.code)
            checkNames(gf, group.name, group.nameEN)
            if group.indicators.isEmpty { bad("\(gf).indicators", "group \(group.code) has no indicator") }
            for (i, indicator) in group.indicators.enumerated() {
                let f = "\(gf).indicators[\(i)]"
                checkCode("\(f).code", indicator.code)
                checkNames(f, indicator.name, indicator.nameEN)
                indicatorCodes.append(("\(f).code", indicator.code))
                if !indicator.weight.isFinite || indicator.weight < 0 || indicator.weight > L.maximumWeight {
                    bad("\(f).weight", "must be a number from 0 to \(Int(L.maximumWeight)), not \(indicator.weight)")
                }
                if !indicator.kind.isKnown {
                    bad("\(f).kind", "unknown kind \(indicator.kind.rawValue); known: " + SafetyIndicatorKind.known.map(\.rawValue).joined(separator: ", "))
                    continue
                }
                if indicator.kind.isPerResidents && indicator.direction != .lowerIsBetter {
                    bad("\(f).direction", "a count per 10,000 residents has no best value: it must be lower_is_better")
                }
                if indicator.kind == .incidence {
                    if indicator.categoryCodes.isEmpty { bad("\(f).categoryCodes", "an incidence indicator counts at least one category") }
                    if indicator.categoryCodes.count > L.maximumCategoriesPerIndicator {
                        bad("\(f).categoryCodes", "at most \(L.maximumCategoriesPerIndicator) categories")
                    }
                    for (c, code) in indicator.categoryCodes.enumerated() {
                        countedCategories.append(("\(f).categoryCodes[\(c)]", code))
                        if let known = knownCategories, !known.contains(code) { bad("\(f).categoryCodes[\(c)]", "no category has the code \(code)") }
                    }
                } else if !indicator.categoryCodes.isEmpty {
                    bad("\(f).categoryCodes", "only an incidence indicator counts categories; \(indicator.kind.rawValue) does not")
                }
            }
        }
        duplicates("indicator", indicatorCodes)
        duplicates("group", groups.enumerated().map { ("groups[\($0.offset)].code", $0.element.code) })
        // A category in two indicators would count its cases twice.
        duplicates("category", countedCategories)
        let weights = indicators.map(\.weight).filter { $0.isFinite && $0 > 0 }
        if !indicators.isEmpty && weights.isEmpty { bad("groups", "all weights are zero: at least one indicator must weigh something") }

        if deductions.count > L.maximumDeductions { bad("deductions", "at most \(L.maximumDeductions) kinds of grave event") }
        for (d, rule) in deductions.enumerated() {
            let f = "deductions[\(d)]"
            checkCode("\(f).code", rule.code)
            checkNames(f, rule.name, rule.nameEN)
            if !rule.pointsPerEvent.isFinite || !(0...100).contains(rule.pointsPerEvent) { bad("\(f).pointsPerEvent", "must be 0 to 100 points") }
            if !rule.maximumPoints.isFinite || !(0...100).contains(rule.maximumPoints) { bad("\(f).maximumPoints", "must be 0 to 100 points") }
        }
        duplicates("deduction", deductions.enumerated().map { ("deductions[\($0.offset)].code", $0.element.code) })

        for (name, value) in [("green", bands.green), ("blue", bands.blue), ("orange", bands.orange)]
        where !value.isFinite || !(0...100).contains(value) {
            bad("bands.\(name)", "must be a score from 0 to 100, not \(value)")
        }
        if bands.blue >= bands.green { bad("bands.blue", "must be below bands.green (\(bands.green)), not \(bands.blue): the bands overlap") }
        if bands.orange >= bands.blue { bad("bands.orange", "must be below bands.blue (\(bands.blue)), not \(bands.orange): the bands overlap") }

        let n = normalisation
        if !n.atBaseline.isFinite || !(n.atBaseline > 0 && n.atBaseline <= 100) { bad("normalisation.atBaseline", "must be above 0 and at most 100") }
        if !n.zeroAtRatio.isFinite || !(n.zeroAtRatio > 1 && n.zeroAtRatio <= 100) { bad("normalisation.zeroAtRatio", "must be above 1 and at most 100") }
        if !n.perResidentsFloor.isFinite || !(n.perResidentsFloor > 0 && n.perResidentsFloor <= 10_000) {
            bad("normalisation.perResidentsFloor", "must be above 0 and at most 10000")
        }
        if !n.rateFloor.isFinite || !(n.rateFloor > 0 && n.rateFloor <= 1) { bad("normalisation.rateFloor", "must be above 0 and at most 1") }
        if !smallAreas.priorEvents.isFinite || !(0...L.maximumPriorEvents).contains(smallAreas.priorEvents) {
            bad("smallAreas.priorEvents", "must be 0 to \(Int(L.maximumPriorEvents))")
        }
        if !(0...L.maximumPriorCases).contains(smallAreas.priorCases) { bad("smallAreas.priorCases", "must be 0 to \(L.maximumPriorCases)") }
        return problems
    }

    /// The formula itself when `validate` finds nothing; otherwise every problem, thrown.
    public func validated(knownCategories: Set<String>? = nil) throws -> SafetyIndexFormula {
        let problems = validate(knownCategories: knownCategories)
        guard problems.isEmpty else { throw SafetyIndexFormulaError(problems: problems) }
        return self
    }
}
