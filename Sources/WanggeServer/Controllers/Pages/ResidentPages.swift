import Vapor
import WanggeCore
import WanggeStore

/// The resident's pages: no account. Reporting sends the same multipart request as any API client.
enum ResidentPages {
    struct CategoryChoice: Encodable {
        var code: String, name: String, nameEn: String, major: String, majorEn: String, keywords: [String], photo: Bool
    }

    /// `GET /report`
    static func report(_ req: Request) async throws -> Response {
        let ref = try await req.reference()
        let j = try await req.jurisdiction()
        let lang = Lang.of(req)
        let catalogue = ref.catalogue
        let majors = catalogue.majors.map { m in (m, catalogue.categories.filter { $0.parentCode == m.code }) }
        let choices = majors.flatMap { m, minors in
            minors.map { CategoryChoice(code: $0.code, name: $0.name, nameEn: $0.nameEN, major: m.name, majorEn: m.nameEN,
                                        keywords: $0.keywords, photo: $0.photoRequired) }
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let json = String(decoding: try encoder.encode(choices), as: UTF8.self)
        let version = try await req.wangge.jurisdictions.current(on: req.db, now: req.now).version
        let map = await req.wangge.maps.cached("tap|\(version)|\(lang.rawValue)") { tapMap(j, title: lang.t(.tapMap)) }
        return SessionPages.html(ResidentViews.report(categoriesJSON: json, majors: majors, mapSVG: map, SessionPages.context(req)))
    }

    /// The county's villages, light enough for a phone, to tap a place on.
    static func tapMap(_ j: Jurisdiction, title: String) -> String {
        guard let root = j.root else { return "" }
        let villages = j.areas.filter { $0.level == .village && $0.boundary != nil }
        let shown = villages.isEmpty ? j.areas.filter { $0.level == .grid && $0.boundary != nil } : villages
        let boxes = shown.compactMap { $0.boundary?.bbox }
        guard let first = boxes.first else { return "" }
        let frame = root.boundary?.bbox ?? boxes.reduce(first) { $0.union($1) }
        let townships = j.children(of: root.code)
        return AreaMap.svg(shown, frame: frame, AreaMap.Options(width: 800, cssClass: "map tap", title: title,
                                                                fill: JurisdictionMap.townshipFill(j, otherwise: "#dbe4ee"))) { proj in
            townships.compactMap { t in t.boundary.map { s in
                let p = s.interiorPoint
                return "<text class=\"label\" x=\"\(Int(proj.x(p)))\" y=\"\(Int(proj.y(p)))\">\(HTML.escape(t.name))</text>"
            } }.joined() + "<circle class=\"pin\" id=\"pin\" r=\"10\" cx=\"-100\" cy=\"-100\"/>"
        }
    }

    /// `GET /track` (with `?code=` it goes to that report's page).
    static func trackForm(_ req: Request) async throws -> Response {
        let lang = Lang.of(req)
        guard let raw = try req.textQuery("code", maxLength: 40) else {
            return SessionPages.html(ResidentViews.trackForm(SessionPages.context(req), code: "", error: nil))
        }
        let code = raw.uppercased()
        if CaseCodes.isTrackingCode(code), try await CaseQueries.find(trackingCode: code, on: req.db) != nil {
            return req.redirect(to: SitePath.track.link(code))
        }
        let r = SessionPages.html(ResidentViews.trackForm(SessionPages.context(req), code: raw, error: lang.t(.noSuchCode)))
        r.status = .notFound
        return r
    }

    /// `GET /track/{code}`: the public timeline and, once closed, the rating form.
    static func track(_ req: Request) async throws -> Response {
        let lang = Lang.of(req)
        let c: StoredCase
        do { c = try await TrackingAPI.tracked(req) } catch {
            let r = SessionPages.html(ResidentViews.trackForm(SessionPages.context(req), code: req.parameters.get("code") ?? "", error: lang.t(.noSuchCode)))
            r.status = .notFound
            return r
        }
        let message = try req.textQuery("rated", maxLength: 4) == "1" ? lang.t(.thanksRating) : nil
        return SessionPages.html(ResidentViews.track(try await TrackingAPI.dto(c, on: req), SessionPages.context(req), message: message, error: nil))
    }

    /// `POST /track/{code}/rating` from the follow page's form.
    static func rate(_ req: Request) async throws -> Response {
        let lang = Lang.of(req)
        let c = try await TrackingAPI.tracked(req)
        struct Form: Content { var rating: String?; var comment: String? }
        let form = try req.content.decode(Form.self)
        do {
            guard let rating = form.rating, !rating.isEmpty else { throw APIError.badRequest("choose a rating", field: "rating") }
            let comment = form.comment?.trimmingCharacters(in: .whitespacesAndNewlines)
            try await TrackingAPI.rate(c, body: .init(rating: rating, comment: comment?.isEmpty == true ? nil : comment), on: req)
        } catch {
            // The API's answer to this error (a refusal by the rules, a conflict, bad input), shown on the page.
            let e = ErrorRendering.apiError(error)
            guard e.status != .internalServerError else { throw error }
            let r = SessionPages.html(ResidentViews.track(try await TrackingAPI.dto(c, on: req), SessionPages.context(req), message: nil,
                                                          error: Text.apiError(code: e.code, field: e.field).map { lang.t($0) } ?? e.message))
            r.status = e.status
            return r
        }
        return req.redirect(to: SitePath.track.link(c.trackingCode, query: ["rated": "1"]), redirectType: .normal)
    }
}
