import Foundation
import Testing

@testable import WanggeCore

/// Assessment (考核, issue 20's core): outcome rates only, weighted into 0–100, graded A/B/C/D; equal to a hand
/// computation, contributions adding up to the score, a thin part left unscored with its weight shared out, and a
/// bad formula refused field by field.
@Suite("Assessment")
struct AssessmentTests {
    @Test func aClosedCaseCameBackWhenTheSameProblemWasReportedNearbyWithinThirtyDays() {
        let t = Date(timeIntervalSince1970: 1_800_000_000), day = 86_400.0
        let p = GeoPoint(lon: 120.25, lat: 30.1)
        let near = GeoPoint(lon: 120.2505, lat: 30.1005)   // about 70 m away
        let far = GeoPoint(lon: 120.26, lat: 30.1)          // about 960 m away
        let (a, b, c, d) = (UUID(), UUID(), UUID(), UUID())
        let closed = [
            Recurrence.Closed(id: a, gridCode: "G1", categoryCode: "0101", point: p, closedAt: t),
            Recurrence.Closed(id: b, gridCode: "G1", categoryCode: "0102", point: p, closedAt: t),
            Recurrence.Closed(id: c, gridCode: "G2", categoryCode: "0101", point: far, closedAt: t),
            Recurrence.Closed(id: d, gridCode: "G2", categoryCode: "0101", point: nil, closedAt: t),
        ]
        let later = [
            Recurrence.Later(id: UUID(), categoryCode: "0101", point: near, reportedAt: t + 10 * day),   // a came back
            Recurrence.Later(id: UUID(), categoryCode: "0102", point: near, reportedAt: t + 31 * day),   // too late for b
            Recurrence.Later(id: UUID(), categoryCode: "0102", point: near, reportedAt: t - day),        // before b closed
            Recurrence.Later(id: UUID(), categoryCode: "0103", point: p, reportedAt: t + day),           // another problem
        ]
        let m = Recurrence.byGrid(closed: closed, later: later, asOf: t + 40 * day)
        #expect(m["G1"] == Measure(numerator: 1, denominator: 2))
        #expect(m["G2"] == Measure(numerator: 0, denominator: 2), "far away, and without a point")
        #expect(Recurrence.byGrid(closed: closed, later: later, asOf: t + 5 * day)["G1"] == Measure(numerator: 0, denominator: 2),
                "not yet known on day 5")
    }

    func m(_ n: Int, _ d: Int) -> Measure { Measure(numerator: n, denominator: d) }

    @Test func aGridsMonthEqualsTheHandComputationAndItsPartsAddUp() throws {
        let values: [AssessmentMeasure: Measure] = [
            .onTimeClosure: m(45, 50), .effectiveCompletion: m(49, 50), .satisfaction: m(38, 40), .rework: m(2, 50),
            .recurrence: m(1, 40), .inspectionsRectified: m(3, 4), .visitCoverage: m(121, 150),
        ]
        let r = try Assessment.compute(subject: "G1", month: "2026-11", values: values, formula: .standard)
        // 30·90 + 20·98 + 25·95 + 10·96 + 5·97.5 + 5·75 + 5·(121/150·100) = 9,260.83… → 92.61 (rounded to hundredths).
        let weighted: [(Double, Double)] = [(30, 90), (20, 98), (25, 95), (10, 96), (5, 97.5), (5, 75), (5, 121.0 / 150 * 100)]
        let hand = weighted.reduce(0.0) { $0 + $1.0 * $1.1 } / 100
        #expect(abs(r.score - hand) < 0.006)
        #expect(r.scoreHundredths == 9261)
        #expect(r.grade == .a)
        #expect(r.parts.map(\.contributionHundredths).reduce(0, +) == r.scoreHundredths)
        #expect(r.parts.first { $0.measure == .rework }?.points == 96, "rework: lower is better")
    }

    @Test func aThinPartIsNotScoredAndItsWeightGoesToTheOthers() throws {
        // One case, and it was late: on-time closure has too little behind it (minimum 3) and is left out.
        let values: [AssessmentMeasure: Measure] = [.onTimeClosure: m(0, 1), .satisfaction: m(9, 10)]
        let f = AssessmentFormula(version: 2, parts: [
            AssessmentPart(code: "on_time", name: "按期", nameEN: "On time", measure: .onTimeClosure, weight: 50),
            AssessmentPart(code: "satisfied", name: "满意", nameEN: "Satisfied", measure: .satisfaction, weight: 50),
        ])
        let r = try Assessment.compute(subject: "G2", month: "2026-11", values: values, formula: f)
        #expect(r.score == 90)
        #expect(r.parts[0].points == nil)
        #expect(r.parts[0].contributionHundredths == 0)
        #expect(r.parts[1].weightShare == 1)
        #expect(throws: AssessmentError.nothingToScore(subject: "G3")) {
            try Assessment.compute(subject: "G3", month: "2026-11", values: [.onTimeClosure: m(1, 2)], formula: f)
        }
    }

    @Test func gradesAreReadFromTheScoreAsShown() {
        let g = AssessmentGrades.standard
        #expect(g.grade(forHundredths: 9000) == .a)
        #expect(g.grade(forHundredths: 8999) == .b)
        #expect(g.grade(forHundredths: 7500) == .b)
        #expect(g.grade(forHundredths: 6000) == .c)
        #expect(g.grade(forHundredths: 5999) == .d)
    }

    @Test func aWeightChangeMovesTheScore() throws {
        let values: [AssessmentMeasure: Measure] = [.onTimeClosure: m(8, 10), .satisfaction: m(10, 10)]
        var f = AssessmentFormula(version: 1, parts: [
            AssessmentPart(code: "a", name: "按期", nameEN: "On time", measure: .onTimeClosure, weight: 1),
            AssessmentPart(code: "b", name: "满意", nameEN: "Satisfied", measure: .satisfaction, weight: 1),
        ])
        #expect(try Assessment.compute(subject: "G", month: "2026-11", values: values, formula: f).score == 90)
        f.parts[0].weight = 3
        #expect(try Assessment.compute(subject: "G", month: "2026-11", values: values, formula: f).score == 85)
    }

    @Test func aBadFormulaOrInputIsRefusedFieldByField() {
        var f = AssessmentFormula.standard
        f.parts[0].weight = -1
        f.parts[1].code = f.parts[2].code
        f.grades = AssessmentGrades(a: 60, b: 75, c: 90)
        let fields = f.problems.map(\.field)
        #expect(fields.contains("parts[0].weight"))
        #expect(fields.contains("parts[2].code"))
        #expect(fields.contains("grades"))
        var zero = AssessmentFormula.standard
        for i in zero.parts.indices { zero.parts[i].weight = 0 }
        #expect(zero.problems.map(\.field) == ["parts"])
        var nan = AssessmentFormula.standard
        nan.parts[0].weight = .nan
        #expect(nan.problems.map(\.field) == ["parts[0].weight"])
        #expect(throws: AssessmentError.self) {
            try Assessment.compute(subject: "G", month: "2026-11", values: [.satisfaction: m(11, 10)], formula: .standard)
        }
        #expect(throws: AssessmentError.self) {
            try Assessment.compute(subject: "G", month: "2026-11", values: [.satisfaction: m(-1, 10)], formula: .standard)
        }
    }
}
