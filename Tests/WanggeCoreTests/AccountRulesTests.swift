import Foundation
import Testing

@testable import WanggeCore

/// The password policy (length in characters and in bcrypt's bytes, not the user name, not a common password) as
/// `AccountRules.validate` applies it, and user names compared on their folded key.
@Suite("Account rules")
struct AccountRulesTests {
    func refusal(_ password: String, username: String = "zhangwei") -> AccountError? {
        do {
            try AccountRules.validate(username: username, password: password, role: .operator, areaCode: "C01",
                                      department: nil, departmentCode: nil, in: Fixture.jurisdiction)
            return nil
        } catch { return error }
    }

    @Test func aLongUncommonPasswordIsAccepted() {
        #expect(refusal("Orchard-lantern-42") == nil)
        #expect(refusal("网格员的长一点的密码口令") == nil, "twelve Chinese characters are twelve characters (36 bytes)")
    }

    @Test func aShortPasswordIsRefusedWithTheMinimum() {
        #expect(refusal("k7#Lp2q") == .passwordTooShort(minimum: 10))
        #expect(refusal("k7#Lp2q9x") == .passwordTooShort(minimum: 10), "nine is one short")
        #expect(refusal("k7#Lp2q9xZ") == nil)
        #expect(refusal("k7#Lp2q9x")?.field == "password")
    }

    @Test func aPasswordOverBcryptsSeventyTwoBytesIsRefusedSayingSo() {
        #expect(refusal(String(repeating: "q7", count: 36)) == nil, "72 bytes is the limit, inclusive")
        let long = String(repeating: "q7", count: 36) + "x"
        #expect(refusal(long) == .passwordTooLong(maximumBytes: 72))
        #expect(AccountError.passwordTooLong(maximumBytes: 72).description.contains("bcrypt"))
        // 25 Chinese characters are 75 bytes: long enough in characters, too long in bytes.
        #expect(refusal(String(repeating: "网格", count: 12) + "长") == .passwordTooLong(maximumBytes: 72))
        #expect(refusal(long)?.field == "password")
    }

    @Test func thePasswordMayNotBeOrContainTheUserName() {
        #expect(refusal("zhangwei2026", username: "zhangwei") == .passwordIsUsername)
        #expect(refusal("ZHANGWEI2026", username: "zhangwei") == .passwordIsUsername, "case-insensitive")
        #expect(refusal("my-ＺｈａｎｇＷｅｉ-pass", username: "zhangwei") == .passwordIsUsername, "width-insensitive")
        #expect(refusal("countyop10", username: "countyop10") == .passwordIsUsername)
        // A user name of three characters may appear in a password by chance.
        #expect(refusal("Harbour-ops-lantern", username: "ops") == nil)
        #expect(refusal("op1op1op1op1", username: "op1") == nil)
        #expect(refusal("Harbour-ops-lantern", username: "harbour-ops-lantern") == .passwordIsUsername)
        #expect(refusal("zhangwei2026")?.field == "password")
    }

    @Test func aCommonPasswordIsRefusedWhateverItsCase() {
        #expect(PasswordPolicy.commonPasswords.count > 19_000, "the shipped list is loaded")
        #expect(!PasswordPolicy.commonPasswords.contains { $0.hasPrefix("# from") }, "the comment line is not a password")
        #expect(PasswordPolicy.isCommon("password") && PasswordPolicy.isCommon("PassWord"))
        #expect(refusal("1234567890") == .passwordTooCommon)
        #expect(refusal("Qwertyuiop") == .passwordTooCommon)
        #expect(refusal("PASSWORD123") == .passwordTooCommon)
        #expect(refusal("1234567890")?.field == "password")
        #expect(AccountError.passwordTooCommon.description.contains("common"))
    }

    @Test func userNamesAreOneNameWhateverTheirCaseOrWidth() {
        #expect(AccountRules.usernameKey("Ａｄｍｉｎ") == "admin")
        #expect(AccountRules.usernameKey("ADMIN") == "admin")
        #expect(AccountRules.usernameKey("admin") == "admin")
        #expect(AccountRules.usernameKey("Zhang.Wei_01") == AccountRules.usernameKey("ｚｈａｎｇ．ｗｅｉ＿０１"))
        #expect(AccountRules.usernameKey("admin") != AccountRules.usernameKey("admin1"))
        // Full-width and other look-alike forms cannot be account names at all.
        #expect(refusal("Orchard-lantern-42", username: "Ａｄｍｉｎ") == .invalidUsername("Ａｄｍｉｎ"))
        #expect(refusal("Orchard-lantern-42", username: "аdmin") == .invalidUsername("аdmin"), "a Cyrillic а")
        #expect(refusal("Orchard-lantern-42", username: "ad\u{200B}min") == .invalidUsername("ad\u{200B}min"))
        // Every accepted name is its own NFKC form, so the key only folds case.
        for name in ["Admin", "zhang.wei", "op_01-x"] {
            #expect(name.precomposedStringWithCompatibilityMapping == name)
            #expect(AccountRules.usernameKey(name) == name.lowercased())
        }
    }
}
