import Foundation
import TrackCore

extension StoredDevice {
    /// The `tc_devices` columns this reads, after the id, as a select list for `table`'s alias.
    static func columns(table: String) -> String {
        ["name", "uniqueid", "status", "lastupdate", "positionid", "groupid", "calendarid", "phone", "model", "contact",
         "category", "disabled", "expirationtime", "attributes"].map { "\(table).\($0)" }.joined(separator: ", ")
    }

    /// Reads `columns(table:)` starting at `column` of `row`.
    init(id: Int, _ result: PostgresResult, row: Int, from column: Int) {
        func text(_ offset: Int) -> String? { result.value(row: row, column: column + offset) }
        func time(_ offset: Int) -> Date? { text(offset).flatMap(PostgresText.date(fromTimestamp:)) }
        self.init(
            id: id, name: text(0) ?? "", uniqueId: text(1) ?? "", status: text(2), lastUpdate: time(3),
            positionId: text(4).flatMap { Int64($0) }, groupId: text(5).flatMap { Int($0) },
            calendarId: text(6).flatMap { Int($0) }, phone: text(7), model: text(8), contact: text(9),
            category: text(10), disabled: text(11) == "t", expirationTime: time(12), attributes: text(13) ?? "{}")
    }
}
