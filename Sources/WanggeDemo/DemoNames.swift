import WanggeCore
/// Generated place names: two characters and a suffix, plausible for a county in northern Zhejiang, never repeated
/// within the county.
struct DemoPlaceNames {
    private static let subdistrictFirst = Array("昌文新安和永兴康瑞景凤灵天华阳锦振")
    private static let subdistrictSecond = Array("城华兴安荣湖溪源峰阳山桥州")
    private static let ruralFirst = Array("梅竹桃杏松柏枫桂荷龙凤鹤金银玉石高大小上下东西南北中青白黄红天安永长新古福和平灵清双三五马仙云碧翠万尚孝良章横潘鲁赤丰荆景霞泉岩杨李张叶")
    private static let ruralSecond = Array("溪山岭坞湾塘桥港坑源口头庄园坪墩坝岙畈垅河林岗浦里阳峰田洋亭潭埠川泉家店冲岩墅滩渚渡圩铺")

    private var rng: DemoRandom
    private var used: Set<String> = []

    init(seed: UInt64) { rng = DemoRandom(seed: seed, stream: .placeNames) }

    private mutating func base(_ first: [Character], _ second: [Character]) -> String {
        while true {
            let a = rng.pick(first), b = rng.pick(second)
            let name = String([a, b])
            if a != b && used.insert(name).inserted { return name }
        }
    }

    mutating func township(_ kind: DemoLayout.TownshipKind) -> String {
        switch kind {
        case .subdistrict: base(Self.subdistrictFirst, Self.subdistrictSecond) + "街道"
        case .town: base(Self.ruralFirst, Self.ruralSecond) + "镇"
        case .township: base(Self.ruralFirst, Self.ruralSecond) + "乡"
        }
    }

    mutating func village(community: Bool) -> String {
        base(Self.ruralFirst, Self.ruralSecond) + (community ? "社区" : "村")
    }

    static func grid(village: String, number: Int) -> String { "\(village)第\(number)网格" }
}

/// Generated people: common surnames with two-character given names (single-character given names collide with
/// too many well-known people), and mobile numbers for the demo.
struct DemoPeople {
    private static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹孟熊秦邱江尹薛段雷侯史陶黎贺顾郝龚邵钱严戴莫孔汤")
    /// Given-name characters that read as a man's, a woman's, or either; a name draws from one side and the middle.
    private static let men = Array("伟强磊军勇杰涛刚建国辉鹏浩凯俊博志海斌峰飞亮宏波鑫松柏祥福荣根忠良德超洪")
    private static let women = Array("芳敏静丽艳娟秀霞桂英玉兰萍红婷雪琳欣佳思梓涵慧丹燕颖倩琪瑶芬珍凤琴美莉")
    private static let either = Array("文明华春林晨平宇嘉雨晓新")
    /// Full names of well-known people that the characters above could spell.
    private static let avoided: Set<String> = ["陈建斌", "刘德华", "赵丽颖", "王俊凯", "张国荣", "黄海波", "杨丽萍", "周海媚",
                                               "李国华", "王志文", "陈建国", "刘晓庆", "陈晓明", "刘德凯", "孙红雷"]
    private static let mobilePrefixes = ["13", "15", "17", "18", "19"]

    private var rng: DemoRandom

    init(seed: UInt64) { rng = DemoRandom(seed: seed, stream: .people) }

    mutating func name() -> String {
        let pool = rng.below(2) == 0 ? Self.men + Self.either : Self.women + Self.either
        while true {
            let a = rng.pick(pool), b = rng.pick(pool)
            guard a != b else { continue }
            let name = String([rng.pick(Self.surnames), a, b])
            if !Self.avoided.contains(name) { return name }
        }
    }

    mutating func chance(_ probability: Double) -> Bool { rng.unit() < probability }

    /// An 11-digit mobile number starting 13, 15, 17, 18 or 19.
    mutating func phone() -> String {
        var digits = rng.pick(Self.mobilePrefixes)
        for _ in 0..<9 { digits.append(Character(String(rng.below(10)))) }
        return digits
    }
}
