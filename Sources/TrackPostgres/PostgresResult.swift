import CLibPQ

/// Owns one `PGresult`; values are read as text, the format every statement here asks for.
public final class PostgresResult {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) {
        self.result = result
    }

    deinit { PQclear(result) }

    public var rowCount: Int { Int(PQntuples(result)) }

    /// The text of a cell, or nil for SQL NULL.
    public func value(row: Int, column: Int) -> String? {
        if PQgetisnull(result, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    /// Rows an INSERT, UPDATE or DELETE touched.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    /// All rows as text cells, for small results (device look-ups, tests).
    public var rows: [[String?]] {
        let columns = Int(PQnfields(result))
        return (0..<rowCount).map { row in (0..<columns).map { value(row: row, column: $0) } }
    }
}
