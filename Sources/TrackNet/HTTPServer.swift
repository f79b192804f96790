import Dispatch
import Foundation
import Logging
import Metrics
import Synchronization
import TrackWire

/// Answers one request; call `respond` exactly once, from any thread, when the answer is known.
public typealias HTTPHandler = @Sendable (
    _ request: HTTPRequest, _ context: HTTPRequestContext, _ respond: @escaping @Sendable (HTTPResponse) -> Void
) -> Void

/// Where and when a request arrived.
public struct HTTPRequestContext: Sendable {
    public let remoteAddress: String
    public let receivedAt: Date
    /// For protocols that take the connection over (WebSocket).
    public let upgrade: ConnectionUpgrade

    /// Public so that router tests can call a handler as the server would, without a socket.
    public init(remoteAddress: String, receivedAt: Date, upgrade: ConnectionUpgrade = ConnectionUpgrade()) {
        self.remoteAddress = remoteAddress
        self.receivedAt = receivedAt
        self.upgrade = upgrade
    }
}

/// An HTTP/1.1 server on Dispatch sources over non-blocking sockets: one accept source, connections
/// spread over a few serial worker queues, timeouts swept once a second per queue.
public final class HTTPServer: @unchecked Sendable {
    public struct Limits: Sendable {
        public var maxHeaderBytes = 8192
        public var maxBodyBytes = 65536
        /// Seconds from a request's first byte to its last before it is answered 408.
        public var headerTimeout: Double = 30
        /// Seconds a connection may sit idle between requests.
        public var idleTimeout: Double = 1800
        public var maxConnections = 20000

        public init() {}
    }

    /// The protocol name used in metric labels and logs (`osmand`, `web`).
    public let name: String
    let limits: Limits
    let handler: HTTPHandler
    let logger: Logger
    let logLimiter = LogLimiter()
    let metrics: ConnectionMetrics
    private let listenFD: Int32
    private let acceptQueue: DispatchQueue
    private let workers: [ConnectionWorker]
    private var acceptSource: DispatchSourceRead?
    private var nextWorker = 0
    let openConnections = Atomic<Int>(0)
    /// Requests handed to the handler and not yet answered, across all connections.
    let requestsInFlight = Atomic<Int>(0)

    /// Binds the port (failing here, not later, when it is taken) without accepting yet.
    public init(name: String, address: String, port: UInt16, limits: Limits = Limits(), workerCount: Int = 2,
                logger: Logger, handler: @escaping HTTPHandler) throws(SystemError) {
        self.name = name
        self.limits = limits
        self.handler = handler
        self.logger = logger
        metrics = ConnectionMetrics(protocolName: name)
        listenFD = try Socket.listen(address: address, port: port)
        acceptQueue = DispatchQueue(label: "itrack.\(name).accept")
        workers = (0..<max(1, workerCount)).map { ConnectionWorker(label: "itrack.\(name).worker\($0)") }
    }

    /// The bound port (useful when asked for port 0).
    public var port: UInt16 { Socket.localPort(listenFD) }

    public func start() {
        for worker in workers { worker.startSweeping(limits: limits) }
        let source = DispatchSource.makeReadSource(fileDescriptor: listenFD, queue: acceptQueue)
        source.setEventHandler { [self] in acceptAll() }
        source.setCancelHandler { [listenFD] in close(listenFD) }
        acceptSource = source
        source.resume()
    }

    /// Stops accepting new connections; open ones keep being served.
    public func stopAccepting() {
        acceptQueue.sync {
            acceptSource?.cancel()
            acceptSource = nil
        }
    }

    /// Requests waiting for their answer right now.
    public var pendingRequests: Int { requestsInFlight.load(ordering: .relaxed) }

    private func acceptAll() {
        while true {
            var addr = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let fd = withUnsafeMutablePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listenFD, $0, &length) }
            }
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK && logLimiter.allow("accept") {
                    logger.error("accept failed", metadata: ["error": "\(SystemError(call: "accept", errno: errno))"])
                }
                return
            }
            admit(fd, remote: Socket.describe(addr))
        }
    }

    private func admit(_ fd: Int32, remote: String) {
        if openConnections.load(ordering: .relaxed) >= limits.maxConnections {
            metrics.refused.increment()
            let refusal = HTTPResponse.text(503, "too many connections").serialized(headOnly: false, keepAlive: false)
            _ = refusal.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            if logLimiter.allow("maxConnections") {
                logger.warning("connection refused: limit reached", metadata: ["limit": "\(limits.maxConnections)"])
            }
            return
        }
        do throws(SystemError) {
            try Socket.setNonBlocking(fd)
            try Socket.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        } catch {
            close(fd)
            return
        }
        openConnections.add(1, ordering: .relaxed)
        metrics.opened.increment()
        metrics.open.increment()
        let worker = workers[nextWorker % workers.count]
        nextWorker &+= 1
        let connection = HTTPConnection(fd: fd, remote: remote, server: self, worker: worker)
        worker.queue.async { connection.start() }
    }

    func connectionClosed() {
        openConnections.subtract(1, ordering: .relaxed)
        metrics.open.decrement()
    }
}
