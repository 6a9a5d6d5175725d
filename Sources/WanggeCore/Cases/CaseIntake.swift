/// The facts fixed when a case is reported; carried by the `report` action so that replaying the actions alone
/// rebuilds the case. Personal data (the reporter's name and phone, the words) stays on the case row, not here.
public struct CaseIntake: Hashable, Sendable, Codable {
    /// The case code, like `AJ-20261123-000123`.
    public var code: String
    /// The 小类.
    public var categoryCode: String
    /// The category's limits when the case was reported. A later change of the catalogue does not move the
    /// deadlines of cases already in the loop.
    public var limits: StageLimits
    /// The areas containing the case, smallest first (grid, village, township, county).
    public var areas: [AreaRef]
    public var point: GeoPoint?
    public var source: CaseSource
    /// Whether a member of the public reported it and can be fed back to and rate it (residents and hotline
    /// callers always can, through the tracking code).
    public var hasReporter: Bool
    /// The centre that receives the case, from routing.
    public var centre: CaseCentre
    /// The department routing proposes for the dispatch, if any.
    public var routedDepartmentCode: String?
    /// Why routing sent it there (Chinese, then English).
    public var routingReason: String

    public init(code: String, categoryCode: String, limits: StageLimits, areas: [AreaRef], point: GeoPoint?,
                source: CaseSource, hasReporter: Bool, centre: CaseCentre, routedDepartmentCode: String?,
                routingReason: String) {
        self.code = code
        self.categoryCode = categoryCode
        self.limits = limits
        self.areas = areas
        self.point = point
        self.source = source
        self.hasReporter = hasReporter
        self.centre = centre
        self.routedDepartmentCode = routedDepartmentCode
        self.routingReason = routingReason
    }

    /// The intake of a routed case. Nil when the category is a 大类 (no limits) or the location is outside.
    public init?(code: String, category: Category, location: Location, point: GeoPoint?, source: CaseSource,
                 hasReporter: Bool, routing: RoutingDecision) {
        guard let limits = category.limits, !location.isOutside else { return nil }
        self.init(code: code, categoryCode: category.code, limits: limits, areas: location.chain.map(AreaRef.init),
                  point: point, source: source, hasReporter: hasReporter, centre: CaseCentre(routing.operatorArea),
                  routedDepartmentCode: routing.assigneeDepartment?.code, routingReason: routing.reason)
    }
}

extension StageLimits: Codable {
    private enum CodingKeys: String, CodingKey { case sign, resolve, verify }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(sign: try c.decode(WorkingDuration.self, forKey: .sign),
                  resolve: try c.decode(WorkingDuration.self, forKey: .resolve),
                  verify: try c.decode(WorkingDuration.self, forKey: .verify))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sign, forKey: .sign)
        try c.encode(resolve, forKey: .resolve)
        try c.encode(verify, forKey: .verify)
    }
}
