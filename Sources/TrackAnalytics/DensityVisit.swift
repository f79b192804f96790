import Foundation

/// One device seen in one grid cell during one UTC minute. Stores key it by
/// `(minute, cellRow, cellColumn, deviceId)` and count devices per cell and minute when read.
///
/// Visits rather than counts are handed out because they merge: two workers that each see half of the
/// devices write their visits into one table, and a replay writes the same rows again, while counts
/// from either would overwrite each other.
public struct DensityVisit: Sendable, Equatable {
    /// The minute's first second.
    public let minute: Date
    public let cellRow: Int
    public let cellColumn: Int
    /// The cell's centre, in degrees.
    public let latitude: Double
    public let longitude: Double
    public let deviceId: Int
}
