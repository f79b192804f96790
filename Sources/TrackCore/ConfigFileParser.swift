import Foundation

/// Reads config files: Traccar's `traccar.xml` entries, or plain `key=value` lines with `#` comments.
enum ConfigFileParser {
    static func parse(_ text: String) throws(ConfigError) -> [String: String] {
        text.contains("<entry") ? parseXML(text) : try parseLines(text)
    }

    private static func parseLines(_ text: String) throws(ConfigError) -> [String: String] {
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine).trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError(key: "line \(number + 1)", message: "expected key=value, got '\(line)'")
            }
            values[String(String(line[..<equals]).trimmingWhitespace)] =
                String(String(line[line.index(after: equals)...]).trimmingWhitespace)
        }
        return values
    }

    private static func parseXML(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        let pattern = #/<entry\s+key\s*=\s*["']([^"']+)["']\s*>([^<]*)</entry>/#
        for match in text.matches(of: pattern) {
            values[String(match.1)] = unescapeXML(String(String(match.2).trimmingWhitespace))
        }
        return values
    }

    private static func unescapeXML(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
