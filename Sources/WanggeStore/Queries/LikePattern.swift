import FluentKit
import FluentSQL
import SQLKit

/// LIKE patterns built from data: area paths and category codes (imported, so `_` or `%` may be in them) and words
/// a person typed. Their `%`, `_` and `\` match themselves, never "any text": both databases take `ESCAPE '\'`.
enum LikePattern {
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            if ch == "\\" || ch == "%" || ch == "_" { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// `column` begins with `prefix`.
    static func startsWith(_ column: any SQLExpression, _ prefix: String) -> any SQLExpression {
        EscapedLike(column: column, pattern: escaped(prefix) + "%")
    }

    /// `column` holds `part` somewhere.
    static func contains(_ column: any SQLExpression, _ part: String) -> any SQLExpression {
        EscapedLike(column: column, pattern: "%" + escaped(part) + "%")
    }

    /// The same, as a filter of a Fluent query on `schema`.
    static func startsWith(_ schema: String, _ field: String, _ prefix: String) -> DatabaseQuery.Filter {
        .sql(startsWith(SQLColumn(field, table: schema), prefix))
    }

    static func contains(_ schema: String, _ field: String, _ part: String) -> DatabaseQuery.Filter {
        .sql(contains(SQLColumn(field, table: schema), part))
    }
}

/// `column LIKE ? ESCAPE '\'`.
private struct EscapedLike: SQLExpression {
    let column: any SQLExpression
    let pattern: String

    func serialize(to serializer: inout SQLSerializer) {
        column.serialize(to: &serializer)
        serializer.write(" LIKE ")
        SQLBind(pattern).serialize(to: &serializer)
        serializer.write(" ESCAPE '\\'")
    }
}
