import Foundation

/// Great-circle distance on a sphere of the Earth's mean radius: within 0.5 % of the ellipsoid, far
/// below what GPS noise does to a walk, and cheap enough to run for every pair of fixes.
public enum Haversine {
    /// The IUGG mean radius R₁ in metres.
    public static let earthRadius = 6_371_008.8

    /// Metres between two points given in degrees.
    public static func distance(fromLatitude latitude1: Double, longitude longitude1: Double,
                                toLatitude latitude2: Double, longitude longitude2: Double) -> Double {
        let φ1 = latitude1 * .pi / 180
        let φ2 = latitude2 * .pi / 180
        let halfΔφ = (latitude2 - latitude1) * .pi / 360
        let halfΔλ = (longitude2 - longitude1) * .pi / 360
        let a = sin(halfΔφ) * sin(halfΔφ) + cos(φ1) * cos(φ2) * sin(halfΔλ) * sin(halfΔλ)
        // Rounding can push `a` a hair above 1 for antipodal points, where asin would return NaN.
        return 2 * earthRadius * asin(min(1, a.squareRoot()))
    }
}
