//! The window, driven through its accessibility tree in `egui_kittest` harnesses: every screen,
//! every mode, the network between windows, files, settings and sound.

#[path = "../support/mod.rs"]
pub mod support;

mod bigger_games;
mod discovery;
mod file_chooser;
mod game_file;
mod game_records;
mod hot_seat;
mod layout;
mod network;
mod network_games;
mod network_paths;
mod network_states;
mod p2p;
mod replay;
mod resume;
mod settings;
mod sound;
mod sound_alsa;
mod statistics;
mod vs_computer;
mod watch;
