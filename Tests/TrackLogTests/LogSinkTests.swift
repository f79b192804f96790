import Dispatch
import Foundation
import Logging
import Testing
import TrackLog

@Suite struct LogSinkTests {
    /// Lines larger than the pipe's buffer, which the kernel takes in pieces, from two threads at once:
    /// every line must still arrive whole.
    @Test func concurrentLongLinesThroughAPipeStayWhole() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        let (readEnd, writeEnd) = (descriptors[0], descriptors[1])
        let logger = Logger(label: "pipe") { JSONLogHandler(label: $0, sink: .fileDescriptor(writeEnd)) }
        let filler = String(repeating: "x", count: 100_000)

        let writers = DispatchGroup()
        for thread in 0..<2 {
            writers.enter()
            Thread.detachNewThread {
                for index in 0..<25 { logger.info("\(thread)/\(index) \(filler)") }
                writers.leave()
            }
        }
        writers.notify(queue: .global()) { close(writeEnd) }

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output.append(contentsOf: buffer[..<count])
        }
        close(readEnd)

        #expect(output.last == UInt8(ascii: "\n"))
        let lines = output.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 50)
        var messages = Set<String>()
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            let message = try #require(object?["message"] as? String)
            #expect(message.hasSuffix(filler))
            messages.insert(message)
        }
        #expect(messages.count == 50)
    }
}
