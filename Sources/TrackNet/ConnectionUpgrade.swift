import Synchronization
import TrackWire

/// What takes over a connection after a `101 Switching Protocols` answer (a WebSocket session): it gets the
/// bytes the client sends and a channel to write back.
///
/// `attached` and `received` run on the connection's serial queue, one at a time: keep them quick.
public protocol UpgradedConnection: AnyObject, Sendable {
    func attached(_ channel: UpgradedChannel)
    func received(_ bytes: [UInt8])
    /// The connection closed, from either side; called once.
    func closed()
}

/// Lets a handler take over the connection its request came on: call `accept` before answering 101.
public final class ConnectionUpgrade: Sendable {
    private let taker = Mutex<(any UpgradedConnection)?>(nil)

    public init() {}

    /// After the response to this request (which must be 101) has been sent, hand the connection to `handler`.
    public func accept(_ handler: any UpgradedConnection) {
        taker.withLock { $0 = handler }
    }

    var handler: (any UpgradedConnection)? { taker.withLock { $0 } }
}

/// The writing half of an upgraded connection; safe to use from any thread.
public final class UpgradedChannel: Sendable {
    private let sendBytes: @Sendable ([UInt8]) -> Void
    private let closeConnection: @Sendable () -> Void

    init(send: @escaping @Sendable ([UInt8]) -> Void, close: @escaping @Sendable () -> Void) {
        sendBytes = send
        closeConnection = close
    }

    /// Queues `bytes`; a client that stops reading until too much is queued is disconnected.
    public func send(_ bytes: [UInt8]) { sendBytes(bytes) }

    /// Closes once what is queued has been written.
    public func close() { closeConnection() }
}
