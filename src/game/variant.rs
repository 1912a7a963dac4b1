//! Which game is played: [`Variant`], the rules behind the one engine, and how people name its
//! moves ([`Variant::parse_move`], [`Variant::move_text`], [`Variant::cell_name`]).
//!
//! A [`Cell`] is an index into the variant's board: classic 0–8, Ultimate `small board * 9 + cell`
//! (0–80, each numbered as the classic board is), Gomoku `row * 15 + col` (0–224, row 0 at the
//! top). People see classic cells 1–9, Ultimate moves as a small board and a cell (`5 3` or `53`),
//! and Gomoku points in renju notation (`h8`: a column `a`–`o` from the left, a row `1`–`15` from
//! the bottom).

use serde::{Deserialize, Serialize};

use super::{Cell, CellError};

/// A game's rules: which board, which moves, which lines win.
///
/// Written `classic`, `ultimate` or `gomoku` on the command line, in settings and in serde forms.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// Tic-Tac-Toe on nine squares: three in a row wins.
    #[default]
    Classic,
    /// Nine small boards in a 3×3: the cell played sends the opponent to the small board in the
    /// same position; three small boards in a row wins.
    Ultimate,
    /// A 15×15 board: five or more in a row wins (freestyle); a full board is a draw.
    Gomoku,
}

/// Why a text does not name a [`Variant`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a game: choose classic, ultimate or gomoku")]
pub struct VariantError {
    /// The text that was given.
    pub text: String,
}

/// The side of a Gomoku board.
pub const GOMOKU_SIDE: usize = 15;

/// The column letters of a Gomoku board, left to right.
const COLUMNS: &[u8; GOMOKU_SIDE] = b"abcdefghijklmno";

impl Variant {
    /// Every variant, classic first.
    pub const ALL: [Self; 3] = [Self::Classic, Self::Ultimate, Self::Gomoku];

