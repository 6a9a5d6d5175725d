import Fluent
import Foundation
import WanggeCore

final class CategoryModel: Model, @unchecked Sendable {
    static let schema = "categories"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "name_en") var nameEN: String
    @OptionalField(key: "parent_code") var parentCode: String?
    @OptionalField(key: "handler_kind") var handlerKind: String?
    @OptionalField(key: "lead_kind") var leadKind: String?
    @OptionalField(key: "priority") var priority: String?
    @OptionalField(key: "sign_limit") var signLimit: String?
    @OptionalField(key: "resolve_limit") var resolveLimit: String?
    @OptionalField(key: "verify_limit") var verifyLimit: String?
    @Field(key: "photo_required") var photoRequired: Bool
    /// Search words, separated by spaces.
    @Field(key: "keywords") var keywords: String
    @Field(key: "position") var position: Int

    init() {}

    init(_ c: Category, position: Int) {
        code = c.code
        name = c.name
        nameEN = c.nameEN
        parentCode = c.parentCode
        handlerKind = c.handler?.rawValue
        leadKind = c.lead?.rawValue
        priority = c.priority?.rawValue
        signLimit = c.limits?.sign.text
        resolveLimit = c.limits?.resolve.text
        verifyLimit = c.limits?.verify.text
        photoRequired = c.photoRequired
        keywords = c.keywords.joined(separator: " ")
        self.position = position
    }

    func toCategory() throws -> Category {
        var limits: StageLimits? = nil
        if let s = signLimit, let r = resolveLimit, let v = verifyLimit {
            guard let sign = WorkingDuration(s), let resolve = WorkingDuration(r), let verify = WorkingDuration(v) else {
                throw StoreError.corrupt("category \(code) has unreadable limits")
            }
            limits = StageLimits(sign: sign, resolve: resolve, verify: verify)
        }
        return Category(code: code, name: name, nameEN: nameEN, parentCode: parentCode,
                        handler: handlerKind.flatMap(HandlerKind.init(rawValue:)),
                        lead: leadKind.flatMap(DepartmentKind.init(rawValue:)),
                        priority: priority.flatMap(Priority.init(rawValue:)), limits: limits,
                        photoRequired: photoRequired,
                        keywords: keywords.split(separator: " ").map(String.init))
    }
}
