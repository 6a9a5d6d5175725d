/// Which roles see residents' and team members' personal data unmasked (DESIGN §9): the people who have to call
/// them back. Everyone else sees a masked name and phone. Every unmasked view is written to the audit log.
public enum PersonalDataPolicy {
    /// Reporters' names and phones: operators (who call back and give feedback) and administrators.
    public static func seesReporterContacts(_ role: Role) -> Bool { role == .operator || role == .admin }

    /// Grid team members' phones: the people who organise the team.
    public static func seesTeamPhones(_ role: Role) -> Bool { role == .admin || role == .gridLeader || role == .operator }

    /// A reporter's (or later a party's) name and phone as `role` may see them: as given, or masked.
    public static func contact(name: String?, phone: String?, shownTo role: Role) -> (name: String?, phone: String?) {
        seesReporterContacts(role) ? (name, phone) : (name.map(maskedName), phone.map(maskedPhone))
    }

    /// A grid team member's phone as `role` may see it.
    public static func teamPhone(_ phone: String?, shownTo role: Role) -> String? {
        seesTeamPhones(role) ? phone : phone.map(maskedPhone)
    }

    /// A pool mediator's phone: they are staff like a grid team, called by the people who assign them.
    public static func mediatorPhone(_ phone: String?, shownTo role: Role) -> String? { teamPhone(phone, shownTo: role) }

    /// "张三" → "张**".
    public static func maskedName(_ name: String) -> String { String(name.prefix(1)) + "**" }

    /// "13812345678" → "138****5678"; anything shorter than seven characters is all stars.
    public static func maskedPhone(_ phone: String) -> String {
        let chars = Array(phone)
        guard chars.count >= 7 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(3)) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
    }
}

/// One view of personal data, for the audit log: who saw which fields of which record.
public struct PersonalDataView: Sendable, Equatable {
    /// "case" (a reporter's name and phone), "grid_team" (team members' phones); later mediation parties and
    /// registry contacts.
    public var recordKind: String
    public var recordID: String
    public var fields: [String]

    public init(recordKind: String, recordID: String, fields: [String]) {
        self.recordKind = recordKind
        self.recordID = recordID
        self.fields = fields
    }
}
