//! The wire protocol and the host/joiner networking (tokio + tokio-tungstenite).
//!
//! Never imports egui or eframe: the window talks to this module through typed commands and events.
//!
//! Layout:
//! - [`wire`]: every message on the wire ([`ClientMsg`], [`ServerMsg`]) and how text becomes them.
//!   `docs/PROTOCOL.md` is its specification.
//! - [`connection`]: [`Connection`], the one type that owns a WebSocket stream.
//! - [`state`]: [`MatchState`], the networked match both sides keep, changed only by [`Event`]s.
//! - [`api`]: what a front end exchanges with the network side: [`Command`] in, [`NetEvent`] out.
//! - [`host`]: the embedded server with one opponent seat ([`host::start`] → [`HostHandle`]).
//! - [`join`]: the joiner's client with reconnection ([`join::start`] → [`JoinHandle`]).
//! - [`lan`]: the addresses a host can read out to a friend.

pub mod api;
pub mod connection;
pub mod host;
pub mod join;
pub mod lan;
pub mod state;
pub mod wire;

pub use api::{
    Command, NetError, NetEvent, NetLink, Presence, Role, Stage, Timing, View, Wake, no_wake,
};
pub use connection::{Connection, HostConnection, JoinConnection};
pub use host::{Bot, HostConfig, HostHandle, Limits};
pub use join::{JoinConfig, JoinHandle};
pub use state::{Action, GameResult, MatchState};
pub use wire::{
    ClientMsg, DEFAULT_PORT, Event, GameEnd, MatchEnd, PROTOCOL_VERSION, Refusal, RejectReason,
    ServerMsg, Snapshot,
};
