//! Tic-Tac-Toe for two friends — on one computer, across the network, or against the computer.
//!
//! Layout (three rooms, kept apart):
//! - [`game`]: the rules, the match and the computer player. Pure Rust, no I/O.
//! - [`net`]: the wire protocol and the host/joiner networking. Never touches the GUI.
//! - [`app`]: the window's screens, settings, and the bridge to `net`.
//! - [`record`]: records of finished games, their text format, the history file and statistics.
//! - [`cli`]: the command-line front ends (`tictactoe play`, …) that need no display.

pub mod app;
pub mod cli;
pub mod game;
pub mod net;
pub mod record;
pub mod store;
#[cfg(test)]
mod testing;
