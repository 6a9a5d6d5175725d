import Vapor
import WanggeCore

/// What a staff page's handler starts from, made once by the route table (`SiteRoute.staffPage`) after the door has
/// checked the account and its role: the account, the language, the page frame's context, the jurisdiction and the
/// reference data.
struct StaffPage: Sendable {
    let req: Request
    let staff: StaffAccount
    let lang: Lang
    /// The frame's context (language, account, path, CSRF token); a page may add warnings to its copy.
    let context: PageContext
    /// The jurisdiction and its version (the maps are cached by version).
    let tree: JurisdictionSnapshot
    let reference: ReferenceCache.Data

    var jurisdiction: Jurisdiction { tree.jurisdiction }

    init(_ req: Request) async throws {
        self.req = req
        staff = try req.requireStaff()
        lang = Lang.of(req)
        context = SessionPages.context(req)
        tree = try await req.wangge.jurisdictions.current(on: req.db, now: req.now)
        reference = try await req.reference()
    }

    /// The page's HTML as the answer (never cached: it shows the signed-in user's work).
    func html(_ text: String) -> Response { SessionPages.html(text) }

    /// `?fragment=1`: the page's live part alone.
    var wantsFragment: Bool { get throws { try req.textQuery("fragment", maxLength: 4) == "1" } }
}
