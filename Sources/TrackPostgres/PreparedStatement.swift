/// A statement prepared once per connection under `name`, so the server parses and plans it once.
public struct PreparedStatement: Sendable {
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}
