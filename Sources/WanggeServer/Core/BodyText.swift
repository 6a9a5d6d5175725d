import WanggeCore

/// Free text a body may carry (a note, a summary): trimmed, nil when empty, else at most `max` characters of plain
/// text (lines allowed) or a 400 naming the field. The one reading for the field-work and register APIs.
enum BodyText {
    static func optional(_ text: String?, field: String, max: Int) throws -> String? {
        guard let t = text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        guard t.count <= max, TextInput.isClean(t, multiline: true) else {
            throw APIError.badRequest("\(field) is at most \(max) characters of plain text", field: field)
        }
        return t
    }
}
