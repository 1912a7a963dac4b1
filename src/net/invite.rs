//! Invite links: everything a friend needs to join, in one line to paste into any chat.
//!
//! `tictactoe://join?name=Ann&code=K7QM-3XRD&addr=192.168.1.5:7878&addr=%5B2001:db8::5%5D:7878`
//! holds the host's name, the seat code if one is asked for, and the addresses to try, most
//! useful first (the internet address, when the router opened one, comes first). The desktop
//! opens such a link with the installed app, which shows it on the join screen and connects only
//! when the player says so; `tictactoe join LINK` takes it too.
//!
//! A link of a host on the peer-to-peer path carries its public key (`key=`, 64 hexadecimal
//! digits), its relay (`relay=`, with the relay certificate's fingerprint when it has no domain
//! name) and its direct UDP addresses (`udp=`): `tictactoe join` dials every path at once. The
//! key proves that the computer reached is the host who made the link.
//!
//! A link is text from a stranger as much as from a friend: one that is too long, of another
//! scheme, without an address, with an address that is not one, or with a seat code that could
//! not be one is refused, with what is wrong in plain words. Unknown parameters are ignored, so
//! later versions can add some.

use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::game::{Variant, clean_name};

use super::address::{Target, parse_ip_port};
use super::host::normalize_seat_code;
use super::p2p::{P2pAddr, RelaySpecError};

/// The scheme of an invite link.
pub const SCHEME: &str = "tictactoe";

/// The longest link read, in bytes: a link of eight IPv6 addresses is about 400.
pub const MAX_LINK_LEN: usize = 2048;

/// The most addresses a link may hold.
pub const MAX_ADDRS: usize = 8;

/// What an invite link says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    /// The host's name (cleaned as every name is; may be empty).
    pub name: String,
    /// The seat code, as it was written (`K7QM-3XRD`), if the host asks for one.
    pub seat_code: Option<String>,
    /// The addresses to try, most useful first, each as `tictactoe join` takes it.
    pub addrs: Vec<String>,
    /// The host on the peer-to-peer path: its key, its relay, its direct UDP addresses (links
    /// of earlier versions have none).
    pub p2p: Option<P2pAddr>,
    /// The game the host plays (`game=` in the link; classic when absent).
    pub game: Variant,
}

/// Why a link is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    /// Not a link of this game.
    #[error("This is not a Tic-Tac-Toe invite link: it should start with tictactoe://join?")]
    NotAnInvite,
    /// Longer than any invite.
    #[error(
        "This invite link is too long to be one ({len} characters): it may have been tampered with."
    )]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// No address to join.
    #[error("This invite link holds no address to join. Ask your friend to copy it again.")]
    NoAddress,
    /// More addresses than a host has.
    #[error(
        "This invite link holds more than {MAX_ADDRS} addresses: it may have been tampered with."
    )]
    TooManyAddresses,
    /// An address that is not one.
    #[error(
        "This invite link holds {text:?}, which is not an address. Ask your friend to copy it again."
    )]
    BadAddress {
        /// The address as the link has it.
        text: String,
    },
    /// A key that is not one.
    #[error("This invite link's key cannot be right. Ask your friend to copy the link again.")]
    BadKey,
    /// A relay that is not one.
    #[error("This invite link's relay cannot be right: {0}")]
    BadRelay(RelaySpecError),
    /// A game this version does not know.
    #[error(
        "This invite is for {text:?}, a game this version of Tic-Tac-Toe does not know: update it to join."
    )]
    UnknownGame {
        /// The game as the link names it.
        text: String,
    },
    /// A seat code that no host would make.
    #[error(
        "This invite link's seat code {text:?} cannot be right: codes are 8 letters and digits."
    )]
    BadSeatCode {
        /// The code as the link has it.
        text: String,
    },
}

impl Invite {
    /// The link for this invite.
    #[must_use]
    pub fn to_link(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if !self.name.is_empty() {
            query.append_pair("name", &self.name);
        }
        if let Some(code) = &self.seat_code {
            query.append_pair("code", code);
        }
        if !self.game.is_classic() {
            query.append_pair("game", self.game.as_str());
        }
        for addr in &self.addrs {
            query.append_pair("addr", addr);
        }
        if let Some(p2p) = &self.p2p {
            query.append_pair("key", &p2p.key);
            if let Some(relay) = &p2p.relay {
                query.append_pair("relay", &relay.to_string());
            }
            for addr in p2p.direct.iter().take(MAX_ADDRS) {
                query.append_pair("udp", &addr.to_string());
            }
        }
        format!("{SCHEME}://join?{}", query.finish())
    }

