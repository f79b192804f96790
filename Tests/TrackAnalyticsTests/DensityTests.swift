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

    func visits(_ admissions: [DensityWindow.Admission]) -> [DensityVisit] {
        admissions.compactMap { if case .first(let visit) = $0 { visit } else { nil } }
    }

    @Test func eachDeviceIsHandedOutOncePerCellAndMinute() throws {
        var window = DensityWindow()
        let fixes = [fix(1, 10), fix(2, 40, north: 30, east: 30), fix(1, 50)]
            + [5.0, 25, 45, 65].map { fix(3, $0, north: 1000) }
        let admissions = fixes.map { window.add($0) }
        #expect([2, 4, 5].allSatisfy { admissions[$0] == .repeated })
        let first = visits(admissions)
        try #require(first.count == 4)
        #expect(first.map(\.deviceId) == [1, 2, 3, 3])
        #expect(first[0].minute == Self.eight && first[0].cellRow == 36258 && first[0].cellColumn == 1148)
        #expect(abs(first[0].latitude - 48.857_123_607_617_68) < 1e-12)
        #expect(abs(first[0].longitude - 2.352_141_499_796_701) < 1e-12)
        #expect(first[1].minute == Self.eight && first[1].cellRow == 36258 && first[1].cellColumn == 1148)
        #expect(first[2].minute == Self.eight && first[2].cellRow == 36264 && first[2].cellColumn == 1148)
        #expect(abs(first[2].latitude - 48.865_208_408_192_6) < 1e-12)
        #expect(abs(first[2].longitude - 2.352_521_476_956_846_8) < 1e-12)
        #expect(first[3].minute == Self.eight + 60 && first[3].cellRow == 36264 && first[3].deviceId == 3)
        #expect(window.openVisits == 4)
    }

    @Test func aFixForAMinuteItsDeviceHasLeftBehindIsDroppedAndCounted() {
        var window = DensityWindow()
        let early = window.add(fix(1, 10))
        #expect(visits([early, window.add(fix(1, 210))]).map(\.deviceId) == [1, 1])
        #expect(window.openVisits == 1, "the first minute is final once the device is 120 s past its end")

        #expect(window.add(fix(1, 59)) == .late && window.lateFixes == 1)
        // Older than the device's newest minus lateness, but its minute is still open: counted, nothing is lost.
        let open = window.add(fix(1, 91))
        #expect(visits([open]).map(\.minute) == [Self.eight + 60])
        #expect(window.lateFixes == 1)
    }

    @Test func eachDeviceKeepsItsOwnTime() {
        var window = DensityWindow()
        // Device 1 is read an hour ahead, as a worker catching up on a backlog reads some partitions first.
        _ = window.add(fix(1, 3600))
        #expect(visits([window.add(fix(2, 10))]).map(\.deviceId) == [2], "device 2's first minute is not late")
        #expect(window.lateFixes == 0)
        window.forget(deviceId: 2)
        #expect(visits([window.add(fix(2, 10))]).map(\.deviceId) == [2], "a forgotten device is handed out again")
    }
}
