import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into a callback on a queue, and ignores SIGPIPE (writes to closed sockets
/// must fail with EPIPE, not kill the server).
public final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    public init(queue: DispatchQueue, onStop: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { onStop(number) }
            source.resume()
            sources.append(source)
        }
    }
}
