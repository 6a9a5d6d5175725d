import Foundation
import Testing

@testable import WanggeCore

/// Red months raise a warning each; three in a row raise one special supervision and one rectification, lifted only
/// by the three reviews in order; asking again never raises anything twice.
@Suite("Safety index ladder")
struct SafetyIndexLadderTests {
    static func m(_ text: String) -> SafetyIndexMonth { SafetyIndexMonth(text)! }
    static func d(_ text: String) -> CivilDate { CivilDate(text)! }
    static let ladder = SafetyIndexLadder(extraSteps: [
        SafetyIndexLadderStep(atRedMonths: 4, code: "leader_talk", name: "约谈", nameEN: "Talk with the leaders"),
        SafetyIndexLadderStep(atRedMonths: 5, code: "accountability", name: "问责", nameEN: "Accountability"),
    ])

    static func bands(_ list: [(String, SafetyBand)]) -> [SafetyIndexMonth: SafetyBand] {
        Dictionary(uniqueKeysWithValues: list.map { (m($0.0), $0.1) })
    }

    /// Every raise of every month up to `last`, as the monthly job would see them, month by month.
    static func allRaises(_ bands: [SafetyIndexMonth: SafetyBand], reviews: [RectificationReview] = [], through last: String,
                          ladder: SafetyIndexLadder = ladder) -> [SafetyIndexLadderRaise] {
        let first = bands.keys.min()!
        return (first.index...m(last).index).flatMap {
            ladder.decide(area: "V1", month: SafetyIndexMonth(index: $0), bands: bands, reviews: reviews).raises
        }
    }

    static func review(_ key: String, _ level: RectificationReviewLevel, _ on: String, note: String = "已整改，复核通过") -> RectificationReview {
        RectificationReview(rectificationKey: key, level: level, on: d(on), by: "reviewer-\(level.rawValue)", note: note)
    }

