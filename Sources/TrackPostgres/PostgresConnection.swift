import Foundation
import CLibPQ

/// Owns one libpq connection. Not thread-safe: use it from one thread at a time (it may be handed
/// from one thread to another, hence `@unchecked Sendable`).
public final class PostgresConnection: @unchecked Sendable {
    private let connection: OpaquePointer
    /// Statements already prepared on this session; a new connection prepares them again.
    private var preparedNames: Set<String> = []

    /// Connects with a libpq URI or key/value string; adds a connect timeout, UTC and a statement timeout.
    public init(url: String, applicationName: String = "itrack", connectTimeout: Int = 5) throws(PostgresError) {
        let keys = ["dbname", "connect_timeout", "application_name", "options"]
        let values = [url, String(connectTimeout), applicationName, "-c TimeZone=UTC -c statement_timeout=30000"]
        let handle = withCStringArray(keys) { keyPointers in
            withCStringArray(values) { valuePointers in PQconnectdbParams(keyPointers, valuePointers, 1) }
        }
        guard let handle else {
            throw PostgresError(code: .connection, context: "connect", message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmedMessage
            PQfinish(handle)
            throw PostgresError(code: .connection, context: "connect", message: message)
        }
        // libpq prints server notices ("relation … already exists, skipping") straight to stderr, which
        // would break JSON log lines; none of the statements here raises a notice worth an operator's time.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        connection = handle
    }

    deinit { PQfinish(connection) }

    /// False once the server has gone away; the owner should replace the connection.
    public var isOpen: Bool { PQstatus(connection) == CONNECTION_OK }

    /// Runs one statement with text parameters (nil is NULL) and returns its rows; without
    /// parameters the text may hold several statements.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = [], context: String) throws(PostgresError)
        -> PostgresResult
    {
        // PQexec (no parameters) accepts several statements, which migrations need.
        let raw: OpaquePointer? = parameters.isEmpty ? PQexec(connection, sql) : withOptionalCStringArray(parameters) {
            PQexecParams(connection, sql, Int32(parameters.count), nil, $0, nil, nil, 0)
        }
        return try checked(raw, context: context)
    }

    /// Runs a statement the server parses and plans once per connection, for statements run every batch.
    @discardableResult
    public func execute(_ statement: PreparedStatement, _ parameters: [String?], context: String)
        throws(PostgresError) -> PostgresResult
    {
        try prepare(statement, context: context)
        let raw = withOptionalCStringArray(parameters) {
            PQexecPrepared(connection, statement.name, Int32(parameters.count), $0, nil, nil, 0)
        }
        return try checked(raw, context: context)
    }

    /// Runs a prepared statement with every parameter in PostgreSQL's binary format (`PostgresArrayBinary`); the
    /// statement's casts name each parameter's type. The result comes back as text.
    @discardableResult
    public func execute(_ statement: PreparedStatement, binary parameters: [[UInt8]], context: String)
        throws(PostgresError) -> PostgresResult
    {
        try prepare(statement, context: context)
        let lengths = parameters.map { Int32($0.count) }
        let formats = [Int32](repeating: 1, count: parameters.count)
        let raw = withByteArrays(parameters) { values in
            PQexecPrepared(connection, statement.name, Int32(parameters.count), values, lengths, formats, 0)
        }
        return try checked(raw, context: context)
    }

    /// Runs a `COPY … TO STDOUT` and hands each row's bytes to `row` as libpq receives them, so a result of any
    /// size streams through in constant memory. `row` returning false cancels the copy, which then throws.
    public func copyOut(_ sql: String, context: String, row: (UnsafeRawBufferPointer) -> Bool)
        throws(PostgresError)
    {
        try checked(PQexec(connection, sql), context: context, expecting: PGRES_COPY_OUT)
        var cancelled = false
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &buffer, 0)
            if length > 0, let buffer {
                let keepGoing = row(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                PQfreemem(buffer)
                if !keepGoing {
                    cancelled = true
                    cancelRunningQuery()
                }
                continue
            }
            if length == -2 { throw failure(context) }
            break
        }
        // The COPY's own outcome, then the end of the results.
        var outcome: PostgresError?
        while let raw = PQgetResult(connection) {
            do {
                try checked(raw, context: context)
            } catch {
                outcome = outcome ?? error
            }
        }
        if let outcome { throw outcome }
        if cancelled {
            throw PostgresError(code: .statement, context: context, message: "cancelled by the reader")
        }
    }

    /// Runs `body` inside BEGIN/COMMIT, rolling back when it throws.
    public func transaction<T>(_ body: () throws(PostgresError) -> T) throws(PostgresError) -> T {
        try execute("BEGIN", context: "begin")
        do {
            let value = try body()
            try execute("COMMIT", context: "commit")
            return value
        } catch {
            if isOpen { _ = try? execute("ROLLBACK", context: "rollback") }
            throw error
        }
    }

    /// Asks the server to stop the statement running on this connection.
    private func cancelRunningQuery() {
        guard let cancel = PQgetCancel(connection) else { return }
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &message, Int32(message.count))
        PQfreeCancel(cancel)
    }

    /// Takes ownership of a result and turns a failed one into an error carrying libpq's message and SQLSTATE.
    @discardableResult
    private func checked(_ raw: OpaquePointer?, context: String, expecting expected: ExecStatusType? = nil)
        throws(PostgresError) -> PostgresResult
    {
        guard let raw else { throw failure(context) }
        let result = PostgresResult(raw)
        let status = PQresultStatus(raw)
        if let expected, status == expected { return result }
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return result
        default:
            let message = String(cString: PQresultErrorMessage(raw)).trimmedMessage
            let state = PQresultErrorField(raw, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw PostgresError(code: isOpen ? .statement : .connection, context: context, message: message,
                                sqlState: state)
        }
    }

    /// Prepares a statement the first time this connection runs it.
    private func prepare(_ statement: PreparedStatement, context: String) throws(PostgresError) {
        guard !preparedNames.contains(statement.name) else { return }
        try checked(PQprepare(connection, statement.name, statement.sql, 0, nil), context: "prepare \(context)")
        preparedNames.insert(statement.name)
    }

    private func failure(_ context: String) -> PostgresError {
        PostgresError(code: isOpen ? .statement : .connection, context: context,
                      message: String(cString: PQerrorMessage(connection)).trimmedMessage)
    }
}

extension String {
    /// libpq's multi-line message as one line, for logs and one-line HTTP reasons.
    var trimmedMessage: String {
        split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}

/// Passes `strings` to C as a NULL-terminated array of C strings that live for the call.
private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    withOptionalCStringArray(strings + [nil]) { body($0!) }
}

/// Passes optional strings to C (nil stays NULL); the pointer is nil for an empty array.
private func withOptionalCStringArray<R>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R
) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body(pointers.isEmpty ? nil : $0.baseAddress) }
}

/// Passes byte arrays to C as an array of pointers into one contiguous copy that lives for the call.
private func withByteArrays<R>(_ arrays: [[UInt8]], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    // One byte more, so the buffer has an address even when every array is empty.
    var joined: [UInt8] = []
    joined.reserveCapacity(arrays.reduce(1) { $0 + $1.count })
    for array in arrays { joined.append(contentsOf: array) }
    joined.append(0)
    return joined.withUnsafeBufferPointer { buffer in
        var offset = 0
        let pointers: [UnsafePointer<CChar>?] = arrays.map { array in
            defer { offset += array.count }
            return UnsafeRawPointer(buffer.baseAddress!.advanced(by: offset)).assumingMemoryBound(to: CChar.self)
        }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
