import Foundation
import TrackCore

extension StoredUser {
    private static let columnNames = ["id", "name", "email", "login", "administrator", "readonly", "disabled",
                                      "expirationtime", "attributes", "devicelimit"]
    /// The `tc_users` columns `init(_:row:)` reads, as a select list.
    static let columns = columnNames.joined(separator: ", ")
    /// The same, qualified for a join with `tc_users u`.
    static let joinedColumns = columnNames.map { "u." + $0 }.joined(separator: ", ")

    /// Reads `columns` from `row`; nil when the id is missing.
    init?(_ result: PostgresResult, row: Int) {
        func text(_ column: Int) -> String? { result.value(row: row, column: column) }
        guard let id = text(0).flatMap({ Int($0) }) else { return nil }
        self.init(id: id, name: text(1) ?? "", email: text(2) ?? "", login: text(3), administrator: text(4) == "t",
                  readonly: text(5) == "t", disabled: text(6) == "t",
                  expirationTime: text(7).flatMap(PostgresText.date(fromTimestamp:)), attributes: text(8) ?? "{}",
                  deviceLimit: text(9).flatMap { Int($0) } ?? -1)
    }

    /// Every row of `result`, read with `init(_:row:)`.
    static func rows(_ result: PostgresResult) -> [StoredUser] {
        (0..<result.rowCount).compactMap { StoredUser(result, row: $0) }
    }
}
