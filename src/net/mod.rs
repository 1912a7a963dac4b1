//! The wire protocol and the host/joiner networking (tokio + tokio-tungstenite).
//!
//! Never imports egui or eframe: the window talks to this module through typed intents and events.
//! Holds no rules of its own: both sides keep a [`crate::game::Match`] and change it only by its
//! events; this module carries them.
//!
//! Layout:
//! - [`wire`]: every message on the wire ([`ClientMsg`], [`ServerMsg`]) and how text becomes them.
//!   `docs/PROTOCOL.md` is its specification.
//! - [`connection`]: [`Connection`], the one type that owns a WebSocket stream.
//! - [`api`]: what a front end exchanges with the network side: [`crate::game::Intent`] in,
//!   [`NetEvent`] out.
//! - [`host`]: the embedded server with one opponent seat and any number of watchers up to a
//!   cap ([`host::start`] → [`HostHandle`]).
//! - [`join`]: the joiner's client with reconnection ([`join::start`] → [`JoinHandle`]), which
//!   also watches ([`join::watch`]).
//! - [`lan`]: the addresses a host can read out to a friend.
//! - [`invite`]: invite links (`tictactoe://join?…`): the addresses, seat code and host's name.
//! - [`discovery`]: games on this network (DNS-SD over multicast DNS): listing and finding them.
//! - [`router`]: asking the home router to forward the host's port (PCP, NAT-PMP, UPnP).
//! - [`reach`]: the host's task that lists it while it waits and keeps the port mapped.

pub mod api;
pub mod connection;
pub mod discovery;
pub mod host;
pub mod invite;
pub mod join;
pub mod lan;
pub mod reach;
pub mod router;
pub mod seats;
mod session;
pub mod wire;

pub use api::{
    NetError, NetEvent, NetLink, Presence, RouterEvent, Stage, Timing, View, Wake, no_wake,
};
pub use connection::{Connection, HostConnection, JoinConnection};
pub use host::{HostConfig, HostHandle, Limits, WatchStats};
pub use join::{JoinConfig, JoinHandle};
pub use reach::Reach;
pub use seats::SeatStore;
pub use wire::{
    ChatLine, ClientMsg, DEFAULT_PORT, HelloRole, PROTOCOL_VERSION, Refusal, RejectReason,
    ServerMsg,
};
