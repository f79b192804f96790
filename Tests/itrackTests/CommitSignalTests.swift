import Foundation
import Testing
@testable import itrack

/// The in-process analytics' pause between rounds: commits do not cut it short, a stop does.
@Suite struct CommitSignalTests {
    @Test func commitsDoNotEndAPause() {
        let signal = CommitSignal()
        let started = Date()
        DispatchQueue.global().async {
            for _ in 0..<20 {
                signal.notifyCommitted()
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        signal.pause(seconds: 0.2)
        #expect(Date().timeIntervalSince(started) >= 0.2)
    }

    @Test func aStopEndsAPause() {
        let signal = CommitSignal()
        let started = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { signal.requestStop() }
        signal.pause(seconds: 30)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(signal.isStopping)
    }

    @Test func aCommitEndsAWait() {
        let signal = CommitSignal()
        let started = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { signal.notifyCommitted() }
        signal.wait(seconds: 30)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(!signal.isStopping)
    }
}
