import Foundation

/// A grid of cells about `cellSize` metres square, for counting crowds.
///
/// Rows are bands `cellSize / 111_320` degrees of latitude high, a degree of latitude being about
/// 111.32 km. Each row's columns are as many degrees of longitude wide as `cellSize` metres is at the
/// row's central latitude, so that cells stay square away from the equator instead of narrowing towards
/// the poles; cell `(row, column)` spans `[row, row + 1) × dLat` and `[column, column + 1) × dLon(row)`.
/// Where a row is so close to a pole that its cell would be wider than the whole parallel, the row is
/// one cell.
public struct DensityGrid: Sendable, Equatable {
    public struct Cell: Sendable, Hashable {
        public let row: Int
        public let column: Int
    }

    public let cellSize: Double

    public init(cellSize: Double) {
        self.cellSize = cellSize
    }

    public func cell(latitude: Double, longitude: Double) -> Cell {
        let row = Int((latitude / rowHeight).rounded(.down))
        return Cell(row: row, column: Int((longitude / columnWidth(row: row)).rounded(.down)))
    }

    public func centre(of cell: Cell) -> (latitude: Double, longitude: Double) {
        ((Double(cell.row) + 0.5) * rowHeight, (Double(cell.column) + 0.5) * columnWidth(row: cell.row))
    }

    private var rowHeight: Double { cellSize / 111_320 }

    private func columnWidth(row: Int) -> Double {
        let latitude = (Double(row) + 0.5) * rowHeight * .pi / 180
        let width = cellSize / (111_320 * cos(latitude))
        return width > 0 && width < 360 ? width : 360
    }
}
