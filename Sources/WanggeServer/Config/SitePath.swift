/// Every path of the site, as the template the route table registers (parameters start with a colon); links to
/// them are made here too, so a page cannot link to a path that no route serves.
enum SitePath: String, CaseIterable, Sendable {
    case healthz = "/healthz"
    case metrics = "/metrics"

    case apiToken = "/api/v1/auth/token"
    case apiAreas = "/api/v1/areas"
    case apiAreaTeam = "/api/v1/areas/:code/team"
    case apiLocate = "/api/v1/locate"
    case apiCategories = "/api/v1/categories"
    case apiCases = "/api/v1/cases"
    case apiCase = "/api/v1/cases/:id"
    case apiCaseActions = "/api/v1/cases/:id/actions"
    case apiCaseTrackingCode = "/api/v1/cases/:id/tracking-code"
    case apiTrack = "/api/v1/track/:code"
    case apiTrackRating = "/api/v1/track/:code/rating"
    case apiTrackPhoto = "/api/v1/track/:code/photos/:sha"
    case apiMeasures = "/api/v1/measures"
    case apiPhoto = "/api/v1/photos/:sha"
    case apiPhotos = "/api/v1/photos"
    case apiEvents = "/api/v1/events"
    case apiCalendar = "/api/v1/calendar"
    case apiCalendarYear = "/api/v1/calendar/:year"
    case apiAudit = "/api/v1/audit"
    case apiMediationTypes = "/api/v1/mediation-types"
    case apiMediators = "/api/v1/mediators"
    case apiMediations = "/api/v1/mediations"
    case apiMediationMeasures = "/api/v1/mediations/measures"
    case apiMediation = "/api/v1/mediations/:id"
    case apiMediationSuggested = "/api/v1/mediations/:id/suggested-mediators"
    case apiMediationActions = "/api/v1/mediations/:id/actions"

    case home = "/"
    case login = "/login"
    case logout = "/logout"
    case areas = "/areas"
    case workbench = "/workbench"
    case dashboard = "/dashboard"
    case screen = "/screen"
    case report = "/report"
    case worker = "/worker"
    case serviceWorker = "/sw.js"
    case trackForm = "/track"
    case track = "/track/:code"
    case trackRating = "/track/:code/rating"
    case caseView = "/cases/:id"
    case audit = "/audit"
    case apiKeysPage = "/api-keys"
    case apiKeyRevoke = "/api-keys/:name/revoke"
    case mediations = "/mediations"
    case mediationView = "/mediations/:id"
    case mediationAgreement = "/mediations/:id/agreement"
    case safetyIndex = "/safety-index"
    case safetyArea = "/safety-index/areas/:code"
    case safetyFormula = "/safety-index/formula"
    case publicSafety = "/safety/:code"
    case monthlyReport = "/reports/monthly"
    case warnings = "/warnings"
    case assessments = "/assessments"
    case registry = "/registry"
    case apiSafetyFormula = "/api/v1/safety-index/formula"
    case apiSafetyPreview = "/api/v1/safety-index/formula/preview"
    case apiWarningActions = "/api/v1/warnings/:id/actions"
    case risks = "/risks"
    case riskView = "/risks/:id"
    case apiRisksExport = "/api/v1/risks/export"
    case apiRisksImport = "/api/v1/risks/import"
    case apiRiskActions = "/api/v1/risks/:id/actions"
    case apiHeightenedPeriods = "/api/v1/heightened-periods"
    case apiHeightenedPeriodCallOff = "/api/v1/heightened-periods/:id/call-off"
    case apiGraveEvents = "/api/v1/grave-events"
    case apiGraveEventWithdraw = "/api/v1/grave-events/:id/withdraw"
    case apiPlaceTypes = "/api/v1/place-types"
    case apiChecklists = "/api/v1/checklists"
    case apiRegistry = "/api/v1/registry/:kind"
    case apiRegistryEntry = "/api/v1/registry/:kind/:id"
    case apiRegistryImport = "/api/v1/registry/:kind/import"
    case apiRegistryExport = "/api/v1/registry/:kind/export"
    case registryEntry = "/registry/:kind/:id"
    case apiInspections = "/api/v1/inspections"
    case apiVisits = "/api/v1/visits"
    case apiCoverage = "/api/v1/coverage"
    case apiFieldToday = "/api/v1/field/today"
    case apiAssessments = "/api/v1/assessments"
    case apiPatrols = "/api/v1/patrols"
    case apiCarePlans = "/api/v1/care-plans"
    case apiCarePlan = "/api/v1/care-plans/:id"
    case apiCareVisits = "/api/v1/care-plans/:id/visits"
    case apiPatrolFindings = "/api/v1/patrols/:id/findings"
    case apiPatrolEnd = "/api/v1/patrols/:id/end"
    case apiAssessmentFormula = "/api/v1/assessments/formula"

    /// The paths the pages' scripts build URLs from (`W.path(name, params)`), sent in each page's data block.
    static let forScripts: [SitePath] = [.apiEvents, .apiLocate, .apiCases, .apiCaseActions, .apiPhotos, .track, .worker, .serviceWorker,
                                         .apiMediations, .apiMediationActions, .mediationView, .apiCaseTrackingCode,
                                         .apiSafetyFormula, .apiSafetyPreview, .apiWarningActions, .apiRisksImport, .apiRiskActions,
                                         .apiHeightenedPeriods, .apiHeightenedPeriodCallOff, .apiGraveEvents, .apiGraveEventWithdraw,
                                         .apiInspections, .apiVisits, .apiRegistryImport, .apiRegistryEntry, .apiRegistry, .apiCarePlans, .apiPatrols, .apiPatrolFindings, .apiPatrolEnd, .apiCareVisits]

    /// The name scripts know the path by: the case's name.
    var name: String { String(describing: self) }

    var template: String { rawValue }

    /// The names of the parameters, in order ("/cases/:id" → ["id"]).
    var parameters: [String] { rawValue.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) } }

    /// Whether a request path is one of this template's ("/cases/AL-1" is a `caseView`).
    func matches(_ path: String) -> Bool {
        let want = rawValue.split(separator: "/"), have = path.split(separator: "/")
        return want.count == have.count && zip(want, have).allSatisfy { $0.hasPrefix(":") ? !$1.isEmpty : $0 == $1 }
    }

    /// A link: the parameters filled in order and percent-encoded, then the query with nil values left out
    /// (`SitePath.caseView.link(id, query: ["back": back])`).
    func link(_ values: String..., query: KeyValuePairs<String, String?> = [:]) -> String {
        link(values, queryItems: query.map { ($0.key, $0.value) })
    }

    func link(_ values: [String], queryItems: [(String, String?)]) -> String {
        precondition(values.count == parameters.count, "\(rawValue) takes \(parameters.count) parameters, not \(values.count)")
        var next = values.makeIterator()
        var path = rawValue.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            guard part.hasPrefix(":") else { return String(part) }
            let value = next.next()!
            // "." and ".." are unreserved but would be read as "this" and "the parent" segment.
            return value == "." || value == ".." ? value.replacingOccurrences(of: ".", with: "%2E") : Self.escape(value)
        }.joined(separator: "/")
        let items = queryItems.compactMap { name, value in value.map { Self.escape(name) + "=" + Self.escape($0) } }
        if !items.isEmpty { path += "?" + items.joined(separator: "&") }
        return path
    }

    /// Percent-encodes all but the unreserved characters of RFC 3986 (ASCII letters, digits, "-", ".", "_", "~"),
    /// so a value can hold "/", "?", "&", "#", spaces or Chinese and still be one path segment or query value.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}
