internal import CRdKafka
import Foundation
import Synchronization

/// A thread that serves a producer's callbacks (`rd_kafka_poll`) until stopped.
///
/// It holds the `rd_kafka_t` but does not own it: the producer stops this thread before destroying the handle.
final class KafkaPollThread: @unchecked Sendable {
    // @unchecked: `client` is only passed to rd_kafka_poll and rd_kafka_yield, which librdkafka allows from
    // any thread; the other state is an atomic and a semaphore.
    private let client: OpaquePointer
    private let stopping = Atomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)

    init(client: OpaquePointer, name: String) {
        self.client = client
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    private func run() {
        while !stopping.load(ordering: .acquiring) {
            rd_kafka_poll(client, 200)
        }
        exited.signal()
    }

    /// Returns once the thread has left its loop; call once.
    func stop() {
        stopping.store(true, ordering: .releasing)
        rd_kafka_yield(client)  // ends a poll that is waiting
        exited.wait()
    }
}