    /// The stable name: `"classic"`, `"ultimate"` or `"gomoku"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Classic => "classic",
            Self::Ultimate => "ultimate",
            Self::Gomoku => "gomoku",
        }
    }

    /// The game's name for people: "Tic-Tac-Toe", "Ultimate Tic-Tac-Toe" or "Gomoku".
    #[must_use]
    pub const fn title(self) -> &'static str {
        match self {
            Self::Classic => "Tic-Tac-Toe",
            Self::Ultimate => "Ultimate Tic-Tac-Toe",
            Self::Gomoku => "Gomoku",
        }
    }

    /// Whether this is Ultimate Tic-Tac-Toe.
    #[must_use]
    pub const fn is_ultimate(self) -> bool {
        matches!(self, Self::Ultimate)
    }

    /// Whether this is classic Tic-Tac-Toe (what a record or snapshot naming no game holds).
    #[must_use]
    pub const fn is_classic(&self) -> bool {
        matches!(self, Self::Classic)
    }

    /// How many cells the board has: 9, 81 or 225.
    #[must_use]
    pub const fn cells(self) -> usize {
        match self {
            Self::Classic => 9,
            Self::Ultimate => 81,
            Self::Gomoku => GOMOKU_SIDE * GOMOKU_SIDE,
        }
    }

    /// The side of the square grid the board is drawn as: 3, 9 or 15.
    #[must_use]
    pub const fn side(self) -> usize {
        match self {
            Self::Classic => 3,
            Self::Ultimate => 9,
            Self::Gomoku => GOMOKU_SIDE,
        }
    }

    /// Whether `cell` is on this variant's board.
    #[must_use]
    pub const fn contains(self, cell: Cell) -> bool {
        cell.index() < self.cells()
    }

    /// Every cell of the board, in index order.
    pub fn all_cells(self) -> impl Iterator<Item = Cell> {
        (0..self.cells()).filter_map(Cell::with_index)
    }

    /// The cell drawn at `row` (0 at the top) and `col` (0 at the left) of the grid
    /// ([`Variant::side`] wide). Ultimate's grid is 9×9: small board `(row / 3, col / 3)`, cell
    /// `(row % 3, col % 3)` within it.
    #[must_use]
    pub fn cell_at(self, row: usize, col: usize) -> Option<Cell> {
        let side = self.side();
        if row >= side || col >= side {
            return None;
        }
        match self {
            Self::Classic | Self::Gomoku => Cell::with_index(row * side + col),
            Self::Ultimate => {
                Cell::with_index(((row / 3) * 3 + col / 3) * 9 + (row % 3) * 3 + col % 3)
            }
        }
    }

    /// Where `cell` is drawn on the grid: `(row, col)`, 0 at the top left; the inverse of
    /// [`Variant::cell_at`].
    #[must_use]
    pub const fn row_col(self, cell: Cell) -> (usize, usize) {
        let index = cell.index();
        match self {
            Self::Classic | Self::Gomoku => (index / self.side(), index % self.side()),
            Self::Ultimate => {
                let (board, inner) = (index / 9, index % 9);
                ((board / 3) * 3 + inner / 3, (board % 3) * 3 + inner % 3)
            }
        }
    }

    /// Reads a move as a person types it: classic `5`; Ultimate `5 3` or `53` (small board 5, cell
    /// 3); Gomoku `h8`. White space around it is ignored, and Gomoku's letter may be upper case.
    pub fn parse_move(self, text: &str) -> Result<Cell, CellError> {
        let text = text.trim();
        match self {
            Self::Classic => text.parse(),
            Self::Ultimate => parse_ultimate(text).ok_or_else(|| CellError::NotUltimate {
                text: text.to_owned(),
            }),
            Self::Gomoku => parse_gomoku(text).ok_or_else(|| CellError::NotGomoku {
                text: text.to_owned(),
            }),
        }
    }

    /// A move as people write it, what [`Variant::parse_move`] reads back: `5`, `53`, `h8`.
    #[must_use]
    pub fn move_text(self, cell: Cell) -> String {
        match self {
            Self::Classic => cell.to_string(),
            Self::Ultimate => format!(
                "{}{}",
                cell.small_board().number(),
                cell.in_small_board().number()
            ),
            Self::Gomoku => {
                let (row, col) = self.row_col(cell);
                let letter = COLUMNS.get(col).map_or('?', |&b| char::from(b));
                format!("{letter}{}", GOMOKU_SIDE - row)
            }
        }
    }

    /// A cell's name for a person or a screen reader: classic `centre`, Ultimate
    /// `board 5, cell 3`, Gomoku `h8`.
    #[must_use]
    pub fn cell_name(self, cell: Cell) -> String {
        match self {
            Self::Classic => cell.name().to_owned(),
            Self::Ultimate => format!(
                "board {}, cell {}",
                cell.small_board().number(),
                cell.in_small_board().number()
            ),
            Self::Gomoku => self.move_text(cell),
        }
    }
}

/// `5 3` or `53`: two digits 1–9, the small board then the cell.
fn parse_ultimate(text: &str) -> Option<Cell> {
    let digits: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let spaced = text.split_whitespace().count();
    let [board, cell] = digits.as_slice() else {
        return None;
    };
    if spaced > 2 {
        return None;
    }
    let board = Cell::from_number(i64::from(board.to_digit(10)?)).ok()?;
    let cell = Cell::from_number(i64::from(cell.to_digit(10)?)).ok()?;
    Some(Cell::ultimate(board, cell))
}

/// `h8`: a column letter `a`–`o`, then a row number `1`–`15` counted from the bottom.
fn parse_gomoku(text: &str) -> Option<Cell> {
    let mut chars = text.chars();
    let letter = chars.next()?.to_ascii_lowercase();
    let col = COLUMNS.iter().position(|&b| char::from(b) == letter)?;
    let digits = chars.as_str();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let row_from_bottom: usize = digits.parse().ok()?;
    if !(1..=GOMOKU_SIDE).contains(&row_from_bottom) {
        return None;
    }
    Variant::Gomoku.cell_at(GOMOKU_SIDE - row_from_bottom, col)
}

