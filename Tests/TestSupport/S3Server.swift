import Foundation

/// The S3-compatible server that `scripts/test` starts (`scripts/s3`: SeaweedFS on 127.0.0.1:27333, checking
/// SigV4 signatures, path-style, region-agnostic), and a bucket name per test.
public struct S3Server: Sendable {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "ITRACK_TEST_S3_ENDPOINT, ITRACK_TEST_S3_ACCESS_KEY and ITRACK_TEST_S3_SECRET_KEY are not all set: run "
                + "the tests with scripts/test, which starts an S3 server (or start one with `scripts/s3 start "
                + ".data/test-s3 27333` and export ITRACK_TEST_S3_ENDPOINT=<the URL it prints>, "
                + "ITRACK_TEST_S3_ACCESS_KEY=itrack-test and ITRACK_TEST_S3_SECRET_KEY=itrack-test-secret)"
        }
    }

    /// `http://127.0.0.1:27333`.
    public let endpoint: String
    public let accessKey: String
    public let secretKey: String

    /// The server `scripts/test` started, from its environment variables.
    public static func fromEnvironment() throws -> S3Server {
        let environment = ProcessInfo.processInfo.environment
        guard let endpoint = environment["ITRACK_TEST_S3_ENDPOINT"], !endpoint.isEmpty,
            let accessKey = environment["ITRACK_TEST_S3_ACCESS_KEY"], !accessKey.isEmpty,
            let secretKey = environment["ITRACK_TEST_S3_SECRET_KEY"], !secretKey.isEmpty
        else { throw NotConfigured() }
        return S3Server(endpoint: endpoint, accessKey: accessKey, secretKey: secretKey)
    }

    /// A valid bucket name no other test (or earlier run on the same server) uses, e.g. `itrack-test-multipart-3f2a…`:
    /// lowercase letters, digits and hyphens, at most 63 characters.
    public static func uniqueBucket(_ purpose: String) -> String {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        return String("itrack-test-\(purpose.lowercased())".prefix(50)) + "-" + suffix
    }
}
