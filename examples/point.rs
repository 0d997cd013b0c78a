use std::fmt;

/// A point on the integer grid.
pub struct Point {
    pub x: i64,
    pub y: i64,
}

impl Point {
    /// Manhattan distance to another point.
    pub fn manhattan(&self, other: &Point) -> i64 {
        (self.x - other.x).abs() + (self.y - other.y).abs()
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "({}, {})", self.x, self.y)
    }
}
