import Foundation
import Testing
import TrackZlib

@Suite struct GzipTests {
    @Test func emptyInputBecomesAGzipFileOfNothing() throws {
        let compressed = try gzip([])
        #expect(compressed.starts(with: [0x1f, 0x8b]))
        #expect(try GzipDecompressor.decompress(compressed) == [])
        #expect(try systemGunzip(compressed) == [])
    }

    @Test func smallInputRoundTrips() throws {
        let csv = Array("id,deviceid,valid\n1,42,t\n2,42,f\n".utf8)
        let compressed = try gzip([csv])
        #expect(try GzipDecompressor.decompress(compressed) == csv)
        #expect(try systemGunzip(compressed) == csv)
    }

    @Test(arguments: [0, 1, 6, 9] as [Int32])
    func everyLevelRoundTrips(level: Int32) throws {
        let csv = CSVRows.make(bytes: 300_000)
        let compressed = try gzip([csv], level: level)
        #expect(try GzipDecompressor.decompress(compressed) == csv)
        if level > 0 { #expect(compressed.count < csv.count / 3) }
    }

    @Test func twentyMegabytesInOddChunksMatchWhatGzipReads() throws {
        let csv = CSVRows.make(bytes: 20_000_000)
        let sizes = [1, 3, 577, 8191, 65_537, 1_048_573, 4_999_999]
        var pieces: [[UInt8]] = []
        var offset = 0
        while offset < csv.count {
            let size = min(sizes[pieces.count % sizes.count], csv.count - offset)
            pieces.append(Array(csv[offset..<offset + size]))
            offset += size
        }
        let compressed = try gzip(pieces)
        #expect(compressed.count < csv.count / 3)
        #expect(try GzipDecompressor.decompress(compressed) == csv)
        #expect(try systemGunzip(compressed) == csv)
    }

    @Test func rawBufferAndArrayInputsGiveTheSameFile() throws {
        let csv = CSVRows.make(bytes: 200_000)
        let compressor = try GzipCompressor()
        var output: [UInt8] = []
        try csv.withUnsafeBytes { try compressor.compress($0, into: &output) }
        try compressor.finish(into: &output)
        #expect(output == (try gzip([csv])))
    }

    @Test func outputMayBeShippedAndClearedBetweenCalls() throws {
        let csv = CSVRows.make(bytes: 2_000_000)
        let compressor = try GzipCompressor()
        var shipped: [UInt8] = []
        var output: [UInt8] = []
        for start in stride(from: 0, to: csv.count, by: 100_000) {
            try compressor.compress(Array(csv[start..<min(start + 100_000, csv.count)]), into: &output)
            shipped += output
            output.removeAll(keepingCapacity: true)
        }
        try compressor.finish(into: &output)
        shipped += output
        #expect(try GzipDecompressor.decompress(shipped) == csv)
    }

    @Test func finishingTwiceAddsNothing() throws {
        let compressor = try GzipCompressor()
        var output: [UInt8] = []
        try compressor.compress(Array("1,42\n".utf8), into: &output)
        try compressor.finish(into: &output)
        let complete = output
        try compressor.finish(into: &output)
        #expect(output == complete)
    }

    @Test func compressingAfterFinishIsAnError() throws {
        let compressor = try GzipCompressor()
        var output: [UInt8] = []
        try compressor.finish(into: &output)
        let error = try #require(throws: ZlibError.self) { try compressor.compress([1, 2, 3], into: &output) }
        #expect(error.code == .streamError)
        #expect(error.message == "stream error")
        #expect(error.context == "compress gzip stream")
    }

    @Test func aLevelOutsideZlibsRangeIsRefused() throws {
        let error = try #require(throws: ZlibError.self) { try GzipCompressor(level: 12) }
        #expect(error.code == .streamError)
        #expect(error.message == "stream error")
        #expect(error.context == "start gzip compression at level 12")
        #expect(error.description == "start gzip compression at level 12: stream error (stream error)")
    }

    @Test func concatenatedMembersDecompressToTheirConcatenation() throws {
        let first = CSVRows.make(bytes: 100_000)
        let second = Array("id,deviceid\n7,8\n".utf8)
        let joined = try gzip([first]) + gzip([]) + gzip([second])
        #expect(try GzipDecompressor.decompress(joined) == first + second)
        #expect(try systemGunzip(joined) == first + second)
    }

    @Test func garbageFailsWithZlibsMessage() throws {
        let error = try #require(throws: ZlibError.self) {
            try GzipDecompressor.decompress(Array("id,deviceid\n1,42\n".utf8))
        }
        #expect(error.code == .dataError)
        #expect(error.message == "incorrect header check")
        #expect(error.context == "decompress gzip member 1 at input byte 0")
    }

