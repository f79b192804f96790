import Foundation
import TestSupport
import Testing
import TrackS3

@Suite struct S3ErrorTests {
    @Test func aWrongSecretGivesSignatureDoesNotMatchWithoutTheSecretInTheError() async throws {
        let server = try S3Server.fromEnvironment()
        let wrongSecret = "not-the-secret-\(UUID().uuidString)"
        try await offThread {
            let bucket = try server.freshBucket("signature").bucket
            let client = try S3Client(settings: server.settings(bucket: bucket, secretKey: wrongSecret))
            let error = try #require(throws: S3Error.self) {
                try client.putObject(key: "a b", body: [1, 2, 3], contentType: "application/octet-stream")
            }
            #expect(error.kind == .server)
            #expect(error.status == 403)
            #expect(error.code == "SignatureDoesNotMatch")
            #expect(error.message.contains("signature"))
            #expect(!error.isRetryable)
            let text = "\(error) \(String(reflecting: error))"
            #expect(text.contains("PutObject \(bucket)/a b: HTTP 403 SignatureDoesNotMatch: "))
            #expect(!text.contains(wrongSecret))
            #expect(!text.contains(server.secretKey))
        }
    }

    @Test func aRefusedConnectionIsARetryableTransportErrorNamingCurlsReason() async throws {
        let port = FreePort.next()  // free a moment ago, and nothing listens on it now
        try await offThread {
            let client = try S3Client(
                settings: S3Client.Settings(
                    endpoint: "http://127.0.0.1:\(port)", region: "us-east-1", bucket: "b", pathStyle: true,
                    accessKey: "AKIDTEST", secretKey: "secret-never-shown", timeout: .seconds(5)))
            let error = try #require(throws: S3Error.self) { try client.getObject(key: "k") }
            #expect(error.kind == .transport)
            #expect(error.status == nil)
            #expect(error.curlCode == 7)  // CURLE_COULDNT_CONNECT
            #expect(error.message.hasPrefix("Couldn't connect to server"))
            #expect(error.message.contains("127.0.0.1 port \(port)"))
            #expect(error.isRetryable)
            #expect(!"\(error)".contains("secret-never-shown"))
        }
    }

    @Test func anEndpointThatIsNoHTTPURLIsRefusedAtOnceForGood() throws {
        let settings = S3Client.Settings(
            endpoint: "127.0.0.1:9000", region: "us-east-1", bucket: "b", pathStyle: true, accessKey: "a",
            secretKey: "s")
        let error = try #require(throws: S3Error.self) { try S3Client(settings: settings) }
        #expect(error.message.contains("http:// or https://"))
        #expect(!error.isRetryable)
    }

    @Test func retryableAreTransportFailuresServerFaultsAndThrottling() {
        func server(_ status: Int, _ code: String?) -> S3Error {
            S3Error(kind: .server, operation: "PutObject", resource: "b/k", status: status, code: code, message: "m")
        }
        #expect(server(500, "InternalError").isRetryable)
        #expect(server(503, "SlowDown").isRetryable)
        #expect(server(503, nil).isRetryable)
        #expect(server(429, nil).isRetryable)
        #expect(server(400, "RequestTimeout").isRetryable)
        #expect(server(200, "InternalError").isRetryable)  // an <Error> inside a 200 CompleteMultipartUpload
        #expect(!server(403, "AccessDenied").isRetryable)
        #expect(!server(404, "NoSuchKey").isRetryable)
        #expect(!server(400, "EntityTooSmall").isRetryable)
        let timeout = S3Error(kind: .transport, operation: "GetObject", resource: "b/k", message: "m", curlCode: 28)
        #expect(timeout.isRetryable)
        let badURL = S3Error(kind: .transport, operation: "GetObject", resource: "b/k", message: "m", curlCode: 3)
        #expect(!badURL.isRetryable)
        let malformed = S3Error(kind: .malformedResponse, operation: "UploadPart", resource: "b/k", message: "m")
        #expect(!malformed.isRetryable)
    }
}
