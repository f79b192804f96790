/// A libpq failure, carrying libpq's own message and the server's SQLSTATE when there is one.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// Could not connect, or the connection broke: retry after reconnecting.
        case connection
        /// The server rejected a statement (see `sqlState`).
        case statement
    }

    public let code: Code
    /// What itrack was doing, e.g. "insert positions".
    public let context: String
    /// libpq's `PQerrorMessage` / `PQresultErrorMessage`, trimmed.
    public let message: String
    /// Five-character SQLSTATE from the server, e.g. `23505`.
    public let sqlState: String?

    public init(code: Code, context: String, message: String, sqlState: String? = nil) {
        self.code = code
        self.context = context
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String {
        "\(context): \(message)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
    }
}
