import Foundation

/// A category of the risk register (风险类别): work safety, fire, flood and geological hazards… County data.
public struct RiskCategory: Hashable, Sendable, Codable {
    public var code: String
    public var name: String
    public var nameEN: String

    public init(code: String, name: String, nameEN: String) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
    }

    enum CodingKeys: String, CodingKey {
        case code, name
        case nameEN = "name_en"
    }
}

/// One of the four levels (风险等级), stored as its number: 1 is the most severe. Its names and colour are what
/// pages show (red 红, orange 橙, blue 蓝, green 绿 by default; work-safety practice says 红/橙/黄/蓝); its intervals
/// are how often a risk of the level is reviewed, normally and in a heightened period.
public struct RiskLevel: Hashable, Sendable, Codable {
    public var number: Int
    public var name: String
    public var nameEN: String
    /// "#RRGGBB".
    public var colour: String
    public var reviewEvery: RiskReviewInterval
    /// The tighter interval in a heightened period; nil keeps `reviewEvery`.
    public var heightenedEvery: RiskReviewInterval?

    /// Levels 1 to 4.
    public static let numbers = 1...4
    /// Levels up to this one (orange and red) are told to the leaders of their area when an entry reaches them.
    public static let leadersNotifiedUpTo = 2

    public init(number: Int, name: String, nameEN: String, colour: String, reviewEvery: RiskReviewInterval,
                heightenedEvery: RiskReviewInterval? = nil) {
        self.number = number
        self.name = name
        self.nameEN = nameEN
        self.colour = colour
        self.reviewEvery = reviewEvery
        self.heightenedEvery = heightenedEvery
    }

    enum CodingKeys: String, CodingKey {
        case number = "level", name, colour
        case nameEN = "name_en"
        case reviewEvery = "review_every"
        case heightenedEvery = "heightened_every"
    }

    /// The seeds' levels (Jinhua): red, orange, blue, green. Reviewed daily, weekly, weekly, monthly; in a
    /// heightened period red twice a day and orange daily.
    public static let standard: [RiskLevel] = [
        RiskLevel(number: 1, name: "红", nameEN: "Red", colour: "#D93025", reviewEvery: .days(1), heightenedEvery: .hours(12)),
        RiskLevel(number: 2, name: "橙", nameEN: "Orange", colour: "#F57C00", reviewEvery: .days(7), heightenedEvery: .days(1)),
        RiskLevel(number: 3, name: "蓝", nameEN: "Blue", colour: "#1A73E8", reviewEvery: .days(7)),
        RiskLevel(number: 4, name: "绿", nameEN: "Green", colour: "#188038", reviewEvery: .months(1)),
    ]

    /// Work-safety practice (安全生产风险分级管控): 重大 red, 较大 orange, 一般 yellow, 低 blue, on the same cadence.
    public static let workSafety: [RiskLevel] = [
        RiskLevel(number: 1, name: "红", nameEN: "Red", colour: "#D93025", reviewEvery: .days(1), heightenedEvery: .hours(12)),
        RiskLevel(number: 2, name: "橙", nameEN: "Orange", colour: "#F57C00", reviewEvery: .days(7), heightenedEvery: .days(1)),
        RiskLevel(number: 3, name: "黄", nameEN: "Yellow", colour: "#F9AB00", reviewEvery: .days(7)),
        RiskLevel(number: 4, name: "蓝", nameEN: "Blue", colour: "#1A73E8", reviewEvery: .months(1)),
    ]
}

/// The risk register's configuration (风险清单配置): categories, levels with their names, colours and review
/// cadence, and the bands that turn an assessment's score into a proposed level. County data:
/// `RiskCatalogue.standard` is the default a county starts from, `problems` names everything wrong with an edited
/// one, and `decode(from:)` reads `risk.json` and takes nothing from a file with a problem.
public struct RiskCatalogue: Hashable, Sendable, Codable {
    public var categories: [RiskCategory]
    public var levels: [RiskLevel]
    /// L × S bands, one per level (default 20–25 red, 9–16 orange, 4–8 blue, 1–3 green).
    public var matrixBands: [RiskBand]
    /// LEC bands, one per level (default D ≥ 320, 160–320, 70–160, below 70: the classic table's 重大/较大/一般/低).
    public var lecBands: [RiskBand]

    public init(categories: [RiskCategory], levels: [RiskLevel], matrixBands: [RiskBand], lecBands: [RiskBand]) {
        self.categories = categories
        self.levels = levels
        self.matrixBands = matrixBands
        self.lecBands = lecBands
    }

    enum CodingKeys: String, CodingKey {
        case categories, levels
        case matrixBands = "matrix_bands"
        case lecBands = "lec_bands"
    }

    public func category(_ code: String) -> RiskCategory? { categories.first { $0.code == code } }
    public func level(_ number: Int) -> RiskLevel? { levels.first { $0.number == number } }

    public static let standardCategories: [RiskCategory] = [
        RiskCategory(code: "work_safety", name: "安全生产", nameEN: "Work safety"),
        RiskCategory(code: "fire", name: "消防", nameEN: "Fire"),
        RiskCategory(code: "flood_geology", name: "防汛地灾", nameEN: "Flood and geological hazards"),
        RiskCategory(code: "public_health", name: "公共卫生", nameEN: "Public health"),
        RiskCategory(code: "food_drugs", name: "食品药品", nameEN: "Food and drugs"),
        RiskCategory(code: "wages_labour", name: "欠薪劳资", nameEN: "Wage arrears and labour"),
        RiskCategory(code: "land_demolition", name: "征地拆迁", nameEN: "Land acquisition and demolition"),
        RiskCategory(code: "finance_fundraising", name: "金融非法集资", nameEN: "Finance and illegal fund-raising"),
        RiskCategory(code: "events_crowds", name: "大型活动人员密集", nameEN: "Large events and crowds"),
        RiskCategory(code: "other", name: "其他", nameEN: "Other"),
    ]

    public static let standardMatrixBands = [
        RiskBand(level: 1, from: 20, to: 25), RiskBand(level: 2, from: 9, to: 16),
        RiskBand(level: 3, from: 4, to: 8), RiskBand(level: 4, from: 1, to: 3),
    ]

    /// No standard L, E and C multiply to a D strictly between 319 and 320, 159 and 160, or 69 and 70, so these
    /// closed bands are the classic table's half-open ones.
    public static let standardLECBands = [
        RiskBand(level: 1, from: 320, to: 10_000), RiskBand(level: 2, from: 160, to: 319),
        RiskBand(level: 3, from: 70, to: 159), RiskBand(level: 4, from: 0.05, to: 69),
    ]

    /// The catalogue a county starts from, when its data directory has no `risk.json`.
    public static let standard = RiskCatalogue(categories: standardCategories, levels: RiskLevel.standard,
                                               matrixBands: standardMatrixBands, lecBands: standardLECBands)

    /// The same with work safety's level names (红/橙/黄/蓝), for a county whose register follows that practice.
    public static let workSafety = RiskCatalogue(categories: standardCategories, levels: RiskLevel.workSafety,
                                                  matrixBands: standardMatrixBands, lecBands: standardLECBands)
}
