import Foundation
import TestSupport
import Testing
import TrackS3

@Suite struct S3ObjectTests {
    /// Keys the archive's Hive-style layout produces, and worse: spaces, `=`, `+`, non-ASCII, punctuation. Not `//`
    /// or `.`/`..` segments, which SeaweedFS (a file system underneath) merges or refuses, unlike AWS.
    static let oddKeys = [
        "positions/dt=2026-11-28/part-0.csv.gz", "with space/and=equals+plus.bin", "ünïcödé/日本/📍.txt",
        "dots..in/the.name.", "tilde~(paren)!*'&$@,;:?#[]%",
    ]

    @Test func putGetHeadListAndDeleteKeepEachOddKeyIntact() async throws {
        let server = try S3Server.fromEnvironment()
        try await offThread {
            let client = try server.freshBucket("objects")
            for (index, key) in Self.oddKeys.enumerated() {
                let body = patternBytes(1000 + index, seed: UInt8(index))
                let etag = try client.putObject(key: key, body: body, contentType: "application/octet-stream")
                #expect(try client.getObject(key: key) == body, "\(key)")
                let head = try #require(try client.headObject(key: key), "\(key)")
                #expect(head.size == body.count)
                #expect(head.etag == etag)
            }
            let listed = try client.listObjects(prefix: "")
            #expect(Set(listed.map(\.key)) == Set(Self.oddKeys))
            #expect(listed.map(\.size).sorted() == (0..<Self.oddKeys.count).map { 1000 + $0 })

            try client.deleteObject(key: Self.oddKeys[1])
            #expect(try client.headObject(key: Self.oddKeys[1]) == nil)
            #expect(try client.listObjects(prefix: "with space/").isEmpty)
            #expect(try client.listObjects(prefix: "positions/dt=").map(\.key) == [Self.oddKeys[0]])
            try client.deleteObject(key: Self.oddKeys[1])  // deleting what is gone succeeds, as S3 does
        }
    }

    @Test func anEmptyObjectAndAnOverwriteRoundTrip() async throws {
        let server = try S3Server.fromEnvironment()
        try await offThread {
            let client = try server.freshBucket("empty")
            try client.putObject(key: "empty", body: [], contentType: "text/plain")
            #expect(try client.getObject(key: "empty") == [])
            #expect(try client.headObject(key: "empty")?.size == 0)
            try client.putObject(key: "empty", body: Array("now full".utf8), contentType: "text/plain")
            #expect(try client.getObject(key: "empty") == Array("now full".utf8))
        }
    }

    @Test func listingFollowsContinuationTokensAcrossPages() async throws {
        let server = try S3Server.fromEnvironment()
        try await offThread {
            let client = try server.freshBucket("pages")
            let keys = (0..<7).map { "dt=2026-11-2\($0)/part 0.csv.gz" } + ["other/x"]
            for key in keys { try client.putObject(key: key, body: [1], contentType: "text/csv") }
            let listed = try client.listObjects(prefix: "dt=", pageSize: 2)
            #expect(listed.map(\.key) == keys.dropLast().sorted())
        }
    }

    @Test func aMissingObjectIsNilForHeadAndNoSuchKeyForGet() async throws {
        let server = try S3Server.fromEnvironment()
        try await offThread {
            let client = try server.freshBucket("missing")
            #expect(try client.headObject(key: "nope") == nil)
            let error = try #require(throws: S3Error.self) { try client.getObject(key: "no pe") }
            #expect(error.kind == .server)
            #expect(error.status == 404)
            #expect(error.code == "NoSuchKey")
            #expect(error.resource == "\(client.bucket)/no pe")
            #expect(!error.isRetryable)
        }
    }

    @Test func creatingABucketTwiceIsFine() async throws {
        let server = try S3Server.fromEnvironment()
        try await offThread {
            let client = try server.freshBucket("twice")
            try client.createBucket()
            // A bucket outside us-east-1 carries its region in the request body as well.
            let elsewhere = try S3Client(
                settings: server.settings(bucket: S3Server.uniqueBucket("region"), region: "eu-west-1"))
            try elsewhere.createBucket()
            try elsewhere.putObject(key: "k", body: [7], contentType: "application/octet-stream")
            #expect(try elsewhere.getObject(key: "k") == [7])
        }
    }
}
