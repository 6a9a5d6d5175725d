import Foundation

/// What a person can type into a field, and the form text is compared in.
///
/// `isClean` is the one check every field goes through. It refuses
/// - control characters (C0, DEL, C1), line breaks and tabs only where the field has several lines: U+0000 in
///   particular cannot be stored by PostgreSQL, and the others have no place in a report; U+2028/U+2029 (line and
///   paragraph separators) count as line breaks;
/// - bidirectional formatting controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), everywhere: they make
///   text display in another order than it is stored ("张\u{202E}三", a phone number read backwards);
/// - invisible characters (U+00AD soft hyphen, U+180E, U+200B–U+200D, U+2060–U+2064, U+FEFF, and the Hangul
///   fillers U+115F, U+1160, U+3164, U+FFA0), everywhere: they make look-alikes of names and codes and defeat search
///   and duplicate detection. One exception: in multi-line text a zero-width joiner (U+200D) between two emoji is
///   allowed, since emoji sequences such as 👩‍💻 are built with it. In a name it is refused like the rest.
///
/// `cleaned` strips what `isClean` refuses of these (keeping a joiner inside an emoji sequence), for a caller that
/// prefers to repair pasted text rather than refuse it; `searchKey` is the form text is matched in.
public enum TextInput {
    public static func isClean(_ s: String, multiline: Bool = false) -> Bool {
        let scalars = Array(s.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            switch c.value {
            case 0x0A, 0x0D, 0x09, 0x2028, 0x2029:
                if !multiline { return false }
            case 0x00...0x1F, 0x7F...0x9F:
                return false
            case zeroWidthJoiner:
                if !(multiline && joinsEmoji(scalars, at: i)) { return false }
            default:
                if isHidden(c) { return false }
            }
        }
        return true
    }

    /// `s` without its bidi controls and invisible characters; a zero-width joiner between two emoji is kept.
    /// Control characters are left for `isClean` to refuse.
    public static func cleaned(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        guard scalars.contains(where: isHidden) else { return s }
        var out = String.UnicodeScalarView()
        for (i, c) in scalars.enumerated() where !isHidden(c) || (c.value == zeroWidthJoiner && joinsEmoji(scalars, at: i)) {
            out.append(c)
        }
        return String(out)
    }

    /// The form text is matched in: invisible and bidi characters removed (joiners too), NFKC-normalised (full-width
    /// "ＡＢＣ１２３" and "，！？（）：；" fold to their ASCII forms, the ideographic space to a space), lowercased.
    public static func searchKey(_ s: String) -> String {
        var stripped = String.UnicodeScalarView()
        stripped.append(contentsOf: s.unicodeScalars.filter { !isHidden($0) })
        return String(stripped).precomposedStringWithCompatibilityMapping.lowercased()
    }

    /// A bidi formatting control or an invisible character (the zero-width joiner included).
    public static func isHidden(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        // Bidi: Arabic letter mark, LRM, RLM, embeddings and overrides, isolates.
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        // Invisible: soft hyphen, Mongolian vowel separator, zero-width space/non-joiner/joiner, word joiner and the
        // invisible operators, byte order mark (zero-width no-break space), Hangul fillers.
        case 0x00AD, 0x180E, 0x200B...0x200D, 0x2060...0x2064, 0xFEFF, 0x115F, 0x1160, 0x3164, 0xFFA0: true
        default: false
        }
    }

    static let zeroWidthJoiner: UInt32 = 0x200D

    /// Whether the joiner at `i` stands between two parts of an emoji sequence (an emoji, or the emoji presentation
    /// selector U+FE0F before it, as in 🏳️‍🌈).
    static func joinsEmoji(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        func isEmojiPart(_ c: Unicode.Scalar) -> Bool { c.value == 0xFE0F || (c.value > 0xFF && c.properties.isEmoji) }
        return i > 0 && i + 1 < scalars.count && isEmojiPart(scalars[i - 1]) && isEmojiPart(scalars[i + 1])
    }
}
