import Foundation
import TestSupport
import Testing
@testable import TrackPostgres

/// Binary arrays go to a real PostgreSQL, which reads them with `array_recv` and prints them back as text.
@Suite struct PostgresArrayBinaryTests {
    @Test func everyElementTypeReadsBackAsSent() throws {
        let connection = try PostgresConnection(url: try TestDatabase.create())
        var floats = PostgresArrayBinary(.float8)
        for value in [48.858_37, -0.000_001, 1e300, 0] { floats.append(value) }
        var ints = PostgresArrayBinary(.int4)
        for value: Int32 in [1, -7, .max] { ints.append(value) }
        var bools = PostgresArrayBinary(.bool)
        for value in [true, false] { bools.append(value) }
        var times = PostgresArrayBinary(.timestamp)
        for seconds in [1_795_000_000.123456, 0, -1, 951_782_400] { times.append(Date(timeIntervalSince1970: seconds)) }
        var texts = PostgresArrayBinary(.text)
        for value in [#"{"say":"hi\"\\"}"#, nil, "", "Zoë's 📱"] { texts.append(value) }
        var names = PostgresArrayBinary(.varchar)
        names.append("osmand")

        let result = try connection.execute(
            PreparedStatement(name: "binary_arrays", sql: """
                SELECT $1::float8[]::text, $2::integer[]::text, $3::boolean[]::text, $4::timestamp[]::text,
                       $5::text[]::text, $6::varchar[]::text, $7::timestamp::text, cardinality($5::text[])
                """),
            binary: [floats.bytes, ints.bytes, bools.bytes, times.bytes, texts.bytes, names.bytes,
                     PostgresArrayBinary.timestamp(Date(timeIntervalSince1970: 1_795_000_000.5))],
            context: "binary arrays")

        #expect(result.value(row: 0, column: 0) == "{48.85837,-1e-06,1e+300,0}")
        #expect(result.value(row: 0, column: 1) == "{1,-7,2147483647}")
        #expect(result.value(row: 0, column: 2) == "{t,f}")
        #expect(result.value(row: 0, column: 3) == #"{"2026-11-18 11:06:40.123456","1970-01-01 00:00:00","#
            + #""1969-12-31 23:59:59","2000-02-29 00:00:00"}"#)
        #expect(result.value(row: 0, column: 4) == #"{"{\"say\":\"hi\\\"\\\\\"}",NULL,"","Zoë's 📱"}"#)
        #expect(result.value(row: 0, column: 5) == "{osmand}")
        #expect(result.value(row: 0, column: 6) == "2026-11-18 11:06:40.5")
        #expect(result.value(row: 0, column: 7) == "4")
    }

    @Test func anEmptyArrayIsEmpty() throws {
        let connection = try PostgresConnection(url: try TestDatabase.create())
        let result = try connection.execute(
            PreparedStatement(name: "empty_array", sql: "SELECT cardinality($1::float8[])"),
            binary: [PostgresArrayBinary(.float8).bytes], context: "empty array")
        #expect(result.value(row: 0, column: 0) == "0")
    }
}