impl std::fmt::Display for Variant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The one of `all` that `text` names, in any case, ignoring surrounding white space: how a
/// game and a level are read from the command line and from settings.
pub(super) fn by_name<T: Copy>(
    all: &[T],
    name: impl Fn(T) -> &'static str,
    text: &str,
) -> Option<T> {
    let text = text.trim();
    all.iter()
        .copied()
        .find(|&item| name(item).eq_ignore_ascii_case(text))
}

impl std::str::FromStr for Variant {
    type Err = VariantError;

    /// Parses `classic`, `ultimate` or `gomoku`, in any case, ignoring surrounding white space.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        by_name(&Self::ALL, Self::as_str, s).ok_or_else(|| VariantError {
            text: s.trim().to_owned(),
        })
    }
}

/// A cell of a given variant, written as people name it: what the rules' messages say
/// (`board 5, cell 3`, `h8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Place {
    /// The game the cell belongs to.
    pub variant: Variant,
    /// The cell.
    pub cell: Cell,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.variant.cell_name(self.cell))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_say_what_to_choose() {
        for variant in Variant::ALL {
            assert_eq!(variant.to_string().parse::<Variant>(), Ok(variant));
            let json = serde_json::to_string(&variant).unwrap();
            assert_eq!(json, format!("\"{variant}\""));
            assert_eq!(serde_json::from_str::<Variant>(&json).unwrap(), variant);
        }
        assert_eq!(" Gomoku ".parse::<Variant>(), Ok(Variant::Gomoku));
        let error = "chess".parse::<Variant>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"chess\" is not a game: choose classic, ultimate or gomoku"
        );
        assert!(serde_json::from_str::<Variant>("\"chess\"").is_err());
    }

    #[test]
    fn every_cell_round_trips_through_its_text_and_its_grid_place() {
        for variant in Variant::ALL {
            let mut seen = std::collections::HashSet::new();
            for cell in variant.all_cells() {
                let text = variant.move_text(cell);
                assert_eq!(variant.parse_move(&text), Ok(cell), "{variant} {text}");
                let (row, col) = variant.row_col(cell);
                assert_eq!(variant.cell_at(row, col), Some(cell));
                assert!(seen.insert((row, col)));
            }
            assert_eq!(seen.len(), variant.cells());
            assert_eq!(variant.cell_at(variant.side(), 0), None);
        }
    }

    #[test]
    fn ultimate_moves_read_with_or_without_a_space() {
        let cell = Variant::Ultimate.parse_move("5 3").unwrap();
        assert_eq!(Variant::Ultimate.parse_move("53"), Ok(cell));
        assert_eq!(cell.index(), 4 * 9 + 2);
        assert_eq!(Variant::Ultimate.cell_name(cell), "board 5, cell 3");
        for bad in ["", "5", "0 3", "5 0", "534", "5 3 1", "a3", "10 1"] {
            assert!(Variant::Ultimate.parse_move(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn gomoku_points_are_counted_from_the_bottom_left() {
        let gomoku = Variant::Gomoku;
        assert_eq!(gomoku.row_col(gomoku.parse_move("a1").unwrap()), (14, 0));
        assert_eq!(gomoku.row_col(gomoku.parse_move("o15").unwrap()), (0, 14));
        assert_eq!(gomoku.row_col(gomoku.parse_move("H8").unwrap()), (7, 7));
        assert_eq!(gomoku.parse_move("a1").unwrap().index(), 14 * 15);
        for bad in ["", "h", "p1", "a0", "a16", "8h", "h 8", "h+8"] {
            assert!(gomoku.parse_move(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            gomoku.parse_move("z9").unwrap_err().to_string(),
            "\"z9\" is not a move: type a column a to o and a row 1 to 15, such as h8"
        );
    }
}
