import Foundation

/// What a new password must be (checked by `AccountRules.validate`, so by every way an account is made):
/// - at least `minimumLength` characters (grapheme clusters: "密码" is two);
/// - at most `maximumBytes` bytes of UTF-8: bcrypt reads no further, so a longer password would only seem stronger;
/// - not the user name, nor containing it once it has `usernameContainmentMinimum` characters ("ops" may appear in a
///   password by chance, "zhangwei" may not), compared on `AccountRules.usernameKey` (case and width folded);
/// - not one of the 20,000 most common passwords (Django's list, BSD-3-Clause, shipped as
///   `Resources/common-passwords.txt`), compared in lower case.
/// The first problem found is thrown, in the order above.
public enum PasswordPolicy {
    public static let minimumLength = 10
    public static let maximumBytes = 72
    public static let usernameContainmentMinimum = 4

    public static func check(_ password: String, username: String) throws(AccountError) {
        guard password.count >= minimumLength else { throw .passwordTooShort(minimum: minimumLength) }
        guard password.utf8.count <= maximumBytes else { throw .passwordTooLong(maximumBytes: maximumBytes) }
        let name = AccountRules.usernameKey(username)
        let candidate = AccountRules.usernameKey(password)
        if !name.isEmpty && (candidate == name || (name.count >= usernameContainmentMinimum && candidate.contains(name))) {
            throw .passwordIsUsername
        }
        guard !isCommon(password) else { throw .passwordTooCommon }
    }

    /// Whether `password`, lowercased, is on the shipped list of common passwords.
    public static func isCommon(_ password: String) -> Bool {
        commonPasswords.contains(password.lowercased())
    }

    /// The list, read once on first use. Lines starting with `#` are comments (the three listed passwords that begin
    /// with `#` are all shorter than `minimumLength`, so skipping them loses nothing).
    public static let commonPasswords: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            // A build without its resources: the same failure as a missing bundle, and refusing every password
            // would be no better than accepting them all.
            fatalError("WanggeCore's resource common-passwords.txt is missing from the bundle")
        }
        var set = Set<String>(minimumCapacity: 20_000)
        for line in text.split(whereSeparator: \.isNewline) {
            let p = line.trimmingCharacters(in: .whitespaces)
            if p.isEmpty || p.hasPrefix("#") { continue }
            set.insert(p.lowercased())
        }
        return set
    }()
}
