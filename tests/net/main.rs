//! The network layer over real sockets on loopback: matches, reconnection, disputes, watchers
//! and chat, discovery, and everything a stranger may send.

#[path = "../support/mod.rs"]
pub mod support;

mod abuse;
mod burst;
mod discovery;
mod dispute;
mod flood;
mod matches;
mod p2p;
mod raw;
mod resume;
mod resync;
mod seat_code;
mod watch;
