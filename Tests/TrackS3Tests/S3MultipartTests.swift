import Foundation
import TestSupport
import Testing
import TrackS3

@Suite struct S3MultipartTests {
    @Test func twoPartsBecomeOneObjectEqualToTheirConcatenation() async throws {
        let server = try S3Server.fromEnvironment()
        try await offThread {
            let client = try server.freshBucket("multipart")
            let key = "positions/dt=2026-11-28/part-0.csv.gz"
            let first = patternBytes(5 * 1024 * 1024, seed: 1)  // the smallest a part but the last may be
            let last = patternBytes(123_457, seed: 2)
            let uploadId = try client.createMultipartUpload(key: key, contentType: "application/gzip")
            // Sent out of order: completion orders them by number.
            let lastTag = try client.uploadPart(key: key, uploadId: uploadId, partNumber: 2, body: last)
            let firstTag = try client.uploadPart(key: key, uploadId: uploadId, partNumber: 1, body: first)
            #expect(try client.headObject(key: key) == nil)  // nothing to see before completion
            try client.completeMultipartUpload(key: key, uploadId: uploadId, parts: [(2, lastTag), (1, firstTag)])

            #expect(try client.getObject(key: key) == first + last)
            #expect(try client.headObject(key: key)?.size == first.count + last.count)
            #expect(try client.listMultipartUploads(prefix: "").isEmpty)
        }
    }

    @Test func abortLeavesNoObjectAndNoUpload() async throws {
        let server = try S3Server.fromEnvironment()
        try await offThread {
            let client = try server.freshBucket("abort")
            let key = "positions/dt=2026-11-29/part-0.csv.gz"
            let started = Date()
            let uploadId = try client.createMultipartUpload(key: key, contentType: "application/gzip")
            let other = try client.createMultipartUpload(key: "elsewhere/x", contentType: "application/gzip")
            _ = try client.uploadPart(key: key, uploadId: uploadId, partNumber: 1, body: patternBytes(1000))

            let listed = try client.listMultipartUploads(prefix: "positions/")
            #expect(listed.map(\.key) == [key])
            #expect(listed.map(\.uploadId) == [uploadId])
            let initiated = try #require(listed.first?.initiated)
            #expect(abs(initiated.timeIntervalSince(started)) < 60)

            try client.abortMultipartUpload(key: key, uploadId: uploadId)
            #expect(try client.listMultipartUploads(prefix: "positions/").isEmpty)
            #expect(try client.listMultipartUploads(prefix: "").map(\.uploadId) == [other])
            #expect(try client.headObject(key: key) == nil)
            #expect(try client.listObjects(prefix: "").isEmpty)
            let error = try #require(throws: S3Error.self) {
                try client.completeMultipartUpload(key: key, uploadId: uploadId, parts: [(1, "\"x\"")])
            }
            #expect(error.code == "NoSuchUpload")
        }
    }

    @Test func listingUploadsFollowsKeyAndUploadIdMarkersAcrossPages() async throws {
        let server = try S3Server.fromEnvironment()
        try await offThread {
            let client = try server.freshBucket("uploadpages")
            // Two uploads of one key, so a page can end between them.
            let keys = ["dt=2026-11-27/p", "dt=2026-11-28/p", "dt=2026-11-28/p", "dt=2026-11-29/p", "other"]
            var started: [String] = []
            for key in keys { started.append(try client.createMultipartUpload(key: key, contentType: "text/csv")) }
            let listed = try client.listMultipartUploads(prefix: "dt=", pageSize: 2)
            // SeaweedFS lists them in upload id order, not by key as AWS does.
            #expect(listed.map(\.key).sorted() == Array(keys.prefix(4)))
            #expect(listed.map(\.uploadId).sorted() == started.prefix(4).sorted())
            for (key, uploadId) in zip(keys, started) { try client.abortMultipartUpload(key: key, uploadId: uploadId) }
        }
    }

    @Test func aPartUnderFiveMebibytesBeforeTheLastIsRefusedOnCompletion() async throws {
        let server = try S3Server.fromEnvironment()
        try await offThread {
            let client = try server.freshBucket("toosmall")
            let uploadId = try client.createMultipartUpload(key: "k", contentType: "application/octet-stream")
            let one = try client.uploadPart(key: "k", uploadId: uploadId, partNumber: 1, body: patternBytes(1000))
            let two = try client.uploadPart(key: "k", uploadId: uploadId, partNumber: 2, body: patternBytes(1000))
            let error = try #require(throws: S3Error.self) {
                try client.completeMultipartUpload(key: "k", uploadId: uploadId, parts: [(1, one), (2, two)])
            }
            #expect(error.status == 400)
            #expect(error.code == "EntityTooSmall")
            #expect(error.operation == "CompleteMultipartUpload")
            try client.abortMultipartUpload(key: "k", uploadId: uploadId)
        }
    }
}
