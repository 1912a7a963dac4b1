//! The computer player: its levels of strength for each game, and the perfect-play result of
//! every classic move.
//!
//! Pure, like the rest of `game`: no I/O, no clock and no entropy of its own. Callers seed a
//! [`Computer`] (from the operating system in the window and the terminal, from a fixed number in
//! tests), so a seeded game can be replayed exactly; the searches of the bigger games are bounded
//! by counts of playouts and positions, never by time, for the same reason.
//!
//! - `classic`: a table of every position's perfect-play value ([`evaluate`]).
//! - `ultimate`: Monte Carlo tree search over a compact copy of the board.
//! - `gomoku`: alpha-beta over candidate moves near the stones, scored by the threats they make
//!   and block.

mod classic;
mod gomoku;
mod ultimate;

use rand::SeedableRng as _;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use super::{Cell, Game, Variant};

pub use classic::{Eval, evaluate};

/// How strongly the computer plays.
///
/// The words below are the classic game's; in Ultimate and Gomoku easy plays at random but wins
/// and blocks on the spot, medium searches a little and hard searches well (see `ultimate` and
/// `gomoku`), and perfect, which no bigger game has, plays as hard ([`Level::for_variant`] lists
/// each game's levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Plays at random, but never misses a move that wins on the spot.
    Easy,
    /// Wins on the spot or blocks the opponent's line; otherwise plays the best move half of the
    /// time and a random one the rest.
    Medium,
    /// Wins or blocks like `Medium`, and otherwise plays the best move four times in five.
    Hard,
    /// Never loses. Among equally good moves it takes the fastest win or, when it cannot avoid losing
    /// to a perfect opponent, the slowest loss (blocking what it can). Then, to beat fallible players,
    /// the move that leaves the opponent the most replies that throw the game away; and it picks at
    /// random among moves still equal.
    Perfect,
}

/// Why a text does not name a [`Level`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a level: choose easy, medium, hard or perfect")]
pub struct LevelError {
    /// The text that was given.
    pub text: String,
}

impl Level {
    /// Every level, weakest first.
    pub const ALL: [Self; 4] = [Self::Easy, Self::Medium, Self::Hard, Self::Perfect];

    /// The levels offered for `variant`, weakest first: all four for classic, easy to hard for
    /// the bigger games.
    #[must_use]
    pub const fn for_variant(variant: Variant) -> &'static [Self] {
        match variant {
            Variant::Classic => &Self::ALL,
            Variant::Ultimate | Variant::Gomoku => &[Self::Easy, Self::Medium, Self::Hard],
        }
    }

    /// The level as a lower-case word, as used on the command line and in settings: `"easy"`, …
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Easy => "easy",
            Self::Medium => "medium",
            Self::Hard => "hard",
            Self::Perfect => "perfect",
        }
    }

    /// How often, when no line is to be made or blocked at once, this level plays the best move
    /// rather than a random one.
    const fn best_move_chance(self) -> f64 {
        match self {
            Self::Easy => 0.0,
            Self::Medium => 0.5,
            Self::Hard => 0.8,
            Self::Perfect => 1.0,
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Level {
    type Err = LevelError;

    /// Parses `easy`, `medium`, `hard` or `perfect`, in any case, ignoring surrounding white space.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        super::variant::by_name(&Self::ALL, Self::as_str, s).ok_or_else(|| LevelError {
            text: s.trim().to_owned(),
        })
    }
}

/// A computer player: a [`Level`] and its own seeded random numbers.
///
/// Two computers made with the same level and seed choose the same moves in the same games.
#[derive(Clone, Debug)]
pub struct Computer {
    level: Level,
    rng: StdRng,
}

impl Computer {
    /// A computer playing at `level`, its random choices drawn from `seed`.
    #[must_use]
    pub fn new(level: Level, seed: u64) -> Self {
        Self {
            level,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// The level it plays at.
    #[must_use]
    pub const fn level(&self) -> Level {
        self.level
    }

    /// The cell it plays for the side to move in `game`, of any variant; `None` if and only if
    /// the game is over.
    pub fn choose(&mut self, game: &Game) -> Option<Cell> {
        self.choose_at(self.level, game)
    }

    /// A hint for the side to move: the move this computer's strongest level for the game would
    /// play (perfect in classic, hard in the bigger games), whatever its own level. `None` once
    /// the game is over.
    pub fn suggest(&mut self, game: &Game) -> Option<Cell> {
        let strongest = Level::for_variant(game.variant())
            .last()
            .copied()
            .unwrap_or(Level::Hard);
        self.choose_at(strongest, game)
    }

    fn choose_at(&mut self, level: Level, game: &Game) -> Option<Cell> {
        if game.is_over() {
            return None;
        }
        match game.variant() {
            Variant::Classic => classic::choose(level, &mut self.rng, game),
            Variant::Ultimate => ultimate::choose(level, &mut self.rng, game),
            Variant::Gomoku => gomoku::choose(level, &mut self.rng, game),
        }
    }
}
