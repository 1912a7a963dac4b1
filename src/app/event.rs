//! What happens to the window that the player did not ask for: the [`SystemEvent`] enum.
//!
//! The app drains these in `App::logic`, every frame, and routes each to the screen shown (a
//! file dialog's answer it takes itself): the network side's events, the games found on this
//! network, where a hosted game is reached on the peer-to-peer path, and the passing of time,
//! which brings the computer's move due, autoplay's next step and a countdown's next second. A leaf module beside [`Command`](super::Command).

use super::game_file::FileEvent;
use crate::net::NetEvent;
use crate::net::discovery::Discovery;
use crate::net::p2p::P2pAddr;

/// Something that happened, not asked for at the window.
#[derive(Clone, Debug, PartialEq)]
pub enum SystemEvent {
    /// The network session reported this.
    Net(NetEvent),
    /// The search for games on this network saw one appear, change or go.
    Discovery(Discovery),
    /// The game being hosted is reached on the peer-to-peer path here now (its relay
    /// connected, its addresses changed); `None`: not there.
    Reachable(Option<P2pAddr>),
    /// A file dialog came back, or a game file was read: the game opened, where one was saved,
    /// or what went wrong.
    File(FileEvent),
    /// Time passed: egui's clock now reads `now_s` seconds.
    Tick {
        /// The time, on egui's clock (`InputState::time`).
        now_s: f64,
    },
}
