import Foundation
import Testing

@testable import WanggeCore

/// What a field accepts: no control characters, no bidi controls, no invisible characters (a joiner inside an emoji
/// sequence of multi-line text excepted); the cleaned form and the search key.
@Suite("Text input")
struct TextInputTests {
    static let bidi: [UInt32] = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
    static let invisible: [UInt32] = [0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x180E, 0x00AD,
                                      0x115F, 0x1160, 0x3164, 0xFFA0]

    static func text(_ v: UInt32) -> String { "张" + String(Character(Unicode.Scalar(v)!)) + "三" }

    @Test(arguments: bidi)
    func bidiControlsAreRefusedEverywhere(_ v: UInt32) {
        #expect(!TextInput.isClean(Self.text(v)), "U+\(String(v, radix: 16, uppercase: true)) in a name")
        #expect(!TextInput.isClean(Self.text(v), multiline: true), "U+\(String(v, radix: 16, uppercase: true)) in a description")
        #expect(TextInput.cleaned(Self.text(v)) == "张三")
        #expect(TextInput.isHidden(Unicode.Scalar(v)!))
    }

    @Test(arguments: invisible)
    func invisibleCharactersAreRefusedInNames(_ v: UInt32) {
        #expect(!TextInput.isClean(Self.text(v)), "U+\(String(v, radix: 16, uppercase: true)) in a name")
        #expect(!TextInput.isClean(Self.text(v), multiline: true), "U+\(String(v, radix: 16, uppercase: true)) between letters")
        #expect(TextInput.cleaned(Self.text(v)) == "张三")
        #expect(TextInput.searchKey(Self.text(v)) == "张三")
    }

    @Test func aNameThatReadsBackwardsIsRefused() {
        #expect(!TextInput.isClean("张\u{202E}三"))
        #expect(!TextInput.isClean("138\u{202E}0013\u{202C}8000"))
        #expect(!TextInput.isClean("\u{FEFF}张三"), "a byte order mark pasted at the start")
    }

    @Test func controlCharactersAreStillRefusedAndLineBreaksOnlyInMultilineText() {
        #expect(!TextInput.isClean("a\u{0}b") && !TextInput.isClean("a\u{0}b", multiline: true))
        #expect(!TextInput.isClean("a\u{85}b", multiline: true))
        #expect(!TextInput.isClean("第一行\n第二行"))
        #expect(TextInput.isClean("第一行\n第二行\r\n\t第三行", multiline: true))
        #expect(!TextInput.isClean("a\u{2028}b") && TextInput.isClean("a\u{2028}b", multiline: true), "the line separator is a line break")
    }

    @Test func ordinaryTextAndEmojiArePassed() {
        #expect(TextInput.isClean("普通的字 plain text ✓，（全角）！"))
        #expect(TextInput.isClean("张三"))
        #expect(TextInput.isClean("路灯不亮 😀👍🏽🇨🇳 ❤️"), "emoji without a joiner, with a skin tone, a flag, a presentation selector")
        #expect(TextInput.isClean("路灯不亮 😀", multiline: true))
        #expect(TextInput.isClean("中文 عربي עברית"), "right-to-left letters themselves are fine")
    }

    @Test func aJoinerIsAllowedInsideAnEmojiSequenceOfMultilineTextOnly() {
        let family = "👨\u{200D}👩\u{200D}👧", coder = "👩🏽\u{200D}💻", rainbow = "🏳\u{FE0F}\u{200D}🌈"
        for e in [family, coder, rainbow] {
            #expect(TextInput.isClean("家里 \(e)\n第二行", multiline: true), "\(e)")
            #expect(!TextInput.isClean("张三\(e)"), "not in a name: \(e)")
            #expect(TextInput.cleaned("说明\(e)\u{200B}") == "说明\(e)", "cleaned keeps the sequence: \(e)")
        }
        #expect(!TextInput.isClean("a\u{200D}b", multiline: true), "a joiner between letters")
        #expect(!TextInput.isClean("\u{200D}😀", multiline: true), "a joiner at the start")
        #expect(!TextInput.isClean("😀\u{200D}", multiline: true), "a joiner at the end")
        #expect(!TextInput.isClean("1\u{200D}2", multiline: true), "digits are emoji only as keycaps")
    }

    @Test func cleanedTextPassesTheCheck() {
        let pasted = "\u{FEFF}东街\u{00AD}菜市场\u{200B}门口\u{202E}积水\u{2066}严重\u{2069}\n请尽快处理 👨\u{200D}👩\u{200D}👧"
        #expect(!TextInput.isClean(pasted, multiline: true))
        let cleaned = TextInput.cleaned(pasted)
        #expect(cleaned == "东街菜市场门口积水严重\n请尽快处理 👨\u{200D}👩\u{200D}👧")
        #expect(TextInput.isClean(cleaned, multiline: true))
        #expect(TextInput.cleaned("张三") == "张三")
    }

    @Test func searchKeysFoldWidthCaseAndInvisibles() {
        #expect(TextInput.searchKey("ＡＢＣ１２３") == TextInput.searchKey("abc123"))
        #expect(TextInput.searchKey("ＡＢＣ１２３") == "abc123")
        #expect(TextInput.searchKey("Abc\u{200B}123") == "abc123")
        #expect(TextInput.searchKey("东街，菜市场！（门口）：积水；？") == "东街,菜市场!(门口):积水;?", "full-width Chinese punctuation folds")
        #expect(TextInput.searchKey("东街\u{3000}菜市场") == "东街 菜市场", "the ideographic space")
        #expect(TextInput.searchKey("ｶﾀｶﾅ") == "カタカナ", "half-width katakana to full")
        #expect(TextInput.searchKey("e\u{301}") == "é" && TextInput.searchKey("é") == "é", "composed")
        #expect(TextInput.searchKey("👨\u{200D}👩") == "👨👩", "search ignores joiners")
    }
}
