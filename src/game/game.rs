//! One game of any [`Variant`]: a board, whose turn it is, and the log of moves that led there.

use serde::{Deserialize, Serialize};

use super::{Board, Cell, Outcome, Place, Player, Variant, gomoku, ultimate};

/// Why a move was refused. A refused move leaves the game exactly as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum MoveError {
    /// The game has already been won or drawn.
    #[error("the game is over")]
    GameOver,
    /// The square already holds a mark.
    #[error("cell {cell} is already taken by {by}")]
    Occupied {
        /// The square that was asked for.
        cell: Cell,
        /// Whose mark is there.
        by: Player,
    },
    /// The mover is not the player whose turn it is.
    #[error("it is {to_move}'s turn, not {player}'s")]
    NotYourTurn {
        /// Who tried to move.
        player: Player,
        /// Whose turn it is.
        to_move: Player,
    },
    /// The cell is not on this game's board.
    #[error("there is no cell {cell} on the {variant} board")]
    OffBoard {
        /// The cell that was asked for (its number, the index plus one).
        cell: Cell,
        /// The game being played.
        variant: Variant,
    },
    /// A bigger game's point already holds a mark (the classic board says [`MoveError::Occupied`]).
    #[error("{place} is already taken by {by}")]
    Taken {
        /// The point that was asked for, named as people name it.
        place: Place,
        /// Whose mark is there.
        by: Player,
    },
    /// Ultimate: the opponent's last move sent the mover to another small board.
    #[error("play in board {board}")]
    WrongBoard {
        /// The small board the mover must play in, named as the classic cell in its place.
        board: Cell,
    },
    /// Ultimate: the small board is won or full.
    #[error("board {board} is finished: play in an open board")]
    BoardClosed {
        /// The small board asked for, named as the classic cell in its place.
        board: Cell,
    },
}

/// Why a list of moves does not make a legal game.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("move {number} ({cell}) is illegal: {error}")]
pub struct ReplayError {
    /// The 1-based position of the offending move in the list.
    pub number: usize,
    /// The cell it named.
    pub cell: Cell,
    /// Why it is illegal.
    pub error: MoveError,
}

/// A stable 64-bit fingerprint of a position: the board, the side to move and the move count.
///
/// Stable across builds and platforms (FNV-1a over a fixed text form), so two programs can compare
/// positions by digest. Written as 16 lower-case hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Digest(pub u64);

impl std::fmt::Display for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl From<Digest> for String {
    fn from(digest: Digest) -> Self {
        digest.to_string()
    }
}

impl TryFrom<String> for Digest {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        if text.len() == 16 {
            u64::from_str_radix(&text, 16)
                .map(Self)
                .map_err(|error| format!("{text:?} is not a 16-digit hex digest: {error}"))
        } else {
            Err(format!("{text:?} is not a 16-digit hex digest"))
        }
    }
}

/// One game of any [`Variant`]: who moved first, the moves so far, and the board they make.
///
/// The only way to change a game is [`Game::play`] (or [`Game::undo`]); both keep it legal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Game {
    board: Board,
    first: Player,
    moves: Vec<Cell>,
    outcome: Outcome,
}

impl Default for Game {
    fn default() -> Self {
        Self::new(Player::X)
    }
}

impl Game {
    /// An empty classic board with `first` to move.
    #[must_use]
    pub const fn new(first: Player) -> Self {
        Self::of(Variant::Classic, first)
    }

    /// An empty board of `variant` with `first` to move.
    #[must_use]
    pub const fn of(variant: Variant, first: Player) -> Self {
        Self {
            board: Board::of(variant),
            first,
            moves: Vec::new(),
            outcome: Outcome::InProgress { to_move: first },
        }
    }

    /// The game being played.
    #[must_use]
    pub const fn variant(&self) -> Variant {
        self.board.variant()
    }

    /// Replays `moves` from an empty classic board with `first` to move: the one way outside data
    /// (a saved record, a network snapshot) becomes a game.
    pub fn from_moves(first: Player, moves: &[Cell]) -> Result<Self, ReplayError> {
        Self::from_moves_of(Variant::Classic, first, moves)
    }

    /// Replays `moves` from an empty board of `variant` with `first` to move.
    pub fn from_moves_of(
        variant: Variant,
        first: Player,
        moves: &[Cell],
    ) -> Result<Self, ReplayError> {
        let mut game = Self::of(variant, first);
        for (i, &cell) in moves.iter().enumerate() {
            game.play(cell).map_err(|error| ReplayError {
                number: i + 1,
                cell,
                error,
            })?;
        }
        Ok(game)
    }

    /// The board.
    #[must_use]
    pub const fn board(&self) -> &Board {
        &self.board
    }

    /// Who moved (or moves) first in this game.
    #[must_use]
    pub const fn first(&self) -> Player {
        self.first
    }

