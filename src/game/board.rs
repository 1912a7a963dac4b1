//! Nine squares, the eight lines through them, and the outcome a board implies.

use super::{Cell, Player};

/// Three cells in a row, column or diagonal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Line(pub [Cell; 3]);

impl Line {
    /// The three cells of the line, in board order.
    #[must_use]
    pub const fn cells(self) -> [Cell; 3] {
        self.0
    }

    /// The first and last cell: the ends a line drawn across the board joins.
    #[must_use]
    pub const fn ends(self) -> (Cell, Cell) {
        (self.0[0], self.0[2])
    }
}

const fn line(a: usize, b: usize, c: usize) -> Line {
    Line([Cell::ALL[a], Cell::ALL[b], Cell::ALL[c]])
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
    /// Three in a row.
    Won {
        /// Who made the line.
        winner: Player,
        /// The line they made.
        line: Line,
    },
    /// The board is full and nobody made a line.
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

/// The nine squares, each empty or holding a mark. Fields are private: a board only changes
/// through [`super::Game`], which keeps it legal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Board {
    cells: [Option<Player>; 9],
}

impl Board {
    /// The empty board.
    #[must_use]
    pub const fn new() -> Self {
        Self { cells: [None; 9] }
    }

    /// The mark on `cell`, if any.
    #[must_use]
    pub const fn get(&self, cell: Cell) -> Option<Player> {
        self.cells[cell.index()]
    }

    /// Places `player` on `cell`; only [`super::Game`] calls this, after checking legality.
    pub(super) const fn set(&mut self, cell: Cell, player: Option<Player>) {
        self.cells[cell.index()] = player;
    }

    /// The empty cells, in order 1–9.
    pub fn empty_cells(&self) -> impl Iterator<Item = Cell> + '_ {
        Cell::ALL.into_iter().filter(|&c| self.get(c).is_none())
    }

    /// How many marks are on the board.
    #[must_use]
    pub fn marks(&self) -> usize {
        self.cells.iter().filter(|c| c.is_some()).count()
    }

    /// The first completed line and who made it, if any.
    #[must_use]
    pub fn winning_line(&self) -> Option<(Player, Line)> {
        LINES.into_iter().find_map(|line| {
            let [a, b, c] = line.cells();
            match (self.get(a), self.get(b), self.get(c)) {
                (Some(p), Some(q), Some(r)) if p == q && q == r => Some((p, line)),
                _ => None,
            }
        })
    }

    /// The board as nine characters, `X`, `O` or `.`, in order 1–9. Stable: the digest and the
    /// wire use it.
    #[must_use]
    pub fn to_text(&self) -> String {
        self.cells
            .iter()
            .map(|c| c.map_or('.', Player::char))
            .collect()
    }
}
