import Testing

@testable import TrackS3

@Suite struct S3XMLTests {
    @Test func readsAnErrorAnswersCodeAndMessage() {
        let xml = S3XML(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match \
            the signature you provided.</Message><Resource>/b/k</Resource></Error>
            """)
        #expect(xml.rootName == "Error")
        #expect(xml.value("Code") == "SignatureDoesNotMatch")
        #expect(
            xml.value("Message") == "The request signature we calculated does not match the signature you provided.")
        #expect(xml.value("RequestId") == nil)
    }

    @Test func decodesNamedAndNumericEntities() {
        let xml = S3XML(
            "<R><Key>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</Key><ETag>&#34;9b2c&#34;</ETag>"
                + "<Hex>&#x263A;&#X41;</Hex><Odd>&bogus; &amp &#xZZ; &</Odd></R>")
        #expect(xml.value("Key") == "a & b <c> \"d\" 'e'")
        #expect(xml.value("ETag") == "\"9b2c\"")  // SeaweedFS (Go's encoding/xml) writes quotes this way
        #expect(xml.value("Hex") == "☺A")
        #expect(xml.value("Odd") == "&bogus; &amp &#xZZ; &")  // kept as written rather than failing
    }

    @Test func tellsAnElementFromOthersItsNameStartsAndSkipsDeclarationAndComments() {
        let xml = S3XML(
            "<?xml version=\"1.0\"?><!-- a comment --><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<KeyCount>2</KeyCount><Prefix/><Key >k</Key ></ListBucketResult>")
        #expect(xml.rootName == "ListBucketResult")
        #expect(xml.value("Key") == "k")
        #expect(xml.value("KeyCount") == "2")
        #expect(xml.value("Prefix") == "")
    }

    @Test func readsEachRepeatedEntryOnItsOwn() {
        let xml = S3XML(
            """
            <ListBucketResult><IsTruncated>true</IsTruncated>\
            <Contents><Key>dt=2026-11-28/part 0.csv.gz</Key><Size>10</Size></Contents>\
            <Contents><Key>dt=2026-11-29/part-0.csv.gz</Key><ETag>&#34;x&#34;</ETag><Size>20</Size></Contents>\
            <NextContinuationToken>tok/en=</NextContinuationToken></ListBucketResult>
            """)
        let entries = xml.elements("Contents")
        #expect(entries.map { $0.value("Key") } == ["dt=2026-11-28/part 0.csv.gz", "dt=2026-11-29/part-0.csv.gz"])
        #expect(entries.map { $0.value("Size") } == ["10", "20"])
        #expect(entries[0].value("ETag") == nil)  // an entry does not see its neighbour's fields
        #expect(xml.value("IsTruncated") == "true")
        #expect(xml.value("NextContinuationToken") == "tok/en=")
    }

    @Test func readsMultipartUploadEntriesWithNestedElements() {
        let xml = S3XML(
            """
            <ListMultipartUploadsResult><Bucket>b</Bucket><KeyMarker></KeyMarker><IsTruncated>false</IsTruncated>\
            <Upload><Key>big.bin</Key><UploadId>abc-1</UploadId><Initiator><ID>x</ID></Initiator>\
            <Initiated>2026-11-29T22:56:49.123Z</Initiated></Upload></ListMultipartUploadsResult>
            """)
        let uploads = xml.elements("Upload")
        #expect(uploads.count == 1)
        #expect(uploads.first?.value("UploadId") == "abc-1")
        #expect(uploads.first?.value("Initiated") == "2026-11-29T22:56:49.123Z")
        #expect(xml.value("KeyMarker") == "")
        #expect(xml.value("Uploads") == nil)
    }

    @Test func answersNilForTruncatedOrEmptyDocuments() {
        #expect(S3XML("<Error><Code>SlowDown").value("Code") == nil)
        #expect(S3XML("<Error><Code").value("Code") == nil)
        #expect(S3XML("").rootName == nil)
        #expect(S3XML("").elements("Contents").isEmpty)
        #expect(S3XML("not xml at all").rootName == nil)
    }

    @Test func escapesTextForTheCompleteBody() {
        #expect(S3XML.escaped("\"a&b<c>\"") == "\"a&amp;b&lt;c&gt;\"")
        let etag = "\"<odd & etag>\""
        #expect(S3XML("<ETag>" + S3XML.escaped(etag) + "</ETag>").value("ETag") == etag)
    }
}
