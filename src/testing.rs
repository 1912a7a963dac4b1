//! Helpers the unit tests of every module share.

use crate::game::Cell;

/// The cells numbered 1 to 9 (left to right, top to bottom) in `numbers`, in order.
pub(crate) fn cells(numbers: &[i64]) -> Vec<Cell> {
    numbers
        .iter()
        .map(|&n| Cell::from_number(n).unwrap())
        .collect()
}
