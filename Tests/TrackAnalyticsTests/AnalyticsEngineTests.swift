import Foundation
import Testing
import TrackCore
import TrackAnalytics

@Suite struct AnalyticsEngineTests {
    static let t0 = Walk.morning
    /// Midnight UTC starting 2026-03-02, the day of `t0`.
    static let dayOfT0 = Date(timeIntervalSince1970: 1_772_409_600)

    /// 12 minutes' walk north at 1.4 m/s (1008 m, a fix a minute), a 20-minute stop with up to 5 m of GPS
    /// jitter, then 12 minutes' walk on. The fixes 84 m either side of the stop lie within the stay radius of
    /// its centroid, so the stay runs from `fixes[11]` (t0 + 660 s) to `fixes[33]` (t0 + 1980 s).
    static let errand: Walk = {
        var generator = SplitMix64(seed: 3)
        var walk = Walk(interval: 60)
        walk.walk(speed: 1.4, for: 720)
        walk.stop(for: 1200, jitter: 5, using: &generator)
        walk.walk(speed: 1.4, for: 720)
        return walk
    }()

    static var fixes: [Fix] { errand.fixes }

    static func process(_ fixes: [Fix], geofences: [Geofence] = []) -> AnalyticsResults {
        var engine = AnalyticsEngine()
        return engine.process(fixes, geofences: geofences)
    }

    /// The mean of some fixes' coordinates: a stay's centroid.
    static func mean(_ fixes: ArraySlice<Fix>) -> (latitude: Double, longitude: Double) {
        let count = Double(fixes.count)
        return (fixes.map(\.latitude).reduce(0, +) / count, fixes.map(\.longitude).reduce(0, +) / count)
    }

    /// A stay event's attributes: the centroid and how many fixes the stay had.
    static func attributes(of event: AnalyticsEvent) throws -> [String: Double] {
        try JSONDecoder().decode([String: Double].self, from: Data(event.attributes.utf8))
    }

    // MARK: Stays, trips and stay events

