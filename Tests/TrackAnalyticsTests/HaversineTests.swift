import Foundation
import Testing
import TrackAnalytics

@Suite struct HaversineTests {
    /// Reference values computed independently with Python's math module on the same sphere.
    @Test func parisToLondonIsAbout343Kilometres() {
        let metres = Haversine.distance(fromLatitude: 48.8566, longitude: 2.3522, toLatitude: 51.5074,
                                        longitude: -0.1278)
        #expect(abs(metres - 343_556.534_880_883) < 1e-6)
    }

    @Test func antipodesAreHalfTheCircumferenceApart() {
        let metres = Haversine.distance(fromLatitude: 0, longitude: 0, toLatitude: 0, longitude: 180)
        #expect(abs(metres - .pi * Haversine.earthRadius) < 1e-6)
    }

    @Test func theAntimeridianIsNoWall() {
        let metres = Haversine.distance(fromLatitude: -16.5, longitude: 179.9995, toLatitude: -16.5,
                                        longitude: -179.9995)
        #expect(abs(metres - 106.616_037_347_916) < 1e-6)
    }
}
