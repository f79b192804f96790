import Foundation
import TrackCore

/// Multipart upload: an object sent in parts of at least 5 MiB (except the last), so the archive streams a day
/// of positions without holding it whole, and a failed part is resent alone.
///
/// An upload that is neither completed nor aborted keeps its parts stored (and billed) indefinitely:
/// `listMultipartUploads` finds those a crashed run left behind.
extension S3Client {
    /// Starts an upload of `key`; the object appears only when `completeMultipartUpload` succeeds.
    /// - Returns: the upload id the other multipart calls take.
    public func createMultipartUpload(key: String, contentType: String) throws(S3Error) -> String {
        // `uploads=`, not a bare `uploads`: libcurl 7.88 signs the bare form differently from S3.
        let response = try send(
            "CreateMultipartUpload", key: key, .post, query: [("uploads", "")],
            headers: ["Content-Type: \(contentType)"])
        guard let uploadId = S3XML(response.body).value("UploadId"), !uploadId.isEmpty else {
            throw malformed("CreateMultipartUpload", key: key, "no <UploadId> in the answer")
        }
        return uploadId
    }

    /// Stores part `partNumber` (1…10000) of the upload; sending a number again replaces that part.
    /// - Returns: the part's ETag (quoted, as S3 sent it), for `completeMultipartUpload`.
    public func uploadPart(key: String, uploadId: String, partNumber: Int, body: [UInt8]) throws(S3Error)
        -> String
    {
        let response = try send(
            "UploadPart", key: key, .put, query: [("partNumber", String(partNumber)), ("uploadId", uploadId)],
            headers: ["Content-Type: application/octet-stream"], body: body)
        return try header("ETag", of: response, operation: "UploadPart", key: key)
    }

    /// Joins the parts, `(partNumber, etag)` as `uploadPart` returned them, into the object `key`, replacing any
    /// object already there.
    /// - Throws: `S3Error` also when S3 answers 200 with an `<Error>` body, which it does when it fails after
    ///   starting the answer (`InternalError`, retryable); `EntityTooSmall` when a part but the last is under
    ///   5 MiB; `NoSuchUpload` when the upload is gone (aborted, or already completed).
    public func completeMultipartUpload(key: String, uploadId: String, parts: [(Int, String)]) throws(S3Error) {
        // S3 wants the parts in ascending order.
        let entries = parts.sorted { $0.0 < $1.0 }.map { number, etag in
            "<Part><PartNumber>\(number)</PartNumber><ETag>\(S3XML.escaped(etag))</ETag></Part>"
        }
        let body =
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + entries.joined() + "</CompleteMultipartUpload>"
        // Without an explicit XML content type libcurl labels the body a form, which some servers then consume.
        let response = try send(
            "CompleteMultipartUpload", key: key, .post, query: [("uploadId", uploadId)],
            headers: ["Content-Type: application/xml"], body: Array(body.utf8))
        if S3XML(response.body).rootName == "Error" {
            throw serverError("CompleteMultipartUpload", resource: "\(bucket)/\(key)", response: response)
        }
    }

    /// Drops the upload and every part stored for it.
    /// - Throws: `S3Error` with code `NoSuchUpload` when there is no such upload (already aborted or completed).
    public func abortMultipartUpload(key: String, uploadId: String) throws(S3Error) {
        try send("AbortMultipartUpload", key: key, .delete, query: [("uploadId", uploadId)])
    }

    /// Uploads started under `prefix` and neither completed nor aborted, with when each began, in the server's
    /// order (AWS sorts by key; SeaweedFS does not); fetched `pageSize` at a time (S3 caps a page at 1000).
    public func listMultipartUploads(prefix: String, pageSize: Int = 1000) throws(S3Error)
        -> [(key: String, uploadId: String, initiated: Date)]
    {
        var uploads: [(key: String, uploadId: String, initiated: Date)] = []
        var next: [(String, String)] = []
        repeat {
            let query = [("uploads", ""), ("prefix", prefix), ("max-uploads", String(pageSize))] + next
            let page = S3XML(try send("ListMultipartUploads", key: nil, .get, query: query).body)
            for entry in page.elements("Upload") {
                guard let key = entry.value("Key"), let uploadId = entry.value("UploadId"),
                    let initiated = entry.value("Initiated").flatMap(TraccarTime.date(from:))
                else {
                    throw malformed("ListMultipartUploads", key: nil, "an <Upload> entry lacks a field or its date")
                }
                uploads.append((key, uploadId, initiated))
            }
            next = try nextPage(
                page, markers: [("NextKeyMarker", "key-marker"), ("NextUploadIdMarker", "upload-id-marker")],
                previous: next, operation: "ListMultipartUploads")
        } while !next.isEmpty
        return uploads
    }
}