    /// Reads a link, refusing one that is not a sound invite.
    pub fn parse(link: &str) -> Result<Self, InviteError> {
        let link = link.trim();
        if link.len() > MAX_LINK_LEN {
            return Err(InviteError::TooLong { len: link.len() });
        }
        // `tictactoe://join?…`, or `tictactoe://join/?…` as some chat programs rewrite it.
        let query = link
            .get(..SCHEME.len() + 3)
            .filter(|start| start.eq_ignore_ascii_case(&format!("{SCHEME}://")))
            .and_then(|_| link.get(SCHEME.len() + 3..))
            .and_then(|rest| {
                let rest = rest.strip_prefix("join")?;
                let rest = rest.strip_prefix('/').unwrap_or(rest);
                rest.strip_prefix('?')
            })
            .ok_or(InviteError::NotAnInvite)?;
        let query = query
            .split_once('#')
            .map_or(query, |(query, _fragment)| query);
        let mut invite = Self {
            name: String::new(),
            seat_code: None,
            addrs: Vec::new(),
            p2p: None,
            game: Variant::Classic,
        };
        let mut key = None;
        let mut relay = None;
        let mut direct = Vec::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            match &*name {
                "key" => {
                    let sound = value.len() == 64 && value.chars().all(|c| c.is_ascii_hexdigit());
                    if !sound {
                        return Err(InviteError::BadKey);
                    }
                    key = Some(value.to_ascii_lowercase());
                }
                "relay" => relay = Some(value.parse().map_err(InviteError::BadRelay)?),
                "udp" => {
                    if direct.len() == MAX_ADDRS {
                        return Err(InviteError::TooManyAddresses);
                    }
                    direct.push(value.parse().map_err(|_bad| InviteError::BadAddress {
                        text: value.chars().take(80).collect(),
                    })?);
                }
                _ => {}
            }
        }
        invite.p2p = key.map(|key| P2pAddr { key, relay, direct });
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match &*key {
                "name" => invite.name = clean_name(&value),
                "game" => {
                    invite.game = value.parse().map_err(|_unknown| InviteError::UnknownGame {
                        text: value.chars().take(40).collect(),
                    })?;
                }
                "code" => {
                    let normalized = normalize_seat_code(&value);
                    let sound = (1..=32).contains(&normalized.len())
                        && normalized.chars().all(|c| c.is_ascii_alphanumeric());
                    if !sound {
                        return Err(InviteError::BadSeatCode {
                            text: value.chars().take(40).collect(),
                        });
                    }
                    invite.seat_code = Some(value.trim().to_owned());
                }
                "addr" => {
                    if invite.addrs.len() == MAX_ADDRS {
                        return Err(InviteError::TooManyAddresses);
                    }
                    let target = parse_ip_port(&value).map_err(|_bad| InviteError::BadAddress {
                        text: value.chars().take(80).collect(),
                    })?;
                    invite.addrs.push(target.to_string());
                }
                _ => {}
            }
        }
        if invite.addrs.is_empty() && invite.p2p.is_none() {
            return Err(InviteError::NoAddress);
        }
        Ok(invite)
    }

    /// Whether `text` is meant as a link (and not as an address): it starts with the scheme.
    #[must_use]
    pub fn is_link(text: &str) -> bool {
        text.trim()
            .get(..SCHEME.len() + 1)
            .is_some_and(|start| start.eq_ignore_ascii_case(&format!("{SCHEME}:")))
    }
}

