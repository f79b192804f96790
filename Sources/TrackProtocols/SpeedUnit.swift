/// The unit phones use for the query/form `speed` parameter, set by Traccar's `osmand.speed` key; the raw
/// values are that key's values. Positions are stored in knots whatever the phone sends, and JSON speeds are
/// always m/s.
public enum SpeedUnit: String, Sendable, CaseIterable {
    case knots, kmh, mps, mph
}
