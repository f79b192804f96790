import Foundation
import Testing
import TrackCore

@Suite struct PositionFilterTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func position(fixOffset: TimeInterval = 0, latitude: Double = 52, valid: Bool = true) -> Position {
        Position(protocolName: "osmand", deviceTime: now, fixTime: now.addingTimeInterval(fixOffset), valid: valid,
                 latitude: latitude, longitude: latitude == 0 ? 0 : 13)
    }

    @Test func onlyTheFutureFilterIsOnByDefault() {
        let filter = PositionFilter()
        #expect(filter.reason(for: position(fixOffset: 86401), last: nil, now: now) == .future)
        #expect(filter.reason(for: position(fixOffset: 86399), last: nil, now: now) == nil)
        #expect(filter.reason(for: position(latitude: 0, valid: false), last: position(), now: now) == nil)
    }

    @Test func eachFilterDropsWhatItNames() {
        let filter = PositionFilter(invalid: true, zero: true, future: 60, duplicate: true)
        #expect(filter.reason(for: position(valid: false), last: nil, now: now) == .invalid)
        #expect(filter.reason(for: position(latitude: 0), last: nil, now: now) == .zero)
        #expect(filter.reason(for: position(fixOffset: 61), last: nil, now: now) == .future)
        #expect(filter.reason(for: position(), last: position(latitude: 10), now: now) == .duplicate)
        #expect(filter.reason(for: position(fixOffset: 1), last: position(), now: now) == nil)
    }

    @Test func disablingTurnsEveryFilterOff() {
        let filter = PositionFilter(enabled: false, invalid: true, zero: true, future: 1, duplicate: true)
        #expect(filter.reason(for: position(fixOffset: 100, latitude: 0, valid: false), last: nil, now: now) == nil)
    }
}
