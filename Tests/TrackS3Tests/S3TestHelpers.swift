import Foundation
import TestSupport
import TrackS3

/// Runs blocking S3 calls on a thread of their own, as the archive does, rather than on a test's cooperative
/// thread, which others need.
func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = "s3-test"
        thread.start()
    }
}

extension S3Server {
    /// Settings for `bucket` on this server, signing with `secretKey` when given instead of the right one.
    func settings(bucket: String, region: String = "us-east-1", secretKey: String? = nil) -> S3Client.Settings {
        S3Client.Settings(
            endpoint: endpoint, region: region, bucket: bucket, pathStyle: true, accessKey: accessKey,
            secretKey: secretKey ?? self.secretKey, timeout: .seconds(10))
    }

    /// A client on a new, empty bucket of its own.
    func freshBucket(_ purpose: String) throws -> S3Client {
        let client = try S3Client(settings: settings(bucket: S3Server.uniqueBucket(purpose)))
        try client.createBucket()
        return client
    }
}

/// `count` bytes that differ from position to position, so a misplaced or dropped range shows.
func patternBytes(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) &+ seed }
}
