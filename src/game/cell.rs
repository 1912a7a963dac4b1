//! A square of the board.
//!
//! People see cells numbered 1–9, left to right, top to bottom (the keyboard, the terminal, the
//! wire and the docs all use that number). Inside, a cell is an index 0–8.

use serde::{Deserialize, Serialize};

/// One of the nine squares. It can only name a square that exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Cell(u8);

/// Why a number or text does not name a cell.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CellError {
    /// A number outside 1–9.
    #[error("there is no cell {number}: cells are numbered 1 to 9")]
    OutOfRange {
        /// The number that was given.
        number: i64,
    },
    /// Text that is not a number at all.
    #[error("{text:?} is not a cell number: type a number from 1 to 9")]
    NotANumber {
        /// The text that was given.
        text: String,
    },
}

impl Cell {
    /// All nine cells in order 1–9.
    pub const ALL: [Self; 9] = [
        Self(0),
        Self(1),
        Self(2),
        Self(3),
        Self(4),
        Self(5),
        Self(6),
        Self(7),
        Self(8),
    ];

    /// The cell with the given person-facing number, 1–9.
    pub fn from_number(number: i64) -> Result<Self, CellError> {
        match u8::try_from(number) {
            Ok(n @ 1..=9) => Ok(Self(n - 1)),
            _ => Err(CellError::OutOfRange { number }),
        }
    }

    /// The cell at `row` and `col`, both 0–2.
    #[must_use]
    pub const fn at(row: u8, col: u8) -> Option<Self> {
        if row < 3 && col < 3 {
            Some(Self(row * 3 + col))
        } else {
            None
        }
    }

    /// The cell with the given internal index, 0–8.
    #[must_use]
    pub const fn from_index(index: usize) -> Option<Self> {
        if index < 9 {
            #[expect(clippy::cast_possible_truncation, reason = "index < 9")]
            Some(Self(index as u8))
        } else {
            None
        }
    }

    /// The internal index, 0–8.
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The person-facing number, 1–9.
    #[must_use]
    pub const fn number(self) -> u8 {
        self.0 + 1
    }

    /// The row, 0 (top) to 2.
    #[must_use]
    pub const fn row(self) -> u8 {
        self.0 / 3
    }

    /// The column, 0 (left) to 2.
    #[must_use]
    pub const fn col(self) -> u8 {
        self.0 % 3
    }

    /// A name a person can read, such as "top left" or "centre".
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self.0 {
            0 => "top left",
            1 => "top middle",
            2 => "top right",
            3 => "middle left",
            4 => "centre",
            5 => "middle right",
            6 => "bottom left",
            7 => "bottom middle",
            _ => "bottom right",
        }
    }
}

impl TryFrom<u8> for Cell {
    type Error = CellError;

    fn try_from(number: u8) -> Result<Self, Self::Error> {
        Self::from_number(i64::from(number))
    }
}

impl From<Cell> for u8 {
    fn from(cell: Cell) -> Self {
        cell.number()
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.number())
    }
}

impl std::str::FromStr for Cell {
    type Err = CellError;

    /// Parses a person-facing number, 1–9, ignoring surrounding white space.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        match text.parse::<i64>() {
            Ok(number) => Self::from_number(number),
            Err(_) => Err(CellError::NotANumber {
                text: text.to_owned(),
            }),
        }
    }
}
