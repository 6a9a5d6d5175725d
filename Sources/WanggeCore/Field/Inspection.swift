import Foundation

/// One item's result as the worker recorded it.
public struct InspectionItemResult: Hashable, Sendable, Codable {
    public var itemCode: String
    public var passed: Bool
    public var note: String?
    /// Photos attached to this item (the uploads' hashes).
    public var photoIDs: [String]

    public init(itemCode: String, passed: Bool, note: String? = nil, photoIDs: [String] = []) {
        self.itemCode = itemCode
        self.passed = passed
        self.note = note
        self.photoIDs = photoIDs
    }
}

/// What a failed item raises: a hazard case in the item's category at the place (routed like any case: the grid
/// and department follow from the place's point and the category), and a risk entry where the item says so.
public struct InspectionHazard: Hashable, Sendable {
    public var itemCode: String
    public var itemName: String
    public var categoryCode: String
    /// The case's description: the place, the item and the worker's note ("某某餐馆：安全出口、疏散通道畅通——未通过。后门堆放杂物").
    public var description: String
    public var photoIDs: [String]
    public var riskCategoryCode: String?
}

/// The outcome of an inspection: every item's result, in the checklist's order, and the hazards the failed ones raise.
public struct InspectionOutcome: Hashable, Sendable {
    public var results: [InspectionItemResult]
    public var hazards: [InspectionHazard]
    public var passed: Bool { hazards.isEmpty }
}

public enum FieldRuleError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidField(field: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidField(field, reason): "\(field) \(reason)"
        }
    }
}

/// Key-place inspections (重点场所检查): a checklist of the place's type, a result for every item and none for an item
/// not on it, a photo only where a failed item asks for one, and a hazard case for each failed item.
public enum Inspections {
    public static let noteLength = 500
    public static let maximumPhotosPerItem = 6

    /// `photoRequired` says whether a case category needs a photo from a grid worker (the case catalogue's rule):
    /// a failed item asks for one when it says so itself or its category does, so that its case can be taken.
    public static func evaluate(placeName: String, placeType: PlaceType, checklist: Checklist, results: [InspectionItemResult],
                                photoRequired: (String) -> Bool = { _ in false }) throws(FieldRuleError) -> InspectionOutcome {
        guard placeType.checklistCodes.contains(checklist.code) else {
            throw .invalidField(field: "checklist_code", reason: "is not a checklist of the place's type (\(placeType.checklistCodes.joined(separator: ", ")))")
        }
        guard results.count <= checklist.items.count * 2 else { throw .invalidField(field: "results", reason: "has more results than the checklist has items") }
        var byCode: [String: InspectionItemResult] = [:]
        for (i, r) in results.enumerated() {
            guard checklist.items.contains(where: { $0.code == r.itemCode }) else {
                throw .invalidField(field: "results[\(i)].item_code", reason: "is not an item of the checklist \(checklist.code)")
            }
            guard byCode[r.itemCode] == nil else { throw .invalidField(field: "results[\(i)].item_code", reason: "is answered twice") }
            if let n = r.note, n.count > noteLength || !TextInput.isClean(n, multiline: true) {
                throw .invalidField(field: "results[\(i)].note", reason: "must be at most \(noteLength) characters of plain text")
            }
            guard r.photoIDs.count <= maximumPhotosPerItem else {
                throw .invalidField(field: "results[\(i)].photo_ids", reason: "must be at most \(maximumPhotosPerItem) photos")
            }
            byCode[r.itemCode] = r
        }
        var ordered: [InspectionItemResult] = []
        var hazards: [InspectionHazard] = []
        for item in checklist.items {
            guard let r = byCode[item.code] else {
                throw .invalidField(field: "results", reason: "has no result for the item \(item.code) (\(item.name))")
            }
            ordered.append(r)
            guard !r.passed else { continue }
            if (item.photoWhenFailed || photoRequired(item.categoryCode)) && r.photoIDs.isEmpty {
                throw .invalidField(field: "results[\(results.firstIndex(of: r) ?? 0)].photo_ids", reason: "the failed item \(item.code) asks for a photo")
            }
            let note = r.note?.trimmingCharacters(in: .whitespacesAndNewlines)
            let description = "\(placeName)：\(item.name)——未通过" + (note.map { $0.isEmpty ? "。" : "。\($0)" } ?? "。")
            hazards.append(InspectionHazard(itemCode: item.code, itemName: item.name, categoryCode: item.categoryCode, description: description,
                                            photoIDs: r.photoIDs, riskCategoryCode: item.riskCategoryCode))
        }
        return InspectionOutcome(results: ordered, hazards: hazards)
    }
}

/// When a place falls due for inspection again (issue 20): once every hazard case its latest inspection raised is
/// finished (closed, or refused or merged into another), from the moment the last of them finished; not while any is
/// open, not for an inspection that raised none, and not once the place has been inspected since (the caller passes
/// the latest inspection only).
public enum Reinspection {
    public static func dueSince(cases: [(state: CaseState, at: Date)]) -> Date? {
        guard !cases.isEmpty, cases.allSatisfy({ !$0.state.isOpen }) else { return nil }
        return cases.map(\.at).max()
    }
}
