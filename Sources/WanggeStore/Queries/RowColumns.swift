import Foundation

/// The columns of a row struct (`CaseQueries.CaseRow`, …) in declaration order with their values, for a writer
/// that binds values itself (the SQLite group-commit writer): the same Encodable row that SQLKit inserts, so a
/// table's columns are listed once. Dates are seconds since 1970 and UUIDs their text, as Fluent's SQLite driver
/// stores them; nil is NULL.
struct RowColumns {
    enum Value: Equatable {
        case null
        case text(String)
        case double(Double)
        case int(Int64)
    }

    private(set) var names: [String] = []
    private(set) var values: [Value] = []

    init(_ row: some Encodable) throws {
        let encoder = ColumnEncoder()
        try row.encode(to: encoder)
        names = encoder.box.names
        values = encoder.box.values
    }

    /// `INSERT INTO table (a, b, …) VALUES (?1, ?2, …)`.
    func insert(into table: String) -> String {
        "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(names.indices.map { "?\($0 + 1)" }.joined(separator: ", ")))"
    }
}

private final class ColumnBox {
    var names: [String] = []
    var values: [RowColumns.Value] = []
    func add(_ key: String, _ value: RowColumns.Value) {
        names.append(key)
        values.append(value)
    }
}

private struct ColumnEncoder: Encoder {
    let box = ColumnBox()
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Columns<Key>(box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { fatalError("a row is a struct of columns") }
    func singleValueContainer() -> any SingleValueEncodingContainer { fatalError("a row is a struct of columns") }
}

private struct Columns<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ColumnBox
    var codingPath: [any CodingKey] = []

    mutating func encodeNil(forKey key: Key) throws { box.add(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.add(key.stringValue, .int(value ? 1 : 0)) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.add(key.stringValue, .text(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { box.add(key.stringValue, .double(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.add(key.stringValue, .int(Int64(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        switch value {
        case let v as Date: box.add(key.stringValue, .double(v.timeIntervalSince1970))
        case let v as UUID: box.add(key.stringValue, .text(v.uuidString))
        default: throw EncodingError.invalidValue(value, .init(codingPath: codingPath + [key], debugDescription: "not a column type"))
        }
    }
    // Optionals: Swift's synthesised `encode(to:)` calls `encodeIfPresent`; a nil must still be a column (NULL).
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key) }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        fatalError("a row is a struct of columns")
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { fatalError("a row is a struct of columns") }
    mutating func superEncoder() -> any Encoder { fatalError("a row is a struct of columns") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { fatalError("a row is a struct of columns") }
}
