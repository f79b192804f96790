import Testing

@testable import TrackS3

@Suite struct S3URIEncodingTests {
    @Test func encodesEverythingButUnreservedCharactersAndTheSlashesOfAKey() {
        #expect(
            S3URIEncoding.path("positions/dt=2026-11-28/part-0.csv.gz") == "positions/dt%3D2026-11-28/part-0.csv.gz")
        #expect(S3URIEncoding.path("a b/été+~_.x") == "a%20b/%C3%A9t%C3%A9%2B~_.x")
        #expect(S3URIEncoding.path("?#%&*") == "%3F%23%25%26%2A")
        #expect(S3URIEncoding.component("a/b=c d") == "a%2Fb%3Dc%20d")
    }

    @Test func sortsTheQueryAndKeepsTheEqualsOfEmptyValues() {
        #expect(S3URIEncoding.query([]) == "")
        #expect(S3URIEncoding.query([("uploads", "")]) == "?uploads=")
        #expect(
            S3URIEncoding.query([("prefix", "a b/"), ("list-type", "2"), ("continuation-token", "x/y=")])
                == "?continuation-token=x%2Fy%3D&list-type=2&prefix=a%20b%2F")
        #expect(
            S3URIEncoding.query([("uploadId", "u"), ("partNumber", "2")]) == "?partNumber=2&uploadId=u")
    }

    @Test func putsTheBucketInThePathOrInTheHost() {
        let pathStyle = settings(endpoint: "http://127.0.0.1:27333/", pathStyle: true)
        #expect(pathStyle.url(key: "dt=1/a b") == "http://127.0.0.1:27333/archive/dt%3D1/a%20b")
        #expect(pathStyle.url(key: nil, query: [("list-type", "2")]) == "http://127.0.0.1:27333/archive?list-type=2")
        let virtual = settings(endpoint: "https://s3.eu-west-1.amazonaws.com", pathStyle: false)
        #expect(
            virtual.url(key: "k", query: [("uploads", "")]) == "https://archive.s3.eu-west-1.amazonaws.com/k?uploads=")
        #expect(virtual.url(key: nil) == "https://archive.s3.eu-west-1.amazonaws.com/")
        #expect(settings(endpoint: "s3.amazonaws.com", pathStyle: false).url(key: "k") == nil)
        #expect(settings(endpoint: "ftp://host", pathStyle: true).url(key: "k") == nil)
    }

    @Test func settingsNeverShowTheSecret() {
        let settings = settings(endpoint: "http://127.0.0.1:1", pathStyle: true)
        var dumped = ""
        dump(settings, to: &dumped)
        for shown in [String(describing: settings), String(reflecting: settings), "\(settings)", dumped] {
            #expect(!shown.contains("s3cr3t-VALUE"))
            #expect(shown.contains("AKIDTEST"))
        }
    }

    private func settings(endpoint: String, pathStyle: Bool) -> S3Client.Settings {
        S3Client.Settings(
            endpoint: endpoint, region: "eu-west-1", bucket: "archive", pathStyle: pathStyle, accessKey: "AKIDTEST",
            secretKey: "s3cr3t-VALUE")
    }
}
