//! Tic-Tac-Toe for two friends — on one computer, across the network, or against the computer.
//!
//! Layout (each room imports only those listed after it):
//! - [`app`]: the window — its screens, the widgets they share, and the bridge to `net`.
//! - [`cli`]: the command-line front ends (`tictactoe play`, `host`, `join`, `history`, …) that
//!   need no display.
//! - [`net`]: the wire protocol and the host/joiner networking. Never touches the GUI.
//! - [`store`]: everything kept on disk — settings, the history, the unfinished match, the
//!   joiner's seats, saved games.
//! - [`record`]: records of finished games, their text format and statistics. No I/O.
//! - [`game`]: the rules, the match and the computer player. Pure Rust, no I/O.
//!
//! `main.rs` only parses the command line and hands over to [`app::run`] or a [`cli`] command.

pub mod app;
pub mod cli;
pub mod game;
pub mod net;
pub mod record;
pub mod store;
#[cfg(test)]
mod testing;
