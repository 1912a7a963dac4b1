//! The rules of Tic-Tac-Toe: players, cells, boards, games, matches and the computer player.
//!
//! Pure Rust with no I/O: this module never imports egui, eframe, tokio or anything that touches the
//! outside world. Both the window and the network build on it, so both sides of a networked match run
//! exactly the same rules.
//!
//! Layout:
//! - [`Player`] and [`Cell`]: the vocabulary; a `Cell` can only name one of the nine squares.
//! - [`Board`]: nine squares, the eight lines, and the [`Outcome`] they imply.
//! - [`Game`]: one game with its move log, `play` (a typed [`MoveError`], never a panic), undo and a
//!   stable [`Digest`].
//! - [`Match`]: a series of games between two named players with a running [`Score`].
//! - [`Computer`]: the computer player at a chosen [`Level`], and [`evaluate`], the perfect-play
//!   result ([`Eval`]) of every move.

mod board;
mod cell;
mod computer;
#[expect(
    clippy::module_inception,
    reason = "`game::game` holds `Game`, as `board` holds `Board`"
)]
mod game;
mod match_;
mod player;

pub use board::{Board, LINES, Line, Outcome};
pub use cell::{Cell, CellError};
pub use computer::{Computer, Eval, Level, LevelError, evaluate};
pub use game::{Digest, Game, MoveError, ReplayError};
pub use match_::{Match, Score};
pub use player::Player;
