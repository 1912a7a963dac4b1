//! A square of the board.
//!
//! On the classic board people see cells numbered 1–9, left to right, top to bottom (the keyboard,
//! the terminal, the wire and the docs all use that number). Inside, a cell is an index 0–8. The
//! bigger games' cells are indices up to [`MAX_CELLS`]; which ones exist, and how people name them,
//! is their [`super::Variant`]'s.

use serde::{Deserialize, Serialize};

/// How many cells the biggest board has (Gomoku's 15×15).
pub const MAX_CELLS: usize = 225;

/// A square of a board: one of the nine classic squares, or a cell of a bigger game's board.
///
/// It can only name a square that exists on some board; whether it is on a given one is the
/// variant's ([`super::Variant::contains`]). Its own serde form is the classic number, 1–9; a
/// field that may hold a cell of any board (events, snapshots) reads and writes it with
/// [`any_board`], as the index plus one.
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
    /// Text that is not an Ultimate move.
    #[error("{text:?} is not a move: type a small board 1 to 9, then a cell 1 to 9, such as 5 3")]
    NotUltimate {
        /// The text that was given.
        text: String,
    },
    /// Text that is not a Gomoku point.
    #[error("{text:?} is not a move: type a column a to o and a row 1 to 15, such as h8")]
    NotGomoku {
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

    /// The cell with the given internal index on any board, below [`MAX_CELLS`].
    #[must_use]
    pub const fn with_index(index: usize) -> Option<Self> {
        if index < MAX_CELLS {
            #[expect(clippy::cast_possible_truncation, reason = "index < 225")]
            Some(Self(index as u8))
        } else {
            None
        }
    }

    /// The Ultimate cell `cell` of small board `board`, both named as classic cells.
    #[must_use]
    pub const fn ultimate(board: Self, cell: Self) -> Self {
        Self((board.0 % 9) * 9 + cell.0 % 9)
    }

    /// For an Ultimate cell, its small board, named as the classic cell in the same place.
    #[must_use]
    pub const fn small_board(self) -> Self {
        Self((self.0 / 9) % 9)
    }

    /// For an Ultimate cell, its place inside its small board, as a classic cell: also the small
    /// board it sends the opponent to.
    #[must_use]
    pub const fn in_small_board(self) -> Self {
        Self(self.0 % 9)
    }

    /// The internal index: 0–8 on the classic board, below [`MAX_CELLS`] on any.
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The person-facing number, 1–9 on the classic board (the index plus one on any).
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

/// The serde form of a cell of any board, for `#[serde(with = "…")]`: the index plus one, 1–9 on
/// the classic board as [`Cell`]'s own form, up to [`MAX_CELLS`] on the others.
pub mod any_board {
    use serde::{Deserialize as _, Deserializer, Serializer};

    use super::{Cell, CellError};

    /// Writes the index plus one.
    pub fn serialize<S: Serializer>(cell: &Cell, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(cell.number())
    }

    /// Reads the index plus one, up to [`super::MAX_CELLS`].
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cell, D::Error> {
        let number = u8::deserialize(deserializer)?;
        usize::from(number)
            .checked_sub(1)
            .and_then(Cell::with_index)
            .ok_or_else(|| {
                serde::de::Error::custom(CellError::OutOfRange {
                    number: i64::from(number),
                })
            })
    }

    /// The same for a list of cells.
    pub mod list {
        use serde::de::{SeqAccess, Visitor};
        use serde::ser::SerializeSeq as _;
        use serde::{Deserializer, Serializer};

        use super::super::{Cell, CellError};

        /// Writes each cell's index plus one.
        pub fn serialize<S: Serializer>(cells: &[Cell], serializer: S) -> Result<S::Ok, S::Error> {
            let mut seq = serializer.serialize_seq(Some(cells.len()))?;
            for cell in cells {
                seq.serialize_element(&cell.number())?;
            }
            seq.end()
        }

        /// Reads each cell's index plus one.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Vec<Cell>, D::Error> {
            struct Cells;
            impl<'de> Visitor<'de> for Cells {
                type Value = Vec<Cell>;

                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a list of cell numbers")
                }

                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Cell>, A::Error> {
                    let mut cells = Vec::new();
                    while let Some(number) = seq.next_element::<u8>()? {
                        let cell = usize::from(number)
                            .checked_sub(1)
                            .and_then(Cell::with_index)
                            .ok_or_else(|| {
                                serde::de::Error::custom(CellError::OutOfRange {
                                    number: i64::from(number),
                                })
                            })?;
                        cells.push(cell);
                    }
                    Ok(cells)
                }
            }
            deserializer.deserialize_seq(Cells)
        }
    }
}