    @Test func threeRedMonthsRaiseExactlyOneRectification() {
        // setup
        let bands = Self.bands([("2026-01", .blue), ("2026-02", .red), ("2026-03", .red), ("2026-04", .red), ("2026-05", .orange), ("2026-06", .green)])
        // MUT
        let raises = Self.allRaises(bands, through: "2026-06")
        // validate
        #expect(raises.filter { $0.kind == .warningNotice }.map(\.month) == [Self.m("2026-02"), Self.m("2026-03"), Self.m("2026-04")])
        let rect = raises.filter { $0.kind == .rectification }
        #expect(rect.count == 1)
        #expect(raises.filter { $0.kind == .specialSupervision }.count == 1)
        #expect(rect.first?.month == Self.m("2026-04") && rect.first?.redMonths == 3)
        // Issued on 1 May (the first day after April), due 30 calendar days later.
        #expect(rect.first?.dueOn == Self.d("2026-05-31"))
        #expect(Set(raises.map(\.key)).count == raises.count)
        // Two red months are not enough.
        #expect(Self.allRaises(Self.bands([("2026-02", .red), ("2026-03", .red), ("2026-04", .orange), ("2026-05", .red)]), through: "2026-05")
            .allSatisfy { $0.kind == .warningNotice })
    }

    @Test func askingAgainAboutAMonthRaisesTheSameUnderTheSameKeys() {
        // setup
        let bands = Self.bands([("2026-02", .red), ("2026-03", .red), ("2026-04", .red), ("2026-05", .red), ("2026-06", .red), ("2026-07", .red)])
        // MUT
        let once = Self.ladder.decide(area: "V1", month: Self.m("2026-04"), bands: bands, reviews: [])
        let again = Self.ladder.decide(area: "V1", month: Self.m("2026-04"), bands: bands, reviews: [])
        let later = Self.allRaises(bands, through: "2026-07")
        // validate
        #expect(once == again)
        #expect(once.raises.map(\.kind) == [.warningNotice, .specialSupervision, .rectification])
        // Red on and on: still one rectification, each extra step once, a warning each month.
        #expect(later.filter { $0.kind == .rectification }.count == 1)
        #expect(later.filter { $0.kind == .step("leader_talk") }.map(\.month) == [Self.m("2026-05")])
        #expect(later.filter { $0.kind == .step("accountability") }.map(\.month) == [Self.m("2026-06")])
        #expect(later.filter { $0.kind == .warningNotice }.count == 6)
    }

    @Test func theRectificationIsLiftedOnlyAfterAllThreeReviewsInOrder() throws {
        // setup
        let bands = Self.bands([("2026-02", .red), ("2026-03", .red), ("2026-04", .red), ("2026-05", .orange), ("2026-06", .blue)])
        let key = try #require(Self.ladder.decide(area: "V1", month: Self.m("2026-04"), bands: bands, reviews: []).open?.key)
        let village = Self.review(key, .village, "2026-05-10")
        let countyTooEarly = Self.review(key, .county, "2026-05-12")
        let township = Self.review(key, .township, "2026-05-15")
        let county = Self.review(key, .county, "2026-05-20")
        func open(_ reviews: [RectificationReview], in month: String = "2026-06") -> SafetyIndexRectification? {
            Self.ladder.decide(area: "V1", month: Self.m(month), bands: bands, reviews: reviews).open
        }
        // MUT / validate: each prefix of the reviews leaves it open, whatever else was recorded out of order.
        #expect(open([])?.nextLevel == .village)
        #expect(open([village])?.nextLevel == .township)
        #expect(open([village, countyTooEarly])?.nextLevel == .township)
        #expect(open([countyTooEarly, township, county])?.nextLevel == .village)
        #expect(open([village, countyTooEarly, township])?.nextLevel == .county)
        #expect(open([village, countyTooEarly, township, county]) == nil)
        let all = Self.ladder.decide(area: "V1", month: Self.m("2026-06"), bands: bands, reviews: [village, countyTooEarly, township, county])
        #expect(all.rectifications.first?.liftedOn == Self.d("2026-05-20"))
        #expect(all.rectifications.first?.reviews.map(\.level) == [.village, .township, .county])
        // A lift dated after a month's end does not change that month.
        #expect(open([village, township, county], in: "2026-04")?.nextLevel == .village)
    }

    @Test func aReviewIsRefusedWithTheFieldThatIsWrong() throws {
        // setup
        let bands = Self.bands([("2026-02", .red), ("2026-03", .red), ("2026-04", .red)])
        let r = try #require(Self.ladder.decide(area: "V1", month: Self.m("2026-04"), bands: bands, reviews: []).open)
        // MUT / validate
        #expect(r.refusal(of: Self.review(r.key, .village, "2026-05-02")) == nil)
        #expect(r.refusal(of: Self.review(r.key, .township, "2026-05-02"))?.hasPrefix("level:") == true)
        #expect(r.refusal(of: Self.review(r.key, .village, "2026-04-30"))?.hasPrefix("on:") == true)
        #expect(r.refusal(of: Self.review(r.key, .village, "2026-05-02", note: "  "))?.hasPrefix("note:") == true)
        #expect(r.refusal(of: Self.review("other", .village, "2026-05-02"))?.hasPrefix("rectificationKey:") == true)
        #expect(r.isOverdue(on: Self.d("2026-06-01")) && !r.isOverdue(on: Self.d("2026-05-31")))
    }

    @Test func afterALiftANewRunOfThreeRaisesANewRectification() throws {
        // setup: red February to April; lifted 20 May; May itself red (the month of the lift starts no run), then
        // June to August red again.
        let months = ["2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]
        let bands = Self.bands(months.map { ($0, .red) })
        let first = try #require(Self.ladder.decide(area: "V1", month: Self.m("2026-04"), bands: bands, reviews: []).open?.key)
        let reviews = [Self.review(first, .village, "2026-05-05"), Self.review(first, .township, "2026-05-10"), Self.review(first, .county, "2026-05-20")]
        // MUT
        let raises = Self.allRaises(bands, reviews: reviews, through: "2026-08", ladder: .standard)
        // validate
        let rect = raises.filter { $0.kind == .rectification }
        #expect(rect.map(\.month) == [Self.m("2026-04"), Self.m("2026-08")])
        #expect(Set(rect.map(\.key)).count == 2)
        #expect(raises.first { $0.month == Self.m("2026-05") }?.redMonths == 0)
        // Without the lift, the same bands raise only the first.
        #expect(Self.allRaises(bands, through: "2026-08", ladder: .standard).filter { $0.kind == .rectification }.count == 1)
    }

    @Test func aRunIsBrokenByAMonthWithNoBand() {
        // setup: March was never published.
        let bands = Self.bands([("2026-01", .red), ("2026-02", .red), ("2026-04", .red), ("2026-05", .red)])
        // MUT
        let raises = Self.allRaises(bands, through: "2026-05")
        // validate
        #expect(!raises.contains { $0.kind == .rectification })
        #expect(Self.allRaises(bands.merging([Self.m("2026-03"): .red]) { a, _ in a }, through: "2026-05").filter { $0.kind == .rectification }.count == 1)
    }

    @Test func theLadderConfigurationNamesItsBadFields() {
        var l = Self.ladder
        l.redMonthsForRectification = 0
        l.rectificationDays = 1_000
        l.extraSteps[1].code = "leader_talk"
        l.extraSteps[0].atRedMonths = 0
        #expect(Set(l.validate().map(\.field)) == ["redMonthsForRectification", "rectificationDays", "extraSteps[1].code", "extraSteps[0].atRedMonths"])
        #expect(Self.ladder.validate().isEmpty && SafetyIndexLadder.standard.validate().isEmpty)
    }
}
