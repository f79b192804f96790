import Foundation
import TrackWire

/// A `HOST:PORT` resolved once, so reconnects under load cost no DNS lookup.
struct ReplayTarget: Sendable {
    let text: String
    let address: sockaddr_storage
    let length: socklen_t

    /// Resolves `host:port`, `[v6-address]:port` or `v6-address:port`; the first address getaddrinfo offers wins.
    init(_ text: String) throws(ReplayError) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw ReplayError("--to must be HOST:PORT, got '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw ReplayError("cannot resolve '\(host)': \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { destination in
            destination.copyMemory(
                from: UnsafeRawBufferPointer(
                    start: first.pointee.ai_addr,
                    count: Int(first.pointee.ai_addrlen)))
        }
        self.text = text
        address = storage
        length = first.pointee.ai_addrlen
    }
}