    /// The moves so far, oldest first.
    #[must_use]
    pub fn moves(&self) -> &[Cell] {
        &self.moves
    }

    /// The last move, if any.
    #[must_use]
    pub fn last_move(&self) -> Option<Cell> {
        self.moves.last().copied()
    }

    /// How the game stands.
    #[must_use]
    pub const fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// Whether the game has ended.
    #[must_use]
    pub const fn is_over(&self) -> bool {
        self.outcome.is_over()
    }

    /// The player whose turn it is by alternation, also once the game is over.
    #[must_use]
    pub fn side_to_move(&self) -> Player {
        if self.moves.len().is_multiple_of(2) {
            self.first
        } else {
            self.first.other()
        }
    }

    /// The player to move, or `None` when the game is over.
    #[must_use]
    pub const fn to_move(&self) -> Option<Player> {
        match self.outcome {
            Outcome::InProgress { to_move } => Some(to_move),
            Outcome::Won { .. } | Outcome::Draw => None,
        }
    }

    /// Who placed the mark on the move with 0-based index `ply`.
    #[must_use]
    pub const fn mover_of(&self, ply: usize) -> Player {
        if ply.is_multiple_of(2) {
            self.first
        } else {
            self.first.other()
        }
    }

    /// Checks a move by the side to move without playing it.
    pub fn check(&self, cell: Cell) -> Result<(), MoveError> {
        let variant = self.variant();
        if self.is_over() {
            return Err(MoveError::GameOver);
        }
        if !variant.contains(cell) {
            return Err(MoveError::OffBoard { cell, variant });
        }
        match (variant, self.board.get(cell)) {
            (Variant::Ultimate, _) => self.check_ultimate(cell),
            (Variant::Classic, Some(by)) => Err(MoveError::Occupied { cell, by }),
            (Variant::Gomoku, Some(by)) => Err(MoveError::Taken {
                place: Place { variant, cell },
                by,
            }),
            (_, None) => Ok(()),
        }
    }

    /// Whether the side to move may play `cell`. Same answer as `legal_moves().contains(cell)`.
    #[must_use]
    pub fn is_legal(&self, cell: Cell) -> bool {
        self.check(cell).is_ok()
    }

    /// The cells the side to move may play, in index order (1–9 on the classic board); empty
    /// once the game is over.
    pub fn legal_moves(&self) -> impl Iterator<Item = Cell> + '_ {
        self.variant().all_cells().filter(|&c| self.is_legal(c))
    }

    /// Places the mark of the side to move on `cell` and returns the new outcome. An illegal move
    /// returns why and leaves the game untouched.
    pub fn play(&mut self, cell: Cell) -> Result<Outcome, MoveError> {
        self.check(cell)?;
        let player = self.side_to_move();
        self.board.set(cell, Some(player));
        self.moves.push(cell);
        self.outcome = self.compute_outcome();
        Ok(self.outcome)
    }

    /// Like [`Game::play`], but first checks that `player` is the one to move.
    pub fn play_as(&mut self, player: Player, cell: Cell) -> Result<Outcome, MoveError> {
        match self.to_move() {
            Some(to_move) if to_move != player => Err(MoveError::NotYourTurn { player, to_move }),
            _ => self.play(cell),
        }
    }

    /// Takes back the last move and returns it; `None` on an empty board.
    pub fn undo(&mut self) -> Option<Cell> {
        let cell = self.moves.pop()?;
        self.board.set(cell, None);
        self.outcome = self.compute_outcome();
        Some(cell)
    }

    /// The stable digest of this position: see [`Digest`]. A bigger game's text starts with
    /// its variant's name, so no two games' positions share a text.
    #[must_use]
    pub fn digest(&self) -> Digest {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let text = format!(
            "{}|{}|{}",
            self.board.to_text(),
            self.side_to_move().char(),
            self.moves.len()
        );
        let text = match self.variant() {
            Variant::Classic => text,
            variant => format!("{variant}|{text}"),
        };
        Digest(text.bytes().fold(OFFSET, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(PRIME)
        }))
    }

    fn compute_outcome(&self) -> Outcome {
        let to_move = self.side_to_move();
        match self.variant() {
            Variant::Classic => {}
            Variant::Ultimate => return ultimate::outcome(&self.board, to_move),
            Variant::Gomoku => {
                // A game ends at its first five, so a five holds the last move.
                let five = self.last_move().and_then(|last| {
                    let player = self.board.get(last)?;
                    gomoku::five_through(&self.board, last, player).map(|line| (player, line))
                });
                return match five {
                    Some((winner, line)) => Outcome::Won { winner, line },
                    None => gomoku::outcome_without_five(self.moves.len(), to_move),
                };
            }
        }
        if let Some((winner, line)) = self.board.winning_line() {
            Outcome::Won { winner, line }
        } else if self.moves.len() == 9 {
            Outcome::Draw
        } else {
            Outcome::InProgress { to_move }
        }
    }
}
