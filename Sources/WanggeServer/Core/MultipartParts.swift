import NIOCore

/// A small, binary-safe reader for multipart/form-data bodies: each part's name, filename, type and bytes.
struct MultipartParts {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var data: [UInt8]
    }

    static func parse(body: ByteBuffer, boundary: String) throws -> [Part] {
        let bytes = Array(buffer: body)
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        guard var start = find(delimiter, in: bytes, from: 0) else {
            throw APIError.badRequest("the multipart body does not contain its boundary", field: nil)
        }
        while true {
            start += delimiter.count
            if start + 1 < bytes.count, bytes[start] == 0x2D, bytes[start + 1] == 0x2D { break }  // closing "--"
            if start + 1 < bytes.count, bytes[start] == 0x0D, bytes[start + 1] == 0x0A { start += 2 }
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: start),
                  let next = find(Array("\r\n--\(boundary)".utf8), in: bytes, from: headerEnd + 4)
            else { throw APIError.badRequest("a multipart part is cut short", field: nil) }
            let headerText = String(decoding: bytes[start..<headerEnd], as: UTF8.self)
            var part = Part(name: "", filename: nil, contentType: nil, data: Array(bytes[(headerEnd + 4)..<next]))
            for line in headerText.split(separator: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    part.name = parameter("name", in: String(line)) ?? ""
                    part.filename = parameter("filename", in: String(line))
                } else if lower.hasPrefix("content-type:") {
                    part.contentType = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
                }
            }
            parts.append(part)
            start = next + 2
        }
        return parts
    }

    private static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let kv = piece.trimmingCharacters(in: .whitespaces)
            guard kv.lowercased().hasPrefix(name + "=") else { continue }
            var value = String(kv.dropFirst(name.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        let first = needle[0]
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

import Foundation