/// The first of `addrs`, in their order, that accepts a connection within `limit`; all are tried
/// at once. `None` when none does (or none is an IP address with a port).
///
/// Each try is a plain TCP connection, closed at once: the host counts it as nothing.
#[must_use]
pub fn first_reachable(addrs: &[String], limit: Duration) -> Option<String> {
    let (tx, rx) = mpsc::sync_channel(addrs.len().max(1));
    let mut tried = 0;
    for (index, text) in addrs.iter().enumerate() {
        let Ok(Target { host, zone, port }) = parse_ip_port(text) else {
            continue;
        };
        // Names and zones are left to the join itself, which resolves them: tried in order.
        let Ok(ip) = host.parse::<std::net::IpAddr>() else {
            tx.send((index, true)).ok()?;
            tried += 1;
            continue;
        };
        if zone.is_some() {
            tx.send((index, true)).ok()?;
            tried += 1;
            continue;
        }
        let tx = tx.clone();
        let spawned = std::thread::Builder::new()
            .name("tictactoe-invite-try".to_owned())
            .spawn(move || {
                let reached = TcpStream::connect_timeout(&SocketAddr::new(ip, port), limit).is_ok();
                tx.send((index, reached)).ok();
            });
        if spawned.is_ok() {
            tried += 1;
        }
    }
    drop(tx);
    let deadline = Instant::now() + limit;
    let mut reached = vec![None; addrs.len()];
    for _ in 0..tried {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok((index, ok)) = rx.recv_timeout(left) else {
            break;
        };
        reached[index] = Some(ok);
        // The earliest address that answered wins once every earlier one has been heard from.
        if let Some(first) = reached.iter().position(|r| *r != Some(false))
            && reached[first] == Some(true)
        {
            return addrs.get(first).cloned();
        }
    }
    reached
        .iter()
        .position(|r| *r == Some(true))
        .and_then(|index| addrs.get(index).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann() -> Invite {
        Invite {
            name: "Ann & Co".to_owned(),
            game: Variant::Classic,
            seat_code: Some("K7QM-3XRD".to_owned()),
            addrs: vec![
                "203.0.113.7:7878".to_owned(),
                "192.168.1.5:7878".to_owned(),
                "[2001:db8::5]:7878".to_owned(),
            ],
            p2p: None,
        }
    }

    #[test]
    fn a_bigger_game_is_in_the_link_and_an_unknown_one_is_refused() {
        let gomoku = Invite {
            game: Variant::Gomoku,
            ..ann()
        };
        let link = gomoku.to_link();
        assert!(link.contains("&game=gomoku"), "{link}");
        assert_eq!(Invite::parse(&link), Ok(gomoku));
        // Classic is the link of earlier versions: no `game`.
        assert!(!ann().to_link().contains("game="));
        let error = Invite::parse("tictactoe://join?addr=192.168.1.5:7878&game=chess").unwrap_err();
        assert_eq!(
            error.to_string(),
            "This invite is for \"chess\", a game this version of Tic-Tac-Toe does not know: update it to join."
        );
    }

    #[test]
    fn a_link_round_trips() {
        let link = ann().to_link();
        assert!(link.starts_with("tictactoe://join?name=Ann"), "{link}");
        assert!(Invite::is_link(&link));
        assert_eq!(Invite::parse(&link), Ok(ann()));
        let open = Invite {
            name: String::new(),
            game: Variant::Classic,
            seat_code: None,
            addrs: vec!["192.168.1.5:7878".to_owned()],
            p2p: None,
        };
        assert_eq!(Invite::parse(&open.to_link()), Ok(open));
        // A host on the peer-to-peer path: its key, relay (with the relay's fingerprint) and
        // direct addresses; no TCP address is needed.
        let p2p = Invite {
            name: "Bo".to_owned(),
            game: Variant::Classic,
            seat_code: None,
            addrs: vec![],
            p2p: Some(P2pAddr {
                key: "0f".repeat(32),
                relay: Some(
                    format!("https://198.51.100.9:3340/#sha256={}", "ab".repeat(32))
                        .parse()
                        .unwrap(),
                ),
                direct: vec!["192.168.1.5:51000".parse().unwrap()],
            }),
        };
        assert_eq!(Invite::parse(&p2p.to_link()), Ok(p2p));
        assert_eq!(
            Invite::parse("tictactoe://join?key=12"),
            Err(InviteError::BadKey)
        );
        assert!(matches!(
            Invite::parse(&format!(
                "tictactoe://join?key={}&relay=ftp://x",
                "0f".repeat(32)
            )),
            Err(InviteError::BadRelay(_))
        ));
        // As a person might paste it: surrounding space, the address without its port.
        assert_eq!(
            Invite::parse("  tictactoe://join?addr=192.168.1.5 ").map(|invite| invite.addrs),
            Ok(vec!["192.168.1.5:7878".to_owned()])
        );
    }

    #[test]
    fn a_hostile_or_broken_link_is_refused_with_its_reason() {
        let refused = |link: &str| Invite::parse(link).unwrap_err();
        assert_eq!(
            refused("https://example.com/join?addr=1.2.3.4"),
            InviteError::NotAnInvite
        );
        assert_eq!(
            refused("tictactoe://host?addr=1.2.3.4"),
            InviteError::NotAnInvite
        );
        assert_eq!(refused("not a link"), InviteError::NotAnInvite);
        assert_eq!(refused("tictactoe://join?name=Ann"), InviteError::NoAddress);
        assert!(matches!(
            refused("tictactoe://join?addr=1.2.3.4;rm%20-rf"),
            InviteError::BadAddress { .. }
        ));
        assert!(matches!(
            refused("tictactoe://join?addr=1.2.3.4&code=%3Cscript%3E"),
            InviteError::BadSeatCode { .. }
        ));
        let many = "&addr=10.0.0.1".repeat(MAX_ADDRS + 1);
        assert_eq!(
            refused(&format!("tictactoe://join?x=1{many}")),
            InviteError::TooManyAddresses
        );
        let long = format!(
            "tictactoe://join?addr=1.2.3.4&name={}",
            "a".repeat(MAX_LINK_LEN)
        );
        assert!(matches!(refused(&long), InviteError::TooLong { .. }));
        // A name with control characters is kept, cleaned as every name is.
        let invite = Invite::parse("tictactoe://join?addr=1.2.3.4&name=Ann%0A%1BEvil").unwrap();
        assert_eq!(invite.name, "Ann  Evil");
        // Every refusal says what to do or what is wrong.
        for error in [
            InviteError::NotAnInvite,
            InviteError::NoAddress,
            InviteError::TooManyAddresses,
        ] {
            assert!(error.to_string().ends_with('.') || error.to_string().ends_with('?'));
        }
    }

    #[test]
    fn the_first_address_that_answers_in_the_links_order() {
        let open = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let closed_addr = closed.local_addr().unwrap().to_string();
        drop(closed);
        let open_addr = open.local_addr().unwrap().to_string();
        let limit = Duration::from_secs(2);
        assert_eq!(
            first_reachable(&[closed_addr.clone(), open_addr.clone()], limit),
            Some(open_addr.clone())
        );
        assert_eq!(first_reachable(&[closed_addr], limit), None);
    }
}
