import Foundation

/// The form of a user name that two accounts may not share: NFKC-normalised (full-width letters become ASCII, ligatures
/// come apart) and lower-cased, so `Admin`, `admin` and `ａｄｍｉｎ` are one name. Stored in `users.username_key` under
/// a unique index, and what sign-in looks an account up by.
public enum UsernameKey {
    public static func of(_ username: String) -> String {
        username.precomposedStringWithCompatibilityMapping.lowercased()
    }
}
