import Foundation
import Testing
import TrackAnalytics

@Suite struct DensityTests {
    static let eight = Walk.morning
    static let metresPerDegreeEast = Walk.metresPerDegree * cos(48.8566 * .pi / 180)

    func fix(_ device: Int, _ seconds: TimeInterval, north: Double = 0, east: Double = 0) -> Fix {
        Fix(deviceId: device, positionId: Int64(device * 1000) + Int64(seconds), fixTime: Self.eight + seconds,
            latitude: 48.8566 + north / Walk.metresPerDegree, longitude: 2.3522 + east / Self.metresPerDegreeEast)
    }

    /// Reference cells computed with Python from the documented formula.
    @Test func cellsAreAbout150MetresSquare() {
        let grid = DensityGrid(cellSize: 150)
        let paris = grid.cell(latitude: 48.8566, longitude: 2.3522)
        #expect(paris.row == 36258 && paris.column == 1148)
        let centre = grid.centre(of: paris)
        #expect(abs(centre.latitude - 48.857_123_607_617_68) < 1e-12)
        #expect(abs(centre.longitude - 2.352_141_499_796_701) < 1e-12)
        let sydney = grid.cell(latitude: -33.8688, longitude: 151.2093)
        #expect(sydney.row == -25136 && sydney.column == 93175)
    }

    @Test func distinctDevicesAreCountedPerCellAndMinute() throws {
        var window = DensityWindow()
        let fixes = [fix(1, 10), fix(2, 40, north: 30, east: 30), fix(1, 50)]
            + [5.0, 25, 45, 65].map { fix(3, $0, north: 1000) }
        #expect(fixes.map { window.add($0) }.allSatisfy { $0 })

        #expect(window.advance(to: Self.eight + 179).isEmpty)
        let final = window.advance(to: Self.eight + 180)
        try #require(final.count == 2)
        #expect(final[0].minute == Self.eight && final[0].cellRow == 36258 && final[0].cellColumn == 1148)
        #expect(abs(final[0].latitude - 48.857_123_607_617_68) < 1e-12)
        #expect(abs(final[0].longitude - 2.352_141_499_796_701) < 1e-12)
        #expect(final[0].devices == 2)
        #expect(final[1].minute == Self.eight && final[1].cellRow == 36264 && final[1].cellColumn == 1148)
        #expect(abs(final[1].latitude - 48.865_208_408_192_6) < 1e-12)
        #expect(abs(final[1].longitude - 2.352_521_476_956_846_8) < 1e-12)
        #expect(final[1].devices == 1)

        let pending = window.pending
        try #require(pending.count == 1)
        #expect(pending[0].minute == Self.eight + 60 && pending[0].cellRow == 36264 && pending[0].devices == 1)
    }

    @Test func aFixForAFinalMinuteIsDroppedAndCounted() {
        var window = DensityWindow()
        let early = window.add(fix(1, 10))
        let final = window.advance(to: Self.eight + 210)
        #expect(early && final.map(\.devices) == [1])
        #expect(window.watermark == Self.eight + 210)

        let late = window.add(fix(2, 59))
        #expect(!late && window.lateFixes == 1)
        // Older than watermark - lateness, but its minute is still open: counted, nothing is lost.
        let open = window.add(fix(2, 61))
        let backwards = window.advance(to: Self.eight)
        #expect(open && backwards.isEmpty)
        #expect(window.watermark == Self.eight + 210)
        #expect(window.pending.map(\.devices) == [1])
        #expect(window.lateFixes == 1)
    }
}
