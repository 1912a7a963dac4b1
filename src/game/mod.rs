//! The rules of Tic-Tac-Toe and its bigger games (Ultimate, Gomoku), and every fact of a match.
//!
//! Players, cells, boards, games, the match and its event log, snapshots, disputes, the mirror a
//! joiner keeps, and the computer player.
//!
//! Pure Rust with no I/O: this module never imports egui, eframe, tokio or anything that touches the
//! outside world. Every mode builds on it — the window, the terminal, the host and the joiner — so
//! every side of every match runs exactly the same rules.
//!
//! Layout:
//! - The rules of one game: [`Variant`] (classic, Ultimate or Gomoku: which board, how people name
//!   its moves), [`Player`] and [`Cell`] (the vocabulary; a `Cell` can only name a square of some
//!   board, and the variant says which are on its own), [`Board`] (the squares, the winning
//!   [`Line`]s, and the [`Outcome`] they imply), [`Game`] (one game of any variant with its moves,
//!   `play` with a typed [`MoveError`], undo and a stable [`Digest`]), and [`clean_name`], the one
//!   rule for players' names. `ultimate` holds the sending rule and the small boards'
//!   [`SmallBoard`] standing, `gomoku` the runs of five.
//! - `events`: what a player asks for ([`Intent`]), what happens ([`Event`]), the outside
//!   [`Facts`] the rules take (the clock), and why an intent is refused ([`Refusal`]).
//! - `match_`: [`Match`], a series of games between two named players, the one state machine of
//!   every mode: [`Match::decide`] judges an intent into events, [`Match::apply`] is the only
//!   change. The [`Score`] has one rule.
//! - `log`: the [`EventLog`] every match keeps, read by the host's resume, saving and replay.
//! - `chain`: the [`Chain`] of hashes over a match's events.
//! - `snapshot`: the whole state at one version ([`Snapshot`]), and the checked way back.
//! - `dispute`: how a later state contradicts what a side saw ([`Contradiction`]).
//! - `finished`: [`GameOver`], the record of a finished game, made in one place, and
//!   [`Ending`] and [`Verdict`] with the one rule of who won ([`verdict_of`]).
//! - `replica`: [`Replica`], the joiner's and the watcher's mirror of the host's match.
//! - [`Driver`]: a player that decides by itself; [`Bot`] is the computer as one.
//! - [`Computer`]: the computer's choice of move at a chosen [`Level`] in any game (a table of
//!   perfect play for classic, Monte Carlo tree search for Ultimate, threat-aware alpha-beta for
//!   Gomoku), its hints ([`Computer::suggest`]), and [`evaluate`], the perfect-play result
//!   ([`Eval`]) of every classic move.

mod board;
mod cell;
mod chain;
mod computer;
mod dispute;
mod driver;
mod ending;
mod events;
mod finished;
#[expect(
    clippy::module_inception,
    reason = "`game::game` holds `Game`, as `board` holds `Board`"
)]
mod game;
mod gomoku;
mod log;
mod match_;
#[cfg(test)]
mod match_tests;
mod names;
mod player;
mod replica;
#[cfg(test)]
mod replica_tests;
mod snapshot;
mod ultimate;
mod variant;

pub use board::{Board, LINES, Line, MAX_LINE, Outcome};
pub use cell::{Cell, CellError, MAX_CELLS, any_board};
pub use chain::Chain;
pub use computer::{Computer, Eval, Level, LevelError, evaluate};
pub use dispute::Contradiction;
pub use driver::{Bot, Driver};
pub use ending::{Ending, Verdict};
pub use events::{ApplyError, Clock, Event, Facts, Intent, Refusal};
pub use finished::{GameOver, verdict_of};
pub use game::{Digest, Game, MoveError, ReplayError};
pub use log::{Entry, EventLog, LOG_EVENTS};
pub use match_::{Match, Role, Score, Table};
pub use names::{MAX_NAME_CHARS, clean_name, name_or};
pub use player::Player;
pub use replica::{MAX_UNREADABLE, Replica, ReplicaError, Update};
pub use snapshot::{Snapshot, SnapshotError, SnapshotState};
pub use ultimate::SmallBoard;
pub use variant::{GOMOKU_SIDE, Place, Variant, VariantError};
