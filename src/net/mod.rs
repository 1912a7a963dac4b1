//! The wire protocol and the host/joiner networking (tokio + tokio-tungstenite).
//!
//! Never imports egui or eframe: the window talks to this module through typed commands and events.
