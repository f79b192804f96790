import Dispatch
import Foundation
import TrackWire

/// One client connection. All state is touched only on its worker's serial queue, which is what
/// makes `@unchecked Sendable` sound.
///
/// Requests are handled one at a time in arrival order; pipelined requests wait in the input
/// buffer, so answers always leave in request order. Input stops being read once the buffer holds
/// a whole maximal request, and no new request is started while an answer is still unsent, so a
/// client that never reads cannot grow our memory. A streamed body is produced on a thread of its own and
/// held back while `maxStreamBacklog` bytes of it are unsent (`StreamFlow`), for the same reason.
final class HTTPConnection: @unchecked Sendable {
    private let fd: Int32
    private let remote: String
    private let server: HTTPServer
    private let worker: ConnectionWorker
    private let parser: HTTPRequestParser
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var readSuspended = false
    private var writeSuspended = true
    private var input: [UInt8] = []
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var waitingForAnswer = false
    private var closeAfterFlush = false
    private var peerClosed = false
    private var sentContinue = false
    private var closed = false
    private var requestStarted: Date?
    /// Set once a 101 answer handed the connection over; from then on input goes to it, not to the parser.
    private var upgraded: (any UpgradedConnection)?
    /// Set while a streamed body is being sent; no other request is handled meanwhile.
    private var streaming: (flow: StreamFlow, keepAlive: Bool)?
    private var lastActivity = Date()
    private var maxBuffered: Int { server.limits.maxHeaderBytes + server.limits.maxBodyBytes + 16384 }

    init(fd: Int32, remote: String, server: HTTPServer, worker: ConnectionWorker) {
        self.fd = fd
        self.remote = remote
        self.server = server
        self.worker = worker
        parser = HTTPRequestParser(maxHeaderBytes: server.limits.maxHeaderBytes,
                                   maxBodyBytes: server.limits.maxBodyBytes)
    }

