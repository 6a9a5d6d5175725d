import Foundation

/// A patrol of a grid (巡查): started and ended by its worker, with what was found. No continuous location tracking: a
/// point is kept only where the worker records a finding (DESIGN §2). A finding may become a case in one step, with
/// the grid, place and category filled in.
public struct PatrolFinding: Hashable, Sendable, Codable {
    public var number: Int
    public var at: Date
    public var note: String
    public var point: GeoPoint?
    public var placeID: UUID?
    /// The case the finding became, if it did.
    public var caseCode: String?

    public init(number: Int, at: Date, note: String, point: GeoPoint? = nil, placeID: UUID? = nil, caseCode: String? = nil) {
        self.number = number
        self.at = at
        self.note = note
        self.point = point
        self.placeID = placeID
        self.caseCode = caseCode
    }
}

public enum PatrolRules {
    public static let maximumFindings = 200
    public static let noteLength = 500
    /// A patrol left open is ended by itself after this long (a forgotten "end" does not run for days).
    public static let maximumLength: TimeInterval = 12 * 3600

    /// A finding's note checked: 1–500 characters of plain text, trimmed.
    public static func note(_ text: String) throws(FieldRuleError) -> String {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty, t.count <= noteLength, TextInput.isClean(t, multiline: true) else {
            throw .invalidField(field: "note", reason: "must be 1 to \(noteLength) characters of plain text")
        }
        return t
    }

    /// Whether a patrol started at `start` and not ended is still open at `now`.
    public static func isOpen(startedAt start: Date, endedAt end: Date?, now: Date) -> Bool {
        end == nil && now.timeIntervalSince(start) < maximumLength
    }
}
