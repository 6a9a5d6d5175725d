/// Errors of the persistence layer, each with the context a person needs to act on it.
public enum StoreError: Error, CustomStringConvertible {
    case corrupt(String)
    case notFound(String)
    case conflict(String)

    public var description: String {
        switch self {
        case .corrupt(let s): "stored data cannot be read: \(s)"
        case .notFound(let s): "not found: \(s)"
        case .conflict(let s): "conflict: \(s)"
        }
    }
}