    func start() {
        worker.register(self)
        let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: worker.queue)
        read.setEventHandler { [self] in readAvailable() }
        // Close the descriptor only once no source watches it.
        read.setCancelHandler { [fd] in close(fd) }
        readSource = read
        let write = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: worker.queue)
        write.setEventHandler { [self] in flush() }
        writeSource = write
        read.resume()
    }

    private func readAvailable() {
        while !closed && input.count < maxBuffered {
            let (count, filled) = worker.readBuffer.withUnsafeMutableBytes { buffer in
                let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if count > 0 { input.append(contentsOf: buffer[..<count]) }
                return (count, count == buffer.count)
            }
            if count > 0 {
                server.metrics.bytesIn.increment(by: Int64(count))
                lastActivity = Date()
                if !filled { break }
            } else if count == 0 {
                peerClosed = true
                setReading(false)
                break
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                break
            } else {
                shutdown()
                return
            }
        }
        if input.count >= maxBuffered { setReading(false) }
        processInput()
    }

    /// Takes the next complete request from the buffer, if the connection is free to handle one.
    private func processInput() {
        if let upgraded {
            if !input.isEmpty {
                let bytes = input
                input.removeAll(keepingCapacity: true)
                upgraded.received(bytes)
            }
            if !peerClosed && !closed { setReading(true) }
            finishIfPeerGone()
            return
        }
        while !closed && !waitingForAnswer && streaming == nil && !closeAfterFlush && outputOffset >= output.count {
            if input.isEmpty {
                requestStarted = nil
                break
            }
            if requestStarted == nil { requestStarted = Date() }
            do {
                switch try parser.parse(input) {
                case .incomplete(let expectsContinue):
                    if expectsContinue && !sentContinue {
                        sentContinue = true
                        enqueue(HTTPResponse.continueLine)
                        flush()
                    }
                    if !peerClosed { setReading(true) }
                    finishIfPeerGone()
                    return
                case .request(let request, let consumed):
                    if consumed == input.count {
                        input.removeAll(keepingCapacity: true)
                    } else {
                        input.removeFirst(consumed)
                    }
                    dispatch(request)
                }
            } catch {
                refuse(status: error.status, reason: error.reason)
            }
        }
        finishIfPeerGone()
    }

    private func dispatch(_ request: HTTPRequest) {
        requestStarted = nil
        sentContinue = false
        waitingForAnswer = true
        server.metrics.requests.increment()
        server.requestsInFlight.add(1, ordering: .relaxed)
        let keepAlive = request.keepAlive
        let headOnly = request.isHead
        let chunked = request.minorVersion >= 1
        let upgrade = ConnectionUpgrade()
        let context = HTTPRequestContext(remoteAddress: remote, receivedAt: Date(), upgrade: upgrade)
        server.handler(request, context) { [self] response in
            worker.deliver { [self] in
                answer(response, keepAlive: keepAlive, headOnly: headOnly, chunked: chunked,
                       upgradeTo: response.status == 101 ? upgrade.handler : nil)
            }
        }
    }

    private func answer(_ response: HTTPResponse, keepAlive: Bool, headOnly: Bool, chunked: Bool,
                        upgradeTo handler: (any UpgradedConnection)?) {
        server.requestsInFlight.subtract(1, ordering: .relaxed)
        waitingForAnswer = false
        guard !closed else {
            handler?.closed()
            return
        }
        if let handler {
            enqueue(response.serializedUpgrade())
            upgraded = handler
            handler.attached(UpgradedChannel(
                send: { [self] bytes in worker.deliver { [self] in sendUpgraded(bytes) } },
                close: { [self] in worker.deliver { [self] in closeUpgraded() } }))
            flush()
            return
        }
        let keep = keepAlive && !peerClosed
        if let body = response.stream {
            stream(body, head: response.serializedStreamHead(keepAlive: keep, chunked: chunked),
                   keepAlive: keep && chunked, run: !headOnly && response.allowsBody,
                   chunked: chunked)
            return
        }
        enqueue(response.serialized(headOnly: headOnly, keepAlive: keep))
        if !keep { closeAfterFlush = true }
        flush()
    }

    /// Most of a streamed body that may sit unsent before its producer waits: a few chunks.
    private static let maxStreamBacklog = 256 * 1024

    /// Sends the head, then runs the producer on a queue of its own (it may block) unless `run` is false (HEAD).
    private func stream(_ body: HTTPStreamedBody, head: [UInt8], keepAlive: Bool, run: Bool, chunked: Bool) {
        enqueue(head)
        guard run else {
            if !keepAlive { closeAfterFlush = true }
            flush()
            return
        }
        let flow = StreamFlow(limit: Self.maxStreamBacklog)
        streaming = (flow, keepAlive)
        DispatchQueue(label: "itrack.\(server.name).stream").async { [self] in
            let writer = StreamedBodyWriter(chunked: chunked, flow: flow) { [self] bytes in
                worker.deliver { [self] in sendStreamed(bytes, flow: flow) }
            }
            var failure: (any Error)?
            do {
                try body.produce(writer)
                try writer.finish()
            } catch {
                failure = error
            }
            worker.deliver { [self, failure] in endStream(flow, failure: failure) }
        }
        flush()
    }

    private func sendStreamed(_ bytes: [UInt8], flow: StreamFlow) {
        guard !closed, streaming?.flow === flow else { return }
        flow.arrived(bytes.count)
        // The output may never empty while a client reads at about the pace we write: drop what is written here.
        if outputOffset > 0 && outputOffset * 2 >= output.count {
            output.removeFirst(outputOffset)
            outputOffset = 0
        }
        enqueue(bytes)
        flush()
    }

    /// The producer returned (the last chunk is queued) or threw: then the body is cut short by closing.
    private func endStream(_ flow: StreamFlow, failure: (any Error)?) {
        guard !closed, let current = streaming, current.flow === flow else { return }
        streaming = nil
        if let failure {
            if !(failure is HTTPClientGone) && server.logLimiter.allow("\(server.name) stream") {
                server.logger.error("streamed response failed", metadata: [
                    "protocol": "\(server.name)", "remote": "\(remote)", "error": "\(failure)",
                ])
            }
            closeAfterFlush = true
        } else if !current.keepAlive || peerClosed {
            closeAfterFlush = true
        }
        flush()
    }

    /// A client that lets this much pile up unread is too slow to follow a live feed.
    private var maxUpgradedBacklog: Int { 4 * maxBuffered }

    private func sendUpgraded(_ bytes: [UInt8]) {
        guard !closed, !closeAfterFlush else { return }
        if output.count - outputOffset + bytes.count > maxUpgradedBacklog {
            shutdown()
            return
        }
        enqueue(bytes)
        flush()
    }

    private func closeUpgraded() {
        guard !closed else { return }
        closeAfterFlush = true
        flush()
    }

    /// Answers a request that never reached the handler, and closes: after a framing error the
    /// rest of the stream cannot be trusted.
    private func refuse(status: Int, reason: String) {
        server.metrics.countProtocolError(status: status)
        if server.logLimiter.allow("\(server.name) \(status)") {
            server.logger.notice("bad request", metadata: [
                "protocol": "\(server.name)", "remote": "\(remote)", "status": "\(status)", "reason": "\(reason)",
            ])
        }
        input.removeAll()
        enqueue(HTTPResponse.text(status, reason).serialized(headOnly: false, keepAlive: false))
        closeAfterFlush = true
        flush()
    }

    /// Called once a second by the worker: slow requests get 408, idle connections are closed.
    func checkTimeouts(now: Date, limits: HTTPServer.Limits) {
        guard !closed, !waitingForAnswer else { return }
        if streaming != nil {
            // Waiting for the producer is not the client's fault; not taking what is unsent for so long is.
            if outputOffset < output.count && now.timeIntervalSince(lastActivity) > limits.idleTimeout { shutdown() }
            return
        }
        if upgraded != nil {
            // The upgraded protocol keeps itself alive (WebSocket keepalives); only silence in both directions ends it.
            if now.timeIntervalSince(lastActivity) > limits.idleTimeout { shutdown() }
            return
        }
        if let started = requestStarted, now.timeIntervalSince(started) > limits.headerTimeout, !closeAfterFlush {
            refuse(status: 408, reason: "request not completed within \(Int(limits.headerTimeout)) s")
        } else if input.isEmpty && output.isEmpty && now.timeIntervalSince(lastActivity) > limits.idleTimeout {
            shutdown()
        }
    }

    private func finishIfPeerGone() {
        if peerClosed && !waitingForAnswer && streaming == nil && outputOffset >= output.count { shutdown() }
    }

    private func enqueue(_ bytes: [UInt8]) {
        output.append(contentsOf: bytes)
    }

    private func flush() {
        let startOffset = outputOffset
        while outputOffset < output.count {
            let count = output.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + outputOffset, $0.count - outputOffset) }
            if count > 0 {
                outputOffset += count
                server.metrics.bytesOut.increment(by: Int64(count))
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                // A client that keeps reading is active even while the output never empties (a long stream).
                if outputOffset > startOffset { lastActivity = Date() }
                streaming?.flow.unsent(output.count - outputOffset)
                setWriting(true)
                return
            } else {
                shutdown()
                return
            }
        }
        output.removeAll(keepingCapacity: true)
        outputOffset = 0
        streaming?.flow.unsent(0)
        setWriting(false)
        lastActivity = Date()
        if closeAfterFlush {
            shutdown()
        } else {
            processInput()
        }
    }

    private func setReading(_ on: Bool) {
        guard let source = readSource, on == readSuspended else { return }
        readSuspended = !on
        if on { source.resume() } else { source.suspend() }
    }

    private func setWriting(_ on: Bool) {
        guard let source = writeSource, on == writeSuspended else { return }
        writeSuspended = !on
        if on { source.resume() } else { source.suspend() }
    }

    private func shutdown() {
        guard !closed else { return }
        closed = true
        // libdispatch crashes when a suspended source is cancelled and released: resume first.
        setWriting(true)
        setReading(true)
        writeSource?.cancel()
        readSource?.cancel()
        writeSource = nil
        readSource = nil
        worker.unregister(self)
        server.connectionClosed()
        upgraded?.closed()
        upgraded = nil
        streaming?.flow.close()
        streaming = nil
    }
}
