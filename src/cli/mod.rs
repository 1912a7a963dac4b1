//! Command-line front ends that need no display.
//!
//! Nothing here touches eframe or egui: these run over SSH and in scripts.
//!
//! - [`play`]: `tictactoe play`, a game in the terminal, hot-seat or against the computer.
//! - [`net`]: `tictactoe host` and `tictactoe join`, a match over the network from the terminal.
//! - [`find`]: `tictactoe find`, the games hosted on this network.
//! - [`records`]: `tictactoe history` and `tictactoe replay`, the game history and saved games.
//! - [`relay`]: `tictactoe relay`, a relay for friends, and the relays a terminal host uses.

pub mod find;
pub mod net;
pub mod play;
pub mod records;
pub mod relay;