    @Test func aStopBetweenTwoWalksIsOneStayBetweenTwoTrips() throws {
        let t0 = Self.t0
        let results = Self.process(Self.fixes)
        #expect(results.duplicates == 0 && results.tooOld == 0 && results.lateForDensity == 0)
        // A fix a minute puts every fix in its own minute: one visit each.
        #expect(results.visits.count == Self.fixes.count)

        try #require(results.devices.count == 1)
        let device = results.devices[0]
        #expect(device.deviceId == 1)
        #expect(device.since == t0)

        try #require(device.stays.count == 1)
        let stay = device.stays[0]
        let centroid = Self.mean(Self.fixes[11...33])
        #expect(stay.deviceId == 1)
        #expect(stay.start == t0 + 660 && stay.end == t0 + 1980)
        #expect(stay.fixCount == 23)
        #expect(!stay.isOpen)
        #expect(abs(stay.latitude - centroid.latitude) < 1e-9)
        #expect(abs(stay.longitude - centroid.longitude) < 1e-9)
        let stop = Self.errand.latitude(north: 1008)
        #expect(Haversine.distance(fromLatitude: stay.latitude, longitude: stay.longitude, toLatitude: stop,
                                   longitude: 2.3522) < 5)

        try #require(device.trips.count == 2)
        let (arriving, leaving) = (device.trips[0], device.trips[1])
        #expect(arriving.deviceId == 1 && arriving.start == t0 && arriving.end == t0 + 660)
        #expect(arriving.startLatitude == Self.errand.latitude(north: 0) && arriving.startLongitude == 2.3522)
        #expect(arriving.endLatitude == Self.errand.latitude(north: 924) && arriving.endLongitude == 2.3522)
        #expect(abs(arriving.distance - 924) < 1e-6 && abs(arriving.maxSpeed - 1.4) < 1e-9)
        #expect(arriving.fixCount == 12 && arriving.fastFixCount == 0 && arriving.isWalking && !arriving.isOpen)
        #expect(leaving.deviceId == 1 && leaving.start == t0 + 1980 && leaving.end == t0 + 2640)
        #expect(leaving.startLatitude == Self.errand.latitude(north: 1092) && leaving.startLongitude == 2.3522)
        #expect(leaving.endLatitude == Self.errand.latitude(north: 2016) && leaving.endLongitude == 2.3522)
        #expect(abs(leaving.distance - 924) < 1e-6 && abs(leaving.maxSpeed - 1.4) < 1e-9)
        #expect(leaving.fixCount == 12 && leaving.fastFixCount == 0 && leaving.isWalking && leaving.isOpen)

        try #require(device.days.count == 1)
        #expect(device.days[0].deviceId == 1 && device.days[0].day == Self.dayOfT0)
        #expect(abs(device.days[0].walkingDistance - 1848) < 1e-6)
        #expect(device.days[0].activeTime == 1320)

        // Announced by the fix that made six fixes five minutes long, ended by the first fix beyond the radius.
        let announced = Self.mean(Self.fixes[11...16])
        try #require(results.events.count == 2)
        let (start, end) = (results.events[0], results.events[1])
        #expect(start.type == "stayStart" && start.deviceId == 1 && start.eventTime == stay.start)
        #expect(start.positionId == Self.fixes[16].positionId && start.geofenceId == nil)
        let startAttributes = try Self.attributes(of: start)
        #expect(startAttributes.keys.sorted() == ["fixes", "latitude", "longitude"])
        #expect(abs((startAttributes["latitude"] ?? 0) - announced.latitude) < 1e-9)
        #expect(abs((startAttributes["longitude"] ?? 0) - announced.longitude) < 1e-9)
        #expect(startAttributes["fixes"] == 6)
        #expect(end.type == "stayEnd" && end.deviceId == 1 && end.eventTime == stay.end)
        #expect(end.positionId == Self.fixes[34].positionId && end.geofenceId == nil)
        #expect(try Self.attributes(of: end) == ["latitude": stay.latitude, "longitude": stay.longitude, "fixes": 23])
    }

    /// Ten minutes into the stop the stay is open: it is announced, but not ended until the device leaves.
    @Test func anOpenStayGivesOnlyStayStart() throws {
        let t0 = Self.t0
        var engine = AnalyticsEngine()
        let open = engine.process(Array(Self.fixes[...20]), geofences: [])

        let openStay = try #require(open.devices.first?.stays.first)
        #expect(open.devices.first?.stays.count == 1)
        #expect(openStay.start == t0 + 660 && openStay.end == t0 + 1200 && openStay.fixCount == 10 && openStay.isOpen)
        let centroid = Self.mean(Self.fixes[11...20])
        #expect(abs(openStay.latitude - centroid.latitude) < 1e-9)
        #expect(abs(openStay.longitude - centroid.longitude) < 1e-9)
        try #require(open.events.count == 1)
        let start = open.events[0]
        #expect(start.type == "stayStart" && start.eventTime == t0 + 660 && start.deviceId == 1)
        #expect(start.positionId == Self.fixes[16].positionId && start.geofenceId == nil)
        #expect(try Self.attributes(of: start)["fixes"] == 6)

        let left = engine.process(Array(Self.fixes[21...]), geofences: [])
        let stay = try #require(left.devices.first?.stays.first)
        #expect(!stay.isOpen && stay.end == t0 + 1980)
        try #require(left.events.count == 1)
        let end = left.events[0]
        #expect(end.type == "stayEnd" && end.eventTime == t0 + 1980 && end.deviceId == 1)
        #expect(end.positionId == Self.fixes[34].positionId && end.geofenceId == nil)
        #expect(try Self.attributes(of: end) == ["latitude": stay.latitude, "longitude": stay.longitude, "fixes": 23])
        // Cut into two batches, the fixes announce the same events as in one.
        #expect(open.events + left.events == Self.process(Self.fixes).events)
    }

    // MARK: Density

    @Test func twoDevicesInOneCellAndMinuteAreTwoVisits() throws {
        let t0 = Self.t0
        let metresPerDegree = Walk.metresPerDegree
        // Cell (36258, 1148) of the 150 m grid spans 48.85645…48.85780 N and 2.35112…2.35317 E.
        let one = Fix(deviceId: 1, positionId: 11, fixTime: t0 + 10, latitude: 48.8566, longitude: 2.3522)
        let two = Fix(deviceId: 2, positionId: 21, fixTime: t0 + 40, latitude: 48.8566 + 30 / metresPerDegree,
                      longitude: 2.3526)
        var engine = AnalyticsEngine()
        let first = engine.process([one, two], geofences: [])

        try #require(first.visits.count == 2)
        #expect(first.visits.map(\.deviceId) == [1, 2])
        #expect(first.visits.map(\.minute) == [t0, t0])
        #expect(first.visits.map(\.cellRow) == [36258, 36258])
        #expect(first.visits.map(\.cellColumn) == [1148, 1148])
        #expect(first.visits[0].latitude == first.visits[1].latitude)
        #expect(first.visits[0].longitude == first.visits[1].longitude)
        #expect(abs(first.visits[0].latitude - 48.857_123_607_617_68) < 1e-12)
        #expect(abs(first.visits[0].longitude - 2.352_141_499_796_701) < 1e-12)

        let again = Fix(deviceId: 1, positionId: 12, fixTime: t0 + 50, latitude: 48.8566 + 10 / metresPerDegree,
                        longitude: 2.3522)
        let second = engine.process([again], geofences: [])
        #expect(second.visits.isEmpty)
        #expect(second.devices.map(\.deviceId) == [1])
        #expect(second.lateForDensity == 0 && second.duplicates == 0)

        let nextMinute = Fix(deviceId: 1, positionId: 13, fixTime: t0 + 70, latitude: 48.8566, longitude: 2.3522)
        let third = engine.process([nextMinute], geofences: [])
        #expect(third.visits.map(\.minute) == [t0 + 60])
        #expect(third.visits.map(\.deviceId) == [1])
        #expect(third.visits.map(\.cellRow) == [36258] && third.visits.map(\.cellColumn) == [1148])
    }

    // MARK: Geofences

    /// 21 fixes 84 m apart along a meridian; the circle of 200 m around the point 500 m north holds the
    /// fixes 336 to 672 m north, `walk.fixes[4...8]`.
    @Test func aWalkThroughACircleEntersAndExitsAtTheFixesThatShowIt() throws {
        var walk = Walk(interval: 60)
        walk.walk(speed: 1.4, for: 1200)
        let office = Geofence(
            id: 3, name: "office", area: try GeofenceArea(wkt: "CIRCLE (\(walk.latitude(north: 500)) 2.3522, 200)"))
        var engine = AnalyticsEngine()
        let before = engine.process(Array(walk.fixes[...6]), geofences: [office])
        let after = engine.process(Array(walk.fixes[7...]), geofences: [office])

        #expect(before.events == [
            AnalyticsEvent(type: "geofenceEnter", deviceId: 1, eventTime: Self.t0 + 240, positionId: 1_000_004,
                           geofenceId: 3)
        ])
        #expect(after.events == [
            AnalyticsEvent(type: "geofenceExit", deviceId: 1, eventTime: Self.t0 + 540, positionId: 1_000_009,
                           geofenceId: 3)
        ])
        #expect(walk.fixes[4].positionId == 1_000_004 && walk.fixes[4].fixTime == Self.t0 + 240)
        #expect(walk.fixes[9].positionId == 1_000_009 && walk.fixes[9].fixTime == Self.t0 + 540)
        #expect((before.events + after.events).allSatisfy { $0.attributes == "{}" })
    }

    // MARK: History, duplicates and retention

    /// A device this engine does not know is rebuilt from history: the stay that began there goes on with
    /// its start, and the history's fixes count as nothing. Another device read hours ahead does not make
    /// any of them late for density: each device keeps its own time.
    @Test func historyContinuesAStayAndIsNeverCounted() throws {
        var engine = AnalyticsEngine()
        let later = Fix(deviceId: 2, positionId: 1, fixTime: Self.t0 + 10_800, latitude: 48.8566, longitude: 2.3522)
        _ = engine.process([later], geofences: [])
        #expect(!engine.knows(deviceId: 1))

        let history = Array(Self.fixes[...20])
        let batch = Array(Self.fixes[21...])
        let results = engine.process(batch + [Self.fixes[25]], after: history, geofences: [])

        #expect(results.duplicates == 1)
        #expect(results.tooOld == 0)
        #expect(results.lateForDensity == 0)
        let minutes = Set(Self.fixes.map { Date(timeIntervalSince1970: ($0.fixTime.timeIntervalSince1970 / 60).rounded(.down) * 60) })
        #expect(Set(results.visits.map(\.minute)) == minutes && results.visits.allSatisfy { $0.deviceId == 1 })
        let stay = try #require(results.devices.first?.stays.first)
        #expect(stay.start == Self.t0 + 660 && stay.end == Self.t0 + 1980 && stay.fixCount == 23)
        let inOrder = Self.process(Self.fixes)
        #expect(results.devices == inOrder.devices)
        #expect(results.events == inOrder.events)

        // History the engine already holds is all duplicates, none of them counted.
        let replayed = engine.process([], after: Self.fixes, geofences: [])
        #expect(replayed.duplicates == 0 && replayed.tooOld == 0 && replayed.lateForDensity == 0)
        #expect(replayed.devices.isEmpty && replayed.visits.isEmpty && replayed.events.isEmpty)
    }

    @Test func aFixOlderThanTheRetentionIsTooOld() {
        var engine = AnalyticsEngine(settings: AnalyticsSettings(retention: 3600))
        _ = engine.process(Self.fixes, geofences: [])
        let newest = Self.t0 + 2640
        func stale(_ id: Int64, _ seconds: TimeInterval) -> Fix {
            Fix(deviceId: 1, positionId: id, fixTime: newest - seconds, latitude: 48.8566, longitude: 2.3522)
        }

        let results = engine.process([stale(90, 3601)], after: [stale(91, 3700)], geofences: [])
        #expect(results.tooOld == 1)
        #expect(results.duplicates == 0 && results.lateForDensity == 0)
        #expect(results.devices.isEmpty && results.visits.isEmpty && results.events.isEmpty)

        // Just within the retention, a fix is still merged (and late for its long-final density minute).
        let kept = engine.process([stale(92, 3600)], geofences: [])
        #expect(kept.tooOld == 0 && kept.lateForDensity == 1)
        #expect(kept.devices.map(\.deviceId) == [1])
    }

    // MARK: What a batch reports

    /// Half an hour before midnight, a walk, a stop across midnight, a walk, a stop and a walk; a fix a
    /// minute, no jitter. Stays: `fixes[11...33]` (23:41–00:03) and `fixes[43...65]` (00:13–00:35).
    static let midnight: Walk = {
        var walk = Walk(start: Date(timeIntervalSince1970: 1_772_494_200), interval: 60)
        walk.walk(speed: 1.4, for: 720)
        walk.stop(for: 1200)
        walk.walk(speed: 1.4, for: 720)
        walk.stop(for: 1200)
        walk.walk(speed: 1.4, for: 600)
        return walk
    }()

    /// A batch after the first stay closed lists only what it changed: results from the end of that stay,
    /// which is also where the store starts replacing rows, and the days from that one's UTC day.
    @Test func aBatchListsStaysTripsAndDaysFromItsSince() throws {
        let t0 = Date(timeIntervalSince1970: 1_772_494_200)
        let secondDay = Date(timeIntervalSince1970: 1_772_496_000)
        let fixes = Self.midnight.fixes
        let full = DeviceTrack.fed(fixes)
        try #require(full.stays.count == 2 && full.trips.count == 3)

        var engine = AnalyticsEngine()
        let first = engine.process(Array(fixes[...40]), geofences: [])
        let earlier = try #require(first.devices.first)
        #expect(earlier.since == t0)
        #expect(earlier.days.map(\.day) == [secondDay - 86_400, secondDay])

        let second = engine.process(Array(fixes[41...]), geofences: [])
        try #require(second.devices.count == 1)
        let device = second.devices[0]
        #expect(device.since == t0 + 1980)
        #expect(device.since == full.stays[0].end)
        #expect(device.stays.allSatisfy { $0.start >= device.since })
        #expect(device.trips.allSatisfy { $0.start >= device.since })
        #expect(device.stays == [full.stays[1]])
        #expect(device.stays.map(\.start) == [t0 + 2580])
        #expect(device.trips == Array(full.trips[1...]))
        #expect(device.trips.map(\.start) == [t0 + 1980, t0 + 3900])
        #expect(device.days.map(\.day) == [secondDay])
        #expect(device.days == Array(full.dailyTotals().suffix(1)))
        #expect(second.events.map(\.type) == ["stayStart", "stayEnd"])
        #expect(second.events.map(\.eventTime) == [t0 + 2580, t0 + 3900])
    }

    /// One fix of the first walk and one of the stop come after the rest: the engine ends up with what one
    /// pass over the fixes in order gives.
    @Test func lateFixesGiveTheResultsOfTheFixesInOrder() throws {
        var engine = AnalyticsEngine()
        let onTime = Self.fixes.enumerated().filter { ![5, 20].contains($0.offset) }.map(\.element)
        let early = engine.process(onTime, geofences: [])
        #expect(early.devices.first?.stays.first?.fixCount == 22)

        let late = engine.process([Self.fixes[20], Self.fixes[5]], geofences: [])
        let inOrder = Self.process(Self.fixes)
        #expect(late.lateForDensity == 2 && late.duplicates == 0 && late.tooOld == 0)
        try #require(late.devices.count == 1)
        #expect(late.devices[0].since == Self.t0)
        #expect(late.devices == inOrder.devices)
        #expect(late.devices[0].stays.first?.fixCount == 23)
        // The stay was announced and ended by the fixes on time; the late ones announce nothing again.
        #expect(early.events.map(\.type) == ["stayStart", "stayEnd"])
        #expect(late.events.isEmpty)
    }

    // MARK: Forgetting

    /// After forgetting, a device's next fix is its first: its geofences are entered again.
    @Test func forgottenDevicesAreUnknownAndStartAfresh() throws {
        let office = Geofence(
            id: 8, name: "office",
            area: try GeofenceArea(wkt: "CIRCLE (\(Self.errand.latitude(north: 1008)) 2.3522, 150)"))
        let other = Fix(deviceId: 2, positionId: 5, fixTime: Self.t0, latitude: 51.5, longitude: -0.12)
        var engine = AnalyticsEngine()
        let before = engine.process(Array(Self.fixes[...20]) + [other], geofences: [office])
        #expect(before.events.map(\.type) == ["geofenceEnter", "stayStart"])
        #expect(engine.knows(deviceId: 1) && engine.knows(deviceId: 2) && !engine.knows(deviceId: 3))
        #expect(engine.deviceCount == 2)

        engine.forgetDevices()
        #expect(!engine.knows(deviceId: 1) && !engine.knows(deviceId: 2))
        #expect(engine.deviceCount == 0)

        let fix = Self.fixes[21]
        let after = engine.process([fix], geofences: [office])
        #expect(after.events == [
            AnalyticsEvent(type: "geofenceEnter", deviceId: 1, eventTime: fix.fixTime, positionId: fix.positionId,
                           geofenceId: 8)
        ])
        #expect(after.devices.map(\.since) == [fix.fixTime])
        #expect(after.devices.first?.stays == [])
        #expect(engine.knows(deviceId: 1) && engine.deviceCount == 1)
    }

    @Test func aDeviceSilentForLongerThanTheRetentionIsForgotten() {
        var engine = AnalyticsEngine(settings: AnalyticsSettings(retention: 3600))
        let quiet = Fix(deviceId: 2, positionId: 1, fixTime: Self.t0, latitude: 51.5, longitude: -0.12)
        _ = engine.process([quiet], geofences: [])
        _ = engine.process([Fix(deviceId: 3, positionId: 2, fixTime: Self.t0 + 3600, latitude: 51.5, longitude: -0.12)],
                           geofences: [])
        #expect(engine.knows(deviceId: 2), "exactly the retention old: kept")
        _ = engine.process([Fix(deviceId: 3, positionId: 3, fixTime: Self.t0 + 3601, latitude: 51.5, longitude: -0.12)],
                           geofences: [])
        #expect(!engine.knows(deviceId: 2) && engine.knows(deviceId: 3) && engine.deviceCount == 1)
    }
}
