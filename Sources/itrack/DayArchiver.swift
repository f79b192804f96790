import Foundation
import Logging
import Metrics
import TrackCore
import TrackPostgres
import TrackS3
import TrackZlib

/// Archives one UTC day: PostgreSQL's COPY → gzip → one S3 multipart upload, streamed part by part, so any
/// day goes through in the memory of about two parts; then the manifest, then the run's record.
///
/// The object appears only when the multipart upload completes; a failed run aborts it, and a run killed
/// half way leaves an upload the next run aborts (its id is recorded). Rerunning a day overwrites the same
/// key, so a day is in exactly one object.
final class DayArchiver {
    struct Outcome {
        var key: String
        var rows: Int64
        var bytes: Int64
        var sha256: String
        var parts: Int
        var seconds: Double
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let store: ArchiveStore
    private let s3: S3Client
    private let layout: ArchiveLayout
    private let partSize: Int
    private let progress: ArchiveProgress
    private let logger: Logger

    init(store: ArchiveStore, s3: S3Client, layout: ArchiveLayout, partSize: Int, progress: ArchiveProgress,
         logger: Logger) {
        self.store = store
        self.s3 = s3
        self.layout = layout
        self.partSize = max(partSize, 5 * 1024 * 1024)
        self.progress = progress
        self.logger = logger
    }

    /// Archives `day` and records the run, succeeded or failed.
    func archive(_ day: ArchiveDay) throws -> Outcome {
        let key = layout.objectKey(day)
        let run = try store.startRun(day, key: key)
        var uploadId: String?
        do {
            let stats = try store.stats(day)
            let started = Date()
            let upload = try retrying("start the upload of \(key)") {
                try s3.createMultipartUpload(key: key, contentType: "application/gzip")
            }
            uploadId = upload
            try store.setUpload(run, uploadId: upload)
            var writer = try PartWriter(partSize: partSize) { [s3] number, part in
                try self.retrying("upload part \(number) of \(key)") {
                    try s3.uploadPart(key: key, uploadId: upload, partNumber: number, body: part)
                }
            }
            progress.begin(day: day, expectedRows: stats.rows)
            var rows: Int64 = -1  // the header line is not a row
            var failure: (any Error)?
            try store.copyDay(day) { bytes in
                do {
                    try writer.add(bytes)
                    rows += 1
                    progress.update(rows: rows, bytes: writer.compressedBytes, parts: writer.parts.count)
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            try writer.finish()
            try retrying("complete the upload of \(key)") {
                try s3.completeMultipartUpload(key: key, uploadId: upload, parts: writer.parts)
            }
            uploadId = nil
            // Verified before it counts: the object S3 now holds has the size written.
            let stored = try retrying("check \(key)") { try s3.headObject(key: key) }
            guard let stored, Int64(stored.size) == writer.compressedBytes else {
                throw Failure(description: "\(key) holds \(stored.map { "\($0.size) bytes" } ?? "nothing") after "
                              + "the upload, not the \(writer.compressedBytes) bytes written")
            }
            let outcome = Outcome(key: key, rows: max(rows, 0), bytes: writer.compressedBytes, sha256: writer.sha256,
                                  parts: writer.parts.count, seconds: Date().timeIntervalSince(started))
            let manifest = ArchiveManifest(
                day: day, key: key, rows: outcome.rows, bytes: outcome.bytes, sha256: outcome.sha256,
                firstServerTime: stats.firstServerTime, lastServerTime: stats.lastServerTime,
                firstFixTime: stats.firstFixTime, lastFixTime: stats.lastFixTime, createdAt: Date())
            _ = try retrying("write \(layout.manifestKey(day))") {
                try s3.putObject(key: layout.manifestKey(day), body: Array(manifest.json.utf8),
                                 contentType: "application/json")
            }
            try store.succeeded(run, rows: outcome.rows, bytes: outcome.bytes, sha256: outcome.sha256)
            progress.end(day: day, outcome: outcome)
            return outcome
        } catch {
            if let uploadId { try? s3.abortMultipartUpload(key: key, uploadId: uploadId) }
            try? store.failed(run, error: "\(error)")
            progress.fail(day: day, error: error)
            throw error
        }
    }

    /// Retries an S3 request that failed in a way worth retrying (5xx, throttling, timeouts), with backoff:
    /// 1, 2, 4, 8 s.
    private func retrying<T>(_ what: String, _ request: () throws -> T) throws -> T {
        var delay = 1.0
        var attempt = 1
        while true {
            do {
                return try request()
            } catch let error as S3Error where error.isRetryable && attempt < 5 {
                logger.warning("S3 request failed; retrying", metadata: [
                    "request": "\(what)", "attempt": "\(attempt)", "error": "\(error)",
                ])
                Thread.sleep(forTimeInterval: delay)
                delay *= 2
                attempt += 1
            }
        }
    }
}
