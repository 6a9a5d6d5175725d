import MultipartKit
import NIOCore
import Vapor

/// A multipart/form-data body read with Vapor's MultipartKit parser (one pass over the bytes, whatever the
/// boundary), with limits checked as the parts arrive: the boundary's length (RFC 2046: 1 to 70 characters), the
/// number of parts, and each part's size by its name.
struct MultipartForm {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var data: ByteBuffer
    }

    struct Limits {
        var maximumParts: Int
        /// The largest size of a part with this name (nil: parts of that name are not accepted).
        var maximumBytes: (String) -> Int?
    }

    var parts: [Part]

    func all(named names: Set<String>) -> [Part] { parts.filter { names.contains($0.name) } }
    func first(named name: String) -> Part? { parts.first { $0.name == name } }

    static func parse(_ req: Request, limits: Limits) throws -> MultipartForm {
        guard let type = req.headers.contentType, type.type == "multipart", type.subType == "form-data" else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send multipart/form-data", field: nil)
        }
        guard let boundary = type.parameters["boundary"], (1...70).contains(boundary.utf8.count),
              boundary.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
        else {
            throw APIError.badRequest("the multipart boundary must be 1 to 70 plain characters (RFC 2046)", field: "content_type")
        }
        if let spooled = req.spooledBody {
            return try parse(boundary: boundary, limits: limits) { feed in try BodySpool.read(spooled, feed) }
        }
        guard let body = req.body.data else { throw APIError.badRequest("the multipart body is empty", field: nil) }
        return try parse(body, boundary: boundary, limits: limits)
    }

    static func parse(_ body: ByteBuffer, boundary: String, limits: Limits) throws -> MultipartForm {
        try parse(boundary: boundary, limits: limits) { feed in try feed(body) }
    }

    /// Parses a body that `source` hands over in pieces (all of it at once, or a spooled file piece by piece).
    static func parse(boundary: String, limits: Limits, _ source: ((ByteBuffer) throws -> Void) throws -> Void) throws -> MultipartForm {
        var parts: [Part] = []
        var headers: [(String, String)] = []
        var data = ByteBuffer()
        var problem: APIError? = nil
        var current: (name: String, limit: Int?)? = nil

        func currentPart() -> (name: String, limit: Int?) {
            if let current { return current }
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            let name = parameter("name", in: disposition) ?? ""
            let found = (name, limits.maximumBytes(name))
            current = found
            return found
        }

        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in
            guard problem == nil else { return }
            if headers.count >= 16 || value.utf8.count > 1_024 {
                problem = APIError.badRequest("a multipart part has too many or too long headers", field: nil)
            }
            headers.append((name, value))
        }
        parser.onBody = { (chunk: inout ByteBuffer) in
            guard problem == nil else { return }
            let part = currentPart()
            guard let limit = part.limit else { return }  // a part we do not read: skipped, but counted by the body limit
            if data.readableBytes + chunk.readableBytes > limit {
                problem = APIError(.payloadTooLarge, "payload_too_large",
                                   "part \(part.name) \(part.name == "photos" ? "\(parts.filter { $0.name == part.name }.count + 1) " : "")is larger than \(ByteSize.text(limit))",
                                   field: part.name.isEmpty ? nil : part.name)
                return
            }
            data.writeBuffer(&chunk)
        }
        parser.onPartComplete = {
            defer { headers = []; data = ByteBuffer(); current = nil }
            guard problem == nil else { return }
            let part = currentPart()
            guard part.limit != nil else { return }
            if parts.count >= limits.maximumParts {
                problem = APIError.badRequest("at most \(limits.maximumParts) parts", field: part.name)
                return
            }
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            parts.append(Part(name: part.name, filename: parameter("filename", in: disposition),
                              contentType: headers.first { $0.0.lowercased() == "content-type" }?.1, data: data))
        }
        do {
            try source { piece in try parser.execute(piece) }
        } catch let e as APIError {
            throw e
        } catch {
            throw APIError.badRequest("the multipart body is malformed", field: nil)
        }
        if let problem { throw problem }
        return MultipartForm(parts: parts)
    }

    /// `name="photos"` from a Content-Disposition value (quoted or not).
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let kv = piece.trimmingCharacters(in: .whitespaces)
            guard kv.lowercased().hasPrefix(name + "=") else { continue }
            var value = String(kv.dropFirst(name.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
