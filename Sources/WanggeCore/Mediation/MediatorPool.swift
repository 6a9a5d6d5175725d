/// Who may be assigned to a mediation: the pool's mediators who serve the committee's area (issue 17: an
/// assignment used to take any id — a mediator of another township, who then read and acted on the case, an
/// administrator, a name that does not exist, markup).
public enum MediatorPool {
    /// Whether a mediator serving `areaCodes` serves `area`: one of their areas is it, lies above it or below it.
    public static func serves(_ areaCodes: [String], area: String, in j: Jurisdiction) -> Bool {
        areaCodes.contains { j.isWithin(area, ancestor: $0) || j.isWithin($0, ancestor: area) }
    }

    /// Refuses an assignment naming anyone outside `eligible` (the pool members serving the committee's area),
    /// naming the first such id, cut short, in the error.
    public static func checkAssignees(_ ids: [String], eligible: Set<String>) throws(MediationRuleError) {
        for id in ids where !eligible.contains(id.trimmingCharacters(in: .whitespaces)) {
            let shown = String(id.prefix(64).filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
            throw .invalidField(field: "mediator_ids", reason: "names \"\(shown)\", who is not a mediator of the pool serving this committee's area")
        }
    }
}
