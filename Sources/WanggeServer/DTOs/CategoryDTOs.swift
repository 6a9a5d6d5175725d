import Vapor
import WanggeCore

struct CategoryDTO: Content {
    struct Limits: Content { var sign: String; var resolve: String; var verify: String }
    var code: String
    var name: String
    var nameEn: String
    var parentCode: String?
    var handlerKind: String?
    var leadKind: String?
    var priority: String?
    var limits: Limits?
    var photoRequired: Bool
    var keywords: [String]

    init(_ c: Category) {
        code = c.code
        name = c.name
        nameEn = c.nameEN
        parentCode = c.parentCode
        handlerKind = c.handler?.rawValue
        leadKind = c.lead?.rawValue
        priority = c.priority?.rawValue
        limits = c.limits.map { Limits(sign: $0.sign.text, resolve: $0.resolve.text, verify: $0.verify.text) }
        photoRequired = c.photoRequired
        keywords = c.keywords
    }
}

struct CategoryListDTO: Content {
    var categories: [CategoryDTO]
}
