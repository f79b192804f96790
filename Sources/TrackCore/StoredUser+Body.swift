import Foundation

extension StoredUser {
    /// The widest text each column holds (`tc_users`' varchar sizes); bcrypt reads only a password's first 72
    /// bytes, so a longer one is refused rather than silently cut.
    static let limits = (name: 128, email: 128, login: 128, attributes: 4000, passwordBytes: 72)

    /// A user before any body is read: no rights beyond their own devices, no expiry, no device limit.
    public static let newUser = StoredUser(id: 0, name: "", email: "", login: nil, administrator: false,
                                           readonly: false, disabled: false, expirationTime: nil, attributes: "{}",
                                           deviceLimit: -1)

    /// Reads the JSON body of `POST /api/users` (`base` nil: `name`, `email` and `password` are required) or
    /// `PUT /api/users/{id}` (`base` the stored user: a member left out or null keeps its value, except that
    /// `expirationTime: null` removes the expiry and `login: ""` the login).
    ///
    /// Returns the user and the new password, nil to keep the old one: an empty `password` keeps it too, since
    /// Traccar's web app sends the whole user back. `id` and what this server does not store (`phone`, `map`,
    /// `userLimit`…) are ignored.
    public static func read(json: [UInt8], over base: StoredUser?) throws(JSONBody.Failure)
        -> (user: StoredUser, password: String?)
    {
        let body = try JSONBody(json, what: "user body")
        let creating = base == nil
        let limits = Self.limits
        var user = base ?? newUser
        // A member that may not be empty: required when creating, kept when absent or null otherwise.
        func filled(_ key: String, limit: Int) throws(JSONBody.Failure) -> String? {
            if !creating, try body.text(key, limit: limit, required: false) == nil { return nil }
            return try body.text(key, limit: limit, required: true)
        }
        if let name = try filled("name", limit: limits.name) { user.name = name }
        if let email = try filled("email", limit: limits.email) { user.email = email }
        if let login = try body.text("login", limit: limits.login, required: false) {
            user.login = login.isEmpty ? nil : login
        }
        if let administrator = try body.bool("administrator") { user.administrator = administrator }
        if let readonly = try body.bool("readonly") { user.readonly = readonly }
        if let disabled = try body.bool("disabled") { user.disabled = disabled }
        if let limit = try body.integer("deviceLimit", in: -1...Int(Int32.max)) { user.deviceLimit = limit }
        if body.has("expirationTime") { user.expirationTime = try expirationTime(body) }
        if body.has("attributes") { user.attributes = try body.attributes(limit: limits.attributes) }

        let password = creating
            ? try body.text("password", limit: limits.passwordBytes, required: true)
            : try body.text("password", limit: limits.passwordBytes, required: false).flatMap { $0.isEmpty ? nil : $0 }
        if let password, password.utf8.count > limits.passwordBytes {
            throw JSONBody.Failure("password has \(password.utf8.count) bytes in UTF-8, more than the "
                                   + "\(limits.passwordBytes) bcrypt reads")
        }
        return (user, password)
    }

    /// What someone who is not an administrator may not change of their own account (Traccar's
    /// `checkUserUpdate`): their rights (`administrator`, `readonly`, `disabled`), their `deviceLimit`, and an
    /// expiry moved later or removed. Returns the name of the first such member `self` changes from `before`;
    /// nil when the edit is theirs to make.
    public func privilegeChange(from before: StoredUser) -> String? {
        if administrator != before.administrator { return "administrator" }
        if readonly != before.readonly { return "readonly" }
        if disabled != before.disabled { return "disabled" }
        if deviceLimit != before.deviceLimit { return "deviceLimit" }
        if let old = before.expirationTime, expirationTime.map({ $0 > old }) ?? true { return "expirationTime" }
        return nil
    }

    /// `expirationTime` as Traccar writes times (any ISO 8601 zone accepted); nil for null.
    private static func expirationTime(_ body: JSONBody) throws(JSONBody.Failure) -> Date? {
        guard let text = try body.text("expirationTime", limit: 64, required: false) else { return nil }
        guard let date = TraccarTime.date(from: text) else {
            throw JSONBody.Failure("expirationTime must be a time with a zone, like 2027-01-31T00:00:00.000+00:00, "
                                   + "got \(text)")
        }
        return date
    }
}
