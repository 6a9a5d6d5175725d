/// What a person can type into a field: no control characters (line breaks and tabs only where the field has
/// several lines). U+0000 in particular cannot be stored by PostgreSQL, and the others have no place in a report.
public enum TextInput {
    public static func isClean(_ s: String, multiline: Bool = false) -> Bool {
        s.unicodeScalars.allSatisfy { c in
            switch c.value {
            case 0x0A, 0x0D, 0x09: multiline
            case 0x00...0x1F, 0x7F...0x9F: false
            default: true
            }
        }
    }
}
