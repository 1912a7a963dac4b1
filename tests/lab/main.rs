//! Tests that need the machine itself: root, network namespaces, `nft`, `miniupnpd`, tap devices
//! (`/dev/net/tun`) and `mount`.
//! Not run by a plain `cargo test` (`test = false` in Cargo.toml); `.ci/run` runs them with
//! `cargo test --locked --test lab`.

#[path = "../support/mod.rs"]
pub mod support;

mod history_disk;
mod internet;
mod p2p;
mod reach;
