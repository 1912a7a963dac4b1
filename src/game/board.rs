//! A board of any [`Variant`], the lines that win on it, and the outcome a board implies.
//!
//! The classic board's eight lines are [`LINES`]; Ultimate's winning lines are lines of small
//! boards (see `ultimate`), Gomoku's runs of five or more (see `gomoku`).

use super::cell::MAX_CELLS;
use super::{Cell, Player, Variant, gomoku, ultimate};

/// The most cells a winning line holds: a Gomoku run made by one stone joining two fours.
pub const MAX_LINE: usize = 9;

/// A winning line, its cells in order along it.
///
/// Three cells in a row, column or diagonal on the classic board or inside an Ultimate small
/// board; three small boards in a row in Ultimate ([`Line::of_small_boards`]); five or more
/// stones in a row in Gomoku.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Line {
    cells: [Cell; MAX_LINE],
    len: u8,
    of_boards: bool,
}

impl Line {
    /// Three cells, in order.
    #[must_use]
    pub const fn three(a: Cell, b: Cell, c: Cell) -> Self {
        let filler = Cell::ALL[0];
        Self {
            cells: [a, b, c, filler, filler, filler, filler, filler, filler],
            len: 3,
            of_boards: false,
        }
    }

    /// A run of cells in order along a line; at most [`MAX_LINE`] are kept.
    pub(super) fn run(cells: &[Cell]) -> Self {
        let mut line = Self::three(Cell::ALL[0], Cell::ALL[0], Cell::ALL[0]);
        line.len = 0;
        for (slot, &cell) in line.cells.iter_mut().zip(cells) {
            *slot = cell;
            line.len += 1;
        }
        line
    }

    /// The same line, read as a line of Ultimate small boards, each named as the classic cell in
    /// the same place.
    pub(super) const fn as_small_boards(mut self) -> Self {
        self.of_boards = true;
        self
    }

    /// The cells of the line, in order along it. For a line of Ultimate small boards, the small
    /// boards, each named as the classic cell in the same place.
    #[must_use]
    pub fn cells(&self) -> &[Cell] {
        self.cells.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The cells of a three-cell line, as an array (the first three of a longer one).
    #[must_use]
    pub const fn three_cells(self) -> [Cell; 3] {
        [self.cells[0], self.cells[1], self.cells[2]]
    }

    /// The first and last cell: the ends a line drawn across the board joins.
    #[must_use]
    pub const fn ends(self) -> (Cell, Cell) {
        let last = if self.len == 0 { 0 } else { self.len - 1 };
        (self.cells[0], self.cells[last as usize])
    }

    /// Whether this is a line of Ultimate small boards rather than of cells.
    #[must_use]
    pub const fn of_small_boards(self) -> bool {
        self.of_boards
    }

    /// The same three-cell line moved into Ultimate small board `board`.
    pub(super) const fn in_small_board(self, board: Cell) -> Self {
        Self::three(
            Cell::ultimate(board, self.cells[0]),
            Cell::ultimate(board, self.cells[1]),
            Cell::ultimate(board, self.cells[2]),
        )
    }
}

const fn line(a: usize, b: usize, c: usize) -> Line {
    Line::three(Cell::ALL[a], Cell::ALL[b], Cell::ALL[c])
}

/// The eight winning lines: three rows, three columns, two diagonals.
pub const LINES: [Line; 8] = [
    line(0, 1, 2),
    line(3, 4, 5),
    line(6, 7, 8),
    line(0, 3, 6),
    line(1, 4, 7),
    line(2, 5, 8),
    line(0, 4, 8),
    line(2, 4, 6),
];

/// How a game stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The game goes on; `to_move` places the next mark.
    InProgress {
        /// Whose turn it is.
        to_move: Player,
    },
    /// A winning line: three in a row, three small boards in a row, or five or more stones.
    Won {
        /// Who made the line.
        winner: Player,
        /// The line they made.
        line: Line,
    },
    /// Nobody can make a line any more: the board is full, or (in Ultimate) every line of small
    /// boards is blocked for both players.
    Draw,
}

impl Outcome {
    /// Whether the game has ended.
    #[must_use]
    pub const fn is_over(self) -> bool {
        !matches!(self, Self::InProgress { .. })
    }

    /// The winner, if any.
    #[must_use]
    pub const fn winner(self) -> Option<Player> {
        match self {
            Self::Won { winner, .. } => Some(winner),
            Self::InProgress { .. } | Self::Draw => None,
        }
    }
}

/// The squares of one game's board, each empty or holding a mark. Fields are private: a board
/// only changes through [`super::Game`], which keeps it legal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Board {
    variant: Variant,
    cells: [Option<Player>; MAX_CELLS],
}

impl Default for Board {
    fn default() -> Self {
        Self::new()
    }
}

impl Board {
    /// The empty classic board.
    #[must_use]
    pub const fn new() -> Self {
        Self::of(Variant::Classic)
    }

    /// The empty board of `variant`.
    #[must_use]
    pub const fn of(variant: Variant) -> Self {
        Self {
            variant,
            cells: [None; MAX_CELLS],
        }
    }

    /// The game this board belongs to.
    #[must_use]
    pub const fn variant(&self) -> Variant {
        self.variant
    }

    /// The mark on `cell`, if any (none on a cell off this board).
    #[must_use]
    pub const fn get(&self, cell: Cell) -> Option<Player> {
        self.cells[cell.index()]
    }

    /// Places `player` on `cell`; only [`super::Game`] calls this, after checking legality.
    pub(super) const fn set(&mut self, cell: Cell, player: Option<Player>) {
        self.cells[cell.index()] = player;
    }

    /// The empty cells, in index order (1–9 on the classic board).
    pub fn empty_cells(&self) -> impl Iterator<Item = Cell> + '_ {
        self.variant.all_cells().filter(|&c| self.get(c).is_none())
    }

    /// How many marks are on the board.
    #[must_use]
    pub fn marks(&self) -> usize {
        self.cells.iter().filter(|c| c.is_some()).count()
    }

    /// The first completed winning line and who made it, if any: a classic line, a line of won
    /// Ultimate small boards, or a Gomoku run of five or more.
    #[must_use]
    pub fn winning_line(&self) -> Option<(Player, Line)> {
        match self.variant {
            Variant::Classic => self.line_among(LINES),
            Variant::Ultimate => ultimate::winning_line(self),
            Variant::Gomoku => gomoku::winning_line(self),
        }
    }

    /// The first of `lines` whose three cells hold the same mark, and that mark.
    pub(super) fn line_among(&self, lines: [Line; 8]) -> Option<(Player, Line)> {
        lines.into_iter().find_map(|line| {
            let (a, c) = line.ends();
            let b = line.cells.get(1).copied().unwrap_or(a);
            match (self.get(a), self.get(b), self.get(c)) {
                (Some(p), Some(q), Some(r)) if p == q && q == r => Some((p, line)),
                _ => None,
            }
        })
    }

    /// The board as one character a cell, `X`, `O` or `.`, in index order: nine on the classic
    /// board (1–9), 81 in Ultimate (small board 1's cells, then 2's, …), 225 in Gomoku (the top
    /// row first). Stable: the digest and the wire use it.
    #[must_use]
    pub fn to_text(&self) -> String {
        self.cells
            .iter()
            .take(self.variant.cells())
            .map(|c| c.map_or('.', Player::char))
            .collect()
    }
}