    @Test func aCorruptChecksumInALaterMemberNamesThatMember() throws {
        let first = try gzip([Array("first\n".utf8)])
        var second = try gzip([Array("second\n".utf8)])
        second[second.count - 8] ^= 0xff  // the trailer's CRC-32
        let error = try #require(throws: ZlibError.self) { try GzipDecompressor.decompress(first + second) }
        #expect(error.code == .dataError)
        #expect(error.message == "incorrect data check")
        #expect(error.context == "decompress gzip member 2 at input byte \(first.count)")
    }

    @Test func aTruncatedFileIsAnError() throws {
        let compressed = try gzip([CSVRows.make(bytes: 50_000)])
        let error = try #require(throws: ZlibError.self) {
            try GzipDecompressor.decompress(Array(compressed.dropLast(4)))
        }
        #expect(error.code == .bufferError)
        #expect(error.message == "buffer error")
        #expect(error.context == "decompress gzip member 1 at input byte 0 (the input ends inside it)")
    }

    @Test func emptyInputIsNotAGzipFile() throws {
        let error = try #require(throws: ZlibError.self) { try GzipDecompressor.decompress([]) }
        #expect(error.code == .bufferError)
        #expect(error.context == "decompress gzip member 1 at input byte 0 (the input ends inside it)")
    }

    /// One gzip member of `pieces`, fed one call each.
    private func gzip(_ pieces: [[UInt8]], level: Int32 = GzipCompressor.defaultLevel) throws -> [UInt8] {
        let compressor = try GzipCompressor(level: level)
        var output: [UInt8] = []
        for piece in pieces { try compressor.compress(piece, into: &output) }
        try compressor.finish(into: &output)
        return output
    }

    /// What `gzip -dc` makes of `data`; fails the test when gzip reports a problem.
    private func systemGunzip(_ data: [UInt8]) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gunzip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.gz")
        let output = directory.appendingPathComponent("out")
        try Data(data).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", input.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return Array(try Data(contentsOf: output))
    }
}

/// Rows as the daily archive's `COPY … (FORMAT csv, HEADER)` writes them: ids counting up, a few devices
/// moving, float8 columns in PostgreSQL's shortest form, JSON attributes with doubled quotes.
private enum CSVRows {
    static let header = "id,deviceid,uniqueid,protocol,servertime,devicetime,fixtime,valid,latitude,longitude,"
        + "altitude,speed,course,accuracy,attributes\n"

    /// At least `bytes` bytes of CSV: the header, then whole rows; the same every time.
    static func make(bytes: Int) -> [UInt8] {
        var random = SplitMix64(seed: 2026)
        var csv = Array(header.utf8)
        csv.reserveCapacity(bytes + 400)
        var id = 73_000_000
        var second = 0
        while csv.count < bytes {
            id += 1
            second += Int(random.next() % 3)
            let device = 1 + Int(random.next() % 40)
            let time = timestamp(second)
            let imei = 860_000_000_000_000 + device * 7919
            let latitude = 48.1 + Double(random.next() % 2_000_000) / 1e7
            let longitude = 11.5 + Double(random.next() % 2_000_000) / 1e7
            let altitude = Double(500 + random.next() % 300) / 10
            let speed = Double(random.next() % 4000) / 100 * 1.943844  // km/h to knots: long float8 texts
            let course = Double(random.next() % 3600) / 10
            let attributes = "{\"\"batteryLevel\"\":\(random.next() % 100).0,"
                + "\"\"distance\"\":\(Double(random.next() % 100_000) / 1000),"
                + "\"\"totalDistance\"\":\(Double(id) * 3.7),\"\"motion\"\":\(speed > 1)}"
            let row = "\(id),\(device),\(imei),osmand,\(time).\(100 + id % 900)+00,\(time)+00,\(time)+00,"
                + "\(device % 9 == 0 ? "f" : "t"),\(latitude),\(longitude),\(altitude),\(speed),\(course),"
                + "\(random.next() % 30),\"\(attributes)\"\n"
            csv += row.utf8
        }
        return csv
    }

    /// `2026-03-02 08:00:00` plus `seconds`, as PostgreSQL prints a timestamp.
    private static func timestamp(_ seconds: Int) -> String {
        let hour = (8 + seconds / 3600) % 24
        return "2026-03-02 \(twoDigits(hour)):\(twoDigits(seconds / 60 % 60)):\(twoDigits(seconds % 60))"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// A seeded generator, so the CSV is the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed &>> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed &>> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed &>> 31)
    }
}
