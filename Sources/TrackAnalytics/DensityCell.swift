import Foundation

/// How many distinct devices were in one grid cell during one UTC minute. Stores key it by
/// `(minute, cellRow, cellColumn)`.
public struct DensityCell: Sendable, Equatable {
    /// The minute's first second.
    public let minute: Date
    public let cellRow: Int
    public let cellColumn: Int
    /// The cell's centre, in degrees.
    public let latitude: Double
    public let longitude: Double
    public let devices: Int
}
