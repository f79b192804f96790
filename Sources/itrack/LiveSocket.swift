import Foundation
import Synchronization
import TrackNet
import TrackWire

/// One `/api/socket` client: Traccar's live feed of `{"positions":[…]}`, `{"devices":[…]}` and `{}` keepalives,
/// for the devices its user may see.
final class LiveSocket: UpgradedConnection {
    /// Nil: every device (an administrator).
    let visibleDevices: Set<Int>?
    private let initial: String
    private let feed: LiveFeed
    private let channel = Mutex<UpgradedChannel?>(nil)
    /// Touched only on the connection's queue (`received`).
    private let parser = Mutex(WebSocketFrameParser(maxMessageBytes: 4096))

    init(visibleDevices: Set<Int>?, initial: String, feed: LiveFeed) {
        self.visibleDevices = visibleDevices
        self.initial = initial
        self.feed = feed
    }

    func attached(_ channel: UpgradedChannel) {
        self.channel.withLock { $0 = channel }
        send(initial)
        feed.add(self)
    }

    /// Clients only ever send `{"logs":…}` (server logs, not offered here), pings and the close.
    func received(_ bytes: [UInt8]) {
        parser.withLock { parser in
            parser.append(bytes)
            while true {
                do throws(WebSocketError) {
                    guard let message = try parser.next() else { return }
                    switch message {
                    case .ping(let payload): write(WebSocketFrame.pong(payload))
                    case .close:
                        write(WebSocketFrame.close(code: 1000))
                        channel.withLock { $0?.close() }
                        return
                    case .text, .binary, .pong: continue
                    }
                } catch {
                    write(WebSocketFrame.close(code: error.code.rawValue, reason: error.reason))
                    channel.withLock { $0?.close() }
                    return
                }
            }
        }
    }

    func closed() {
        feed.remove(self)
        channel.withLock { $0 = nil }
    }

    func send(_ json: String) { write(WebSocketFrame.text(json)) }

    /// The items about devices this client may see.
    func visible<Item>(_ items: [Item], device: (Item) -> Int) -> [Item] {
        guard let visibleDevices else { return items }
        return items.filter { visibleDevices.contains(device($0)) }
    }

    private func write(_ frame: WebSocketFrame) {
        let bytes = frame.serialized()
        channel.withLock { $0?.send(bytes) }
    }
}
