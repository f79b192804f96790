import Foundation
import Logging
import TrackPostgres

/// Makes the first administrator when there are no users, so a fresh server can be logged into: from
/// `ITRACK_ADMIN_EMAIL` and `ITRACK_ADMIN_PASSWORD`, or `admin` with a generated password logged once (set the
/// variables where logs are shipped elsewhere).
enum AdminBootstrap {
    static func run(url: String, environment: [String: String], logger: Logger) throws {
        let store = AccountStore(connection: try PostgresConnection(url: url, applicationName: "itrack-bootstrap"))
        guard try store.userCount() == 0 else { return }
        let email = environment["ITRACK_ADMIN_EMAIL"].flatMap { $0.isEmpty ? nil : $0 } ?? "admin"
        let given = environment["ITRACK_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let password = given ?? generatedPassword()
        let user = try store.createUser(name: "admin", email: email, password: password, administrator: true)
        var metadata: Logger.Metadata = ["email": "\(user.email)"]
        // The one time a generated password can be learnt; through the logger, so JSON log lines stay JSON.
        if given == nil { metadata["password"] = "\(password)" }
        logger.notice("administrator created", metadata: metadata)
    }

    private static func generatedPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
