//! Ultimate Tic-Tac-Toe's rules: nine small boards in a 3×3, the sending rule, and the lines of
//! small boards.
//!
//! A small board is named as the classic cell in the same place (board 5 is the centre one). The
//! cell played inside a small board sends the opponent to the small board in the same place; a
//! small board that is won or full is closed and sends them to any open one. Three small boards
//! won in a row win the game; a drawn small board counts for nobody. The game is drawn once no
//! line of small boards can be won by either player (in particular once no move is left).

use super::{Board, Cell, Game, LINES, Line, MoveError, Outcome, Place, Player, Variant};

/// How one small board stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SmallBoard {
    /// Not won and not full: moves may still be played in it.
    Open,
    /// Won by `winner` along `line` (its cells are Ultimate cells of this small board).
    Won {
        /// Who won it.
        winner: Player,
        /// The three cells they made.
        line: Line,
    },
    /// Full with no line: it counts for nobody.
    Drawn,
}

impl SmallBoard {
    /// Whether moves may still be played in it.
    #[must_use]
    pub const fn is_open(self) -> bool {
        matches!(self, Self::Open)
    }

    /// Who won it, if anyone.
    #[must_use]
    pub const fn winner(self) -> Option<Player> {
        match self {
            Self::Won { winner, .. } => Some(winner),
            Self::Open | Self::Drawn => None,
        }
    }
}

/// The eight lines moved into small board `board`.
fn lines_in(board: Cell) -> [Line; 8] {
    LINES.map(|line| line.in_small_board(board))
}

impl Board {
    /// How Ultimate small board `board` (named as the classic cell in the same place) stands. On
    /// a board of another game it reads the nine cells with those indices.
    #[must_use]
    pub fn small_board(&self, board: Cell) -> SmallBoard {
        let board = board.in_small_board();
        if let Some((winner, line)) = self.line_among(lines_in(board)) {
            SmallBoard::Won { winner, line }
        } else if Cell::ALL
            .into_iter()
            .all(|c| self.get(Cell::ultimate(board, c)).is_some())
        {
            SmallBoard::Drawn
        } else {
            SmallBoard::Open
        }
    }

    /// The nine small boards' standing, in order 1–9.
    #[must_use]
    pub fn small_boards(&self) -> [SmallBoard; 9] {
        Cell::ALL.map(|board| self.small_board(board))
    }
}

/// The first line of three small boards won by one player, as a line of small boards.
pub(super) fn winning_line(board: &Board) -> Option<(Player, Line)> {
    let boards = board.small_boards();
    LINES.into_iter().find_map(|line| {
        let mut winners = line.cells().iter().map(|b| boards[b.index()].winner());
        let first = winners.next().flatten()?;
        winners
            .all(|w| w == Some(first))
            .then_some((first, line.as_small_boards()))
    })
}

/// Whether `player` can still win small board `board` standing as `state`: it is theirs, or it
/// is open with a line holding none of the opponent's marks.
fn winnable(board: &Board, small: Cell, state: SmallBoard, player: Player) -> bool {
    match state {
        SmallBoard::Won { winner, .. } => winner == player,
        SmallBoard::Drawn => false,
        SmallBoard::Open => lines_in(small).into_iter().any(|line| {
            line.cells()
                .iter()
                .all(|&c| board.get(c) != Some(player.other()))
        }),
    }
}

/// Whether neither player can still make a line of small boards: the game is drawn.
pub(super) fn dead(board: &Board) -> bool {
    let boards = board.small_boards();
    !Player::ALL.into_iter().any(|player| {
        LINES.into_iter().any(|line| {
            line.cells()
                .iter()
                .all(|&b| winnable(board, b, boards[b.index()], player))
        })
    })
}

/// The outcome of an Ultimate board after `moves` moves, `to_move` next.
pub(super) fn outcome(board: &Board, to_move: Player) -> Outcome {
    if let Some((winner, line)) = winning_line(board) {
        Outcome::Won { winner, line }
    } else if dead(board) {
        Outcome::Draw
    } else {
        Outcome::InProgress { to_move }
    }
}

impl Game {
    /// In Ultimate, the small board the side to move is sent to, named as a classic cell; `None`
    /// when they may play in any open small board (the first move, or a send to a closed one),
    /// and in other games.
    #[must_use]
    pub fn sent_to(&self) -> Option<Cell> {
        if self.variant() != Variant::Ultimate {
            return None;
        }
        let target = self.last_move()?.in_small_board();
        self.board().small_board(target).is_open().then_some(target)
    }

    /// In Ultimate, the small boards the side to move may play in now, in order 1–9; none once
    /// the game is over, and none in other games.
    #[must_use]
    pub fn active_boards(&self) -> Vec<Cell> {
        if self.variant() != Variant::Ultimate || self.is_over() {
            return Vec::new();
        }
        match self.sent_to() {
            Some(board) => vec![board],
            None => Cell::ALL
                .into_iter()
                .filter(|&b| self.board().small_board(b).is_open())
                .collect(),
        }
    }

    /// Checks an Ultimate move on an empty cell: it must be in an open small board, and in the
    /// one the opponent's last move sent to, if it is open.
    pub(super) fn check_ultimate(&self, cell: Cell) -> Result<(), MoveError> {
        let small = cell.small_board();
        if let Some(board) = self.sent_to()
            && board != small
        {
            return Err(MoveError::WrongBoard { board });
        }
        if !self.board().small_board(small).is_open() {
            return Err(MoveError::BoardClosed { board: small });
        }
        match self.board().get(cell) {
            Some(by) => Err(MoveError::Taken {
                place: Place {
                    variant: Variant::Ultimate,
                    cell,
                },
                by,
            }),
            None => Ok(()),
        }
    }
}
