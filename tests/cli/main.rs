//! The terminal front end: the real `tictactoe` binary run with its data in a folder of the
//! test's own (`play`, `history`, `replay`, `host`, `join`, `watch`).

#[path = "../support/mod.rs"]
pub mod support;

mod network;
mod play;
mod records;
