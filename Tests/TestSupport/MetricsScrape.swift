import Foundation

/// One scrape of a `/metrics` page: each sample's value keyed by its series exactly as written,
/// e.g. `itrack_positions_total{protocol="osmand",outcome="stored",reason=""}`.
public struct MetricsScrape: Sendable {
    public let text: String
    public let samples: [String: Double]

    public init(port: UInt16) throws {
        let client = try RawHTTPClient(port: port)
        guard let response = try client.exchange("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
              response.status == 200
        else { throw ServerError(message: "GET /metrics on \(port) failed") }
        text = String(decoding: response.body, as: UTF8.self)
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            samples[String(line[..<space])] = value
        }
        self.samples = samples
    }

    /// The metric family names on the page (histograms by their base name).
    public var names: Set<String> {
        Set(text.split(separator: "\n").compactMap { line in
            line.hasPrefix("# TYPE ") ? line.split(separator: " ").dropFirst(2).first.map(String.init) : nil
        })
    }

    /// A sample's value, 0 when the series does not exist (yet).
    public subscript(_ series: String) -> Double { samples[series] ?? 0 }
}
