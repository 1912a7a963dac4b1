//! The network side: the wire protocol, the host's server, the joiner's and the watcher's
//! clients, and how a host is found and reached (tokio + tokio-tungstenite).
//!
//! Never imports egui or eframe: the window talks to this module through typed intents and
//! events (`front_end`). Holds no rules: the host's match task and the clients' replicas
//! change a [`crate::game::Match`] only through the engine (`decide`, `apply`, the replica's
//! checks); this module carries what the engine decided, times it, and limits what peers may
//! send.
//!
//! Layout, by role:
//! - The wire: [`wire`] (every message, [`ClientMsg`] and [`ServerMsg`], and how text becomes
//!   them; `docs/PROTOCOL.md` is its specification) and [`connection`] ([`Connection`], the one
//!   type that owns a WebSocket stream).
//! - The transport seam: [`transport`] (any byte stream carrying WebSocket frames, who is at the
//!   other end, where a host's connections come from; TCP is one transport).
//! - What every connection has: `link` (heartbeat, round trip, batched writes) and `rate` (the
//!   one rate limiter).
//! - The front end's side: `front_end` (the channels, [`NetEvent`], [`View`]), [`NetError`] and
//!   [`Timing`].
//! - The host: [`host`] ([`host::start`] → [`HostHandle`]), split by the state each part owns.
//! - The clients: [`address`] (what people type), `dial` (reaching a host), `client` (what the
//!   joiner and the watcher share: `hello`, the replica, reconnecting), [`join`] (the joiner:
//!   [`join::start`] → [`JoinHandle`]) and `watcher` ([`join::watch`]); [`seats`] keeps a
//!   joiner's seats on disk.
//! - Reaching a host: [`lan`] (the addresses a host can read out), [`invite`] (invite links),
//!   [`discovery`] (DNS-SD on this network), [`router`] (asking the router to open the port) and
//!   [`reach`] (the host's task that does both while it waits).
//! - The peer-to-peer path: [`p2p`] (QUIC dialled by public key, relays, `tictactoe relay`).
//! - `runtime`: the one tokio runtime every host, joiner and watcher of the process runs on.

pub mod address;
mod client;
pub mod connection;
mod dial;
pub mod discovery;
mod error;
mod front_end;
pub mod host;
pub mod invite;
pub mod join;
pub mod lan;
mod link;
pub mod p2p;
mod rate;
pub mod reach;
pub mod router;
mod runtime;
pub mod seats;
mod timing;
pub mod transport;
mod watcher;
pub mod wire;

pub use connection::{Connection, HostConnection, JoinConnection};
pub use error::NetError;
pub use front_end::{NetEvent, NetLink, Presence, RouterEvent, Stage, View, Wake, no_wake};
pub use host::{HostConfig, HostHandle, Limits, WatchStats};
pub use join::{JoinConfig, JoinHandle};
pub use reach::Reach;
pub use seats::SeatStore;
pub use timing::Timing;
pub use wire::{
    ChatLine, ClientMsg, DEFAULT_PORT, HelloRole, PROTOCOL_VERSION, Refusal, RejectReason,
    ServerMsg,
};
