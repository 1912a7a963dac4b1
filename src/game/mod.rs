//! The rules of Tic-Tac-Toe: players, cells, boards, games, the match and the computer player.
//!
//! Pure Rust with no I/O: this module never imports egui, eframe, tokio or anything that touches the
//! outside world. Every mode builds on it — the window, the terminal, the host and the joiner — so
//! every side of every match runs exactly the same rules.
//!
//! Layout:
//! - [`Player`] and [`Cell`]: the vocabulary; a `Cell` can only name one of the nine squares.
//! - [`Board`]: nine squares, the eight lines, and the [`Outcome`] they imply.
//! - [`Game`]: one game with its move log, `play` (a typed [`MoveError`], never a panic), undo and a
//!   stable [`Digest`].
//! - [`Match`]: a series of games between two named players, the one state machine of every mode:
//!   an [`Intent`] is judged by [`Match::decide`] into [`Event`]s (or a [`Refusal`]), and
//!   [`Match::apply`] is the only change. Its [`Snapshot`] is the whole state; the [`Score`] has
//!   one rule.
//! - [`Ending`] and [`Verdict`]: how a game ended and who won it, for the match, the wire, the
//!   records and the screens alike.
//! - [`Driver`]: a player that decides by itself; [`Bot`] is the computer as one.
//! - [`Computer`]: the computer's choice of move at a chosen [`Level`], and [`evaluate`], the
//!   perfect-play result ([`Eval`]) of every move.
//! - [`clean_name`]: the one rule for players' names.

mod board;
mod cell;
mod computer;
mod driver;
mod ending;
#[expect(
    clippy::module_inception,
    reason = "`game::game` holds `Game`, as `board` holds `Board`"
)]
mod game;
mod match_;
mod names;
mod player;

pub use board::{Board, LINES, Line, Outcome};
pub use cell::{Cell, CellError};
pub use computer::{Computer, Eval, Level, LevelError, evaluate};
pub use driver::{Bot, Driver};
pub use ending::{Ending, Verdict};
pub use game::{Digest, Game, MoveError, ReplayError};
pub use match_::{
    ApplyError, Chain, Contradiction, Event, GameOver, Intent, Match, Refusal, Role, Score,
    Snapshot, SnapshotError, SnapshotState, Table, verdict_of,
};
pub use names::{MAX_NAME_CHARS, clean_name, name_or};
pub use player::Player;
